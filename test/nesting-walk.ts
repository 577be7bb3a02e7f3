// Walks the .c and .h files under the given directories of a tree as phase 1
// reads them (the prepared text; top-level definitions: those reached through
// the containers findFunctions() descends) and prints, as JSON, the number of
// files and functions and each function definition nested in another
// (file:line, the file relative to the tree). One native parse per file;
// tree-sitter's own descendantsOfType() finds the definitions, so no JS walk
// crosses into the addon node by node. Run by linux-nesting.test.ts, one
// process per tree.
//   node --import tsx test/nesting-walk.ts TREE DIR...
import * as fs from 'fs';
import * as path from 'path';
import { prepareSource } from '../server/src/syntax/prepare';
import { CONTAINERS } from '../server/src/syntax/live';

interface RawNode {
  type: string;
  parent: RawNode | null;
  startPosition: { row: number };
  descendantsOfType(type: string): RawNode[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Parser = require('tree-sitter') as new () => { setLanguage(l: unknown): void; parse(t: string, old?: unknown, o?: { bufferSize: number }): { rootNode: RawNode } };
const parser = new Parser();
// eslint-disable-next-line @typescript-eslint/no-require-imports
parser.setLanguage(require('tree-sitter-c'));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
  }
  return out;
}

const [tree, ...dirs] = process.argv.slice(2);
let files = 0;
let functions = 0;
const nested: string[] = [];
for (const dir of dirs) {
  for (const file of sourceFiles(path.join(tree, dir))) {
    const text = prepareSource(fs.readFileSync(file, 'utf8')).text;
    const root = parser.parse(text, undefined, { bufferSize: text.length * 2 + 2 }).rootNode;
    files++;
    for (const def of root.descendantsOfType('function_definition')) {
      let phase1 = true;
      let inside = false;
      for (let up = def.parent; up; up = up.parent) {
        if (up.type === 'function_definition') inside = true;
        if (!CONTAINERS.has(up.type)) phase1 = false;
      }
      if (phase1) functions++;
      if (inside) nested.push(`${path.relative(tree, file)}:${def.startPosition.row + 1}`);
    }
  }
}
process.stdout.write(JSON.stringify({ files, functions, nested }) + '\n');
