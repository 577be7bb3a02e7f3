// The editor's incremental phase 1 (a kept tree re-parsed after each edit, and
// definitions whose text did not change reused) must give exactly what a fresh
// parse gives, after any sequence of edits, on both tree-sitter backends; and
// the analysis fed from it must give the same findings.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { analyzeDocuments } from '../../server/src/analysis';
import { IncrementalIndexer, indexPrepared } from '../../server/src/phase1';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import { prepareSource } from '../../server/src/syntax/prepare';
import { singleEdit } from '../../server/src/syntax/live';
import { parser } from '../harness';

const table = tableFor(emptyConfig());
const fixtures = path.join(__dirname, '..', 'fixtures');
const example = fs.readFileSync(path.join(fixtures, 'retry-contract', fs.readdirSync(path.join(fixtures, 'retry-contract')).find((f) => f.endsWith('.c')) as string), 'utf8')
  + fs.readFileSync(path.join(fixtures, 'fault-under-page-lock', 'basic.c'), 'utf8');

function apply(text: string, [at, del, ins]: [number, number, string]): string {
  const i = Math.min(at, text.length);
  return text.slice(0, i) + ins + text.slice(Math.min(text.length, i + del));
}

const edit = fc.tuple(
  fc.integer({ min: 0, max: example.length }),
  fc.integer({ min: 0, max: 60 }),
  fc.constantFrom('', '{', '}', '(', ';', 'x', '\n', 'goto out;', 'out:', '#ifdef X\n', '#endif\n', 'lock_page(page);', 'copy_from_user(a, b, c);', '/* é ü */', 'static int f(void) { return 0; }\n', ' __acquires(x) '),
);

for (const backend of ['native', 'wasm'] as const) {
  test(`incremental phase 1 equals a fresh parse after random edits (${backend})`, async () => {
    const p = await parser(backend);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const ix = new IncrementalIndexer(p);
        let text = example;
        ix.index(prepareSource(text), table);
        for (const e of edits) {
          text = apply(text, e);
          const prepared = prepareSource(text);
          assert.deepEqual(ix.index(prepared, table), indexPrepared(p, prepared, table));
        }
        ix.dispose();
      }),
      { numRuns: backend === 'native' ? 60 : 30, seed: 4 },
    );
  });
}

test('a one-line edit re-scans only the definition it touched, and the findings match a fresh run', async () => {
  const p = await parser('native');
  const file = '/x/edit.c';
  const ix = new IncrementalIndexer(p);
  const run = (text: string, incremental: boolean) =>
    analyzeDocuments(p, [{ file, text }], { table, index: incremental ? (_d, prepared) => ix.index(prepared, table) : undefined });
  run(example, true);
  const total = ix.reused + ix.scanned;
  assert.ok(total > 3, `expected several top-level items, got ${total}`);
  // one line inside the last function's body
  const at = example.lastIndexOf('copy_from_user');
  const edited = example.slice(0, at) + 'x = 1;\n\t' + example.slice(at);
  const a = run(edited, true);
  assert.equal(ix.scanned, 1);
  assert.equal(ix.reused, total - 1);
  assert.deepEqual(a.findings, run(edited, false).findings);
  assert.ok(a.findings.length > 0);
});

test('singleEdit finds the changed span', () => {
  assert.deepEqual(
    { s: singleEdit('abcdef', 'abXYef').startIndex, o: singleEdit('abcdef', 'abXYef').oldEndIndex, n: singleEdit('abcdef', 'abXYef').newEndIndex },
    { s: 2, o: 4, n: 4 },
  );
  const e = singleEdit('a\nbc\nd', 'a\nbc\nXd');
  assert.deepEqual(e.startPosition, { row: 2, column: 0 });
  assert.deepEqual(e.oldEndPosition, { row: 2, column: 0 });
  assert.deepEqual(e.newEndPosition, { row: 2, column: 1 });
});
