// Every row of the built-in kernel table gets a fixture line of its own: a
// tiny function calling it, analysed through the real entry point, with the
// row's effect asserted on the state at a later probe() call or on a finding.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeDocuments } from '../../server/src/analysis';
import { API_ROWS, NO_RETURN } from '../../server/src/kernel/api';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import type { ApiRow } from '../../server/src/kernel/table';
import type { CallEvent } from '../../server/src/flow/engine';
import { HELD, RELEASED } from '../../server/src/flow/state';
import { parser } from '../harness';

function args(row: ApiRow, out?: number): string {
  const n = 6;
  const a: string[] = [];
  for (let i = 0; i < n; i++) a.push(`a${i}`);
  if (row.argFlag) a[row.argFlag.arg] = `a${row.argFlag.arg} | ${row.argFlag.token}`;
  if (out !== undefined) a[out < 0 ? n + out : out] = '&obj';
  return a.join(', ');
}

function call(row: ApiRow, a: string): string {
  if (row.name.startsWith('->')) return `ops->${row.name.slice(2)}(${a})`;
  return `${row.name}(${a})`;
}

/** C source for one row, and what to assert. */
function fixtureFor(row: ApiRow): { body: string; check: 'held' | 'released' | 'released-some' | 'faults-off' | 'faults-on' | 'atomic' | 'atomic-exit' | 'finding'; rule?: string; none?: boolean } {
  const c = call(row, args(row));
  switch (row.effect) {
    case 'acquire':
      return { body: `${c};\n\tprobe();`, check: 'held' };
    case 'release':
      return { body: `${c};\n\tprobe();`, check: 'released' };
    case 'try-acquire':
      return { body: `r = ${c};\n\tif (${row.success === 'zero' ? 'r == 0' : 'r'})\n\t\tprobe();`, check: 'held' };
    case 'acquire-ret':
      return { body: `obj = ${c};\n\tif (obj)\n\t\tprobe();`, check: 'held' };
    case 'acquire-out':
      return { body: `r = ${call(row, args(row, row.arg ?? -2))};\n\tif (${row.success === 'zero' ? 'r == 0' : 'r'})\n\t\tprobe();`, check: 'held' };
    case 'user-access':
    case 'fault-in':
    case 'gup':
      return { body: `lock_page(pg);\n\t${c};\n\tunlock_page(pg);`, check: 'finding', rule: 'fault-under-page-lock' };
    case 'inatomic-copy':
      return { body: `r = ${c};\n\tprobe(r);`, check: 'finding', rule: 'atomic-copy-outside-pagefault-disable' };
    case 'atomic-copy':
      return { body: `${c};`, check: 'finding', rule: 'unchecked-short-copy', none: !!row.resultOptional };
    case 'faults-off':
      return { body: `${c};\n\tprobe();`, check: 'faults-off' };
    case 'faults-on':
      return { body: `pagefault_disable();\n\t${c};\n\tprobe();`, check: 'faults-on' };
    case 'atomic-enter':
      return { body: `${c};\n\tprobe();`, check: 'atomic' };
    case 'atomic-exit':
      return { body: `preempt_disable();\n\tlocal_irq_disable();\n\tlocal_bh_disable();\n\trcu_read_lock();\n\t${c};\n\tprobe();`, check: 'atomic-exit' };
    case 'release-ret': {
      const test = row.success === 'flag' ? `r & ${row.retFlag}` : row.success === 'zero' ? 'r == 0' : 'r';
      return { body: `r = ${c};\n\tif (${test})\n\t\tprobe();`, check: 'released-some' };
    }
    case 'scope-acquire':
      return row.name === 'guard'
        ? { body: `{\n\t\tguard(mutex)(&m);\n\t\tprobe();\n\t}`, check: 'held' }
        : { body: `${row.name}(mutex, &m) {\n\t\tprobe();\n\t}`, check: 'held' };
  }
}

const seen = new Set<string>();
for (const row of API_ROWS) {
  const id = `${row.name} ${row.effect} ${row.atomic ?? row.lock ?? ''}`;
  if (seen.has(id)) continue;
  seen.add(id);
  test(`table row ${row.name} (${row.effect}${row.lock ? ' ' + row.lock : ''}${row.atomic ? ' ' + row.atomic : ''})`, async () => {
    const fx = fixtureFor(row);
    const text = `void t(struct page *pg, struct page *obj, long a0, long a1, long a2, long a3, long a4, long a5)\n{\n\tint r;\n\n\t${fx.body}\n}\n`;
    const result = analyzeDocuments(await parser('native'), [{ file: 'row.c', text }], { table: tableFor(emptyConfig()), keepFlows: true });
    const flow = (result.flows?.get('row.c') ?? [])[0];
    assert.ok(flow && flow.converged, 'analysed');
    if (fx.check === 'finding') {
      const hits = result.findings.filter((f) => f.rule === fx.rule);
      if (fx.none) assert.equal(hits.length, 0, text);
      else assert.equal(hits.length, 1, `${fx.rule} expected for\n${text}\ngot ${JSON.stringify(result.findings.map((f) => f.rule))}`);
      return;
    }
    const probe = flow.events.find((e): e is CallEvent => e.kind === 'call' && e.name === 'probe');
    if (NO_RETURN.includes(row.name)) {
      // nothing after a call that never returns runs (make_task_dead(): its rows only keep its body out)
      assert.ok(flow.events.some((e) => e.kind === 'call' && e.name === row.name), `${row.name}() seen`);
      assert.equal(probe, undefined, `probe() not reached after ${row.name}()`);
      return;
    }
    assert.ok(probe, `probe() reached in\n${text}`);
    const st = probe.state;
    const facts = [...st.locks.values()];
    switch (fx.check) {
      case 'held': {
        const f = facts.find((x) => x.paths === HELD && (row.lock === undefined || x.cls === row.lock || row.classFromField));
        assert.ok(f, `a ${row.lock ?? 'scoped'} lock held after ${row.name}: ${JSON.stringify(facts)}`);
        break;
      }
      case 'released':
        assert.ok(facts.some((x) => x.paths === RELEASED && x.cls === row.lock), `released after ${row.name}: ${JSON.stringify(facts)}`);
        break;
      case 'released-some':
        // released (or, for `maybe` rows, possibly released) on the branch where the result says so
        assert.ok(facts.some((x) => (row.maybe ? (x.paths & RELEASED) !== 0 : x.paths === RELEASED) && x.cls === row.lock), `released after ${row.name}: ${JSON.stringify(facts)}`);
        break;
      case 'faults-off':
        assert.ok(st.faultsOff.min >= 1);
        break;
      case 'faults-on':
        assert.equal(st.faultsOff.max, 0);
        break;
      case 'atomic':
        assert.ok(row.atomic && st.atomic[row.atomic].min >= 1, JSON.stringify(st.atomic));
        break;
      case 'atomic-exit':
        assert.ok(row.atomic && st.atomic[row.atomic].max === 0, JSON.stringify(st.atomic));
        break;
    }
  });
}
