// Patch review on the command line (issue 15): --fail-on counts what a patch
// introduces, --status chooses what is shown, and input with no C and no diff
// is an input error rather than "0/0 functions analysed, 100.0%".
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const patches = path.join(__dirname, 'patches');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, 'check', '--no-cache', ...args], { cwd: root, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const statuses = (out: string) => (JSON.parse(out).findings as { line: number; status: string; severity: string }[]).map((f) => [f.line, f.severity, f.status]);

test('a finding the patch leaves unchanged is shown but does not fail the run', () => {
  const diff = path.join(patches, 'unchanged-copy-under-page-lock.diff');
  const j = run(['--format', 'json', diff]);
  assert.deepEqual(statuses(j.out), [[26, 'error', 'unchanged']]);
  assert.equal(j.code, 0, 'the error was there before the patch');
  assert.equal(run(['--fail-on', 'warning', diff]).code, 0);
  assert.equal(run(['--fail-on', 'hint', diff]).code, 0);
  // the same code as C fails as before: it has no patch to be compared with
  assert.equal(run([path.join(root, 'examples', 'write-deadlock.c')]).code, 1);
});

test('a patch that fixes something does not fail with --fail-on info', () => {
  const fix = path.join(patches, 'fix-pagecache-write-deadlocks.patch');
  const j = run(['--format', 'json', '--fail-on', 'info', fix]);
  assert.deepEqual(statuses(j.out), [[60, 'info', 'fixed']]);
  assert.equal(j.code, 0);
});

test('a finding the patch introduces fails the run at its level', () => {
  const series = path.join(root, 'examples', 'demofs-series.mbox');
  assert.equal(run([series]).code, 1);
  assert.equal(run(['--fail-on', 'none', series]).code, 0);
});

test('--status shows findings of the statuses asked for', () => {
  const series = path.join(root, 'examples', 'demofs-series.mbox');
  assert.deepEqual(statuses(run(['--format', 'json', series]).out), [
    [40, 'error', 'introduced'],
    [81, 'info', 'fixed'],
  ]);
  const fixedOnly = run(['--format', 'json', '--status', 'fixed', series]);
  assert.deepEqual(statuses(fixedOnly.out), [[81, 'info', 'fixed']]);
  assert.equal(JSON.parse(fixedOnly.out).summary.errors, 0, 'the summary counts what is shown');
  assert.equal(fixedOnly.code, 0, 'what is not shown does not fail the run');
  const introduced = run(['--format', 'json', '--status', 'introduced', series]);
  assert.deepEqual(statuses(introduced.out), [[40, 'error', 'introduced']]);
  assert.equal(introduced.code, 1);
  const unchanged = path.join(patches, 'unchanged-copy-under-page-lock.diff');
  assert.deepEqual(statuses(run(['--format', 'json', '--status', 'introduced,fixed', unchanged]).out), []);
  assert.deepEqual(statuses(run(['--format', 'json', '--status', 'introduced', '--status', 'unchanged', unchanged]).out), [[26, 'error', 'unchanged']]);
  // findings in C files have no status and are always shown
  const c = run(['--format', 'json', '--status', 'fixed', path.join(root, 'examples', 'write-deadlock.c')]);
  assert.equal(JSON.parse(c.out).findings.length, 2);
  const bad = run(['--status', 'new', series]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--status takes introduced, unchanged, fixed, not 'new'/);
});

test('input with no C and no diff is an input error (exit 2), not 100% analysed', () => {
  const readme = run([path.join(root, 'README.md')]);
  assert.equal(readme.code, 2);
  assert.equal(readme.out, '');
  assert.match(readme.err, /^faultpath: nothing to analyse: no C function and no diff in README\.md \(a patch whose diff was lost/);
  // a commit message whose diff was lost, on standard input
  const mail = 'From 1234567 Mon Sep 17 00:00:00 2001\nFrom: A U Thor <a@example.org>\nSubject: [PATCH] mm: fix the thing\n\nThe thing was broken.\n\nSigned-off-by: A U Thor <a@example.org>\n---\n mm/filemap.c | 2 +-\n';
  const lost = run(['-'], mail);
  assert.equal(lost.code, 2);
  assert.match(lost.err, /nothing to analyse: no C function and no diff in <stdin>.*\n  <stdin>: no diff found\n/);
  const words = run(['--format', 'json', '-'], 'mm: fix the thing\n\nThe thing was broken.\n');
  assert.equal(words.code, 2);
  assert.equal(words.out, '');
  // C by name is C even when empty; a diff of no C file is a diff; with C beside it a README is no error
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-nothing-'));
  try {
    fs.writeFileSync(path.join(dir, 'empty.c'), '');
    assert.equal(run([path.join(dir, 'empty.c')]).code, 0);
    const docs = '--- a/Documentation/x.rst\n+++ b/Documentation/x.rst\n@@ -1,1 +1,1 @@\n-old\n+new\n';
    assert.equal(run(['-'], docs).code, 0);
    assert.equal(run([path.join(root, 'README.md'), path.join(root, 'examples', 'write-deadlock.c')]).code, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
