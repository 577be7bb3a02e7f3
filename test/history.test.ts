// Every history case (test/history/) is asserted: found markers must stay
// found, known misses are listed in expect.json with their reason (a miss
// that starts being found without the list being updated is red too), no
// fixed version may be flagged and nothing unmarked reported (but for the
// false alarms expect.json lists, each with its reason), and a
// marker found in the buggy version must come out `fixed` when the fix is
// reviewed as a patch.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { caseDirs, markerId, readExpect, runCase } from './history-cases';

const expect = readExpect();
const dirs = caseDirs();

test('history: the corpus is there', () => {
  assert.ok(dirs.length >= 1, 'no cases under test/history');
  for (const [id, e] of [...Object.entries(expect.missed), ...Object.entries(expect.falseAlarms ?? {})]) {
    assert.ok(dirs.some((d) => d.endsWith(id)), `expect.json names ${id}, which is not a case`);
    assert.ok(e.why && !/^TODO/.test(e.why), `expect.json: ${id} needs its reason`);
  }
});

for (const dir of dirs) {
  test(`history: ${dir.split('/history/')[1]}`, async () => {
    const r = await runCase(dir);
    assert.ok(r.header.subject && r.header.date && r.header.commit, `${r.id}: the header names commit, subject and date`);
    assert.ok(r.markers.length > 0, `${r.id}: bug.c has no want: markers`);
    assert.deepEqual(r.problems, [], `${r.id}: parses and analyses cleanly`);
    const known = new Set(expect.missed[r.id]?.markers ?? []);
    const missed = r.markers.filter((m) => !m.found).map(markerId);
    assert.deepEqual(missed.sort(), [...known].sort(), `${r.id}: missed markers differ from expect.json`);
    // false alarms known today are listed with their reason; any other is red, and so is one that went away
    const alarms = [...r.unmarked.map((u) => `bug.c:${u}`), ...r.fixedFlagged.map((u) => `fixed.c:${u}`)];
    assert.deepEqual(alarms.sort(), [...(expect.falseAlarms?.[r.id]?.findings ?? [])].sort(), `${r.id}: false alarms differ from expect.json`);
    assert.deepEqual(r.notFixedInPatch, [], `${r.id}: patch review`);
  });
}
