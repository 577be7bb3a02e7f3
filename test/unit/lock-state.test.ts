// Hover, "show lock state" and patch-line hover word the lock state from its
// facts (findings/lock-state.ts -> render/lock-state.ts), the only place that
// words it. Exact words at chosen lines, and properties over every state of
// every fixture function.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocuments } from '../../server/src/analysis';
import { offsetOfLine, stateAt } from '../../server/src/flow/describe';
import { lockStateFacts } from '../../server/src/findings/lock-state';
import { NONZERO } from '../../server/src/flow/state';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import { lockStateBrief, lockStateLines } from '../../server/src/render/lock-state';
import { LineIndex } from '../../server/src/syntax/lines';
import { fixtureFiles, parser } from '../harness';

const root = path.join(__dirname, '..');

test('lock state in words at chosen lines: hover lines and the brief form', async () => {
  const table = tableFor(emptyConfig());
  const p = await parser('native');
  const cases: [string, number, string[]][] = [
    ['examples/write-deadlock.c', 22, ["Locks held: page lock on 'page' taken at line 17 by __grab_cache_page()", 'Page faults: enabled']],
    ['examples/write-deadlock.c', 48, ["Locks held: page lock on 'page' taken at line 42 by __grab_cache_page()", 'Page faults: disabled', 'Atomic context: preemption disabled']],
    // the lock's own spelling names its class: said once
    ['test/fixtures/fault-under-fault-path-lock/basic.c', 40, ["Locks held: 'mapping->invalidate_lock' taken at line 39 by filemap_invalidate_lock()", 'Page faults: enabled']],
    ['test/fixtures/lock-imbalance/basic.c', 106, ["Locks held: a spinlock 'log->l_icloglock' taken at line 101, 104 by spin_lock()", 'Page faults: enabled', 'Atomic context: spinlock held']],
    ['test/fixtures/retry-contract/basic.c', 8, ["mmap_lock(r): dropped if 'fpin' is non-NULL (line 6)", 'Page faults: enabled']],
    ['test/fixtures/retry-contract/basic.c', 9, ['mmap_lock(r): dropped (line 6); the vma may be gone', 'Page faults: enabled']],
  ];
  for (const [rel, line, want] of cases) {
    const file = path.join(root, '..', rel);
    const text = fs.readFileSync(file, 'utf8');
    const lines = new LineIndex(text);
    const r = analyzeDocuments(p, [{ file, text }], { table, keepFlows: true });
    const off = offsetOfLine(text, line - 1);
    const flow = (r.flows?.get(file) ?? []).find((f) => f.fn.start <= off && off < f.fn.end);
    assert.ok(flow, `${rel}:${line} in a function`);
    const st = stateAt(flow, off);
    assert.ok(st, `${rel}:${line} reachable`);
    const facts = lockStateFacts(st, (o) => lines.line(o) + 1);
    assert.deepEqual(lockStateLines(facts, table), want, `${rel}:${line}`);
    // the brief form: without the heads and without the lines that say nothing
    const brief = want.filter((x) => x !== 'Page faults: enabled' && x !== 'Locks held: none known').map((x) => x.replace(/^Locks held: /, ''));
    assert.deepEqual(lockStateBrief(facts, table), brief, `${rel}:${line}`);
  }
});

test('lock state over every fixture state: one head per lock, each lock spelled once', async () => {
  const table = tableFor(emptyConfig());
  const p = await parser('native');
  let states = 0;
  let held = 0;
  for (const file of [...fixtureFiles(path.join(root, 'fixtures')), ...fixtureFiles(path.join(root, 'clean'))]) {
    const text = fs.readFileSync(file, 'utf8');
    const lines = new LineIndex(text);
    const r = analyzeDocuments(p, [{ file, text }], { table, keepFlows: true });
    for (const flow of r.flows?.get(file) ?? []) {
      for (const st of flow.states) {
        if (!st) continue;
        states++;
        const facts = lockStateFacts(st, (o) => lines.line(o) + 1);
        const words = lockStateLines(facts, table);
        const where = `${path.basename(file)} ${flow.fn.name}(): ${JSON.stringify(words)}`;
        assert.equal(words.filter((w) => /^Page faults: /.test(w)).length, 1, where);
        assert.equal(words.filter((w) => w.startsWith('Locks held: ')).length, Math.max(facts.held.length, facts.held.length || facts.mmapDropped.length ? 0 : 1), where);
        for (const w of words) assert.doesNotMatch(w, /(^|\s)(\S+) '\2'/, where);
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
