// The per-function cache must give exactly what a fresh run gives: same
// findings, moved with their function, recomputed where the text changed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeDocuments } from '../../server/src/analysis';
import { FunctionCache } from '../../server/src/cache';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import { parser } from '../harness';

const file = path.join(__dirname, '..', 'fixtures', 'fault-under-page-lock', 'basic.c');
const text = fs.readFileSync(file, 'utf8');
const table = tableFor(emptyConfig());

async function run(src: string, cache?: FunctionCache) {
  return analyzeDocuments(await parser('native'), [{ file, text: src }], { table, cache });
}

test('a second run over the same text is all hits and gives the same findings', async () => {
  const cache = new FunctionCache();
  const first = await run(text, cache);
  assert.equal(cache.hits, 0);
  const fresh = await run(text);
  const second = await run(text, cache);
  assert.equal(cache.misses, first.stats.functions);
  assert.equal(cache.hits, first.stats.functions);
  assert.deepEqual(second.findings, fresh.findings);
  assert.equal(second.stats.functionsAnalysed, fresh.stats.functionsAnalysed);
});

test('moved functions are hits, and their findings move with them', async () => {
  const cache = new FunctionCache();
  await run(text, cache);
  const moved = '\n\n\n' + text;
  const hitsBefore = cache.hits;
  const cached = await run(moved, cache);
  const fresh = await run(moved);
  assert.equal(cache.hits - hitsBefore, cached.stats.functions);
  assert.deepEqual(cached.findings, fresh.findings);
  assert.equal(cached.findings[0].range.start.line, (await run(text)).findings[0].range.start.line + 3);
});

test('an edited function is recomputed; the others are hits', async () => {
  const cache = new FunctionCache();
  const first = await run(text, cache);
  const edited = text.replace('get_user(v, p); /* want: fault-under-page-lock error */', 'pagefault_disable(); get_user(v, p); pagefault_enable();');
  assert.notEqual(edited, text);
  const missesBefore = cache.misses;
  const again = await run(edited, cache);
  assert.equal(cache.misses - missesBefore, 1);
  assert.deepEqual(again.findings, (await run(edited)).findings);
  assert.equal(again.findings.length, first.findings.length - 1);
});

test("a caller whose text did not change is recomputed when a callee's summary changed", async () => {
  const cache = new FunctionCache();
  const caller = {
    file: '/t/caller.c',
    text: 'int caller(struct page *page, int __user *u)\n{\n\tint r;\n\n\tlock_page(page);\n\tr = helper(u);\n\tunlock_page(page);\n\treturn r;\n}\n',
  };
  const quiet = { file: '/t/helper.c', text: 'int helper(int __user *u)\n{\n\treturn 0;\n}\n' };
  const faults = { file: '/t/helper.c', text: 'int helper(int __user *u)\n{\n\tint v;\n\n\treturn get_user(v, u);\n}\n' };
  const go = async (helper: typeof quiet, c?: FunctionCache) => analyzeDocuments(await parser('native'), [caller, helper], { table, cache: c });
  assert.equal((await go(quiet, cache)).findings.length, 0);
  const again = await go(faults, cache);
  assert.deepEqual(again.findings, (await go(faults)).findings);
  assert.deepEqual(again.findings.map((f) => [f.file, f.rule, f.range.start.line + 1]), [['/t/caller.c', 'fault-under-page-lock', 6]]);
});

test('a recursive SCC is cached whole, and recomputed when one member changes', async () => {
  const rec = (walkBody: string) => ({
    file: '/t/tree.c',
    text:
      'static int walk(struct node *n, struct page *page, int __user *u);\n\n' +
      'static int visit(struct node *n, struct page *page, int __user *u)\n{\n\tif (!n)\n\t\treturn 0;\n\treturn walk(n->next, page, u);\n}\n\n' +
      `static int walk(struct node *n, struct page *page, int __user *u)\n{\n\tint v;\n\n${walkBody}\treturn visit(n, page, u);\n}\n\n` +
      'int top(struct node *n, struct page *page, int __user *u)\n{\n\tint r;\n\n\tlock_page(page);\n\tr = visit(n, page, u);\n\tunlock_page(page);\n\treturn r;\n}\n',
  });
  const faulting = rec('\tif (get_user(v, u))\n\t\treturn -EFAULT;\n');
  const quiet = rec('\tv = 0;\n');
  const go = async (d: ReturnType<typeof rec>, c?: FunctionCache) => analyzeDocuments(await parser('native'), [d], { table, cache: c });
  const cache = new FunctionCache();
  const first = await go(faulting, cache);
  assert.deepEqual(first.findings.map((f) => [f.rule, f.range.start.line + 1]), [['fault-under-page-lock', 24]]);
  const hits = cache.hits;
  const misses = cache.misses;
  const second = await go(faulting, cache);
  assert.deepEqual(second.findings, first.findings);
  // visit and walk (one SCC, two entries) and top: all hits
  assert.equal(cache.hits - hits, 3);
  assert.equal(cache.misses - misses, 0);
  // walk no longer faults: the SCC misses, and top is recomputed with the new summaries
  const third = await go(quiet, cache);
  assert.deepEqual(third.findings, []);
  assert.deepEqual(third.findings, (await go(quiet)).findings);
});
