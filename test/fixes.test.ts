// Quick fixes: applying each fix to x.c gives x.c.fixed exactly (goldens, rewritten with
// UPDATE_GOLDEN=1), and the fixed code no longer faults under the page lock. Shapes the
// rewrite cannot handle get no edit (golden/fixes-none). Every golden and its fixed twin
// compile with gcc against test/kernel-api.h, and the fixed write loops, run in a
// userspace simulation with a partly mapped user buffer, end with the right count.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyzeTexts } from './harness';
import { applyEdits } from '../server/src/checks/fixes';
import { fixesFor } from '../server/src/checks';

const dir = path.join(__dirname, 'golden', 'fixes');
const COPY = 'Copy with faults disabled, then retry';

// which fix each golden is about (the preferred one for every finding in it)
const TITLES: Record<string, string> = {
  'locked-copy.c': COPY,
  'retry-label.c': COPY,
  'kmap-copy.c': COPY,
  'copy-loop.c': COPY,
  'write-begin.c': COPY,
  'folio-helper.c': COPY,
  'user-word.c': COPY,
  'fault-in-inside.c': 'Move the fault-in before the page is locked',
};

for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.c'))) {
  test(`quick fix "${TITLES[name]}": ${name}`, async () => {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const r = await analyzeTexts([{ file, text }]);
    const found = r.findings.filter((f) => f.rule === 'fault-under-page-lock');
    assert.ok(found.length > 0, 'the fixture has something to fix');
    const lines = text.split('\n');
    const fixes = found.map((f) => fixesFor(f, lines)[0]);
    assert.ok(TITLES[name], `${name}: which fix it is about is named in TITLES`);
    assert.ok(fixes.every((x) => x && x.preferred && x.title === TITLES[name]), JSON.stringify(fixes));
    const fixed = applyEdits(text, fixes.flatMap((x) => (x ? x.edits : [])));
    const golden = file + '.fixed';
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, fixed);
    assert.equal(fixed, fs.readFileSync(golden, 'utf8'));
    const after = await analyzeTexts([{ file, text: fixed }]);
    assert.deepEqual(after.findings.filter((f) => f.rule === 'fault-under-page-lock' || f.rule === 'atomic-copy-outside-pagefault-disable').map((f) => f.message), []);
  });
}

test('quick fix: shapes it cannot rewrite correctly get no edit, and keep the fix in words', async () => {
  const file = path.join(__dirname, 'golden', 'fixes-none', 'no-edit.c');
  const text = fs.readFileSync(file, 'utf8');
  const r = await analyzeTexts([{ file, text }]);
  const found = r.findings.filter((f) => f.rule === 'fault-under-page-lock');
  const marked = text.split('\n').flatMap((l, i) => (/want: fault-under-page-lock/.test(l) ? [i] : []));
  assert.deepEqual(found.map((f) => f.range.start.line), marked);
  for (const f of found) {
    assert.deepEqual(fixesFor(f, text.split('\n')).map((x) => x.title), [], `line ${f.range.start.line + 1}`);
    assert.ok(f.notes.some((n) => n.fact?.kind === 'fix'), `line ${f.range.start.line + 1}: the fix note stays`);
  }
});

const gcc = spawnSync('gcc', ['--version']).status === 0;
const header = path.join(__dirname, 'kernel-api.h');

test('quick fix: every golden and its fixed twin compile against test/kernel-api.h', { skip: !gcc && 'gcc not found' }, () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.c') || f.endsWith('.c.fixed'));
  assert.ok(files.length >= 16);
  for (const f of files) {
    const r = spawnSync('gcc', ['-fsyntax-only', '-std=gnu11', '-Wall', '-Werror', '-Wno-unused-function', '-Wdeclaration-after-statement', '-include', header, '-x', 'c', path.join(dir, f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${f}:\n${r.stderr}`);
  }
});

test('quick fix: the fixed write loops end on a partly mapped buffer with what could be written', { skip: !gcc && 'gcc not found' }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultpath-sim-'));
  const P = 4096;
  // [start in user memory, user pages mapped, bytes to write, fault-ins whose copy finds the page evicted] -> result
  const runs: [number, number, number, number, number][] = [
    [P / 2, 1, 2 * P, 0, P / 2], // head of the first page mapped, tail not: the mapped half, no endless retry
    [P / 2, 1, 2 * P, 2, P / 2], // the same with the source reclaimed after two fault-ins: retried, same result
    [0, 4, 3 * P, 3, 3 * P], // all mapped, reclaimed three times: everything
    [0, 0, P, 0, -14], // nothing mapped: -EFAULT
    [P / 2, 2, 3 * P, 0, P + P / 2], // two pages mapped: up to their end
  ];
  try {
    for (const scenario of ['copy-loop', 'write-begin']) {
      const exe = path.join(tmp, scenario);
      const fixed = path.join(dir, `${scenario}.c.fixed`);
      const cc = spawnSync('gcc', ['-std=gnu11', '-Wall', '-Werror', '-Wno-unused-function', `-DFIXED="${fixed}"`, `-DSCENARIO_${scenario.replace('-', '_')}`, '-o', exe, path.join(__dirname, 'fixes-sim', 'sim.c')], { encoding: 'utf8' });
      assert.equal(cc.status, 0, cc.stderr);
      for (const [start, mapped, count, evict, want] of runs) {
        const r = spawnSync(exe, [start, mapped, count, evict].map(String), { encoding: 'utf8', timeout: 10_000 });
        const what = `${scenario} start=${start} mapped=${mapped} count=${count} evict=${evict}`;
        assert.equal(r.status, 0, `${what}: ${r.stdout}${r.stderr}${r.signal ?? ''}`);
        assert.equal(r.stdout.trim(), `result=${want} written-ok=1 retries=${evict}`, what);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
