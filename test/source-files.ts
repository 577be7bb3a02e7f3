// The project's own TypeScript sources under a directory, for the tests that
// read the code as text (no rule id outside its check, no message parsing,
// no import cycles).
import * as fs from 'node:fs';
import * as path from 'node:path';

export function tsSources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tsSources(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}
