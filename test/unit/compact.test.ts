// Compact trees (syntax/plain.ts): phase 1 keeps function definitions as four
// words a node and phase 2 rebuilds them instead of parsing the text again.
// The rebuilt tree must be the tree a copy from the parser gives (every node,
// anonymous ones too, with fields, MISSING and ERROR flags), on both backends
// and after random edits; and the analysis must not change with them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { analyzeDocuments } from '../../server/src/analysis';
import { IncrementalIndexer, indexWithTrees } from '../../server/src/phase1';
import { loadFunction } from '../../server/src/phase2';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import { prepareSource } from '../../server/src/syntax/prepare';
import { decode, PlainNode } from '../../server/src/syntax/plain';
import { fixtureFiles, parser } from '../harness';

const table = tableFor(emptyConfig());
const root = path.join(__dirname, '..');
const files = [...fixtureFiles(path.join(root, 'fixtures')), ...fixtureFiles(path.join(root, 'clean'))];
const sample = fs.readFileSync(path.join(root, 'fixtures', 'fault-under-page-lock', 'basic.c'), 'utf8');

/** Every field of every node, children in order: what two trees must share. */
function dump(n: PlainNode): unknown {
  return [n.type, n.startIndex, n.endIndex, n.isNamed, n.isMissing, n.field, n.hasError, n.children.map(dump)];
}

function checkDocument(p: Awaited<ReturnType<typeof parser>>, text: string): number {
  const live = p.openLive(text);
  let n = 0;
  try {
    for (const t of live.topLevel()) {
      assert.deepEqual(dump(decode(t.encode(), p.vocab, t.start)), dump(t.materialize()), `${t.type} at ${t.start}`);
      n++;
    }
  } finally {
    live.delete();
  }
  return n;
}

for (const backend of ['native', 'wasm'] as const) {
  test(`a compact tree decodes to the copied tree: every fixture (${backend})`, async () => {
    const p = await parser(backend);
    let nodes = 0;
    for (const f of files) nodes += checkDocument(p, prepareSource(fs.readFileSync(f, 'utf8')).text);
    assert.ok(nodes > 100, `only ${nodes} top-level nodes checked`);
  });

  test(`a compact tree decodes to the copied tree: mangled text, MISSING and ERROR nodes (${backend})`, async () => {
    const p = await parser(backend);
    const piece = fc.constantFrom('{', '}', '(', ')', ';', 'x', '\n', 'goto out;', 'out:', '#ifdef X\n', '#endif\n', 'lock_page(page);', 'if (a', '/* é ü */', '"\\"', '\0', 'int f(void) { return', ' __acquires(x) ');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sample.length }), fc.array(piece, { maxLength: 6 }), (at, ins) => {
        checkDocument(p, sample.slice(0, at) + ins.join('') + sample.slice(at));
      }),
      { numRuns: backend === 'native' ? 80 : 40, seed: 11 },
    );
  });
}

test('a definition rebuilt from its kept tree equals it parsed again, at its place in the file', async () => {
  const p = await parser('native');
  let checked = 0;
  for (const f of files) {
    const prepared = prepareSource(fs.readFileSync(f, 'utf8'));
    const { index, trees } = indexWithTrees(p, prepared, table);
    for (const e of index.functions) {
      if (!trees.byStart.has(e.header.start)) continue;
      const kept = loadFunction(p, { ...prepared, trees }, e.header);
      const parsed = loadFunction(p, prepared, e.header);
      assert.deepEqual(dump(kept.node as PlainNode), dump(parsed.node as PlainNode), `${f}: ${e.header.name}`);
      assert.deepEqual({ ...kept, node: null, body: null }, { ...parsed, node: null, body: null });
      checked++;
    }
  }
  assert.ok(checked > 100, `only ${checked} definitions had a kept tree`);
});

test('the editor keeps trees across edits: unchanged definitions reuse theirs at their new offset', async () => {
  const p = await parser('native');
  const ix = new IncrementalIndexer(p, true);
  const text = sample + '\nstatic int extra(struct page *page)\n{\n\tlock_page(page);\n\treturn 0;\n}\n';
  ix.index(prepareSource(text), table);
  const before = new Set(ix.trees.byStart.values());
  const edited = '/* one more line */\n' + text;
  const prepared = prepareSource(edited);
  const index = ix.index(prepared, table);
  assert.ok(ix.trees.byStart.size > 1);
  for (const e of index.functions) {
    const tree = ix.trees.byStart.get(e.header.start);
    if (!tree) continue;
    assert.ok(before.has(tree), `${e.header.name}: its tree was not reused`);
    const f = loadFunction(p, { ...prepared, trees: ix.trees }, e.header);
    assert.equal(edited.slice(f.start, f.end), edited.slice(e.header.start, e.header.end));
    assert.equal(f.name, e.header.name);
  }
  ix.dispose();
});

test('the findings are the same with and without kept trees', async () => {
  const p = await parser('native');
  const docs = files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
  const saved = process.env.FAULTPATH_TREE_BUDGET_MB;
  try {
    process.env.FAULTPATH_TREE_BUDGET_MB = '0';
    const without = analyzeDocuments(p, docs, { table });
    delete process.env.FAULTPATH_TREE_BUDGET_MB;
    const withTrees = analyzeDocuments(p, docs, { table });
    assert.ok(withTrees.findings.length > 50);
    assert.deepEqual(withTrees.findings, without.findings);
    assert.deepEqual(withTrees.problems, without.problems);
  } finally {
    if (saved === undefined) delete process.env.FAULTPATH_TREE_BUDGET_MB;
    else process.env.FAULTPATH_TREE_BUDGET_MB = saved;
  }
});
