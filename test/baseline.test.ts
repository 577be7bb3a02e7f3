// --baseline and --write-baseline (issue 13, item 6): reviewed findings kept in
// an earlier JSON or SARIF output are held back, through line moves; an edited
// flagged line, a new finding, and a second copy of a baselined one are
// reported; a baseline that cannot be read is bad usage, never a clean run.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { normaliseLine } from '../server/src/cli/baseline';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const example = fs.readFileSync(path.join(root, 'examples', 'write-deadlock.c'), 'utf8');
const FLAGGED = '\tleft = __copy_from_user(kaddr + offset, buf, bytes);';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-baseline-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'check', '--no-cache', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A directory holding drv.c with `text`; returns the directory. */
function tree(name: string, text: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'drv.c'), text);
  return dir;
}

interface JsonFinding {
  rule: string;
  line: number;
  function: string;
  fingerprint: string;
}
const brief = (out: string) => (JSON.parse(out).findings as JsonFinding[]).map((f) => [f.line, f.rule, f.function]);

test('the example as found: two findings, each with a fingerprint', () => {
  const dir = tree('plain', example);
  const r = run(dir, ['--format', 'json', 'drv.c']);
  assert.equal(r.code, 1, r.err);
  const fs_ = JSON.parse(r.out).findings as JsonFinding[];
  assert.deepEqual(fs_.map((f) => [f.line, f.rule]), [
    [22, 'fault-under-page-lock'],
    [81, 'fault-under-fault-path-lock'],
  ]);
  for (const f of fs_) assert.match(f.fingerprint, /^[0-9a-f]{16}:0$/);
});

for (const format of ['json', 'sarif'] as const) {
  test(`a ${format} baseline holds back findings moved down by inserted lines; an edited or a new finding is reported`, () => {
    const dir = tree(`moves-${format}`, example);
    const base = path.join(dir, `reviewed.${format}`);
    // an earlier output of the run is the baseline
    const first = run(dir, ['--format', format, '--fail-on', 'none', 'drv.c']);
    assert.equal(first.code, 0, first.err);
    fs.writeFileSync(base, first.out);

    // eight lines inserted at the top: every finding moved, none is new
    fs.writeFileSync(path.join(dir, 'drv.c'), '/* SPDX-License-Identifier: GPL-2.0 */\n' + '#include <linux/fs.h>\n'.repeat(7) + example);
    const moved = run(dir, ['--baseline', base, 'drv.c']);
    assert.equal(moved.code, 0, moved.out + moved.err);
    assert.match(moved.out, /^0 errors, 0 warnings in 1 file/m);
    assert.match(moved.out, new RegExp(`^2 findings suppressed by the baseline reviewed\\.${format} \\(2 entries\\)$`, 'm'));
    // the flagged line re-indented is the same line
    fs.writeFileSync(path.join(dir, 'drv.c'), example.replace(FLAGGED, `\t  left  =  __copy_from_user(kaddr + offset, buf, bytes);`));
    assert.equal(run(dir, ['--baseline', base, 'drv.c']).code, 0);

    // the flagged line edited: that finding is reported, the other stays held back
    fs.writeFileSync(path.join(dir, 'drv.c'), example.replace(FLAGGED, '\tleft = __copy_from_user(kaddr + offset, buf, bytes - 1);'));
    const edited = run(dir, ['--format', 'json', '--baseline', base, 'drv.c']);
    assert.equal(edited.code, 1);
    assert.deepEqual(brief(edited.out), [[22, 'fault-under-page-lock', 'demo_write_buggy']]);
    assert.deepEqual(JSON.parse(edited.out).summary.baseline, { file: `reviewed.${format}`, entries: 2, suppressed: 1 });

    // a new function with the same bug: only it is reported
    const added = example + example.slice(example.indexOf('static ssize_t demo_write_buggy'), example.indexOf('/* After the fix')).replace('demo_write_buggy', 'demo_write_again');
    fs.writeFileSync(path.join(dir, 'drv.c'), added);
    const fresh = run(dir, ['--format', 'json', '--baseline', base, 'drv.c']);
    assert.equal(fresh.code, 1);
    assert.deepEqual(brief(fresh.out), [[102, 'fault-under-page-lock', 'demo_write_again']]);

    // the baselined line twice in its function: the baseline holds one of them back
    fs.writeFileSync(path.join(dir, 'drv.c'), example.replace(FLAGGED, `${FLAGGED}\n${FLAGGED}`));
    const twice = run(dir, ['--format', 'json', '--baseline', base, 'drv.c']);
    assert.equal(twice.code, 1);
    assert.deepEqual(brief(twice.out), [[23, 'fault-under-page-lock', 'demo_write_buggy']]);
  });
}

test('SARIF says how many findings the baseline held back, and carries fingerprint and function', () => {
  const dir = tree('sarif-summary', example);
  fs.writeFileSync(path.join(dir, 'b.json'), run(dir, ['--format', 'json', '--fail-on', 'none', 'drv.c']).out);
  const s = JSON.parse(run(dir, ['--format', 'sarif', '--baseline', 'b.json', 'drv.c']).out);
  assert.deepEqual(s.runs[0].results, []);
  assert.deepEqual(s.runs[0].properties.baseline, { file: 'b.json', entries: 2, suppressed: 2 });
  const all = JSON.parse(run(dir, ['--format', 'sarif', 'drv.c']).out).runs[0].results;
  assert.match(all[0].partialFingerprints['faultpath/v1'], /^[0-9a-f]{16}:0$/);
  assert.deepEqual(all[0].locations[0].logicalLocations, [{ name: 'demo_write_buggy', kind: 'function' }]);
});

test('--write-baseline writes the findings found, the ones the old baseline held back included', () => {
  const dir = tree('write', example);
  const w = run(dir, ['--write-baseline', 'b.json', 'drv.c']);
  assert.equal(w.code, 1, 'writing a baseline does not hide this run\'s findings');
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).findings.length, 2);
  // rewritten from itself: still both entries, and the run is clean
  const again = run(dir, ['--baseline', 'b.json', '--write-baseline', 'b.json', 'drv.c']);
  assert.equal(again.code, 0, again.out + again.err);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).findings.length, 2);
});

test('"baseline" in .faultpath.json, relative to the config file', () => {
  const dir = tree('config', example);
  fs.mkdirSync(path.join(dir, 'review'));
  fs.writeFileSync(path.join(dir, 'review', 'b.json'), run(dir, ['--format', 'json', '--fail-on', 'none', 'drv.c']).out);
  fs.writeFileSync(path.join(dir, '.faultpath.json'), JSON.stringify({ baseline: 'review/b.json' }));
  const r = run(dir, ['drv.c']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^2 findings suppressed by the baseline review\/b\.json/m);
  // --baseline overrides it
  fs.writeFileSync(path.join(dir, 'none.json'), '{"findings": []}');
  assert.equal(run(dir, ['--baseline', 'none.json', 'drv.c']).code, 1);
  fs.writeFileSync(path.join(dir, '.faultpath.json'), JSON.stringify({ baseline: 3 }));
  const bad = run(dir, ['drv.c']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /"baseline" must be a file name/);
});

test('a baseline that cannot be used is bad usage (exit 2) with its reason, never a clean run', () => {
  const dir = tree('bad', example);
  const good = JSON.parse(run(dir, ['--format', 'json', '--fail-on', 'none', 'drv.c']).out);
  const cases: [string, string, RegExp][] = [
    ['missing.json', '', /cannot read baseline 'missing\.json': ENOENT/],
    ['text.json', 'not json at all', /baseline 'text\.json' is not valid JSON/],
    ['shape.json', '{"results": []}', /neither faultpath JSON output \(no "findings" array\) nor SARIF/],
    ['array.json', '[]', /neither faultpath JSON output/],
    ['old.json', JSON.stringify({ findings: good.findings.map(({ fingerprint: _f, ...rest }: JsonFinding) => rest) }), /findings\[0\] has no fingerprint: the baseline was written by an older faultpath/],
    ['forged.json', JSON.stringify({ findings: [{ ...good.findings[0], fingerprint: 'abc' }] }), /fingerprint "abc" is not one faultpath writes/],
    ['norule.json', JSON.stringify({ findings: [{ ...good.findings[0], rule: undefined }] }), /needs "rule" and "function"/],
    ['other.sarif', JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'cppcheck' } }, results: [] }] }), /runs\[0\] is from 'cppcheck', not faultpath/],
  ];
  for (const [name, text, why] of cases) {
    if (text) fs.writeFileSync(path.join(dir, name), text);
    const r = run(dir, ['--baseline', name, 'drv.c']);
    assert.equal(r.code, 2, name);
    assert.equal(r.out, '', `${name}: nothing on stdout`);
    assert.match(r.err, why, name);
  }
});

test('the fingerprint reads a patch line without its quote prefix and diff op', () => {
  assert.equal(normaliseLine('> > +\tleft = copy(a,  b);', true), 'left = copy(a, b);');
  assert.equal(normaliseLine('-\tleft = copy(a, b);', true), 'left = copy(a, b);');
  assert.equal(normaliseLine('\t\tleft = copy(a, b);  ', false), 'left = copy(a, b);');
});

test('a patch review baseline holds back the same findings in a v2 whose commit message grew', () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'series-'));
  const series = fs.readFileSync(path.join(root, 'examples', 'demofs-series.mbox'), 'utf8');
  fs.writeFileSync(path.join(dir, 'v1.mbox'), series);
  assert.equal(run(dir, ['--write-baseline', 'b.json', 'v1.mbox']).code, 1);
  const body = series.indexOf('\n\n') + 2;
  fs.writeFileSync(path.join(dir, 'v2.mbox'), series.slice(0, body) + 'One more paragraph\nof explanation for v2.\n\n' + series.slice(body));
  const r = run(dir, ['--baseline', 'b.json', 'v2.mbox']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^2 findings suppressed by the baseline b\.json/m);
});
