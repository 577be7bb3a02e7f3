// Bad input never crashes and never hangs: property-based runs (fast-check,
// bounded in count and time) over the patch reader and the analyser, and
// pathological shapes: deep nesting, thousands of labels, unbalanced braces,
// NUL bytes, CRLF, invalid UTF-8.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { analyzeDocuments } from '../server/src/analysis';
import { emptyConfig, tableFor } from '../server/src/kernel/config';
import { reviewDocument } from '../server/src/patch/review';
import { parser } from './harness';

const table = tableFor(emptyConfig());
const root = path.join(__dirname, '..');
const series = fs.readFileSync(path.join(root, 'examples', 'demofs-series.mbox'), 'utf8');
const example = fs.readFileSync(path.join(root, 'examples', 'write-deadlock.c'), 'utf8');

/** Runs fn on the input and checks it returned (no throw), within a generous time. */
function finishes<T>(fn: () => T, label: string): T {
  const t0 = Date.now();
  const r = fn();
  assert.ok(Date.now() - t0 < 20000, `${label} took ${Date.now() - t0} ms`);
  return r;
}

test('patch reader and review: random text, mangled patches', async () => {
  const p = await parser('native');
  const lines = series.split('\n');
  const mangled = fc.tuple(fc.integer({ min: 0, max: lines.length - 1 }), fc.integer({ min: 0, max: 40 }), fc.string({ maxLength: 30 })).map(
    ([at, cut, junk]) => [...lines.slice(0, at), junk, ...lines.slice(at + cut)].join('\n'),
  );
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 2000 }), mangled, fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b).toString('latin1'))), (text) => {
      const r = finishes(() => reviewDocument(p, 'fuzz.patch', text, { table }), 'review');
      assert.ok(Array.isArray(r.findings));
    }),
    { numRuns: 150, interruptAfterTimeLimit: 60000 },
  );
});

test('analyser: random edits of a C file', async () => {
  const p = await parser('native');
  const edit = fc.tuple(fc.integer({ min: 0, max: example.length }), fc.integer({ min: 0, max: 200 }), fc.constantFrom('{', '}', '(', ')', ';', 'goto out;', 'out:', '#ifdef X\n', '#endif\n', '\u0000', '\r\n', 'lock_page(page);', 'copy_from_user(a, b, c);', 'do {', '} while (0);'));
  fc.assert(
    fc.property(fc.array(edit, { maxLength: 6 }), (edits) => {
      let text = example;
      for (const [at, cut, ins] of edits) text = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + cut));
      const r = finishes(() => analyzeDocuments(p, [{ file: 'fuzz.c', text }], { table }), 'analysis');
      assert.ok(r.stats.functionsAnalysed <= r.stats.functions);
    }),
    { numRuns: 150, interruptAfterTimeLimit: 60000 },
  );
});

test('pathological shapes: deep nesting, 5000 labels, unbalanced braces, invalid UTF-8', async () => {
  const p = await parser('native');
  const run = (text: string) => finishes(() => analyzeDocuments(p, [{ file: 'x.c', text }], { table }), 'analysis');
  // 10,000-deep nesting: no stack overflow, the function is still read
  const deep = 'void f(struct page *page, char __user *b)\n{\n\tlock_page(page);\n' + '{'.repeat(10000) + 'copy_from_user(0, b, 1);' + '}'.repeat(10000) + '\n}\n';
  const d = run(deep);
  assert.match(d.problems.map((x) => x.message).join('\n'), /^f\(\) at line 1: nesting deeper than the analysis reads/);
  // a function with 5,000 labels and gotos
  let body = '';
  for (let i = 0; i < 5000; i++) body += `\tif (x == ${i}) goto l${i};\nl${i}:\n\tfoo(${i});\n`;
  const labels = run(`void g(int x)\n{\n${body}}\n`);
  assert.equal(labels.stats.functions, 1);
  // unbalanced braces, NUL bytes inside, CRLF, invalid UTF-8 (replacement characters)
  run('void h(void) {{{ lock_page(p); copy_from_user(a,b,c);\n');
  run('void h(void) }}} ;;; {');
  run(example.replace(/\n/g, '\r\n'));
  run(Buffer.from([0xff, 0xfe, 0x76, 0x6f, 0x69, 0x64, 0x20, 0x66, 0x28, 0x29, 0x7b, 0x7d, 0xc3, 0x28]).toString('utf8'));
  const nul = run('void f(void)\n{\n\tfoo();\n}\n\u0000\u0000');
  assert.match(nul.problems.map((x) => x.message).join(''), /binary/);
});

test('a 1,000,000-line file: analysed, the finding at its exact line', async () => {
  const p = await parser('native');
  const rows = 1_000_000;
  const text =
    'static const unsigned char table[] = {\n' +
    '\t0x00,\n'.repeat(rows) +
    '};\n\n' +
    'int tail(struct page *page, char __user *b, char *k)\n{\n\tlock_page(page);\n\tif (copy_from_user(k, b, 1))\n\t\treturn -EFAULT;\n\tunlock_page(page);\n\treturn 0;\n}\n';
  const lines = text.split('\n').length - 1;
  assert.ok(lines >= 1_000_000, `${lines} lines`);
  const r = finishes(() => analyzeDocuments(p, [{ file: 'huge.c', text }], { table }), 'a 1,000,000-line file');
  // the copy under the page lock, and the -EFAULT return that leaves the page locked
  assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line + 1]), [['fault-under-page-lock', rows + 7], ['lock-imbalance', rows + 8]]);
  assert.deepEqual(r.problems, []);
});

test('a function past its time budget is reported as not analysed, and the run goes on', async () => {
  const { analyzeFunction } = await import('../server/src/flow/engine');
  const { findFunctions } = await import('../server/src/syntax/functions');
  const p = await parser('native');
  let body = '';
  for (let i = 0; i < 300; i++) body += `\tif (x == ${i}) lock_page(page); else unlock_page(page);\n`;
  const text = `void slow(struct page *page, int x)\n{\n${body}}\n`;
  const fn = findFunctions(p.parse(text).rootNode, text, [])[0];
  const flow = analyzeFunction(fn, text, { table, summaryOf: () => null, timeBudgetMs: 0 });
  assert.equal(flow.timedOut, true);
  assert.equal(flow.converged, false);
  const ok = analyzeFunction(fn, text, { table, summaryOf: () => null });
  assert.equal(ok.timedOut, false);
  assert.equal(ok.converged, true);
});
