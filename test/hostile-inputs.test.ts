// Hostile and odd inputs at every entry point (issue 17): special files and
// symlinks where a file is expected (a FIFO nobody writes to, a link to
// /dev/zero, a link out of the tree), unreadable directories, a tampered cache
// directory shared with a user's files, and the exit statuses a CI gate reads.
// Every run has a time bound: a hang fails the test instead of the suite.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { decodeCacheFile, encodeCacheFile } from '../server/src/cli/disk-cache';
import { treeFileReader } from '../server/src/patch/tree-files';
import { readInput } from '../server/src/input/read';
import { escapeControls } from '../server/src/cli/format';
import { lspTransportError } from '../server/src/cli/lsp-args';
import { ATOMIC_COPY_TWINS, FLAG_MACROS, FLAG_TEST_HELPERS, ITER_SETUP, VMA_LOOKUPS } from '../server/src/kernel/api';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const example = path.join(root, 'examples', 'write-deadlock.c');
const BOUND_MS = 30000;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-hostile-'));
process.on('exit', () => {
  spawnSync('chmod', ['-R', 'u+rwx', scratch]);
  fs.rmSync(scratch, { recursive: true, force: true });
});
const cacheHome = path.join(scratch, 'cache-home');

function dir(name: string): string {
  const d = path.join(scratch, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function run(args: string[], opts: SpawnSyncOptions = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: BOUND_MS, env: { ...process.env, XDG_CACHE_HOME: cacheHome }, ...opts });
  assert.notEqual(r.signal, 'SIGTERM', `faultpath ${args.join(' ')} did not finish within ${BOUND_MS} ms`);
  return { code: r.status, out: String(r.stdout), err: String(r.stderr), ms: Date.now() - t0 };
}

const mkfifo = (p: string): boolean => spawnSync('mkfifo', [p]).status === 0;
const noStack = (err: string): void => assert.doesNotMatch(err, /\n\s+at /, `no stack trace:\n${err}`);
/** Root reads through chmod 000: the assertions that need a permission error are skipped then. */
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// ---- 1. one way to read an input ----

test('a FIFO or a link to /dev/zero named on the command line is refused at once, by name (status 2)', () => {
  const d = dir('named');
  const fifo = path.join(d, 'fifo.c');
  const zero = path.join(d, 'zero.c');
  fs.symlinkSync('/dev/zero', zero);
  const z = run(['check', zero]);
  assert.equal(z.code, 2, z.err);
  assert.match(z.err, /cannot read '.*zero\.c': a character device, not a regular file/);
  noStack(z.err);
  if (!mkfifo(fifo)) return; // no mkfifo here
  const f = run(['check', fifo]);
  assert.equal(f.code, 2, f.err);
  assert.match(f.err, /cannot read '.*fifo\.c': a FIFO, not a regular file/);
});

test('standard input is read up to a byte cap: /dev/zero is refused, not read to the end', () => {
  const fd = fs.openSync('/dev/zero', 'r');
  try {
    const r = run(['check', '-'], { stdio: [fd, 'pipe', 'pipe'] });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /cannot read standard input: larger than 32 MiB/);
  } finally {
    fs.closeSync(fd);
  }
});

test('readInput counts bytes, not UTF-16 units, and refuses a file past the limit', () => {
  const d = dir('bytes');
  const f = path.join(d, 'wide.c');
  fs.writeFileSync(f, 'é'.repeat(600)); // 600 characters, 1200 bytes
  assert.equal(readInput(f, { maxBytes: 1200 }).text?.length, 600);
  assert.equal(readInput(f, { maxBytes: 1000 }).refused, 'larger than 1000 bytes');
  assert.equal(readInput(d).refused, 'a directory, not a regular file');
});

test('a directory scan names the FIFO it meets and goes on; links are not followed', () => {
  const d = dir('scan');
  fs.copyFileSync(example, path.join(d, 'a.c'));
  fs.symlinkSync('/dev/zero', path.join(d, 'zero.c'));
  const hasFifo = mkfifo(path.join(d, 'fifo.c'));
  const r = run(['check', '--format', 'json', '--fail-on', 'none', '--no-cache', d]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.summary.files, 1);
  assert.deepEqual([...new Set(j.findings.map((f: { file: string }) => path.basename(f.file)))], ['a.c']);
  if (hasFifo) assert.ok(j.problems.some((p: { file: string; message: string }) => p.file.endsWith('fifo.c') && p.message === 'not read: a FIFO, not a regular file'), JSON.stringify(j.problems));
});

test('an unreadable file or subdirectory in a scan is a problem, and the rest is still analysed', (t) => {
  const d = dir('unreadable');
  fs.mkdirSync(path.join(d, 'closed'));
  fs.copyFileSync(example, path.join(d, 'closed', 'hidden.c'));
  fs.copyFileSync(example, path.join(d, 'a.c'));
  fs.copyFileSync(example, path.join(d, 'locked.c'));
  fs.chmodSync(path.join(d, 'closed'), 0o000);
  fs.chmodSync(path.join(d, 'locked.c'), 0o000);
  try {
    const r = run(['check', '--format', 'json', '--fail-on', 'none', '--no-cache', d]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.ok(j.findings.some((f: { file: string }) => f.file.endsWith('a.c')), 'a.c is analysed');
    if (isRoot) {
      // root reads through chmod 000: there is no permission error to report
      t.diagnostic('skipped the EACCES assertions: running as root, chmod 000 does not stop reads');
      return;
    }
    assert.ok(j.problems.some((p: { file: string; message: string }) => p.file.endsWith('closed') && p.message === 'directory not read: EACCES'), JSON.stringify(j.problems));
    assert.ok(j.problems.some((p: { file: string; message: string }) => p.file.endsWith('locked.c') && p.message === 'not read: EACCES'), JSON.stringify(j.problems));
  } finally {
    fs.chmodSync(path.join(d, 'closed'), 0o755);
    fs.chmodSync(path.join(d, 'locked.c'), 0o644);
  }
});

test('the same file given twice is analysed once', () => {
  const once = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', example]).out);
  const rel = path.relative(root, example);
  const twice = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', example, rel, `./${rel}`]).out);
  assert.ok(once.findings.length > 0);
  assert.deepEqual(twice.findings, once.findings);
  assert.equal(twice.summary.files, 1);
});

test('--config and the implicit .faultpath.json: a FIFO or a link to /dev/zero is refused by name, without waiting', () => {
  const d = dir('config');
  fs.copyFileSync(example, path.join(d, 'a.c'));
  const zero = path.join(d, 'zero.json');
  fs.symlinkSync('/dev/zero', zero);
  const r = run(['check', '--config', zero, path.join(d, 'a.c')]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /cannot read config '.*zero\.json': a character device, not a regular file/);
  // a cloned tree that ships .faultpath.json -> /dev/zero
  fs.symlinkSync('/dev/zero', path.join(d, '.faultpath.json'));
  const implicit = run(['check', path.join(d, 'a.c')]);
  assert.equal(implicit.code, 2, implicit.err);
  assert.match(implicit.err, /cannot read config '.*\.faultpath\.json': a character device/);
  fs.rmSync(path.join(d, '.faultpath.json'));
  if (!mkfifo(path.join(d, '.faultpath.json'))) return;
  const fifo = run(['check', path.join(d, 'a.c')]);
  assert.equal(fifo.code, 2, fifo.err);
  assert.match(fifo.err, /cannot read config '.*\.faultpath\.json': a FIFO/);
});

test('--baseline: a link to /dev/zero is refused by name (status 2), not read', () => {
  const d = dir('baseline');
  const zero = path.join(d, 'zero.json');
  fs.symlinkSync('/dev/zero', zero);
  const r = run(['check', '--baseline', zero, example]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /cannot read baseline '.*zero\.json': a character device, not a regular file/);
});

test('--include: a header that is a FIFO is named as a problem, the others are read', () => {
  const d = dir('include');
  fs.copyFileSync(path.join(__dirname, 'cli-inputs', 'include', fs.readdirSync(path.join(__dirname, 'cli-inputs', 'include'))[0]), path.join(d, 'helpers.h'));
  if (!mkfifo(path.join(d, 'fifo.h'))) return;
  const r = run(['check', '--format', 'json', '--include', d, path.join(__dirname, 'cli-inputs', 'uses-header.c')]);
  const j = JSON.parse(r.out);
  assert.ok(j.problems.some((p: { file: string; message: string }) => p.file.endsWith('fifo.h') && p.message === 'not read: a FIFO, not a regular file'), JSON.stringify(j.problems));
  assert.deepEqual(j.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['fault-under-page-lock', 8]]);
});

const BASE = 'int f(void)\n{\n\treturn 0;\n}\n';
const hunk = (file: string) => `--- a/${file}\n+++ b/${file}\n@@ -1,4 +1,5 @@\n int f(void)\n {\n+\tint x = 1;\n \treturn 0;\n }\n`;

test('--tree: files a patch names are read only if they are regular files inside the tree; each refusal is named', () => {
  const d = dir('tree');
  const tree = path.join(d, 'linux');
  fs.mkdirSync(tree);
  fs.writeFileSync(path.join(tree, 'ok.c'), BASE);
  fs.writeFileSync(path.join(d, 'outside.c'), BASE);
  fs.symlinkSync(path.join(d, 'outside.c'), path.join(tree, 'out.c'));
  fs.symlinkSync('/dev/zero', path.join(tree, 'zero.c'));
  const hasFifo = mkfifo(path.join(tree, 'fifo.c'));
  const names = ['ok.c', 'out.c', 'zero.c', ...(hasFifo ? ['fifo.c'] : [])];
  const patch = path.join(d, 'x.patch');
  fs.writeFileSync(patch, names.map(hunk).join(''));
  const r = run(['check', '--format', 'json', '--no-cache', '--tree', tree, patch]);
  assert.equal(r.code, 0, r.err);
  const messages = JSON.parse(r.out).problems.map((p: { message: string }) => p.message);
  const real = fs.realpathSync(path.join(d, 'outside.c'));
  assert.ok(messages.includes(`out.c: not read from ${tree} (resolves to ${real}, outside ${path.resolve(tree)}): hunk-local analysis`), messages.join('\n'));
  assert.ok(messages.includes(`zero.c: not read from ${tree} (resolves to /dev/zero, outside ${path.resolve(tree)}): hunk-local analysis`), messages.join('\n'));
  if (hasFifo) assert.ok(messages.includes(`fifo.c: not read from ${tree} (a FIFO, not a regular file): hunk-local analysis`), messages.join('\n'));
  assert.ok(!messages.some((m: string) => m.startsWith('ok.c')), messages.join('\n'));
});

test('the workspace reader (editor) refuses links out of the workspace and special files, and reads what is inside', () => {
  const d = dir('workspace');
  const ws = path.join(d, 'ws');
  fs.mkdirSync(path.join(ws, 'mm'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'mm', 'ok.c'), BASE);
  fs.symlinkSync('/proc/self/environ', path.join(ws, 'mm', 'environ.c'));
  fs.symlinkSync(path.join(ws, 'mm', 'ok.c'), path.join(ws, 'inside.c'));
  fs.symlinkSync(d, path.join(ws, 'up'));
  const read = treeFileReader(ws);
  assert.equal(read('mm/ok.c'), BASE);
  assert.equal(read('inside.c'), BASE, 'a link that stays inside is followed');
  const env = read('mm/environ.c') as { refused: string };
  assert.match(env.refused, /^resolves to \/proc\/\d+\/environ, outside /);
  fs.writeFileSync(path.join(d, 'secret.c'), BASE);
  assert.deepEqual(read('up/secret.c'), { refused: `resolves to ${fs.realpathSync(path.join(d, 'secret.c'))}, outside ${ws}` });
  assert.equal(read('../secret.c'), null, '../ is refused by name');
  assert.equal(read('missing.c'), null);
});

// ---- 2. the cache ----

function cacheFiles(dirPath: string): string[] {
  return fs.readdirSync(dirPath).filter((f) => /^faultpath-cache-[0-9a-f]{20}\.bin$/.test(f));
}

test('cache: a directory shared with a user\'s files keeps them; only the cache\'s own old files are pruned', () => {
  const d = dir('shared-cache');
  const cache = path.join(d, 'cache');
  fs.mkdirSync(cache, { mode: 0o700 });
  fs.chmodSync(cache, 0o700);
  const user = ['firmware1.bin', 'firmware2.bin', 'firmware3.bin', 'notes.txt', 'faultpath-cache-0123456789abcdef0123.bin'];
  for (const f of user) fs.writeFileSync(path.join(cache, f), `user data ${f}`);
  // five files of other builds, all older than this run
  const own: string[] = [];
  for (let i = 0; i < 5; i++) {
    const f = path.join(cache, `faultpath-cache-${String(i).repeat(20)}.bin`);
    fs.writeFileSync(f, encodeCacheFile(v8.serialize({ index: [], functions: [] })));
    const t = new Date(Date.now() - (10 - i) * 86400_000);
    fs.utimesSync(f, t, t);
    own.push(path.basename(f));
  }
  const r = run(['check', '--fail-on', 'none', '--cache', cache, example]);
  assert.equal(r.code, 0, r.err);
  for (const f of user) assert.equal(fs.readFileSync(path.join(cache, f), 'utf8'), `user data ${f}`, `${f} is kept`);
  const left = cacheFiles(cache).filter((f) => !user.includes(f));
  assert.equal(left.length, 4, left.join(' '));
  assert.ok(!left.includes(own[0]) && !left.includes(own[1]), 'the two oldest of its own are gone');
});

function tamper(file: string, edit: (data: { index: unknown[]; functions: [string, Record<string, unknown>][] }) => void, keepChecksum: boolean): void {
  const raw = fs.readFileSync(file);
  const body = decodeCacheFile(raw);
  assert.ok('payload' in body, 'a cache file this build reads');
  const data = v8.deserialize(body.payload);
  edit(data);
  const payload = v8.serialize(data);
  // keepChecksum: the old header over a new body (an edit); otherwise a body that checks out but is of the wrong shape
  fs.writeFileSync(file, keepChecksum ? Buffer.concat([raw.subarray(0, raw.length - body.payload.length), payload]) : encodeCacheFile(payload));
}

test('cache: emptied findings, bad entries and a wrong shape are misses; results equal --no-cache and the file is rewritten', () => {
  const d = dir('tampered-cache');
  const tree = path.join(d, 'tree');
  fs.mkdirSync(tree);
  fs.copyFileSync(example, path.join(tree, 'a.c'));
  const cache = path.join(d, 'cache');
  const args = (...extra: string[]) => ['check', '--format', 'json', ...extra, tree];
  const norm = (s: string) => {
    const j = JSON.parse(s);
    delete j.summary.ms;
    return j;
  };
  const cold = run(args('--no-cache'));
  assert.equal(cold.code, 1, 'two errors');
  const first = run(args('--cache', cache));
  assert.equal(first.code, 1);
  const [name] = cacheFiles(cache);
  const file = path.join(cache, name);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.equal(fs.statSync(cache).mode & 0o777, 0o700);

  // 1. every entry's findings emptied, the header left as it was
  tamper(file, (data) => {
    for (const [, e] of data.functions) {
      e.findings = [];
      e.localNotes = [];
    }
  }, true);
  const emptied = run(args('--cache', cache));
  assert.equal(emptied.code, 1, 'the file with two errors does not pass');
  assert.deepEqual(norm(emptied.out), norm(cold.out));
  assert.match(emptied.err, /cache file ignored \(checksum mismatch/);
  assert.ok('payload' in decodeCacheFile(fs.readFileSync(file)), 'rewritten');
  const again = run(args('--cache', cache));
  assert.equal(again.err, '', 'the rewritten file is read back without complaint');

  // 2. entries of the wrong shape under a right checksum: each is a miss
  tamper(file, (data) => {
    for (const [, e] of data.functions) e.findings = [{ rule: 'no-such-rule' }];
    data.index = [['k', { functions: 'nope' }]];
  }, false);
  const bad = run(args('--cache', cache));
  assert.equal(bad.code, 1);
  assert.deepEqual(norm(bad.out), norm(cold.out));
  assert.match(bad.err, /bad entr(y|ies) ignored: rebuilt/);

  // 3. a body of the wrong shape altogether: a cold start, never status 3 on every later run
  fs.writeFileSync(file, encodeCacheFile(v8.serialize(42)));
  for (let i = 0; i < 2; i++) {
    const wrong = run(args('--cache', cache));
    assert.equal(wrong.code, 1, wrong.err);
    assert.deepEqual(norm(wrong.out), norm(cold.out));
  }
  assert.ok('payload' in decodeCacheFile(fs.readFileSync(file)));

  // 4. the cache file replaced by a link to /dev/zero: refused, rebuilt
  fs.rmSync(file);
  fs.symlinkSync('/dev/zero', file);
  const zero = run(args('--cache', cache));
  assert.equal(zero.code, 1, zero.err);
  assert.deepEqual(norm(zero.out), norm(cold.out));
  assert.ok(fs.lstatSync(file).isFile(), 'the link is replaced by a cache file');
});

test('cache: files are owner-only whatever the umask; a directory others can write is not used', () => {
  const d = dir('umask-cache');
  const cache = path.join(d, 'cache');
  const old = process.umask(0);
  try {
    const r = run(['check', '--fail-on', 'none', '--cache', cache, example]);
    assert.equal(r.code, 0, r.err);
  } finally {
    process.umask(old);
  }
  assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
  for (const f of fs.readdirSync(cache)) assert.equal(fs.statSync(path.join(cache, f)).mode & 0o777, 0o600, f);
  assert.deepEqual(fs.readdirSync(cache).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');

  const open = path.join(d, 'open');
  fs.mkdirSync(open);
  fs.chmodSync(open, 0o777);
  const r = run(['check', '--fail-on', 'none', '--cache', open, example]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /cache not used: .* is writable by group or others/);
  assert.deepEqual(fs.readdirSync(open), []);
});

// ---- 5. exit statuses ----

test('--fail-on takes only its own levels: constructor, toString and __proto__ are usage errors', () => {
  for (const v of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const r = run(['check', '--fail-on', v, example]);
    assert.equal(r.code, 2, `--fail-on ${v}: ${r.err}`);
    assert.match(r.err, /--fail-on must be error, warning, info, hint or none/);
  }
});

test('a write error on stdout exits 3 with a clean message, never 1; a closed pipe ends quietly', () => {
  if (fs.existsSync('/dev/full')) {
    const out = fs.openSync('/dev/full', 'w');
    try {
      const r = run(['check', example], { stdio: ['ignore', out, 'pipe'] });
      assert.equal(r.code, 3, r.err);
      assert.equal(r.err, 'faultpath: cannot write the report: ENOSPC\n');
    } finally {
      fs.closeSync(out);
    }
  }
  // the JSON report of the fixtures is over 100 KB: more than a pipe holds, so the writer meets EPIPE
  const sh = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" check --format json --no-cache test/fixtures | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: root, encoding: 'utf8', timeout: BOUND_MS });
  assert.equal(sh.stdout.trim(), '3', sh.stderr);
  assert.equal(sh.stderr, '', 'quiet');
});

test('faultpath lsp without a transport is a usage error with a clear message', () => {
  const r = run(['lsp']);
  assert.equal(r.code, 2);
  assert.match(r.err, /faultpath lsp --stdio/);
  noStack(r.err);
  assert.equal(run(['lsp', '--frobnicate']).code, 2);
  assert.equal(lspTransportError(['--stdio']), null);
  assert.equal(lspTransportError(['--node-ipc', '--clientProcessId=12']), null);
  assert.match(lspTransportError(['--stdio', '--node-ipc']) ?? '', /one transport/);
});

test('--jobs is capped at the number of cores', () => {
  const r = run(['check', '--fail-on', 'none', '--no-cache', '--jobs', '1000', 'test/fixtures'], { env: { ...process.env, XDG_CACHE_HOME: cacheHome, FAULTPATH_DEBUG: '1' } });
  assert.equal(r.code, 0, r.err);
  const workers = /faultpath: (\d+) workers,/.exec(r.err);
  assert.ok(workers, r.err);
  assert.ok(Number(workers[1]) <= os.availableParallelism(), `${workers[1]} workers for ${os.availableParallelism()} cores`);
});

test('control characters in file names are escaped in text output', () => {
  const d = dir('escapes');
  const evil = path.join(d, 'e\u001b]0;owned\u0007\u001b[31m.c');
  fs.copyFileSync(example, evil);
  const r = run(['check', '--fail-on', 'none', evil]);
  assert.equal(r.code, 0, r.err);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.out), 'no raw control character');
  assert.match(r.out, /e\\x1b\]0;owned\\x07\\x1b\[31m\.c:22:9: error:/);
  assert.equal(escapeControls('a\tb\u009bc'), 'a\\x09b\\x9bc');
});

test('C names that are Object.prototype members: tables find nothing, lock order is read as for any name', () => {
  for (const k of ['constructor', 'toString', '__proto__', 'valueOf']) {
    for (const t of [FLAG_MACROS, ITER_SETUP, VMA_LOOKUPS, ATOMIC_COPY_TWINS, FLAG_TEST_HELPERS] as Record<string, unknown>[]) {
      assert.equal(t[k], undefined, k);
      assert.equal(k in t, false, k);
    }
  }
  const d = dir('proto');
  const src = [
    'static DEFINE_MUTEX(__proto__);',
    'static DEFINE_MUTEX(constructor);',
    'void a(void)\n{\n\tmutex_lock(&__proto__);\n\tmutex_lock(&constructor);\n\tmutex_unlock(&constructor);\n\tmutex_unlock(&__proto__);\n}',
    'void b(void)\n{\n\tmutex_lock(&constructor);\n\tmutex_lock(&__proto__);\n\tmutex_unlock(&__proto__);\n\tmutex_unlock(&constructor);\n}',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(d, 'proto.c'), src);
  fs.writeFileSync(path.join(d, 'plain.c'), src.replace(/__proto__/g, 'lock_a').replace(/constructor/g, 'lock_b'));
  const findings = (f: string) => JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', path.join(d, f)]).out).findings.map((x: { rule: string; line: number; message: string }) => [x.rule, x.line, x.message]);
  const proto = findings('proto.c');
  assert.deepEqual(proto, [['lock-order', 6, "'constructor' taken while '__proto__' is held, and '__proto__' while 'constructor' is held in b(): ABBA deadlock"]]);
  assert.deepEqual(findings('plain.c'), [['lock-order', 6, "'lock_b' taken while 'lock_a' is held, and 'lock_a' while 'lock_b' is held in b(): ABBA deadlock"]]);
});

// ---- 4. inputs read right or refused loudly ----

const series = path.join(root, 'examples', 'demofs-series.mbox');
const findingsOf = (out: string) => JSON.parse(out).findings.map((f: { rule: string; line: number }) => [f.rule, f.line]);

test('a series quoted in a reply as `> > ` (depth 2, spaced) is read as a patch, not as C', () => {
  const d = dir('quoted');
  const plain = findingsOf(run(['check', '--format', 'json', '--fail-on', 'none', series]).out);
  assert.ok(plain.length > 0);
  const text = fs.readFileSync(series, 'utf8');
  for (const [name, prefix] of [['q2.mbox', '> > '], ['q3.mbox', '> > > '], ['q2tight.mbox', '>> ']]) {
    const f = path.join(d, name);
    fs.writeFileSync(f, text.split('\n').map((l) => prefix + l).join('\n'));
    const r = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', f]).out);
    assert.ok(r.summary.functions > 0, `${name}: functions read`);
    assert.deepEqual(r.findings.map((x: { rule: string; line: number }) => [x.rule, x.line]), plain, name);
  }
});

test('CR-only line endings: a C file and a series are read with their lines', () => {
  const d = dir('cr');
  const c = path.join(d, 'cr.c');
  fs.writeFileSync(c, fs.readFileSync(example, 'utf8').replace(/\n/g, '\r'));
  assert.deepEqual(findingsOf(run(['check', '--format', 'json', '--fail-on', 'none', c]).out), findingsOf(run(['check', '--format', 'json', '--fail-on', 'none', example]).out));
  const m = path.join(d, 'cr.mbox');
  fs.writeFileSync(m, fs.readFileSync(series, 'utf8').replace(/\n/g, '\r'));
  const r = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', m]).out);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(findingsOf(JSON.stringify(r)), findingsOf(run(['check', '--format', 'json', '--fail-on', 'none', series]).out));
});

test('a hunk whose header counts are too small is read to its end, and the repair is a problem', () => {
  const d = dir('miscounted');
  const body = [' void w(struct page *page, void __user *buf, char *k)', ' {', '+\tlock_page(page);', '+\tcopy_from_user(k, buf, 8);', '+\tunlock_page(page);', ' }'];
  const patch = (oldN: number, newN: number) => ['--- a/mm/w.c', '+++ b/mm/w.c', `@@ -10,${oldN} +10,${newN} @@`, ...body, ''].join('\n');
  const right = path.join(d, 'right.patch');
  const small = path.join(d, 'small.patch');
  fs.writeFileSync(right, patch(3, 6));
  fs.writeFileSync(small, patch(2, 3));
  const good = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', right]).out);
  assert.deepEqual(good.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['fault-under-page-lock', 7]]);
  assert.deepEqual(good.problems, []);
  const r = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', small]).out);
  assert.deepEqual(r.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['fault-under-page-lock', 7]]);
  assert.deepEqual(r.problems.map((p: { message: string }) => p.message), ['line 3: hunk header counts 2/3 lines but 3/6 follow: all read (miscounted hunk)']);
});
