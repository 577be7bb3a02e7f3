// Hover, "show lock state" and patch-line hover word the lock state from its
// facts (findings/lock-state.ts -> render/lock-state.ts). Until
// flow/describe.ts gives those facts itself (TODO #16), its describeState()
// is the reference: every state of every fixture function reads the same.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocuments } from '../../server/src/analysis';
import { describeState } from '../../server/src/flow/describe';
import { lockStateFacts } from '../../server/src/findings/lock-state';
import { NONZERO } from '../../server/src/flow/state';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import { lockStateBrief, lockStateLines } from '../../server/src/render/lock-state';
import { LineIndex } from '../../server/src/syntax/lines';
import { fixtureFiles, parser } from '../harness';

test('lock state from facts reads as describeState() on every fixture state', async () => {
  const table = tableFor(emptyConfig());
  const p = await parser('native');
  const root = path.join(__dirname, '..');
  let states = 0;
  let held = 0;
  for (const file of [...fixtureFiles(path.join(root, 'fixtures')), ...fixtureFiles(path.join(root, 'clean'))]) {
    const text = fs.readFileSync(file, 'utf8');
    const lines = new LineIndex(text);
    const lineOf = (o: number): number => lines.line(o) + 1;
    const r = analyzeDocuments(p, [{ file, text }], { table, keepFlows: true });
    for (const flow of r.flows?.get(file) ?? []) {
      for (const st of flow.states) {
        if (!st) continue;
        states++;
        const facts = lockStateFacts(st, lineOf);
        const words = describeState(st, table, lineOf);
        assert.deepEqual(lockStateLines(facts, table), words, `${path.basename(file)} ${flow.fn.name}()`);
        // "show lock state" was describeState() without its empty lines and heads
        const brief = words.filter((x) => x !== 'Page faults: enabled' && x !== 'Locks held: none known').map((x) => (x.startsWith('Locks held: ') ? x.slice('Locks held: '.length) : x));
        assert.deepEqual(lockStateBrief(facts, table), brief, `${path.basename(file)} ${flow.fn.name}()`);
        if (facts.held.length || facts.mmapDropped.length) held++;
      }
    }
  }
  assert.ok(states > 500 && held > 100, `${states} states, ${held} with locks`);
});

// The flow keeps value facts beside the fault flags (`err&!0` where err is known
// nonzero, `vma&fresh` after a lookup); the lock state names the flags only.
test('lock state: value facts the flow keeps are not shown as fault flags', async () => {
  const table = tableFor(emptyConfig());
  const file = path.join(__dirname, '..', 'fixtures', 'lock-imbalance', 'error-return.c');
  const text = fs.readFileSync(file, 'utf8');
  const lines = new LineIndex(text);
  const r = analyzeDocuments(await parser('native'), [{ file, text }], { table, keepFlows: true });
  const flow = (r.flows?.get(file) ?? []).find((f) => f.fn.name === 'er_mutex');
  assert.ok(flow);
  // inside `if (err)`: the flow knows err is nonzero there
  const st = flow.states.find((s) => s && [...s.flags.keys()].some((k) => k.endsWith(NONZERO)));
  assert.ok(st, 'a state where err is known nonzero');
  const words = lockStateLines(lockStateFacts(st, (o) => lines.line(o) + 1), table);
  assert.ok(!words.some((w) => w.includes(NONZERO) || w.startsWith('Fault flags')), JSON.stringify(words));
});
