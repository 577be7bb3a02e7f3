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
import { reviewDocument } from '../server/src/patch/review';
import { emptyConfig, tableFor } from '../server/src/kernel/config';
import { parser } from './harness';

const root = path.join(__dirname, '..');
const seeds = path.join(root, '..', 'shared', 'seeds');
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
  const parsed = files.flatMap((f) => f.hunks.map((h) => h.headerView)).sort((a, b) => a - b);
  assert.deepEqual(parsed, headers);
  assert.ok(files.filter((f) => f.quoteDepth > 0).length >= 10, 'quoted diffs in the replies');
  assert.ok(files.some((f) => f.quoteDepth === 3), 'a diff quoted three levels deep');
  // quoted hunks without file headers are named from the patch they quote
  const r = await review(file, text);
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  assert.equal(r.findings.filter((f) => f.severity === 'error').length, 0);
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
