// Quick fixes: applying each fix to x.c gives x.c.fixed exactly (goldens, rewritten with
// UPDATE_GOLDEN=1), and the fixed code no longer faults under the page lock.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeTexts } from './harness';
import { applyEdits } from '../server/src/checks/fixes';
import { fixesFor } from '../server/src/checks';

const dir = path.join(__dirname, 'golden', 'fixes');

// which fix each golden is about (the preferred one for every finding in it)
const TITLES: Record<string, string> = {
  'locked-copy.c': 'Copy with faults disabled, then retry',
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
