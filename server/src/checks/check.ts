// What a check sees: one analysed function (its flow events and states), the
// kernel table, and what the whole run learned. Checks choose the wording;
// they never track lock state themselves and never name kernel APIs.
import type { FunctionFlow, CallEvent } from '../flow/engine';
import type { LockFact } from '../flow/state';
import { HELD } from '../flow/state';
import { isFaultingEffect } from '../flow/summary';
import type { KernelTable } from '../kernel/table';
import type { Finding, FindingFacts, LockRef, Note, NoteFact, Range, Severity, Fix } from '../findings/finding';
import type { LineIndex } from '../syntax/lines';
import type { LockGraph } from '../flow/lockgraph';
import type { Rule } from './rule';

export interface LearnedLock {
  /** `struct foo::lock` */
  typeKey: string;
  /** How the fault handler takes it. */
  mode: 'read' | 'write' | 'excl' | 'mixed';
  handler: string;
  file: string;
  line: number;
  /** Learned from an ->mmap method (called with mmap_lock held for write), not a fault handler. */
  mmap?: boolean;
}

export interface CheckContext {
  file: string;
  src: string;
  lines: LineIndex;
  flow: FunctionFlow;
  table: KernelTable;
  /** Locks taken inside fault handlers seen in this run, by type key. */
  faultPathLocks: Map<string, LearnedLock>;
  isFaultHandler: boolean;
  /** Ops members the function is installed as (`fault`, `page_mkwrite`, `read_folio`, ...). */
  installedAs: string[];
  report(f: { rule: string; severity: Severity; start: number; end: number; message: string; notes: Note[]; fixes?: Fix[]; facts?: FindingFacts }): void;
}

/** A rule's declaration (rule.ts) and how it runs. */
export interface Check extends Rule {
  /** Per function (scope function): reads one function's flow and reports. */
  run(ctx: CheckContext): void;
  /** Scope run: reads the run's lock-order graph once all functions are done. */
  graph?(g: LockGraph): { findings: Finding[]; cycleEdges: Set<string> };
}

export function rangeOf(lines: LineIndex, start: number, end: number): Range {
  return { start: lines.position(start), end: lines.position(end) };
}

export function noteAt(ctx: CheckContext, offset: number, end: number, message: string, fact?: NoteFact): Note {
  return { file: ctx.file, range: rangeOf(ctx.lines, offset, end), message, ...(fact ? { fact } : {}) };
}

/** A lock fact as findings and notes name it. */
export function lockRef(f: LockFact): LockRef {
  return { expr: f.expr, cls: f.cls };
}

/** A call that can take a page fault: how it faults, for messages. */
export interface FaultingCall {
  kind: 'access' | 'fault-in' | 'gup' | 'callee';
  /** Direct access at the bottom of the chain (copy_from_user). */
  access: string;
  /** Table effect of that access: user-access, fault-in or gup. */
  effect: string;
  /** Somewhere down the chain page faults are disabled on some paths, or the access is an iov_iter copy: not certain. */
  conditional: boolean;
  /** The access is an iov_iter copy, which faults only for user-backed iterators. */
  iter: boolean;
}

/** A call that may take a page fault with faults enabled on some path, and what the callee drops first. */
export interface FaultSite {
  e: CallEvent;
  fc: FaultingCall;
  /** Page faults enabled on every path (true) or on some (null). */
  enabled: true | null;
  /** Lock keys the callee releases before its access. */
  released: Set<string>;
}

/** The calls of this function that can fault: what the three fault rules iterate. */
export function* faultSites(ctx: CheckContext): Generator<FaultSite> {
  for (const e of ctx.flow.events) {
    if (e.kind !== 'call') continue;
    const fc = faultingCall(e);
    if (!fc) continue;
    const enabled = faultsEnabled(e);
    if (enabled === false) continue;
    yield { e, fc, enabled, released: releasedByCallee(e) };
  }
}

/** Locks the callee releases before it reaches its faulting access (fuse_read_interrupt() drops fiq->lock first). */
export function releasedByCallee(e: CallEvent): Set<string> {
  const out = new Set<string>();
  for (const r of e.summary?.mayFaultReleased ?? []) {
    if (r.param === -2) {
      // by class and last member: the caller's one held lock of that kind, when there is exactly one
      const [cls, field] = r.suffix.split(':');
      const same = [...e.state.locks.values()].filter((f) => f.cls === cls && f.paths & HELD && /(\w+)$/.exec(f.key)?.[1] === field);
      if (same.length === 1) out.add(same[0].key);
      continue;
    }
    if (r.param < 0) {
      out.add(r.suffix);
      continue;
    }
    const a = e.args[r.param];
    if (a) out.add(a + r.suffix);
  }
  return out;
}

export function iterNote(ctx: CheckContext, e: CallEvent, fc: FaultingCall): Note[] {
  if (!fc.iter) return [];
  return [noteAt(ctx, e.start, e.end, `${fc.access}() touches user memory only when the iov_iter is user-backed (ITER_UBUF/ITER_IOVEC); with a kvec or bvec iterator it cannot fault`)];
}

export function faultingCall(e: CallEvent): FaultingCall | null {
  // an iterator over kernel memory set up by this function (iov_iter_bvec()): no fault
  if (e.kernelIter) return null;
  for (const r of e.rows) {
    if (!isFaultingEffect(r.effect)) continue;
    return {
      kind: r.effect === 'user-access' ? 'access' : r.effect === 'fault-in' ? 'fault-in' : 'gup',
      access: e.name,
      effect: r.effect,
      conditional: !!r.viaIter,
      iter: !!r.viaIter,
    };
  }
  if (e.summary && e.summary.mayFault && e.summary.mayFault.length) {
    const chain = e.summary.mayFault;
    const last = chain[chain.length - 1];
    const iter = chain.some((s) => s.iter);
    return { kind: 'callee', access: last.call, effect: last.effect ?? 'user-access', conditional: iter || chain.some((s) => s.someOff), iter };
  }
  return null;
}

/** Page faults enabled on every path (true), on some (null), on none (false). */
export function faultsEnabled(e: CallEvent): boolean | null {
  if (e.state.faultsOff.max === 0) return true;
  if (e.state.faultsOff.min === 0) return null;
  return false;
}

export function lockWhere(f: LockFact): string {
  return `'${f.expr}'`;
}

export { HELD_BEFORE_HUNK } from '../flow/engine';
import { HELD_BEFORE_HUNK } from '../flow/engine';

export function acquisitionNotes(ctx: CheckContext, f: LockFact, words: string): Note[] {
  if (f.via === HELD_BEFORE_HUNK) {
    return [noteAt(ctx, f.sites[0] ?? 0, f.sites[0] ?? 0, `${words} is held when the hunk starts: the hunk releases it without taking it`, { kind: 'held-before-hunk', lock: lockRef(f) })];
  }
  const fact: NoteFact = { kind: 'acquired', lock: lockRef(f), via: f.via, ...(f.condVar ? { condVar: f.condVar } : {}) };
  return f.sites.slice(0, 4).map((s) =>
    noteAt(ctx, s, s, `${words} taken here by ${f.via}()${f.condVar ? ` (held when '${f.condVar}' is not NULL)` : ''}`, fact),
  );
}

/** Notes walking a summary chain: "foo() calls bar() here". */
export function chainNotes(e: CallEvent): Note[] {
  const out: Note[] = [];
  const chain = e.summary?.mayFault ?? [];
  for (const step of chain) {
    const pos = { line: step.line, character: 0 };
    const faults = step.someOff ? 'with page faults disabled on only some paths' : 'with page faults enabled';
    out.push({
      file: step.file,
      range: { start: pos, end: pos },
      message: `${step.fn}() calls ${step.call}() here, ${faults}`,
      fact: { kind: 'calls', fn: step.fn, call: step.call, faults: step.someOff ? 'some-paths' : 'enabled' },
    });
  }
  return out;
}

export function callText(e: CallEvent): string {
  return e.name.startsWith('->') ? e.name.slice(2) + '()' : e.name + '()';
}
