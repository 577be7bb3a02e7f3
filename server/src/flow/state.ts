// The lock-state lattice. Per lock: the set of path states that reach this
// point (held / released here / untouched since entry), so the join is a union
// and "held on some paths" is exact. Plus counters for faults-disabled depth
// and atomic contexts, kept as [min, max] over paths (clang FlowSensitive's
// DataflowLattice: join reports whether anything changed).
import type { AtomicKind, LockClass, Success } from '../kernel/table';

export const HELD = 1;
export const RELEASED = 2;
export const UNTOUCHED = 4;

export interface LockFact {
  /** Canonical lock expression (aliases resolved): the identity. */
  key: string;
  cls: LockClass;
  /** As written at the first acquisition, for messages. */
  expr: string;
  /** 'mixed': read on some paths, write on others. */
  mode: 'read' | 'write' | 'excl' | 'mixed';
  /** Released here without being taken here first: the caller's lock (a summary effect). */
  fromCaller?: boolean;
  /** The object was passed to a callee we have no table row for since it was last locked or unlocked. */
  escaped?: boolean;
  /** ... only through its owner (`helper(svm)` for `svm->mm->mmap_lock`), on every path that escaped. */
  escapedOwner?: boolean;
  /** Bit set of HELD | RELEASED | UNTOUCHED over the paths reaching here. */
  paths: number;
  /** Offsets of the calls that took it (sorted, deduplicated). */
  sites: number[];
  /** Function that took it (lock_page, mutex_lock, ...). */
  via: string;
  /** guard()/scoped_guard(): released when this scope is left. */
  scope?: number;
  /** Atomic context the lock implies (spinlocks: preempt). */
  atomic?: AtomicKind;
  /** Struct type and member of the lock object (`struct foo::lock`), for locks learned from fault handlers. */
  typeKey?: string;
  /** Held only if the value in `condVar` says so (find_lock_page() result not yet tested). */
  condVar?: string;
  /** Dropped if this variable is non-NULL (`fpin = maybe_unlock_mmap_for_io(...)` not yet tested). */
  droppedIf?: string;
  /** Offsets of the calls that released it. */
  releaseSites?: number[];
  /** A release on some path let go of the caller's hold (not one taken here). */
  releasedCaller?: boolean;
  /** Taken by a trylock (here or in the callee that returned it): waits for nothing, so no lock-order edge. */
  tried?: boolean;
  /**
   * Value-partitioned release: the RELEASED paths are exactly those where this
   * result variable is nonzero (a callee that releases its argument when it
   * returns an error, `err = helper(page)`), until the variable is tested or
   * assigned again. `errCall`/`errSite`/`errArg`: that callee, its offset and the
   * argument as written (the element of an array it was given).
   */
  errTag?: string;
  errCall?: string;
  errSite?: number;
  errArg?: string;
  /** The caller's mmap_lock taken again here after it was released (sites of the re-takes; retry.ts). */
  retaken?: number[];
  /** Variables given a value without VM_FAULT_RETRY since the re-take (`ret = VM_FAULT_NOPAGE`). */
  retakenValues?: string[];
  /** The variable that said the lock was dropped (`ret&VM_FAULT_RETRY`) was overwritten here. */
  lostRetry?: number[];
  /** Released by a fault attempt (handle_mm_fault(), ->fault) that said so with VM_FAULT_RETRY. */
  afterFault?: true;
}

export interface Pending {
  /** Variable holding the result, or `@offset` of the call when tested in place. */
  target: string;
  success: Success;
  /**
   * add: the lock is taken on success (trylock). drop: the lock was recorded taken and is
   * dropped on failure. release / maybe-release: the lock is (may be) released on success
   * (maybe_unlock_mmap_for_io()); `fact` is the lock as it was before the call.
   */
  action: 'add' | 'drop' | 'release' | 'maybe-release';
  fact: LockFact;
  /** success 'flag': the flag the result must carry (VM_FAULT_RETRY). */
  flag?: string;
  /** The result is 0 or that flag: a plain truth test decides as well. */
  onlyFlag?: boolean;
  /** drop of an array's collective lock: what it was before this element (restored on failure). */
  prev?: LockFact;
}

export const ATOMIC_KINDS: readonly AtomicKind[] = ['preempt', 'irq', 'bh', 'rcu'];

export interface Counter {
  min: number;
  max: number;
  sites: number[];
  /**
   * On every path here, an exit was made with the count at zero: the function
   * left an atomic context its caller was in (irqentry_exit() enables
   * interrupts before it delivers signals). Set on that path from then on.
   */
  under?: true;
}

/**
 * Flag-map suffixes for value facts the flow keeps beside the fault flags, with
 * the same join (kept where both paths agree) and the same reset on assignment:
 * `err&!0` is true where `err` is known nonzero, false where known 0;
 * `vma&fresh` where the vma was looked up since mmap_lock was last dropped.
 */
export const NONZERO = '&!0';
export const FRESH = '&fresh';
/** `vma&stale`: mmap_lock was dropped since this vma variable was last set (it may be taken again since). */
export const STALE = '&stale';

/** A fault flag or a result flag (`FAULT_FLAG_ALLOW_RETRY`, `ret&VM_FAULT_RETRY`), not a value fact. */
export function isFlagKey(k: string): boolean {
  return !k.endsWith(NONZERO) && !k.endsWith(FRESH) && !k.endsWith(STALE);
}

export interface FlowState {
  locks: Map<string, LockFact>;
  pending: Pending[];
  faultsOff: Counter;
  atomic: Record<AtomicKind, Counter>;
  aliases: Map<string, string>;
  /** Fault flags known set (true) or clear (false) on every path here: FAULT_FLAG_ALLOW_RETRY, ... */
  flags: Map<string, boolean>;
}

const MAX_DEPTH = 8;

export function zeroCounter(): Counter {
  return { min: 0, max: 0, sites: [] };
}

export function emptyState(): FlowState {
  return {
    locks: new Map(),
    pending: [],
    faultsOff: zeroCounter(),
    atomic: { preempt: zeroCounter(), irq: zeroCounter(), bh: zeroCounter(), rcu: zeroCounter() },
    aliases: new Map(),
    flags: new Map(),
  };
}

export function cloneState(s: FlowState): FlowState {
  return {
    locks: new Map(s.locks),
    pending: s.pending.slice(),
    faultsOff: s.faultsOff,
    atomic: { ...s.atomic },
    aliases: new Map(s.aliases),
    flags: s.flags.size ? new Map(s.flags) : s.flags,
  };
}

export function bump(c: Counter, delta: number, site: number | null): Counter {
  const min = Math.max(0, Math.min(MAX_DEPTH, c.min + delta));
  const max = Math.max(0, Math.min(MAX_DEPTH, c.max + delta));
  let sites = c.sites;
  if (delta > 0 && site !== null) sites = mergeSites(sites, [site]);
  if (max === 0) sites = [];
  return c.under || (delta < 0 && c.max === 0) ? { min, max, sites, under: true } : { min, max, sites };
}

/** On every path here the count went below the entry's and is at zero: the caller's context was left. */
export function hasLeft(c: Counter): boolean {
  return !!c.under && c.max === 0;
}

/** The context left whatever its depth (interrupts enabled): also left below the entry's count. */
export function leftCounter(): Counter {
  return { min: 0, max: 0, sites: [], under: true };
}

export function mergeSites(a: number[], b: number[]): number[] {
  if (a === b || b.length === 0) return a;
  if (a.length === 0) return b;
  const out = a.slice();
  for (const x of b) if (!out.includes(x)) out.push(x);
  out.sort((x, y) => x - y);
  return out.length > 16 ? out.slice(0, 16) : out;
}

function joinCounter(a: Counter, b: Counter): Counter {
  if (a === b) return a;
  const c: Counter = { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), sites: mergeSites(a.sites, b.sites) };
  if (a.under && b.under) c.under = true;
  return c;
}

/**
 * A collective lock (`pages[]`, every element taken so far) after a join: a
 * loop that took no element holds all of none, and one that released none
 * released all of none (btrfs prepare_pages()' zero-trip loops): untouched <
 * held < released. Whether the caller's array is released on some returns
 * only is read from the returns (summary.ts), not from the join.
 */
function collectivePaths(key: string, paths: number): number {
  if (!key.includes('[]')) return paths;
  // untouched < held < released: the join is the larger (monotone, so the fixpoint keeps no stale path)
  return paths & RELEASED ? RELEASED : paths & HELD ? HELD : paths;
}

function joinFact(a: LockFact | undefined, b: LockFact | undefined): LockFact {
  if (!a) return { ...(b as LockFact), paths: collectivePaths((b as LockFact).key, (b as LockFact).paths | UNTOUCHED) };
  if (!b) return { ...a, paths: collectivePaths(a.key, a.paths | UNTOUCHED) };
  if (a === b) return a;
  return {
    ...a,
    paths: collectivePaths(a.key, a.paths | b.paths),
    sites: mergeSites(a.sites, b.sites),
    mode: a.mode === b.mode ? a.mode : 'mixed',
    fromCaller: a.fromCaller || b.fromCaller,
    escaped: a.escaped || b.escaped,
    escapedOwner: a.escaped && !a.escapedOwner ? undefined : b.escaped && !b.escapedOwner ? undefined : a.escapedOwner || b.escapedOwner || undefined,
    releasedCaller: a.releasedCaller || b.releasedCaller,
    condVar: a.condVar === b.condVar ? a.condVar : undefined,
    // 'dropped if fpin' survives a join with a path where nothing was dropped (fpin stays NULL there)
    droppedIf:
      a.droppedIf === b.droppedIf
        ? a.droppedIf
        : !a.droppedIf && !(a.paths & RELEASED)
          ? b.droppedIf
          : !b.droppedIf && !(b.paths & RELEASED)
            ? a.droppedIf
            : undefined,
    releaseSites: a.releaseSites || b.releaseSites ? mergeSites(a.releaseSites ?? [], b.releaseSites ?? []) : undefined,
    typeKey: a.typeKey ?? b.typeKey,
    scope: a.scope ?? b.scope,
    ...joinErrTag(a, b),
    ...joinRetry(a, b),
  };
}

/** The error-tagged release survives a join with a path that never released (the tested-zero side). */
function joinErrTag(a: LockFact, b: LockFact): Pick<LockFact, 'errTag' | 'errCall' | 'errSite' | 'errArg'> {
  const keep = (x: LockFact): Pick<LockFact, 'errTag' | 'errCall' | 'errSite' | 'errArg'> => ({ errTag: x.errTag, errCall: x.errCall, errSite: x.errSite, errArg: x.errArg });
  if (a.errTag && b.errTag) return a.errTag === b.errTag && a.errSite === b.errSite ? keep(a) : { errTag: undefined };
  if (a.errTag && !(b.paths & RELEASED)) return keep(a);
  if (b.errTag && !(a.paths & RELEASED)) return keep(b);
  return { errTag: undefined };
}

export function joinStates(a: FlowState, b: FlowState): FlowState {
  const locks = new Map<string, LockFact>();
  for (const [k, f] of a.locks) locks.set(k, joinFact(f, b.locks.get(k)));
  for (const [k, f] of b.locks) if (!a.locks.has(k)) locks.set(k, joinFact(undefined, f));
  const pending = a.pending.slice();
  for (const p of b.pending) {
    const i = pending.findIndex((q) => samePending(p, q));
    if (i < 0) pending.push(p);
    // the same array element pending on both sides: what came before it, joined
    else if ((p.prev || pending[i].prev) && p.prev?.paths !== pending[i].prev?.paths) {
      const q = pending[i];
      pending[i] = { ...q, prev: q.prev ? joinFact(q.prev, p.prev) : joinFact(undefined, p.prev) };
    }
  }
  const aliases = new Map<string, string>();
  for (const [k, v] of a.aliases) if (b.aliases.get(k) === v) aliases.set(k, v);
  const flags = new Map<string, boolean>();
  for (const [k, v] of a.flags) if (b.flags.get(k) === v) flags.set(k, v);
  return {
    flags,
    locks,
    pending,
    faultsOff: joinCounter(a.faultsOff, b.faultsOff),
    atomic: {
      preempt: joinCounter(a.atomic.preempt, b.atomic.preempt),
      irq: joinCounter(a.atomic.irq, b.atomic.irq),
      bh: joinCounter(a.atomic.bh, b.atomic.bh),
      rcu: joinCounter(a.atomic.rcu, b.atomic.rcu),
    },
    aliases,
  };
}

function samePending(a: Pending, b: Pending): boolean {
  return a.target === b.target && a.action === b.action && a.fact.key === b.fact.key;
}

function sameCounter(a: Counter, b: Counter): boolean {
  return a.min === b.min && a.max === b.max && a.under === b.under && a.sites.length === b.sites.length && a.sites.every((x, i) => x === b.sites[i]);
}

export function sameState(a: FlowState, b: FlowState): boolean {
  if (a.locks.size !== b.locks.size || a.pending.length !== b.pending.length || a.aliases.size !== b.aliases.size || a.flags.size !== b.flags.size) return false;
  for (const [k, v] of a.flags) if (b.flags.get(k) !== v) return false;
  for (const [k, f] of a.locks) {
    const g = b.locks.get(k);
    if (!g) return false;
    if (f === g) continue;
    if (f.paths !== g.paths || f.mode !== g.mode || f.condVar !== g.condVar || f.droppedIf !== g.droppedIf || f.errTag !== g.errTag || f.sites.length !== g.sites.length) return false;
    if (!sameRetry(f, g)) return false;
    for (let i = 0; i < f.sites.length; i++) if (f.sites[i] !== g.sites[i]) return false;
  }
  for (const p of a.pending) if (!b.pending.some((q) => samePending(p, q) && p.prev?.paths === q.prev?.paths)) return false;
  for (const [k, v] of a.aliases) if (b.aliases.get(k) !== v) return false;
  if (!sameCounter(a.faultsOff, b.faultsOff)) return false;
  for (const k of ATOMIC_KINDS) if (!sameCounter(a.atomic[k], b.atomic[k])) return false;
  return true;
}

/** Held on every path reaching here. */
export function heldMust(f: LockFact): boolean {
  return f.paths === HELD;
}

/** Held on at least one path. */
export function heldMay(f: LockFact): boolean {
  return (f.paths & HELD) !== 0;
}

/** Atomic contexts in force on some path: spinlocks held, preemption/IRQs/BH off, RCU read side. */
export interface AtomicReason {
  kind: 'spinlock' | AtomicKind;
  /** The lock key, for spinlocks. */
  key?: string;
  must: boolean;
  sites: number[];
  what: string;
}

export function atomicReasons(s: FlowState): AtomicReason[] {
  const out: AtomicReason[] = [];
  for (const f of s.locks.values()) {
    if ((f.cls === 'spinlock' || f.atomic) && heldMay(f)) {
      out.push({ kind: f.cls === 'spinlock' ? 'spinlock' : f.atomic ?? 'spinlock', key: f.key, must: heldMust(f), sites: f.sites, what: f.expr });
    }
  }
  for (const k of ATOMIC_KINDS) {
    const c = s.atomic[k];
    if (c.max > 0) out.push({ kind: k, must: c.min > 0, sites: c.sites, what: k });
  }
  return out;
}

/** The re-take facts (flow/retry.ts) at a join: each list is the union of both sides. */
export function joinRetry(a: LockFact, b: LockFact): Partial<LockFact> {
  const out: Partial<LockFact> = {};
  const retaken = union(a.retaken, b.retaken);
  if (retaken) out.retaken = retaken;
  const lost = union(a.lostRetry, b.lostRetry);
  if (lost) out.lostRetry = lost;
  const noRetry = union(a.retakenValues, b.retakenValues);
  if (noRetry) out.retakenValues = noRetry;
  if (a.afterFault || b.afterFault) out.afterFault = true;
  return out;
}

export function sameRetry(a: LockFact, b: LockFact): boolean {
  return (a.retaken?.length ?? 0) === (b.retaken?.length ?? 0) &&
    (a.lostRetry?.length ?? 0) === (b.lostRetry?.length ?? 0) &&
    (a.retakenValues?.length ?? 0) === (b.retakenValues?.length ?? 0) &&
    !!a.afterFault === !!b.afterFault;
}

function union<T extends number | string>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  if (!a || !a.length) return b && b.length ? b : undefined;
  if (!b || !b.length || a === b) return a;
  const out = a.slice();
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out.length > 16 ? out.slice(0, 16) : out;
}
