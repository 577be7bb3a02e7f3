// Reading the files of a tree that patches apply to (--tree DIR on the
// command line, the workspace folder in the editor): paths inside it only.
import * as fs from 'fs';
import * as path from 'path';

export function treeFileReader(dir: string): (rel: string) => string | null {
  const top = path.resolve(dir);
  return (rel) => {
    const full = path.resolve(top, rel);
    if (!full.startsWith(top + path.sep)) return null;
    try {
      return fs.readFileSync(full, 'utf8');
    } catch {
      return null;
    }
  };
}
