// The rule registry: one module per rule, each declaring itself (rule.ts) at
// its top; the id is also the file name, the fixture directory, the
// diagnostic code and the --ignore value. Orchestrators ask here what rules
// need (learned locks, whole functions in patches, tables, the run's graph)
// and never name a rule: adding a rule is its file, a line below, and fixtures.
import type { Finding } from '../findings/finding';
import type { FunctionFlow } from '../flow/engine';
import type { LockGraph } from '../flow/lockgraph';
import { ENGINE_TABLES, KERNEL_TABLES, TableName } from '../kernel/vocabulary';
import type { KernelTable } from '../kernel/table';
import type { Check } from './check';
import type { FixEdit } from './fixes';
import type { Rule } from './rule';
import { faultUnderPageLock } from './fault-under-page-lock';
import { faultUnderFaultPathLock } from './fault-under-fault-path-lock';
import { faultInAtomic } from './fault-in-atomic';
import { atomicCopyOutsidePagefaultDisable } from './atomic-copy-outside-pagefault-disable';
import { uncheckedShortCopy } from './unchecked-short-copy';
import { lockImbalance } from './lock-imbalance';
import { vmaAfterMmapUnlock } from './vma-after-mmap-unlock';
import { retryContract } from './retry-contract';
import { staleFlagsCopy } from './stale-flags-copy';
import { ioUnderMmapLock } from './io-under-mmap-lock';
import { lockOrder } from './lock-order';

export const CHECKS: readonly Check[] = [
  faultUnderPageLock,
  faultUnderFaultPathLock,
  faultInAtomic,
  atomicCopyOutsidePagefaultDisable,
  uncheckedShortCopy,
  lockImbalance,
  vmaAfterMmapUnlock,
  retryContract,
  staleFlagsCopy,
  ioUnderMmapLock,
  lockOrder,
];

export const RULE_IDS: readonly string[] = CHECKS.map((c) => c.id);

const BY_ID = new Map<string, Check>(CHECKS.map((c) => [c.id, c]));

/** A rule's declaration by id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/** The checks `--only` and `--ignore` leave. */
export function selectChecks(only: readonly string[] | undefined, ignore: readonly string[] | undefined): Check[] {
  return CHECKS.filter((c) => (!only || only.includes(c.id)) && !(ignore ?? []).includes(c.id));
}

/** Some check of `checks` reads the locks learned from every fault handler, and this function may need them. */
export function needsLearnedLocks(checks: readonly Check[], flow: FunctionFlow): boolean {
  return checks.some((c) => c.needs?.learnedLocks?.(flow));
}

/** Rules that, in a patch, read all hunks of a function at once. */
export function wholeFunctionRules(): string[] {
  return CHECKS.filter((c) => c.needs?.wholeFunction).map((c) => c.id);
}

/** The findings of the run-scope checks over the run's lock-order graph, and the edges they reported. */
export function runScopeFindings(checks: readonly Check[], g: LockGraph): { findings: Finding[]; cycleEdges: Set<string> } {
  const findings: Finding[] = [];
  const cycleEdges = new Set<string>();
  for (const c of checks) {
    if (!c.graph) continue;
    const r = c.graph(g);
    findings.push(...r.findings);
    for (const e of r.cycleEdges) cycleEdges.add(e);
  }
  return { findings, cycleEdges };
}

/** Every quick fix for a finding (its rule's, the preferred first). */
export function fixesFor(f: Finding, lines: string[]): FixEdit[] {
  const out: FixEdit[] = [];
  for (const make of BY_ID.get(f.rule)?.quickFixes ?? []) {
    const fix = make(f, lines);
    if (fix) out.push(fix);
  }
  return out;
}

/** The kernel tables the engine and every rule read (not only the selected ones: what is analysed stays the same). */
export function tablesRead(): TableName[] {
  return [...new Set<TableName>([...ENGINE_TABLES, ...CHECKS.flatMap((c) => c.tables)])];
}

/** Every identifier the tables the engine and the rules read give meaning to. */
export function namesRead(table: KernelTable): Set<string> {
  const out = new Set<string>();
  for (const t of tablesRead()) for (const n of KERNEL_TABLES[t].names(table)) out.add(n);
  out.delete('');
  return out;
}
