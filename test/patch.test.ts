// Patch review as reviewers receive patches: the README's series, a
// re-creation of "mm: fix pagecache write deadlocks" on our own code, the
// list-archive thread of seed 002, the quoted hunk of seed 001, bad input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readDocument, classify } from '../server/src/input/mail';
import { filePatchesOf } from '../server/src/input/patch';
import { describeDocumentLine, reviewDocument } from '../server/src/patch/review';
import { emptyConfig, tableFor } from '../server/src/kernel/config';
import { parser } from './harness';

const root = path.join(__dirname, '..');
/**
 * shared/seeds beside the checkout (CI clones main with shared/ beside it), walked up to
 * be found; for a clone of a local checkout (git clone . /tmp/x), beside its origin too.
 */
function findSeeds(): string {
  const above = (start: string): string | null => {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const c = path.join(dir, 'shared', 'seeds');
      if (fs.existsSync(c)) return c;
      if (path.dirname(dir) === dir) return null;
    }
  };
  const origin = spawnSync('git', ['-C', root, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8' }).stdout.trim();
  const found = above(root) ?? (origin && fs.existsSync(origin) ? above(path.resolve(origin)) : null);
  if (!found) throw new Error(`shared/seeds not found above ${root}${origin ? ` or its origin ${origin}` : ''}: the seed tests need it beside the checkout`);
  return found;
}
const seeds = findSeeds();
const table = tableFor(emptyConfig());

async function review(file: string, text = fs.readFileSync(file, 'utf8')) {
  return reviewDocument(await parser('native'), file, text, { table });
}

const brief = (fs: { rule: string; status?: string; severity: string; range: { start: { line: number } }; target?: { file: string; line: number } }[]) =>
  fs.map((f) => [f.range.start.line + 1, f.rule, f.severity, f.status, f.target ? `${f.target.file}:${f.target.line}` : '']);

test('README series: patch 1 introduces a fault under the page lock, patch 2 fixes one', async () => {
  const r = await review(path.join(root, 'examples', 'demofs-series.mbox'));
  assert.equal(r.kind, 'mbox');
  assert.deepEqual(brief(r.findings), [
    [40, 'fault-under-page-lock', 'error', 'introduced', 'fs/demofs/file.c:41'],
    [81, 'fault-under-page-lock', 'info', 'fixed', 'fs/demofs/file.c:21'],
  ]);
  assert.match(r.findings[1].message, /^fixed by this patch: __copy_from_user\(\) may fault while the page lock on 'page' is held/);
  assert.ok(r.findings[0].notes.some((n) => n.range.start.line + 1 === 39 && /taken here by lock_page/.test(n.message)));
});

test('re-created 2.6.23 fix: the removed non-atomic copy is fixed, the added code is clean', async () => {
  const r = await review(path.join(__dirname, 'patches', 'fix-pagecache-write-deadlocks.patch'));
  assert.equal(r.kind, 'mail');
  assert.deepEqual(brief(r.findings), [[60, 'fault-under-page-lock', 'info', 'fixed', 'mm/demo-filemap.c:33']]);
  assert.match(r.findings[0].message, /filemap_copy_from_user\(\) may fault/);
});

test('seed 002: all seven patches and every quoted hunk are parsed, at their lines', async () => {
  const file = path.join(seeds, '002_18d0675ba272f370.txt');
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(classify(text), 'thread');
  const doc = readDocument(text);
  const { files } = filePatchesOf(doc);
  // the seven patches, each with its own file patches at quote depth 0
  for (let n = 1; n <= 7; n++) {
    const msg = doc.messages.find((m) => m.series?.n === n && m.series?.m === 7 && !/^Re:/.test(m.subject));
    assert.ok(msg, `[PATCH ${n}/7] found`);
    assert.ok(files.some((f) => f.message === msg.index && f.quoteDepth === 0), `[PATCH ${n}/7] has a diff`);
  }
  // every @@ line of the page, quoted or not, is a parsed hunk header
  const lines = text.split('\n');
  const headers = lines.map((l, i) => (/^(>\s?)*@@ -\d/.test(l) ? i : -1)).filter((i) => i >= 0);
  const parsed = files.flatMap((f) => f.hunks.filter((h) => h.oldStart !== 0).map((h) => h.headerView)).sort((a, b) => a - b);
  assert.deepEqual(parsed, headers);
  // and the hunk lines a reply quoted after snipping their @@ header ("....."), read as headerless hunks
  assert.deepEqual(files.flatMap((f) => f.hunks.filter((h) => h.oldStart === 0).map((h) => h.headerView + 1)).slice(0, 1), [1149]);
  assert.ok(files.filter((f) => f.quoteDepth > 0).length >= 10, 'quoted diffs in the replies');
  assert.ok(files.some((f) => f.quoteDepth === 3), 'a diff quoted three levels deep');
  // quoted hunks without file headers are named from the patch they quote
  const r = await review(file, text);
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  assert.equal(r.findings.filter((f) => f.severity === 'error').length, 0);
  // the review of patch 2/7 asks why filemap_fault() reads vmf->flags beside its local copy
  // ("Not here." / "or here."): both lines in the patch, and both where the reply quotes them
  assert.deepEqual(
    r.findings.filter((f) => f.rule === 'stale-flags-copy').map((f) => [f.range.start.line + 1, f.status, f.target?.file]),
    [
      [572, 'introduced', 'mm/filemap.c'],
      [583, 'introduced', 'mm/filemap.c'],
      [1180, 'introduced', 'mm/filemap.c'],
      [1194, 'introduced', 'mm/filemap.c'],
    ],
  );
  assert.deepEqual(r.findings.filter((f) => f.severity === 'warning'), []);
  for (const f of r.findings) {
    const l = f.range.start.line;
    assert.ok(files.some((fp) => fp.hunks.some((h) => h.lines.some((x) => x.view === l))), `finding at line ${l + 1} is on a hunk line`);
  }
  assert.ok(r.stats.functions > 50);
});

test('seed 001: the quoted diff is found and analysed', async () => {
  const file = path.join(seeds, '001_4e9008b78655ca4d.txt');
  const text = fs.readFileSync(file, 'utf8');
  const { files } = filePatchesOf(readDocument(text));
  assert.equal(files.length, 1);
  assert.equal(files[0].newPath, 'mm/filemap.c');
  assert.deepEqual(files[0].hunks.map((h) => h.headerView + 1), [15, 27]);
  assert.ok(files[0].repairs.some((x) => /context line without its leading space/.test(x)));
  const r = await review(file, text);
  assert.ok(r.stats.functionsAnalysed >= 2);
  assert.equal(r.findings.filter((f) => f.severity === 'error').length, 0);
});

test('bad input: binary data, truncated and miscounted hunks, a mail with no diff, a huge mbox', async () => {
  const bin = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  assert.match((await review('bin.patch', bin)).problems[0].message, /binary|no diff/);
  const good = fs.readFileSync(path.join(root, 'examples', 'demofs-series.mbox'), 'utf8');
  const truncated = good.slice(0, good.indexOf('+	lock_page(page);') + 20);
  const t = await review('truncated.mbox', truncated);
  assert.ok(Array.isArray(t.findings));
  const lying = good.replace('@@ -36,8 +36,11 @@', '@@ -36,80 +36,110 @@');
  const l = await review('lying.mbox', lying);
  assert.equal(l.findings.filter((f) => f.status === 'introduced').length, 1, 'the hunk is still read');
  const noDiff = 'From: a@b\nSubject: hello\n\nJust words, no patch.\n';
  assert.deepEqual((await review('nodiff.eml', `From x Mon Sep 17 00:00:00 2001\n${noDiff}`)).problems.map((p) => p.message), ['no diff found']);
  const huge = good.repeat(Math.ceil((50 * 1024 * 1024) / good.length));
  assert.match((await review('huge.mbox', huge)).problems[0].message, /larger than 32 MiB/);
});

test('the CLI reads patches by content, from files and standard input, naming both positions', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', 'examples/demofs-series.mbox'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^examples\/demofs-series.mbox:40:7: fs\/demofs\/file.c:41: error: copy_to_user\(\) may fault while the page lock on 'page' is held \[fault-under-page-lock, introduced\]$/m);
  const j = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', '-'], {
    cwd: root,
    input: fs.readFileSync(path.join(__dirname, 'patches', 'fix-pagecache-write-deadlocks.patch')),
    encoding: 'utf8',
  });
  const out = JSON.parse(j.stdout);
  assert.deepEqual(out.findings.map((f: { line: number; status: string; target: { file: string; line: number } }) => [f.line, f.status, f.target]), [
    [60, 'fixed', { file: 'mm/demo-filemap.c', line: 33 }],
  ]);
});

test('--tree: a short-context patch is analysed on whole functions; moved files still apply; others fall back', async () => {
  const patchFile = path.join(__dirname, 'patches', 'fix-pagecache-write-deadlocks-U3.patch');
  const text = fs.readFileSync(patchFile, 'utf8');
  const treeFile = path.join(__dirname, 'trees', 'demo', 'mm', 'demo-filemap.c');
  const tree = fs.readFileSync(treeFile, 'utf8');
  // hunk-local: the lock is taken outside the hunks, nothing can be said
  assert.deepEqual(brief((await review(patchFile, text)).findings), []);
  const withTree = async (src: string | null) =>
    reviewDocument(await parser('native'), patchFile, text, { table, readTreeFile: (p) => (p === 'mm/demo-filemap.c' ? src : null), treeName: 'trees/demo' });
  const r = await withTree(tree);
  assert.deepEqual(brief(r.findings), [[40, 'fault-under-page-lock', 'info', 'fixed', 'mm/demo-filemap.c:33']]);
  assert.ok(r.findings[0].notes.some((n) => /whole-function analysis on mm\/demo-filemap.c from trees\/demo before this patch/.test(n.message)));
  // the file moved down by 5 lines since the patch was made: it applies at an offset
  const moved = await withTree('/* 1 */\n/* 2 */\n/* 3 */\n/* 4 */\n/* 5 */\n' + tree);
  assert.deepEqual(brief(moved.findings), [[40, 'fault-under-page-lock', 'info', 'fixed', 'mm/demo-filemap.c:38']]);
  // a tree where the code differs: the patch does not apply, and the review says so
  const other = await withTree(tree.replace(/filemap_copy_from_user\(page/, 'other_copy(page'));
  assert.match(other.problems.map((p) => p.message).join('\n'), /does not apply to trees\/demo: hunk-local analysis/);
  assert.deepEqual(brief(other.findings), []);
});

test('--tree on the CLI: a series applied in order', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', '--tree', 'examples/demofs-tree', 'examples/demofs-series.mbox'], { cwd: root, encoding: 'utf8' });
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.findings.map((f: { line: number; status: string; target: { line: number } }) => [f.line, f.status, f.target.line]), [
    [40, 'introduced', 41],
    [81, 'fixed', 21],
  ]);
  assert.ok(out.findings[0].notes.some((n: { message: string }) => /with this patch \(and the earlier ones of the series\) applied/.test(n.message)));
  const bad = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', '--tree', 'no/such/dir', 'examples/demofs-series.mbox'], { cwd: root, encoding: 'utf8' });
  assert.equal(bad.status, 2);
});

test('a plain diff -u (no git headers) is recognised and reviewed', async () => {
  const file = path.join(__dirname, 'patches', 'plain-diff-u.diff');
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(classify(text), 'diff');
  const r = await review(file, text);
  assert.deepEqual(brief(r.findings), [[9, 'fault-under-page-lock', 'error', 'introduced', 'file.c:41']]);
  assert.ok(r.findings[0].notes.some((n) => /inside a function the diff does not name/.test(n.message)));
});

test('across hunks of one function: faults disabled in an earlier hunk and enabled in a later one are off in between', async () => {
  // the shape of mm/memory.c:__wp_page_copy_user() in the 6.1 -> 6.12 diff (hunks 1 and 3 hold the
  // pagefault_disable()/pagefault_enable() pair, hunk 2 the __copy_from_user_inatomic(); git names
  // hunk 3's section after a label)
  const diff = [
    '--- a/mm/demo.c',
    '+++ b/mm/demo.c',
    '@@ -10,4 +10,6 @@ static int copy_user_page_demo(struct page *dst, unsigned long addr)',
    '-	kaddr = kmap_atomic(dst);',
    '+	kaddr = kmap_local_page(dst);',
    '+	pagefault_disable();',
    ' 	uaddr = (void __user *)(addr & PAGE_MASK);',
    ' 	prepare(dst);',
    ' 	more(dst);',
    '@@ -30,4 +31,4 @@ static int copy_user_page_demo(struct page *dst, unsigned long addr)',
    ' 	if (__copy_from_user_inatomic(kaddr, uaddr, PAGE_SIZE)) {',
    '-		if (locked)',
    '+		if (vmf_pte)',
    ' 			goto warn;',
    ' 		ret = 1;',
    '@@ -60,5 +61,5 @@ warn:',
    ' 	ret = 0;',
    ' ',
    '-	kunmap_atomic(kaddr);',
    '+	pagefault_enable();',
    ' 	flush_dcache_page(dst);',
    ' 	return ret;',
    '',
  ].join('\n');
  const r = await review('across.diff', diff);
  assert.deepEqual(brief(r.findings), []);
});

test('seed 002, patch 3/7: after fpin = maybe_unlock_mmap_for_io(...), mmap_lock is dropped if fpin is non-NULL', async () => {
  const file = path.join(seeds, '002_18d0675ba272f370.txt');
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  assert.equal(lines[676], '+\tfpin = maybe_unlock_mmap_for_io(vmf->vma, vmf->flags);');
  assert.match(lines[682], /^ \terror = page_cache_read\(/);
  const state = describeDocumentLine(await parser('native'), file, text, 682, { table });
  assert.ok(state, 'a state for the line');
  assert.ok(state.includes("mmap_lock(r): dropped if 'fpin' is non-NULL (line 677)"), JSON.stringify(state));
  assert.ok(state.some((l) => /Entry state: unknown \(the hunk starts inside filemap_fault\(\)\)/.test(l)));
  // and on the goto taken when fpin is set, it is dropped
  const taken = describeDocumentLine(await parser('native'), file, text, 684, { table });
  assert.ok(taken && taken.some((l) => /^mmap_lock\(r\): dropped \(line 677\)/.test(l)), JSON.stringify(taken));
});
