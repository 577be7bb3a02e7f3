// Function summaries, computed bottom-up over the call graph of everything one
// run sees: the lock effects a function has on its arguments, whether it may
// fault outside a faults-disabled region (with the call chain down to the
// access), the locks it takes anywhere, and whether it is a fault handler.
import type { AtomicKind, LockClass } from '../kernel/table';
import type { LineIndex } from '../syntax/lines';
import { rootOf } from './expr';
import { CLASS_NODES, withoutOf } from './lockgraph';
import type { ChainStep, FunctionFlow, FunctionSummary, LockTake, SummaryEffect } from './types';

export type { ChainStep, FunctionSummary, LockTake, SummaryEffect } from './types';

/**
 * How many calls deep a summary's takes reach. Over a kernel's call graph the
 * full closure is every lock (ext4_page_mkwrite() reached tty_write_lock()
 * through printk); a fault handler's own locks are a call or two away
 * (ttm_bo_vm_fault() -> ttm_bo_vm_reserve() -> dma_resv_lock()).
 */
export const MAX_TAKE_DEPTH = 3;
import { ATOMIC_KINDS, HELD, NONZERO, RELEASED, hasLeft } from './state';
import { releasedOnRetryOnly } from './retry';
import { FAULT_FLAGS } from '../kernel/api';


const MAX_TAKES = 48;
const MAX_CHAIN = 8;

/**
 * What a summary's takes are read for: edges to the documented lock classes
 * (lock-order), and the sleeping locks a fault handler takes, by type
 * (fault-under-fault-path-lock learns them). The spinlocks and untyped locks a
 * callee takes are neither; over Linux 6.12 they were 80 % of all takes and
 * most of every summary's size (1.2 GB of cache, the main thread's GC).
 */
export function takeMatters(t: { cls: LockClass; typeKey?: string }): boolean {
  if (CLASS_NODES[t.cls]) return true;
  return !!t.typeKey && t.cls !== 'spinlock';
}

export function isFaultingEffect(effect: string): boolean {
  return effect === 'user-access' || effect === 'fault-in' || effect === 'gup';
}

/**
 * Every return returns one variable, and the lock is dropped exactly where that variable
 * says so: non-NULL (`fpin`), or carrying a flag (`ret&VM_FAULT_RETRY`). Returns the tag.
 */
function releasedIffReturned(returns: import('./engine').ReturnEvent[], key: string): string | false {
  let tag: string | null = null;
  for (const r of returns) {
    const v = (r.value ?? '').trim();
    if (!/^[A-Za-z_]\w*$/.test(v)) return false;
    const f = r.state.locks.get(key);
    if (!f) return false;
    if (f.droppedIf === v || (f.droppedIf && f.droppedIf.startsWith(v + '&'))) {
      if (tag && tag !== f.droppedIf) return false;
      tag = f.droppedIf;
    } else if (f.paths !== HELD) return false;
  }
  return tag ?? false;
}

/** How a return value reads: 0/false, a negative error or other nonzero, or unknown (a variable). */
function returnClass(value: string | null, r?: import('./engine').ReturnEvent, pointer = false): 'zero' | 'nonzero' | 'neg' | null {
  if (value === null) return null;
  const v = value.replace(/\s+/g, '');
  if (r && /^[A-Za-z_]\w*$/.test(v)) {
    // `return ret` inside `if (ret < 0)`: the branch says what it is
    const nz = r.state.flags.get(v + NONZERO);
    if (nz === true) return pointer ? 'nonzero' : 'neg';
    if (nz === false) return 'zero';
    // a pointer function returning its object (not NULL, not an ERR_PTR() literal)
    if (pointer && v !== 'NULL') return 'nonzero';
  }
  if (pointer && v === 'NULL') return 'zero';
  if (v === '0' || v === 'false') return 'zero';
  if (/^-[A-Z0-9_]+$/.test(v) || /^ERR_PTR\(/.test(v)) return 'neg';
  if (v === '1' || v === 'true') return 'nonzero';
  return null;
}

/**
 * A lock held on every return of 0 and on none of the error returns (or on
 * every `true` and no `false`) is a try-lock by contract. Returns of unknown
 * values make it undecidable: no effect then.
 */
function conditionalOnReturn(returns: import('./engine').ReturnEvent[], key: string, pointer: boolean): 'zero' | 'nonzero' | null {
  let heldZero = 0, freeZero = 0, heldNonzero = 0, freeNonzero = 0;
  let freeUnknown = 0;
  for (const r of returns) {
    const c = returnClass(r.value, r, pointer);
    const f = r.state.locks.get(key);
    const held = !!f && f.paths === HELD;
    const free = !f || (f.paths & HELD) === 0;
    if (!held && !free) return null;
    // `return ret` on the path that dropped the lock, beside `return 0` with it held: the error
    // (btrfs prepare_pages() fails through `fail:` with ret set)
    if (!c) {
      // (arrays only: for one lock, `return error` may be 0 on a path that never took it,
      // as xfs_iolock_two_inodes_and_break_layout() returns 0 with one inode locked)
      if (held || !key.includes('[]')) return null;
      freeUnknown++;
      continue;
    }
    // for a pointer, NULL and ERR_PTR() both fail: they count with each other
    if (c === 'zero' || (pointer && c === 'neg')) held ? heldZero++ : freeZero++;
    else held ? heldNonzero++ : freeNonzero++;
  }
  if (heldZero && !freeZero && (freeNonzero || freeUnknown) && !heldNonzero) return 'zero';
  if (freeUnknown) return null;
  if (heldNonzero && !freeNonzero && freeZero && !heldZero) return 'nonzero';
  return null;
}

/**
 * The caller's lock released on negative returns only, and kept on every
 * return of 0 or a positive constant; unknown return values make it undecidable.
 */
function releasedOnErrorOnly(returns: import('./engine').ReturnEvent[], key: string, pointer: boolean): 'all' | 'some' | false {
  let rel = 0, kept = 0, keptNeg = 0;
  for (const r of returns) {
    // `return ret` inside `if (ret)`: the branch says it is an error
    const c = pointer ? returnClass(r.value) : returnClass(r.value, r);
    const f = r.state.locks.get(key);
    const released = !!f && (f.paths & RELEASED) !== 0 && (f.paths & HELD) === 0 && (f.paths === RELEASED || key.includes('[]'));
    const keptHere = !f || (f.paths & RELEASED) === 0;
    if (released && c === 'neg') rel++;
    else if (keptHere && (c === 'zero' || c === 'nonzero')) kept++;
    // an error return that kept it (nouveau_range_fault() before "unlock mmap_sem on all errors")
    else if (keptHere && c === 'neg' && !key.includes('[]')) keptNeg++;
    // released on some of the paths to one error return (a `ret` set on several branches)
    else if (f && f.paths & RELEASED && c === 'neg' && !key.includes('[]')) {
      rel++;
      keptNeg++;
    }
    else return false;
  }
  if (!rel || !kept) return false;
  return keptNeg ? 'some' : 'all';
}

/**
 * Locks handed back through out-parameters: at each return, what `*param`
 * was last set to (`*foliop = folio`) and whether that object is locked. Held
 * on every return, or on every return of 0 and on no other (iomap_write_begin()
 * returns 0 with the folio locked in *foliop, an error without).
 */
function outParamLocks(returns: import('./engine').ReturnEvent[], params: string[]): SummaryEffect[] {
  const out: SummaryEffect[] = [];
  params.forEach((p, pi) => {
    let held = 0, heldZero = 0, heldOther = 0, free = 0, freeZero = 0;
    let fact: import('./state').LockFact | undefined;
    for (const r of returns) {
      const k = r.outs?.find(([q]) => q === p)?.[1];
      const f = k ? r.state.locks.get(k) : undefined;
      const zero = returnClass(r.value) === 'zero';
      if (f && f.paths === HELD && !f.fromCaller) {
        held++;
        fact = fact ?? f;
        if (zero) heldZero++;
        else heldOther++;
      } else {
        free++;
        if (zero) freeZero++;
      }
    }
    if (!held || !fact) return;
    const base = { effect: 'acquire-out' as const, param: pi, suffix: '', cls: fact.cls, mode: fact.mode };
    if (!free) out.push(base);
    else if (heldZero && !heldOther && !freeZero) out.push({ ...base, success: 'zero' });
  });
  return out;
}

export function computeSummary(
  flow: FunctionFlow,
  file: string,
  lines: LineIndex,
  isFaultHandler: boolean,
): FunctionSummary {
  const fn = flow.fn;
  let mayFault: ChainStep[] | null = null;
  let mayFaultReleased: { param: number; suffix: string }[] = [];
  let mayFaultExits: AtomicKind[] = [];
  // kinds whose count is zero here on every path and went below the entry's on every path
  const exitedAt = (st: import('./state').FlowState): AtomicKind[] => ATOMIC_KINDS.filter((k) => hasLeft(st.atomic[k]));
  let returnsLocked: LockClass | null = null;
  let lockedReturns = 0;
  let blockingReturns = 0;
  let otherReturns = 0;
  const params = fn.params.map((p) => p.name);
  const releasedAt = (st: import('./state').FlowState): { param: number; suffix: string }[] => {
    const out: { param: number; suffix: string }[] = [];
    for (const f of st.locks.values()) {
      if (!f.fromCaller || (f.paths & HELD) !== 0) continue;
      const root = rootOf(f.key);
      const pi = params.indexOf(root);
      if (pi >= 0) out.push({ param: pi, suffix: f.key.slice(root.length) });
      // the task's own mm (`up_read(&current->mm->mmap_sem)` before a copy): the caller's too
      else if (root === 'current') out.push({ param: -1, suffix: f.key });
      // a caller's lock reached through no parameter (btrfs_encoded_read_inline() unlocks the
      // inode's io_tree found from iocb): by class and last member, matched at the call
      else out.push({ param: -2, suffix: `${f.cls}:${/(\w+)$/.exec(f.key)?.[1] ?? ''}` });
    }
    return out;
  };
  const takes: LockTake[] = [];
  const taken = new Set<string>();
  const addTake = (t: LockTake): void => {
    if (takes.length >= MAX_TAKES || !takeMatters(t)) return;
    const id = `${t.cls}|${t.mode}|${t.typeKey ?? ''}|${t.without?.join(',') ?? ''}`;
    if (taken.has(id)) return;
    taken.add(id);
    takes.push(t);
  };
  for (const t of flow.takes) {
    if (takes.length >= MAX_TAKES) break;
    if (takeMatters(t)) addTake({ cls: t.cls, mode: t.mode, typeKey: t.typeKey, expr: t.expr, file, line: lines.line(t.offset), fn: fn.name, ...(t.without ? { without: t.without } : {}) });
  }
  let iterParam: number | undefined;
  for (const e of flow.events) {
    if (e.kind === 'call') {
      if (!mayFault && e.state.faultsOff.min === 0 && !e.kernelIter) {
        const ip = e.iterArg !== undefined ? params.indexOf(rootOf(e.args[e.iterArg] ?? '')) : -1;
        iterParam = ip >= 0 ? ip : undefined;
        const step: ChainStep = { fn: fn.name, file, line: lines.line(e.start), call: e.name };
        if (e.state.faultsOff.max > 0) step.someOff = true;
        const row = e.rows.find((r) => isFaultingEffect(r.effect));
        if (row) {
          mayFault = [{ ...step, effect: row.effect, ...(row.viaIter ? { iter: true } : {}) }];
          mayFaultReleased = releasedAt(e.state);
          mayFaultExits = exitedAt(e.state);
        } else if (e.summary && e.summary.mayFault && e.summary.name !== fn.name) {
          // long chains keep their head and the access at the bottom (whose kind decides severity)
          const tail = e.summary.mayFault;
          mayFault = tail.length + 1 <= MAX_CHAIN ? [step, ...tail] : [step, ...tail.slice(0, MAX_CHAIN - 2), tail[tail.length - 1]];
          if (tail.some((t) => t.someOff)) mayFault[mayFault.length - 1] = { ...mayFault[mayFault.length - 1], someOff: true };
          mayFaultReleased = releasedAt(e.state);
          // the callee's exits are ours where we are at our entry's count (interrupts: enabled whatever the count)
          mayFaultExits = exitedAt(e.state);
          for (const k of e.summary.mayFaultExits ?? []) if (!mayFaultExits.includes(k) && (k === 'irq' || e.state.atomic[k].max === 0)) mayFaultExits.push(k);
          // the callee's own releases, when its argument is one of our parameters
          for (const r of e.summary.mayFaultReleased) {
            if (r.param < 0) {
              mayFaultReleased.push(r);
              continue;
            }
            const a = e.args[r.param];
            const root = a ? rootOf(a) : '';
            const pi = params.indexOf(root);
            if (pi >= 0) mayFaultReleased.push({ param: pi, suffix: a.slice(root.length) + r.suffix });
          }
        }
      }
      if (e.summary) {
        // the caller's locks we had let go of at this call, and those the callee had at its take
        const here = withoutOf(e.state).without;
        for (const t of e.summary.takes) {
          const depth = (t.depth ?? 0) + 1;
          if (depth > MAX_TAKE_DEPTH) continue;
          const without = here ? [...new Set([...(t.without ?? []), ...here])] : t.without;
          addTake({ ...t, depth, ...(without ? { without } : {}) });
        }
      }
    } else if (e.kind === 'return' && e.value) {
      // "returns a locked page" only when every return of an object returns it locked
      const v = e.value.trim();
      if (/^(NULL|0|ERR_PTR\(.*\)|ERR_CAST\(.*\)|-\w+)$/.test(v)) continue;
      // what an ops pointer returns is the implementation's to say (iomap's ->get_folio returns it locked)
      const f = e.returned ?? (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? e.state.locks.get(v) : undefined);
      if (!f && e.throughPointer) continue;
      if (f && f.paths === HELD && f.cls === 'page') {
        lockedReturns++;
        if (!f.tried) blockingReturns++;
      } else otherReturns++;
    }
  }
  if (lockedReturns > 0 && otherReturns === 0) returnsLocked = 'page';
  const effects: SummaryEffect[] = [];
  let releasesTyped: FunctionSummary['releasesTyped'];
  const exit = flow.exitState;
  const returns = flow.events.filter((e): e is import('./engine').ReturnEvent => e.kind === 'return');
  const pointer = /\*/.test(fn.returnType);
  if (exit && flow.converged) {
    const entryHeld = new Set(fn.annotations.filter((a) => a.kind !== 'acquires').map((a) => a.arg.replace(/\s+/g, '').replace(/^&/, '')));
    for (const f of exit.locks.values()) {
      if (f.scope !== undefined || f.atomic === 'rcu') continue;
      const root = rootOf(f.key);
      const pi = params.indexOf(root);
      let effect: SummaryEffect['effect'] | null = null;
      if (f.paths === HELD && !entryHeld.has(f.key) && !f.fromCaller) effect = 'acquire';
      // release effects need the caller's hold let go (not a lock taken and dropped here
      // that a join merged into it: __vmf_anon_prepare()'s trylock under the per-VMA lock)
      else if (!f.releasedCaller) effect = null;
      // released on negative returns only (btrfs lock_and_cleanup_extent() unlocks the pages for
      // -EAGAIN); read from the returns before the join's paths, which for an array hide a return
      // that kept it. No return value is both this and releasedIffReturned()'s plain variable.
      else if (f.fromCaller && f.paths & RELEASED && pi >= 0 && releasedOnErrorOnly(returns, f.key, pointer)) {
        const some = releasedOnErrorOnly(returns, f.key, pointer) === 'some';
        effects.push({ effect: 'release-on-error', param: pi, suffix: f.key.slice(root.length), cls: f.cls, mode: f.mode, ...(some ? { some: true as const } : {}) });
        continue;
      }
      else if (f.paths === RELEASED && f.fromCaller) effect = 'release';
      // released exactly when the returned pointer is non-NULL (do_sync_mmap_readahead()
      // returns the file maybe_unlock_mmap_for_io() pinned): the caller's test decides
      else if (f.fromCaller && f.paths & RELEASED && releasedIffReturned(returns, f.key)) {
        const tag = releasedIffReturned(returns, f.key) as string;
        if (pi >= 0 && tag.includes('&')) {
          effects.push({ effect: 'release-if-flag', flag: tag.split('&')[1], param: pi, suffix: f.key.slice(root.length), cls: f.cls, mode: f.mode });
          continue;
        }
        effect = 'release-if-nonnull';
      }
      // released only where it returns VM_FAULT_RETRY, as a literal (ttm_bo_vm_reserve()): the caller's test decides
      else if (f.fromCaller && f.paths & RELEASED && pi >= 0 && f.cls === 'mmap_lock' && releasedOnRetryOnly(returns, f.key)) {
        effects.push({ effect: 'release-if-flag', flag: FAULT_FLAGS.retry, param: pi, suffix: f.key.slice(root.length), cls: f.cls, mode: f.mode });
        continue;
      }
      // the caller's lock released on some paths only (kept or untouched on others):
      // f2fs_put_page(page, unlock)
      else if (f.fromCaller && f.paths & RELEASED) effect = 'release-some';
      if (!effect && pi >= 0 && !f.fromCaller) {
        const success = conditionalOnReturn(returns, f.key, pointer);
        if (success) {
          // a pointer function holds it on returning its object: the caller's IS_ERR()/NULL test decides
          const s2 = pointer && success === 'nonzero' ? 'nonnull' : success;
          effects.push({ effect: 'try-acquire', success: s2, param: pi, suffix: f.key.slice(root.length), cls: f.cls, mode: f.mode });
          continue;
        }
      }
      if (!effect) continue;
      if (pi >= 0) effects.push({ effect, param: pi, suffix: f.key.slice(root.length), cls: f.cls, mode: f.mode });
      // the task's own mm (`up_read(&current->mm->mmap_sem)` in an arch bad_area() helper): named in full
      else if (root === 'current' && (effect === 'release' || effect === 'acquire')) effects.push({ effect, param: -1, suffix: f.key, cls: f.cls, mode: f.mode });
      else if (effect === 'release' && f.typeKey && !f.typeKey.startsWith('global::') && (releasesTyped ??= []).length < 4) releasesTyped.push({ typeKey: f.typeKey, cls: f.cls });
    }
    effects.push(...outParamLocks(returns, params));
    // a function that returns a try-lock's result is that try-lock (intel_context_lock_pinned())
    const tries = returns.map((r) => r.returnedTry);
    if (returns.length && tries.every((t) => t && t.key === tries[0]?.key && t.success === tries[0]?.success)) {
      const t = tries[0] as NonNullable<(typeof tries)[number]>;
      const root = rootOf(t.key);
      const pi = params.indexOf(root);
      const suffix = t.key.slice(root.length);
      if (pi >= 0 && (t.success === 'zero' || t.success === 'nonzero') && !effects.some((x) => x.param === pi && x.suffix === suffix)) {
        effects.push({ effect: 'try-acquire', success: t.success, param: pi, suffix, cls: t.cls, mode: t.mode });
      }
    }
    // sparse annotations on the definition state the effect even where the body is too odd to follow
    for (const a of fn.annotations) {
      if (a.kind === 'must_hold') continue;
      const key = a.arg.replace(/\s+/g, '').replace(/^&/, '');
      const root = rootOf(key);
      const pi = params.indexOf(root);
      if (pi < 0) continue;
      const effect = a.kind === 'acquires' ? 'acquire' : 'release';
      if (!effects.some((x) => x.param === pi && x.suffix === key.slice(root.length))) {
        effects.push({ effect, param: pi, suffix: key.slice(root.length), cls: 'other', mode: 'excl' });
      }
    }
  }
  let atomicNet: FunctionSummary['atomicNet'];
  if (exit && flow.converged) {
    for (const k of ATOMIC_KINDS) {
      const c = exit.atomic[k];
      // interrupts are on or off, not a count: having left them on (for the caller at any depth,
      // as mayFaultExits reads it) is leaving them on whatever the caller's depth
      // (left and entered again, schedule_preempt_disabled(): no net effect)
      const net = c.min >= 1 && !c.under ? 'enter' : hasLeft(c) ? (k === 'irq' ? 'leave-all' : 'leave') : null;
      if (net) (atomicNet ??= {})[k] = net;
    }
  }
  const faultsNet = exit && flow.converged && !flow.enteredFaultsOff ? (exit.faultsOff.min >= 1 ? 'off' : hasLeft(exit.faultsOff) ? 'on' : undefined) : undefined;
  return {
    name: fn.name,
    file,
    line: lines.line(fn.start),
    ...(atomicNet ? { atomicNet } : {}),
    ...(faultsNet ? { faultsNet } : {}),
    ...(flow.converged && !exit && !fn.body.hasError ? { noReturn: true as const } : {}),
    ...(flow.returnTokens.length ? { returnsTokens: flow.returnTokens } : {}),
    ...(releasesTyped ? { releasesTyped } : {}),
    ...(mayFault && iterParam !== undefined && mayFault[mayFault.length - 1].iter ? { iterParam } : {}),
    isStatic: fn.isStatic,
    mayFault,
    mayFaultReleased,
    ...(mayFault && mayFaultExits.length ? { mayFaultExits } : {}),
    effects,
    returnsLocked,
    ...(returnsLocked && !blockingReturns ? { returnsTryLocked: true as const } : {}),
    takes,
    isFaultHandler,
  };
}
