// Each rule's declaration (server/src/checks/<id>.ts) is documentation that
// ships: `faultpath explain`, the README's rule section, SARIF rule metadata.
// Its example must do what it says: the "finds" code gives a finding of that
// rule (at its default severity), the "fixed" code gives no finding at all.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeTexts } from './harness';
import { CHECKS } from '../server/src/checks';
import { KERNEL_TABLES } from '../server/src/kernel/vocabulary';

for (const c of CHECKS) {
  test(`${c.id}: the documented example is found, and its fix is clean`, async () => {
    const finds = await analyzeTexts([{ file: `${c.id}.c`, text: c.doc.example.finds }]);
    const mine = finds.findings.filter((f) => f.rule === c.id);
    assert.ok(mine.length > 0, `no ${c.id} finding in its example:\n${c.doc.example.finds}`);
    assert.ok(mine.some((f) => f.severity === c.severity), `${c.id}: the example's severities ${mine.map((f) => f.severity)} do not include the default ${c.severity}`);
    const fixed = await analyzeTexts([{ file: `${c.id}.c`, text: c.doc.example.fixed }]);
    assert.deepEqual(fixed.findings.map((f) => `${f.range.start.line + 1}: ${f.message} [${f.rule}]`), [], `${c.id}: the fixed example is not clean`);
    assert.deepEqual(fixed.problems, []);
  });
}

test('every declaration is complete', () => {
  for (const c of CHECKS) {
    assert.match(c.id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(c.doc.short.length > 20 && !c.doc.short.endsWith('.') && !c.doc.short.includes('\n'), `${c.id}: short is one line without a final period`);
    assert.ok(c.doc.full.length > c.doc.short.length, c.id);
    for (const t of c.tables) assert.ok(t in KERNEL_TABLES, `${c.id}: unknown table ${t}`);
    assert.equal(c.scope === 'run', !!c.graph, `${c.id}: a run-scope rule reads the run's graph, a function-scope rule does not`);
  }
});
