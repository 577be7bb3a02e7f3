// Reading the files of a tree that patches apply to (--tree DIR on the
// command line, the workspace folder in the editor): paths inside it only,
// by name (`../`, absolute names) and by real path (a symlink out of the
// tree), regular files only (input/read.ts).
import * as path from 'path';
import { readInput } from '../input/read';

/** A file's text, null when it is not there, or why it was refused (a problem names it). */
export type TreeFile = string | null | { refused: string };

export function treeFileReader(dir: string): (rel: string) => TreeFile {
  const top = path.resolve(dir);
  return (rel) => {
    const full = path.resolve(top, rel);
    if (!full.startsWith(top + path.sep)) return null;
    const r = readInput(full, { within: top });
    if (r.refused === undefined) return r.text;
    return r.code === 'ENOENT' || r.code === 'ENOTDIR' ? null : { refused: r.refused };
  };
}
