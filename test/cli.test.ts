// The CLI as users run it: the built bundle, spawned, with goldens for the
// README example (UPDATE_GOLDEN=1 rewrites them; review the diff).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const inputs = path.join(__dirname, 'cli-inputs');

// directory scans keep a cache: this file's runs get their own, never the user's
const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-cache-home-'));
process.on('exit', () => fs.rmSync(cacheHome, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function golden(name: string, actual: string): void {
  const file = path.join(__dirname, 'golden', name);
  // timings vary: the summary's "N ms" is normalised
  const norm = actual.replace(/\d+ ms\)/g, 'N ms)').replace(/"ms": \d+/g, '"ms": 0');
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, norm);
  assert.equal(norm, fs.readFileSync(file, 'utf8'));
}

test('README example: text output golden, exit 1 on errors', () => {
  const r = run(['check', 'examples/write-deadlock.c']);
  assert.equal(r.code, 1, r.err);
  golden('example.txt', r.out);
});

test('JSON output: finding fields, 1-based positions, summary', () => {
  const r = run(['check', '--format', 'json', 'examples/write-deadlock.c']);
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out);
  golden('example.json', r.out);
  const f = j.findings[0];
  for (const k of ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'rule', 'message', 'function', 'notes']) assert.ok(k in f, k);
  assert.equal(f.file, 'examples/write-deadlock.c');
  assert.equal(f.line, 22);
  assert.equal(f.column, 9);
  assert.equal(f.rule, 'fault-under-page-lock');
  assert.equal(f.function, 'demo_write_buggy');
  assert.deepEqual(Object.keys(f.notes[0]).sort(), ['column', 'file', 'line', 'message']);
  for (const k of ['files', 'functions', 'functionsAnalysed', 'ms']) assert.equal(typeof j.summary[k], 'number', k);
  assert.equal(j.summary.functions, j.summary.functionsAnalysed);
});

test('SARIF 2.1.0', () => {
  const r = run(['check', '--format', 'sarif', 'examples/write-deadlock.c']);
  const s = JSON.parse(r.out);
  assert.equal(s.version, '2.1.0');
  const res = s.runs[0].results;
  assert.equal(res.length, 2);
  assert.equal(res[0].ruleId, 'fault-under-page-lock');
  assert.equal(res[0].level, 'error');
  assert.equal(res[0].locations[0].physicalLocation.region.startLine, 22);
  assert.ok(s.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === 'lock-imbalance'));
});

test('--only, --ignore and --fail-on set what is reported and the exit status', () => {
  const only = JSON.parse(run(['check', '--format', 'json', '--only', 'fault-under-fault-path-lock', 'examples/write-deadlock.c']).out);
  assert.deepEqual(only.findings.map((f: { rule: string }) => f.rule), ['fault-under-fault-path-lock']);
  const ign = run(['check', '--ignore', 'fault-under-page-lock,fault-under-fault-path-lock', 'examples/write-deadlock.c']);
  assert.equal(ign.code, 0);
  assert.match(ign.out, /^0 errors, 0 warnings in 1 file/m);
  assert.equal(run(['check', '--fail-on', 'none', 'examples/write-deadlock.c']).code, 0);
  assert.equal(run(['check', 'test/clean']).code, 0);
});

test('bad usage and unreadable input exit 2 with a message', () => {
  const a = run(['check', '--ignore', 'no-such-rule', 'examples/write-deadlock.c']);
  assert.equal(a.code, 2);
  assert.match(a.err, /unknown rule 'no-such-rule'/);
  const b = run(['check', 'does/not/exist.c']);
  assert.equal(b.code, 2);
  assert.match(b.err, /cannot read 'does\/not\/exist.c': ENOENT/);
  assert.equal(run(['check']).code, 2);
  assert.equal(run(['check', '--format', 'xml', 'x.c']).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-'));
  fs.writeFileSync(path.join(bad, 'cfg.json'), '{"apis": [{"name": "x", "effect": "explode"}]}');
  const c = run(['check', '--config', path.join(bad, 'cfg.json'), 'examples/write-deadlock.c']);
  assert.equal(c.code, 2);
  assert.match(c.err, /apis\[0\]: "effect" must be one of/);
});

test('standard input, binary files and directories', () => {
  const src = fs.readFileSync(path.join(root, 'examples/write-deadlock.c'), 'utf8');
  const r = run(['check', '--format', 'json', '-'], src);
  assert.equal(JSON.parse(r.out).findings[0].file, '<stdin>');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-'));
  fs.writeFileSync(path.join(dir, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0]));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.copyFileSync(path.join(root, 'examples/write-deadlock.c'), path.join(dir, 'sub', 'w.c'));
  const d = run(['check', '--format', 'json', dir]);
  const j = JSON.parse(d.out);
  assert.equal(j.summary.files, 2);
  assert.match(j.problems[0].message, /binary file/);
  assert.equal(j.findings.length, 2);
});

test('.faultpath.json rows are found upwards from the input and used', () => {
  const r = JSON.parse(run(['check', '--format', 'json', path.join(inputs, 'with-config', 'myfs.c')]).out);
  assert.deepEqual(r.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['fault-under-page-lock', 6]]);
  // without the file, its rows are unknown and its faultsOffOnEntry contract too
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fp-cfg-')), 'empty.json');
  fs.writeFileSync(empty, '{}');
  const bare = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', '--config', empty, path.join(inputs, 'with-config', 'myfs.c')]).out);
  assert.deepEqual(bare.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['fault-in-atomic', 17]]);
});

test('.faultpath.json entries with a wrong shape are refused with their place', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-cfg-'));
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ faultsOffOnEntry: [3] }));
  const r = run(['check', '--config', bad, path.join(inputs, 'with-config', 'myfs.c')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /"faultsOffOnEntry" must be an array of function names/);
  fs.writeFileSync(bad, JSON.stringify({ apis: [{ name: 'my_off', effect: 'atomic-enter' }] }));
  const r2 = run(['check', '--config', bad, path.join(inputs, 'with-config', 'myfs.c')]);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /apis\[0\]: "atomic-enter" needs "atomic"/);
});

test('--include reads header helpers for summaries, without reporting on them', () => {
  const without = JSON.parse(run(['check', '--format', 'json', path.join(inputs, 'uses-header.c')]).out);
  assert.equal(without.findings.length, 0);
  const withInc = JSON.parse(run(['check', '--format', 'json', '--include', path.join(inputs, 'include'), path.join(inputs, 'uses-header.c')]).out);
  assert.deepEqual(withInc.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['fault-under-page-lock', 8]]);
  assert.ok(withInc.findings[0].notes.some((n: { message: string }) => n.message.includes('hdr_fetch() calls get_user() here')));
});

test('--graph writes the lock-order graph as DOT or SVG, cycle edges marked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-graph-'));
  const fixture = path.join(__dirname, 'fixtures', 'lock-order', 'basic.c');
  const dot = path.join(dir, 'g.dot');
  run(['check', '--fail-on', 'none', '--graph', dot, fixture]);
  const d = fs.readFileSync(dot, 'utf8');
  assert.match(d, /^digraph lock_order \{/);
  assert.match(d, /"struct alpha::lock" -> "struct beta::lock" \[label="alpha_then_beta\(\) lock-order\/basic.c:13", color=red, penwidth=2\];/);
  assert.match(d, /"i_rwsem" -> "mmap_lock"/);
  const svg = path.join(dir, 'g.svg');
  run(['check', '--fail-on', 'none', '--graph', svg, fixture]);
  assert.match(fs.readFileSync(svg, 'utf8'), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});

test('--jobs 2 (worker threads) gives exactly what one thread gives', () => {
  const args = ['check', '--format', 'json', '--fail-on', 'none', '--no-cache', 'test/fixtures', 'test/clean', 'examples/write-deadlock.c'];
  const one = run([...args, '--jobs', '1']);
  const two = run([...args, '--jobs', '2']);
  assert.equal(one.code, 0, one.err);
  assert.equal(two.code, 0, two.err);
  const norm = (s: string) => {
    const j = JSON.parse(s);
    delete j.summary.ms;
    return j;
  };
  const a = norm(one.out);
  const b = norm(two.out);
  assert.ok(a.findings.length > 30, `fixtures give findings (${a.findings.length})`);
  assert.deepEqual(b, a);
});

test('--jobs 2 with the cache: identical files, one indexed and one known from it, give the same findings', () => {
  // the second copy's index comes from the first's, so no worker has its text until a job sends it
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-twins-'));
  for (const name of ['a.c', 'b.c', 'c.c']) fs.copyFileSync(path.join(root, 'examples/write-deadlock.c'), path.join(dir, name));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-twins-cache-'));
  const go = (jobs: string) => {
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--fail-on', 'none', '--jobs', jobs, dir], { cwd: root, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: home } });
    assert.equal(r.status, 0, r.stderr);
    fs.rmSync(path.join(home, 'faultpath'), { recursive: true, force: true });
    return JSON.parse(r.stdout).findings as { file: string; rule: string; line: number }[];
  };
  const two = go('2');
  const one = go('1');
  assert.deepEqual(two, one);
  for (const name of ['a.c', 'b.c', 'c.c']) assert.ok(two.some((f) => f.file.endsWith(name) && f.rule === 'fault-under-page-lock'), `${name} has its finding`);
});

test('--jobs takes a positive number or auto', () => {
  const r = run(['check', '--jobs', '0', 'examples/write-deadlock.c']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--jobs must be a positive number or auto/);
});

test('--cache: a second run reads the results back, the same; an edit or a torn file is handled', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-cache-'));
  const tree = path.join(dir, 'tree');
  fs.cpSync(path.join(__dirname, 'fixtures'), tree, { recursive: true });
  const cache = path.join(dir, 'cache');
  const norm = (s: string) => {
    const j = JSON.parse(s);
    delete j.summary.ms;
    return j;
  };
  const args = (...extra: string[]) => ['check', '--format', 'json', '--fail-on', 'none', ...extra, tree];
  const cold = run(args('--no-cache'));
  const first = run(args('--cache', cache));
  const files = fs.readdirSync(cache).filter((f) => f.endsWith('.bin'));
  assert.equal(files.length, 1, 'one cache file');
  const stamp = fs.statSync(path.join(cache, files[0])).mtimeMs;
  const second = run(args('--cache', cache));
  assert.deepEqual(norm(first.out), norm(cold.out));
  assert.deepEqual(norm(second.out), norm(cold.out));
  assert.equal(fs.statSync(path.join(cache, files[0])).mtimeMs, stamp, 'nothing new: the file is not rewritten');
  // an edit: the finding moves with its function, and the result is what a cold run gives
  const victim = path.join(tree, 'fault-under-page-lock', 'basic.c');
  fs.writeFileSync(victim, '\n\n' + fs.readFileSync(victim, 'utf8'));
  const edited = run(args('--cache', cache));
  assert.deepEqual(norm(edited.out), norm(run(args('--no-cache')).out));
  assert.notDeepEqual(norm(edited.out), norm(cold.out));
  // a torn file is a cold start, not an error
  fs.writeFileSync(path.join(cache, files[0]), 'not a cache');
  const torn = run(args('--cache', cache));
  assert.equal(torn.code, 0, torn.err);
  assert.deepEqual(norm(torn.out), norm(edited.out));
  fs.rmSync(dir, { recursive: true, force: true });
});

// The kernel version: the top Makefile of the tree upwards from the inputs,
// overridden by .faultpath.json's kernelVersion, overridden by --kernel-version.
test('kernel version: read from the tree\'s top Makefile, overridden by the config and --kernel-version, shown in every format', () => {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-tree-'));
  try {
    fs.writeFileSync(path.join(tree, 'Makefile'), '# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\n');
    fs.mkdirSync(path.join(tree, 'mm'));
    // a kbuild Makefile sets no VERSION: not the top of the tree, the search goes on up
    fs.writeFileSync(path.join(tree, 'mm', 'Makefile'), 'obj-y := memory.o\n');
    // the 6.1 shape of remove_device_exclusive_entry(): clean only with the 6.1 meaning
    const src = path.join(tree, 'mm', 'memory.c');
    fs.copyFileSync(path.join(__dirname, 'clean', 'folio-lock-or-retry-6.1.c'), src);
    const makefile = path.join(tree, 'Makefile');

    const text = run(['check', src]);
    assert.equal(text.code, 0, text.out + text.err);
    assert.match(text.out, new RegExp(`^0 errors, 0 warnings in 1 file .*; Linux 6\\.1 from ${makefile.replace(/[.]/g, '\\.')}$`, 'm'));
    const json = JSON.parse(run(['check', '--format', 'json', src]).out);
    assert.equal(json.findings.length, 0);
    assert.deepEqual(json.summary.kernelVersion, { version: '6.1', source: 'makefile', file: makefile, description: `Linux 6.1 from ${makefile}` });
    const sarif = JSON.parse(run(['check', '--format', 'sarif', src]).out);
    assert.equal(sarif.runs[0].properties.kernelVersion.version, '6.1');
    assert.equal(sarif.runs[0].properties.kernelVersion.source, 'makefile');

    // --kernel-version wins: with the 6.6+ meaning the same code is wrong
    const over = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', '--kernel-version', '6.12', src]).out);
    assert.deepEqual(over.summary.kernelVersion, { version: '6.12', source: 'option', description: 'Linux 6.12 from --kernel-version' });
    assert.ok(over.findings.some((f: { rule: string }) => f.rule === 'vma-after-mmap-unlock'), JSON.stringify(over.findings));
    assert.match(run(['check', '--fail-on', 'none', '--kernel-version', '6.12', src]).out, /; Linux 6\.12 from --kernel-version$/m);

    // .faultpath.json's kernelVersion wins over the Makefile, --kernel-version over both
    const cfg = path.join(tree, '.faultpath.json');
    fs.writeFileSync(cfg, JSON.stringify({ kernelVersion: '6.12' }));
    const fromCfg = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', src]).out);
    assert.deepEqual(fromCfg.summary.kernelVersion, { version: '6.12', source: 'config', file: cfg, description: `Linux 6.12 from ${cfg}` });
    assert.ok(fromCfg.findings.length > 0);
    const both = JSON.parse(run(['check', '--format', 'json', '--kernel-version', '6.1', src]).out);
    assert.equal(both.summary.kernelVersion.source, 'option');
    assert.equal(both.findings.length, 0);
    fs.rmSync(cfg);

    // --tree names the tree for a patch read from elsewhere (standard input here)
    const viaTree = JSON.parse(run(['check', '--format', 'json', '--tree', tree, '-'], fs.readFileSync(src, 'utf8')).out);
    assert.equal(viaTree.summary.kernelVersion.file, makefile);
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
});

test('kernel version: none found is said, and a FIFO or directory named Makefile is passed over without waiting', () => {
  const r = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'none', 'examples/write-deadlock.c']).out);
  assert.deepEqual(r.summary.kernelVersion, { version: null, source: 'unknown', description: 'kernel version unknown: all table rows' });
  const s = JSON.parse(run(['check', '--format', 'sarif', '--fail-on', 'none', 'examples/write-deadlock.c']).out);
  assert.equal(s.runs[0].properties.kernelVersion.source, 'unknown');

  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-fifo-'));
  try {
    fs.writeFileSync(path.join(tree, 'Makefile'), 'VERSION = 5\nPATCHLEVEL = 15\n');
    fs.mkdirSync(path.join(tree, 'a', 'b', 'Makefile'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'a', 'b', 'x.c'), 'void f(void) { }\n');
    const check = () => {
      const p = spawnSync(process.execPath, [cli, 'check', '--format', 'json', path.join(tree, 'a', 'b', 'x.c')], { cwd: root, encoding: 'utf8', timeout: 20000, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
      assert.equal(p.status, 0, p.stderr);
      assert.equal(JSON.parse(p.stdout).summary.kernelVersion.version, '5.15');
    };
    check(); // a/b/Makefile is a directory
    if (spawnSync('mkfifo', [path.join(tree, 'a', 'Makefile')]).status !== 0) return; // no mkfifo here
    check(); // a/Makefile is a FIFO nobody writes to: opening it must not wait
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
});
