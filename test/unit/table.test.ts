// Every row of the built-in kernel table gets a fixture line of its own: a
// tiny function calling it, analysed through the real entry point, with the
// row's effect asserted on the state at a later probe() call or on a finding.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeDocuments } from '../../server/src/analysis';
import { API_ROWS, NO_RETURN } from '../../server/src/kernel/api';
import { emptyConfig, parseConfig, tableFor } from '../../server/src/kernel/config';
import type { ApiRow } from '../../server/src/kernel/table';
import type { CallEvent } from '../../server/src/flow/engine';
import { HELD, RELEASED } from '../../server/src/flow/state';
import { parser } from '../harness';

function args(row: ApiRow, out?: number): string {
  const n = 6;
  const a: string[] = [];
  for (let i = 0; i < n; i++) a.push(`a${i}`);
  if (row.argFlag) a[row.argFlag.arg] = `a${row.argFlag.arg} | ${row.argFlag.token}`;
  // rows that act only on a struct vm_fault (`->fault(vmf)`): the kernel's usual name for one
  if (row.vmfArg) a[row.arg ?? 0] = 'vmf';
  if (out !== undefined) a[out < 0 ? n + out : out] = '&obj';
  return a.join(', ');
}

function call(row: ApiRow, a: string): string {
  if (row.name.startsWith('->')) return `ops->${row.name.slice(2)}(${a})`;
  return `${row.name}(${a})`;
}

/** C source for one row, and what to assert. */
function fixtureFor(row: ApiRow): { body: string; check: 'held' | 'released' | 'released-some' | 'faults-off' | 'faults-on' | 'atomic' | 'atomic-exit' | 'finding' | 'no-lock'; rule?: string; none?: boolean; tail?: string } {
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
    case 'not-a-lock':
      // annotated __acquires() in its header (the definition below the test function), and still no lock held after it
      return { body: `${c};\n\tprobe();`, check: 'no-lock', tail: `\nint ${row.name}(void *ssp) __acquires(ssp)\n{\n\treturn 0;\n}\n` };
    case 'scope-acquire':
      return row.name === 'guard'
        ? { body: `{\n\t\tguard(mutex)(&m);\n\t\tprobe();\n\t}`, check: 'held' }
        : { body: `${row.name}(mutex, &m) {\n\t\tprobe();\n\t}`, check: 'held' };
  }
}

/**
 * The version a row is tested in: none (every row) unless the name has
 * variants for other versions (folio_lock_or_retry()), then one in its range.
 */
function versionFor(row: ApiRow): string | null {
  if (!API_ROWS.some((x) => x.name === row.name && x.effect === row.effect && (x.since !== row.since || x.until !== row.until))) return null;
  if (row.since) return row.since;
  const [major, minor] = (row.until ?? '0.0').split('.').map(Number);
  return minor > 0 ? `${major}.${minor - 1}` : `${major - 1}.99`;
}

const seen = new Set<string>();
for (const row of API_ROWS) {
  const id = `${row.name} ${row.effect} ${row.atomic ?? row.lock ?? ''} ${row.since ?? ''}-${row.until ?? ''}`;
  if (seen.has(id)) continue;
  seen.add(id);
  const version = versionFor(row);
  test(`table row ${row.name} (${row.effect}${row.lock ? ' ' + row.lock : ''}${row.atomic ? ' ' + row.atomic : ''}${version ? ', Linux ' + version : ''})`, async () => {
    const fx = fixtureFor(row);
    const text = `void t(struct page *pg, struct page *obj, long a0, long a1, long a2, long a3, long a4, long a5)\n{\n\tint r;\n\n\t${fx.body}\n}\n${fx.tail ?? ''}`;
    const result = analyzeDocuments(await parser('native'), [{ file: 'row.c', text }], { table: tableFor({ ...emptyConfig(), kernelVersion: version }), keepFlows: true });
    const flow = (result.flows?.get('row.c') ?? []).find((f) => f.fn.name === 't');
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
      case 'no-lock':
        assert.deepEqual(facts.filter((x) => x.paths & HELD), [], `nothing held after ${row.name}`);
        break;
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

test('versioned rows: one variant per version, the newest when none is known', () => {
  const variant = (v: string | null, effect: string) => tableFor({ ...emptyConfig(), kernelVersion: v }).rows.get('folio_lock_or_retry')?.filter((r) => r.effect === effect) ?? [];
  // Linux 6.1 include/linux/pagemap.h: bool, true with the folio locked
  assert.deepEqual(variant('6.1', 'try-acquire').map((r) => r.success), ['nonzero']);
  assert.deepEqual(variant('6.5', 'release-ret').map((r) => r.success), ['zero']);
  // Linux 6.12: vm_fault_t, 0 with the folio locked (since 6.6)
  assert.deepEqual(variant('6.6', 'try-acquire').map((r) => r.success), ['zero']);
  assert.deepEqual(variant('6.12', 'release-ret').map((r) => r.success), ['flag']);
  assert.deepEqual(variant(null, 'try-acquire').map((r) => r.success), ['zero']);
  assert.deepEqual(variant(null, 'release-ret').map((r) => r.success), ['flag']);
  // before 6.1 the page variant, lock_page_or_retry(); no folio_lock_or_retry()
  assert.equal(variant('5.15', 'try-acquire').length, 0);
  assert.equal(tableFor({ ...emptyConfig(), kernelVersion: '5.15' }).rows.get('lock_page_or_retry')?.length, 2);
  assert.equal(tableFor({ ...emptyConfig(), kernelVersion: '6.1' }).rows.get('lock_page_or_retry'), undefined);
  // user rows may carry ranges too, in the same form
  const cfg = parseConfig(JSON.stringify({ kernelVersion: '6.1', apis: [{ name: 'my_lock', effect: 'acquire', lock: 'page', arg: 0, since: '6.2' }] }), 'cfg');
  assert.equal(tableFor(cfg).rows.get('my_lock'), undefined);
  assert.throws(() => parseConfig(JSON.stringify({ apis: [{ name: 'my_lock', effect: 'acquire', until: 'six' }] }), 'cfg'), /"until" must look like "6.1"/);
});
