// Lock-state dataflow over one function's CFG, to a fixpoint. Transfer
// functions read the kernel table and callee summaries; the engine reports
// events (calls with the state before them, double acquire/release, returns)
// and the checks decide what to say (clang ThreadSafety: the analysis calls a
// handler, the handler speaks).
import { buildCfg, Cfg, CfgNode, Edge } from '../cfg/cfg';
import type { ApiRow, KernelTable, LockClass, Success, AtomicKind } from '../kernel/table';
import { classOfField } from '../kernel/table';
import { FAULT_FLAGS, FLAG_MACROS, FLAG_TEST_HELPERS, ITER_SETUP, VMA_LOOKUPS } from '../kernel/api';
import type { FunctionInfo } from '../syntax/functions';
import { declaratorName, typeName } from '../syntax/functions';
import { SyntaxNode, namedChildren, textOf } from '../syntax/tree';
import { constantValueFact, errTagged, errorReleaseConflict, forgetErrTag, narrowOnZero, tagErrorRelease } from './error-release';
import { argAt, callArgs, calleeName, canonText, collective, isAliasable, isCollective, resolveAliases, rootOf } from './expr';
import {
  FlowState, LockFact, Pending, HELD, RELEASED, UNTOUCHED,
  ATOMIC_KINDS, FRESH, NONZERO, STALE, bump, cloneState, emptyState, isFlagKey, joinStates, leftCounter, mergeSites, sameState,
} from './state';
import type { FlowEvent, FunctionFlow, FunctionSummary, NestedAcquire, ReturnEvent, TakeSite } from './types';

export type { CallEvent, FlowEvent, FunctionFlow, LockEvent, NestedAcquire, ReleaseEvent, ReturnEvent, TakeSite, VmaUseEvent } from './types';
import { saysReleased } from './retry';

/** A release settles what an earlier drop and re-take left (retry.ts). */
const NOT_RETAKEN: Partial<LockFact> = { retaken: undefined, retakenValues: undefined, lostRetry: undefined, afterFault: undefined };
import { withoutOf } from './lockgraph';

/** A function body's assignments to plain variables and its calls, in no particular order. */
interface BodyScan {
  assigns: { v: string; op: string; rhs: SyntaxNode }[];
  /** Iterators the function marks `->nofault = true` (their copies and pinning fail instead of faulting). */
  nofault: string[];
  calls: SyntaxNode[];
}

/** The variable name the value of `return call(..)` is tracked under while the return is evaluated. */
const RETURNED = '@return';

function stripParens(n: SyntaxNode): SyntaxNode {
  let x = n;
  for (let i = 0; i < 8 && (x.type === 'parenthesized_expression' || x.type === 'cast_expression'); i++) {
    const inner = x.type === 'cast_expression' ? x.childForFieldName('value') : x.namedChild(0);
    if (!inner) break;
    x = inner;
  }
  return x;
}

export interface EngineContext {
  table: KernelTable;
  summaryOf(name: string): FunctionSummary | null;
  /** Locks known to be held on entry though nothing in the text says so (a hunk that starts mid-function). */
  assumeHeld?: AssumedLock[];
  /** Page faults known to be disabled on entry (a hunk that re-enables them without disabling them). */
  assumeFaultsOff?: boolean;
  /** A ->fault / ->page_mkwrite handler: entered with the faulting mm's mmap_lock held for read. */
  faultHandler?: boolean;
  /** The text starts mid-function (a hunk): what holds on the function's entry does not hold here. */
  entryUnknown?: boolean;
  /** Wall-clock budget of the fixpoint (default FUNCTION_TIME_BUDGET_MS); past it the function is not analysed. */
  timeBudgetMs?: number;
}

/** For pathological input (generated code, macro soup), not for ordinary kernel functions. */
export const FUNCTION_TIME_BUDGET_MS = 3000;

/** `via` of a lock inferred held at the start of a hunk (patch review). */
export const HELD_BEFORE_HUNK = '(before the hunk)';

/** `via` of the mmap_lock a fault handler is entered with. */
export const FAULT_ENTRY = '(held on entry to the fault handler)';

export interface AssumedLock {
  key: string;
  cls: LockClass;
  mode: LockFact['mode'];
  /** Why: shown as the acquisition's `via`. */
  via: string;
}

interface EvalCtx {
  assignTo: string | null;
  discarded: boolean;
  inCond: boolean;
  node: CfgNode;
  /** The value is only tested (`!vma`, `vma ? .. : ..`, `vma == NULL`): a pointer test is no use of the object. */
  testOnly?: boolean;
}

const COMPARE_OPS = new Set(['==', '!=', '<', '>=', '>', '<=']);

export function analyzeFunction(fn: FunctionInfo, src: string, ctx: EngineContext): FunctionFlow {
  const cfg = buildCfg(fn.body, src, !!ctx.entryUnknown);
  const varTypes = collectVarTypes(fn, src);
  const takes: TakeSite[] = [];
  const nested: NestedAcquire[] = [];
  const callees = new Set<string>();
  /** The node being transferred called a function that never returns, as a statement of its own. */
  let died = false;
  let events: FlowEvent[] | null = null;

  const emit = (e: FlowEvent): void => {
    if (events) events.push(e);
  };

  const typeKeyOf = (key: string): string | undefined => {
    const root = rootOf(key);
    if (!root) return undefined;
    const t = varTypes.get(root);
    if (t === undefined) return 'global::' + key;
    if (!t) return undefined;
    const rest = key.slice(root.length).replace(/^(->|\.)/, '');
    return rest ? `${t}::${rest}` : undefined;
  };

  const lockKey = (text: string, state: FlowState, field?: string): { key: string; expr: string } => {
    let base = canonText(text);
    if (field) base = base + '->' + field;
    // `pages[i]`: one collective lock for every element of the array (btrfs prepare_pages())
    let key = collective(resolveAliases(base, state.aliases).replace(/->mmap_sem$/, '->mmap_lock'));
    // `vma = find_vma(mm, ..)`: vma->vm_mm is mm
    const vm = /^([A-Za-z_]\w*)->vm_mm->/.exec(key);
    const mmOf = vm ? vmaMm().get(vm[1]) : undefined;
    if (vm && mmOf) key = resolveAliases(mmOf, state.aliases) + key.slice(vm[1].length + '->vm_mm'.length);
    return { key, expr: base };
  };

  const makeFact = (
    key: string, expr: string, cls: LockClass, mode: LockFact['mode'], site: number, via: string, paths = HELD,
  ): LockFact => {
    const f: LockFact = { key, cls, expr, mode, paths, sites: [site], via };
    if (cls === 'spinlock') f.atomic = 'preempt';
    if (cls === 'mutex' || cls === 'rwsem' || cls === 'spinlock' || cls === 'other') f.typeKey = typeKeyOf(expr);
    return f;
  };

  const acquire = (s: FlowState, fact: LockFact, start: number, end: number, name: string, node: CfgNode, downgrade = false): void => {
    const old = s.locks.get(fact.key);
    if (old && old.paths === HELD && !(old.mode === 'read' && fact.mode === 'read') && !downgrade && !old.escaped && !isCollective(fact.key)) {
      emit({ kind: 'double-acquire', fact: old, name, start, end, node: node.id });
    }
    // the caller's lock dropped and taken again here: still the caller's (no summary effect)
    if (old && old.fromCaller) fact.fromCaller = true;
    // ... and a vma the caller goes on with may have changed or gone meanwhile (retry.ts)
    if (old && old.fromCaller && old.cls === 'mmap_lock' && old.paths & RELEASED && old.releasedCaller) {
      fact.retaken = mergeSites(old.retaken ?? [], [start]);
      if (old.afterFault) fact.afterFault = true;
    }
    // a downgrade (downgrade_write(), xfs_ilock_demote()) waits for no one: no lock-order edge
    if (events && !fact.tried && !downgrade) {
      for (const h of s.locks.values()) {
        if (h.key !== fact.key && h.paths & HELD && h.scope === undefined) nested.push({ held: h, taken: fact, offset: start, end });
      }
    }
    s.locks.set(fact.key, fact);
    if (isCollective(fact.key)) ownArrays.add(fact.key);
    takes.push({ cls: fact.cls, mode: fact.mode, expr: fact.expr, typeKey: fact.typeKey, offset: start, via: name, ...withoutOf(s) });
  };
  /**
   * Arrays this function locks elements of: releasing one of those with nothing
   * recorded is the zero-trip case of its own unwind loop (btrfs prepare_pages()
   * failing on the first page), not the caller's lock.
   */
  const ownArrays = new Set<string>();
  const paramNames = new Set(fn.params.map((p) => p.name).filter((n) => !!n));

  const release = (s: FlowState, key: string, expr: string, cls: LockClass, start: number, end: number, name: string, node: CfgNode): void => {
    const old = s.locks.get(key);
    if (old && old.paths === RELEASED && !old.escaped && !isCollective(key)) emit({ kind: 'double-release', fact: old, name, start, end, node: node.id });
    else {
      const onError = errorReleaseConflict(old, s, expr);
      if (onError && old) emit({ kind: 'double-release', fact: old, name, start, end, node: node.id, onError });
    }
    if (!old) {
      // The same lock reached through another path (xlog_wait_on_iclog(ctx->commit_iclog->ic_prev)
      // drops log->l_icloglock as iclog->ic_log->l_icloglock): a held lock of the same class and
      // member may be this one, so it is no longer held on every path.
      // With exactly one such candidate it is taken to be that lock (an alias lost at a join,
      // cur_op = op in a list walk); with several, each is only possibly released.
      const field = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(key)?.[1];
      // (not the same path from another parameter: VFS_I(ip2)->i_rwsem is not VFS_I(ip1)'s lost at a join)
      const paramsOf = (t: string): string[] => (t.match(/[A-Za-z_]\w*/g) ?? []).filter((w) => paramNames.has(w));
      const shape = (t: string): string => t.replace(/[A-Za-z_]\w*/g, (w) => (paramNames.has(w) ? '$' : w));
      const otherParam = (k: string): boolean => paramsOf(key).length === 1 && paramsOf(k).length === 1 && paramsOf(k)[0] !== paramsOf(key)[0] && shape(k) === shape(key);
      const same = [...s.locks].filter(([k, f]) => (f.cls === cls || cls === 'other') && (f.paths & HELD) && !!field && k !== key && k.endsWith('->' + field) && !otherParam(k));
      for (const [k, f] of same) s.locks.set(k, { ...f, paths: same.length === 1 ? RELEASED : f.paths | RELEASED });
    }
    const base: LockFact = old ?? { key, cls, expr, mode: 'excl', paths: UNTOUCHED, sites: [], via: name, typeKey: typeKeyOf(expr) };
    if (cls === 'mmap_lock' || base.cls === 'mmap_lock') {
      staleLookups(s);
      markStale(s);
    }
    // an annotated lock (class unknown until now) learns its class from the primitive that drops it
    const known = base.cls === 'other' ? cls : base.cls;
    s.locks.set(key, {
      ...base,
      ...NOT_RETAKEN,
      cls: known,
      paths: RELEASED,
      droppedIf: resultFlagGuard(s),
      condVar: undefined,
      sites: old ? old.sites : [start],
      fromCaller: old ? old.fromCaller : !ownArrays.has(key),
      // under FAULT_FLAG_VMA_LOCK the caller holds the per-VMA lock, not mmap_lock: an mmap_lock
      // released there is one taken here (__vmf_anon_prepare()'s trylock), whatever a join says
      releasedCaller:
        known === 'mmap_lock' && s.flags.get(FAULT_FLAGS.vmaLock) === true
          ? false
          : old
            ? !!old.fromCaller || !!old.releasedCaller
            : !ownArrays.has(key),
      releaseSites: mergeSites(old?.releaseSites ?? [], [start]),
    });
  };

  /** `vma = find_vma(mm, ..)`: a vma looked up under the lock as it is now (fresh until mmap_lock is dropped again). */
  const markLookup = (s: FlowState, v: string, right: SyntaxNode | null): void => {
    if (!right || right.type !== 'call_expression' || !(calleeName(src, right) in VMA_LOOKUPS)) return;
    if (s.flags.get(v + FRESH) === true) return;
    s.flags = new Map(s.flags);
    s.flags.set(v + FRESH, true);
  };
  /**
   * mmap_lock dropped: every vma variable holds a pointer the lock no longer protects, until it
   * is set again (`vma = find_vma(..)`, `revalidate(.., &vma)`) or compared with a fresh lookup;
   * taking the lock again does not make it valid (khugepaged collapse_huge_page(), 2017).
   */
  let vmaVars: string[] | null = null;
  const markStale = (s: FlowState): void => {
    vmaVars ??= [...varTypes].filter(([, t]) => t === 'struct vm_area_struct').map(([v]) => v);
    if (!vmaVars.length || vmaVars.every((v) => s.flags.get(v + STALE) === true)) return;
    s.flags = new Map(s.flags);
    for (const v of vmaVars) s.flags.set(v + STALE, true);
  };
  const unstale = (s: FlowState, v: string): void => {
    if (!s.flags.has(v + STALE)) return;
    s.flags = new Map(s.flags);
    s.flags.delete(v + STALE);
  };
  /** mmap_lock dropped: every vma looked up so far may be stale. */
  const staleLookups = (s: FlowState): void => {
    if (![...s.flags.keys()].some((k) => k.endsWith(FRESH))) return;
    s.flags = new Map([...s.flags].filter(([k]) => !k.endsWith(FRESH)));
  };

  const clearVar = (s: FlowState, v: string): void => {
    s.aliases.delete(v);
    if (s.pending.some((p) => p.target === v)) s.pending = s.pending.filter((p) => p.target !== v);
  };

  // ---- guards (linux/cleanup.h) ---------------------------------------
  const guardFact = (s: FlowState, type: string, lockText: string | null, site: number, scope: number): LockFact => {
    const t = type.trim();
    let cls: LockClass = 'other';
    let mode: LockFact['mode'] = 'excl';
    let atomic: AtomicKind | undefined;
    if (/spinlock|read_lock|write_lock|raw_spin/.test(t)) cls = 'spinlock';
    else if (/^rcu/.test(t)) atomic = 'rcu';
    else if (/^preempt/.test(t)) atomic = 'preempt';
    else if (/^irq/.test(t)) atomic = 'irq';
    else if (/^mmap_read_lock/.test(t)) {
      cls = 'mmap_lock';
      mode = 'read';
    } else if (/mutex/.test(t)) cls = 'mutex';
    else if (/rwsem_read/.test(t)) {
      cls = 'rwsem';
      mode = 'read';
    } else if (/rwsem_write/.test(t)) {
      cls = 'rwsem';
      mode = 'write';
    }
    const { key, expr } = lockText ? lockKey(lockText, s, cls === 'mmap_lock' ? 'mmap_lock' : undefined) : { key: `guard(${t})@${site}`, expr: t };
    if (lockText && (cls === 'mutex' || cls === 'rwsem')) cls = classOfField(ctx.table, key) ?? cls;
    const f = makeFact(atomic ? `${t}@${site}` : key, expr, cls, mode, site, `guard(${t})`);
    f.scope = scope;
    if (atomic) f.atomic = atomic;
    return f;
  };

  const mayBeDropped = (s: FlowState): boolean => {
    for (const f of s.locks.values()) if (f.cls === 'mmap_lock' && f.paths & RELEASED) return true;
    return false;
  };

  // ---- calls ---------------------------------------------------------
  const applyCall = (call: SyntaxNode, s: FlowState, ec: EvalCtx): void => {
    const fnNode = call.childForFieldName('function');
    const args = callArgs(call);
    const start = call.startIndex;
    const end = call.endIndex;
    // guard(mutex)(&lock): a call whose callee is the call guard(type)
    if (fnNode && fnNode.type === 'call_expression' && calleeName(src, fnNode) === 'guard') {
      if (!ctx.table.rows.has('guard')) return;
      const inner = callArgs(fnNode);
      const type = inner[0] ? textOf(src, inner[0]) : '';
      const scope = ec.node.scopes.length ? ec.node.scopes[ec.node.scopes.length - 1] : -1;
      const f = guardFact(s, type, args[0] ? textOf(src, args[0]) : null, start, scope);
      acquire(s, f, start, end, 'guard', ec.node);
      return;
    }
    const name = calleeName(src, call);
    if (!name) return;
    callees.add(name);
    const rows = ctx.table.rows.get(name) ?? [];
    const summary = rows.length ? null : ctx.summaryOf(name);
    const argKeys = args.map((a) => resolveAliases(canonText(textOf(src, a)), s.aliases));
    const iterArg = rows.some((r) => r.viaIter) ? argKeys.findIndex((a) => isIterType(varTypes.get(rootOf(a)))) : summary?.iterParam;
    const kernelIter =
      (iterArg !== undefined && iterArg >= 0 && !!argKeys[iterArg] && kernelIters().has(rootOf(argKeys[iterArg]))) ||
      // an iterator marked nofault handed to a callee whose summary does not say which argument
      // its access goes through (iomap_dio_rw() pins pages from it): it fails instead of faulting
      (iterArg === undefined && argKeys.some((a) => bodyScan().nofault.includes(rootOf(a)) && isIterType(varTypes.get(rootOf(a)))));
    emit({
      kind: 'call', name, start, end, rows, summary, state: snapshot(s),
      discarded: ec.discarded, assignedTo: ec.assignTo, node: ec.node.id, args: argKeys,
      ...(iterArg !== undefined && iterArg >= 0 ? { iterArg } : {}), ...(kernelIter ? { kernelIter } : {}),
    });
    if (!rows.length) markEscaped(s, argKeys);
    for (const a of args) {
      const m = /^&\s*([A-Za-z_]\w*)$/.exec(textOf(src, a).trim());
      if (m) unstale(s, m[1]);
    }
    if (ec.node.ast === call && ec.node.kind === 'expr' && (ctx.table.noReturn.has(name) || summary?.noReturn)) died = true;
    const target = ec.assignTo ?? (ec.inCond ? '@' + start : null);
    for (const row of rows) applyRow(row, name, args, s, ec, target, start, end);
    if (summary) applySummary(summary, name, args, s, ec, start, end);
  };

  /**
   * A lock object handed to a function we have no row for may come back unlocked
   * (I/O completion unlocks pages), or locked again (jffs2_reserve_space() takes
   * c->alloc_sem for jffs2_complete_reservation() to drop): no double lock or
   * unlock is claimed across such a call.
   */
  const markEscaped = (s: FlowState, argKeys: string[]): void => {
    if (s.locks.size === 0) return;
    for (const [k, f] of s.locks) {
      if (f.escaped && !f.escapedOwner) continue;
      const root = rootOf(k);
      // the lock itself, its address (a macro around spin_unlock(): jffs2's sleep_on_spinunlock()) or its owner
      if (argKeys.some((a) => a === k || a === '&' + k)) s.locks.set(k, { ...f, escaped: true, escapedOwner: undefined });
      // only its owner went (`helper(svm)` for svm->mm->mmap_lock): kept apart for the error-path release
      else if (root !== k && argKeys.includes(root)) s.locks.set(k, { ...f, escaped: true, escapedOwner: f.escapedOwner ?? true });
    }
  };

  /** The expression is a struct vm_fault (by declared type, or the kernel's usual name). */
  const isVmf = (text: string): boolean => {
    const t = canonText(text);
    const type = varTypes.get(rootOf(t));
    return rootOf(t) === t && (type === 'struct vm_fault' || (!type && t === 'vmf'));
  };

  /** `vmf`, `vma` or `mm` to the mmap_lock of its mm, by declared type (or by the kernel's usual names). */
  const mmLockOf = (text: string): string => {
    const t = canonText(text);
    const type = varTypes.get(rootOf(t)) ?? '';
    const isRoot = rootOf(t) === t;
    if (isRoot && (type === 'struct vm_fault' || (!type && t === 'vmf'))) return t + '->vma->vm_mm->mmap_lock';
    if (isRoot && (type === 'struct vm_area_struct' || (!type && t === 'vma'))) return t + '->vm_mm->mmap_lock';
    if (/->vma$/.test(t)) return t + '->vm_mm->mmap_lock';
    return t + '->mmap_lock';
  };

  // ---- one walk of the body, for the flow-insensitive facts below ------------
  // Every assignment to a plain variable (`v = rhs`, `v |= rhs`, `T v = rhs`) and
  // every call, found once per function and only when a fact below is asked for.
  let scanned: BodyScan | null = null;
  const bodyScan = (): BodyScan => {
    if (scanned) return scanned;
    const found: BodyScan = { assigns: [], calls: [], nofault: [] };
    const stack: SyntaxNode[] = [fn.body];
    while (stack.length) {
      const x = stack.pop() as SyntaxNode;
      if (x.type === 'assignment_expression') {
        const l = x.childForFieldName('left');
        const r = x.childForFieldName('right');
        const op = x.childForFieldName('operator');
        if (l && r && l.type === 'identifier') found.assigns.push({ v: textOf(src, l), op: op ? textOf(src, op) : '=', rhs: r });
        // `from->nofault = true` (iov_iter.nofault, 3337ab08d08b, 5.16): gfs2 direct I/O under its glock
        const nf = l && r ? /^([A-Za-z_]\w*)(->|\.)nofault$/.exec(textOf(src, l).replace(/\s+/g, '')) : null;
        if (nf && r && textOf(src, r).trim() === 'true') found.nofault.push(nf[1]);
      } else if (x.type === 'init_declarator') {
        const name = declaratorName(x.childForFieldName('declarator'), src);
        const r = x.childForFieldName('value');
        if (name && r) found.assigns.push({ v: name, op: '=', rhs: r });
      } else if (x.type === 'call_expression') found.calls.push(x);
      for (const c of namedChildren(x)) stack.push(c);
    }
    return (scanned = found);
  };

  // ---- vma lookups ---------------------------------------------------------
  // The mm each vma variable was looked up in (`vma = find_vma(mm, addr)`), over
  // the whole function; a variable also set otherwise is left out.
  let vmaMms: Map<string, string> | null = null;
  const vmaMm = (): Map<string, string> => {
    if (vmaMms) return vmaMms;
    vmaMms = new Map();
    const other = new Set<string>();
    for (const { v, op, rhs } of bodyScan().assigns) {
      if (op !== '=') continue;
      const call = rhs.type === 'call_expression' ? rhs : null;
      const name = call ? calleeName(src, call) : '';
      const arg = call && name in VMA_LOOKUPS ? callArgs(call)[VMA_LOOKUPS[name]] : null;
      const mm = arg ? canonText(textOf(src, arg)) : '';
      if (mm && isAliasable(mm) && (!vmaMms.has(v) || vmaMms.get(v) === mm)) vmaMms.set(v, mm);
      else if (textOf(src, rhs).trim() !== 'NULL') other.add(v);
    }
    for (const v of other) vmaMms.delete(v);
    return vmaMms;
  };

  // ---- iterator kinds -----------------------------------------------------
  // `iov_iter_bvec(&iter, ITER_SOURCE, ..)`: a kernel iterator, whose copies
  // cannot fault (orangefs_writepage_locked() hands one to wait_for_direct_io()).
  // Flow-insensitive: a variable also set up from user memory stays unknown.
  let kIters: Set<string> | null = null;
  const kernelIters = (): Set<string> => {
    if (kIters) return kIters;
    kIters = new Set();
    const user = new Set<string>();
    for (const x of bodyScan().calls) {
      const kind = ITER_SETUP[calleeName(src, x)];
      const a = kind ? callArgs(x)[0] : null;
      if (a) (kind === 'kernel' ? kIters : user).add(rootOf(canonText(textOf(src, a))));
    }
    for (const u of user) kIters.delete(u);
    // (flow-insensitive like the setups: gfs2 sets it around the call and clears it after)
    for (const v of bodyScan().nofault) kIters.add(v);
    return kIters;
  };

  // ---- flag constants --------------------------------------------------
  // `fgf_t fgp = FGP_WRITEBEGIN | FGP_NOFS; ... __filemap_get_folio(.., fgp, ..)`:
  // the flags a local variable may carry, as the union over its assignments
  // (flow-insensitive: a flag set on some path counts), through helpers that
  // return flags (btrfs get_prepare_fgp_flags()) and flag macros (FLAG_MACROS).
  let varTokens: Map<string, Set<string>> | null = null;
  const tokensOf = (n: SyntaxNode, out: Set<string>): void => {
    const stack = [n];
    while (stack.length) {
      const x = stack.pop() as SyntaxNode;
      if (x.type === 'identifier') {
        const t = textOf(src, x);
        if (/^[A-Z][A-Z0-9_]+$/.test(t)) {
          out.add(t);
          for (const m of FLAG_MACROS[t] ?? []) out.add(m);
        } else for (const v of localTokens().get(t) ?? []) out.add(v);
        continue;
      }
      if (x.type === 'call_expression') {
        const name = calleeName(src, x);
        for (const v of (name && ctx.summaryOf(name)?.returnsTokens) || []) out.add(v);
        continue;
      }
      for (const c of namedChildren(x)) stack.push(c);
    }
  };
  /**
   * Only a function whose text names a flag a row tests, a macro standing for one
   * or a callee that returns one can return such a flag: the rest skip the walk.
   */
  let mentions: boolean | null = null;
  const mentionsFlags = (): boolean => {
    if (mentions !== null) return mentions;
    const body = src.slice(fn.body.startIndex, fn.body.endIndex);
    mentions = ctx.table.flagWords.some((n) => body.includes(n)) || [...callees].some((c) => !!ctx.summaryOf(c)?.returnsTokens);
    return mentions;
  };
  const localTokens = (): Map<string, Set<string>> => {
    if (varTokens) return varTokens;
    varTokens = new Map();
    const assigns = bodyScan().assigns.filter((a) => a.op === '=' || a.op === '|=').map((a): [string, SyntaxNode] => [a.v, a.rhs]);
    // two rounds: a variable assigned from another (flags = base | FGP_NOWAIT)
    for (let round = 0; round < 2; round++) {
      for (const [name, r] of assigns) {
        const set = varTokens.get(name) ?? new Set<string>();
        const probe = new Set<string>();
        tokensOf(r, probe);
        for (const t of probe) set.add(t);
        varTokens.set(name, set);
      }
    }
    return varTokens;
  };
  const argHasFlag = (args: SyntaxNode[], flag: { arg: number; token: string }): boolean => {
    const fa = argAt(args, flag.arg);
    if (!fa) return false;
    if (textOf(src, fa).includes(flag.token)) return true;
    const toks = new Set<string>();
    tokensOf(fa, toks);
    for (const t of toks) if (t.includes(flag.token)) return true;
    return false;
  };
  const returnTokens = new Set<string>();

  const rowLock = (row: ApiRow, args: SyntaxNode[], s: FlowState): { key: string; expr: string; cls: LockClass } | null => {
    const a = argAt(args, row.arg ?? 0);
    if (!a) return null;
    if (row.mmOf) {
      if (row.vmfArg && !isVmf(textOf(src, a))) return null;
      // handle_mm_fault(.., FAULT_FLAG_RETRY_NOWAIT, ..): VM_FAULT_RETRY comes back with the lock held
      const kept = row.keptWithArgFlag ? argAt(args, row.keptWithArgFlag.arg) : null;
      if (kept && row.keptWithArgFlag && textOf(src, kept).includes(row.keptWithArgFlag.token)) return null;
      // flags written out without FAULT_FLAG_ALLOW_RETRY: the fault may not drop the lock (ksm's break_ksm())
      const allow = row.onlyWithArgFlag ? argAt(args, row.onlyWithArgFlag.arg) : null;
      if (allow && row.onlyWithArgFlag) {
        const t = textOf(src, allow).replace(/[()\s]/g, '');
        if (/^[A-Z][A-Z0-9_]*(\|[A-Z][A-Z0-9_]*)*$/.test(t) && !t.split('|').includes(row.onlyWithArgFlag.token)) return null;
      }
      const { key, expr } = lockKey(mmLockOf(textOf(src, a)), s);
      return { key, expr, cls: 'mmap_lock' };
    }
    if (row.argFlag && !argHasFlag(args, row.argFlag)) return null;
    const { key, expr } = lockKey(textOf(src, a), s, row.field);
    let cls: LockClass = row.lock ?? 'other';
    if (row.classFromField) cls = classOfField(ctx.table, key) ?? cls;
    return { key, expr, cls };
  };

  const modeOf = (row: ApiRow): LockFact['mode'] => row.mode ?? 'excl';

  const applyRow = (
    row: ApiRow, name: string, args: SyntaxNode[], s: FlowState, ec: EvalCtx, target: string | null, start: number, end: number,
  ): void => {
    switch (row.effect) {
      case 'acquire': {
        const l = rowLock(row, args, s);
        if (l) acquire(s, makeFact(l.key, l.expr, l.cls, modeOf(row), start, name), start, end, name, ec.node, !!row.downgrade);
        return;
      }
      case 'release': {
        const l = rowLock(row, args, s);
        if (!l) return;
        emit({ kind: 'release', name, row, key: l.key, cls: l.cls, start, end, state: snapshot(s), node: ec.node.id });
        release(s, l.key, l.expr, l.cls, start, end, name, ec.node);
        return;
      }
      case 'release-ret': {
        // maybe_unlock_mmap_for_io(): released iff the result is non-NULL, decided where it is tested
        const l = rowLock(row, args, s);
        if (!l) return;
        // a new fault attempt: what an earlier one left behind is settled by this one's result
        const found = s.locks.get(l.key);
        const before: LockFact = found ? { ...found, ...NOT_RETAKEN } : { ...makeFact(l.key, l.expr, l.cls, modeOf(row), start, name), fromCaller: true };
        emit({ kind: 'release', name, row, key: l.key, cls: l.cls, start, end, state: snapshot(s), node: ec.node.id });
        if (l.cls === 'mmap_lock') staleLookups(s);
        const dropped: LockFact = {
          ...before,
          paths: before.paths | RELEASED,
          // `ret = handle_mm_fault(..)`: dropped where ret carries VM_FAULT_RETRY
          droppedIf: row.maybe || !target ? undefined : row.success === 'flag' && row.retFlag ? `${target}&${row.retFlag}` : target,
          releaseSites: mergeSites(before.releaseSites ?? [], [start]),
          releasedCaller: !!before.fromCaller || !!before.releasedCaller,
          via: before.via,
        };
        s.locks.set(l.key, dropped);
        if (target) {
          s.pending = s.pending.filter((p) => p.target !== target || p.fact.key !== l.key);
          s.pending.push({ target, success: row.success ?? 'nonnull', action: row.maybe ? 'maybe-release' : 'release', fact: before, flag: row.retFlag, onlyFlag: row.onlyFlag });
        }
        return;
      }
      case 'try-acquire': {
        const l = rowLock(row, args, s);
        if (!l) return;
        const fact = makeFact(l.key, l.expr, l.cls, modeOf(row), start, name);
        // mutex_lock_interruptible() waits like mutex_lock(): a take, whatever it returns;
        // mutex_trylock() waits for nothing: no take, and no lock-order edge from what it locks
        const waits = !/try/.test(name);
        if (!waits) fact.tried = true;
        if (target) {
          s.pending = s.pending.filter((p) => p.target !== target);
          s.pending.push({ target, success: row.success ?? 'nonzero', action: 'add', fact });
          if (waits) takes.push({ cls: fact.cls, mode: fact.mode, expr: fact.expr, typeKey: fact.typeKey, offset: start, via: name, ...withoutOf(s) });
        } else if (ec.discarded) {
          // Result ignored: the common case of a lock that practically always
          // succeeds (mutex_lock_killable() in a path that cannot be killed).
          acquire(s, fact, start, end, name, ec.node);
        }
        return;
      }
      case 'acquire-ret': {
        if (row.argFlag && !argHasFlag(args, row.argFlag)) return;
        if (!ec.assignTo) return;
        const { key, expr } = lockKey(ec.assignTo, s);
        const fact = makeFact(key, expr, row.lock ?? 'page', modeOf(row), start, name);
        fact.condVar = ec.assignTo;
        // an array's collective lock goes back to what the elements before this one held if it fails
        const prev = isCollective(key) ? s.locks.get(key) : undefined;
        s.locks.delete(key); // the variable now names another object
        acquire(s, fact, start, end, name, ec.node);
        s.pending = s.pending.filter((p) => p.target !== ec.assignTo);
        s.pending.push({ target: ec.assignTo, success: row.success ?? 'nonnull', action: 'drop', fact, ...(prev ? { prev } : {}) });
        return;
      }
      case 'acquire-out': {
        const a = argAt(args, row.arg ?? -2);
        if (!a) return;
        const t = textOf(src, a).trim();
        if (!t.startsWith('&')) return;
        if (row.success === 'nonnull' && !target) return; // pte_offset_map_lock() result unused: cannot tell
        const { key, expr } = lockKey(t, s);
        const fact = makeFact(key, expr, row.lock ?? 'page', modeOf(row), start, name);
        acquire(s, fact, start, end, name, ec.node);
        if (target) {
          s.pending = s.pending.filter((p) => p.target !== target);
          s.pending.push({ target, success: row.success ?? 'zero', action: 'drop', fact });
        }
        return;
      }
      case 'faults-off':
        s.faultsOff = bump(s.faultsOff, 1, start);
        return;
      case 'faults-on':
        s.faultsOff = bump(s.faultsOff, -1, null);
        return;
      case 'atomic-enter':
        if (row.atomic) moveAtomic(s, row.atomic, 'enter', start);
        return;
      case 'atomic-exit':
        if (row.atomic) moveAtomic(s, row.atomic, row.absolute ? 'leave-all' : 'leave', start);
        return;
      default:
        return; // accesses and copies change no state; checks read the call event
    }
  };

  /** One level in, one out, or out whatever the depth (local_irq_enable()): for rows and wrappers alike. */
  const moveAtomic = (s: FlowState, k: AtomicKind, move: 'enter' | 'leave' | 'leave-all', site: number): void => {
    const c = move === 'enter' ? bump(s.atomic[k], 1, site) : move === 'leave' ? bump(s.atomic[k], -1, null) : leftCounter();
    s.atomic = { ...s.atomic, [k]: c };
  };

  const applySummary = (
    sum: FunctionSummary, name: string, args: SyntaxNode[], s: FlowState, ec: EvalCtx, start: number, end: number,
  ): void => {
    // results this call decides (one return value can decide several locks: btrfs
    // lock_and_cleanup_extent() keeps the range locked on 0 and unlocks the pages on -EAGAIN)
    const before0 = new Set(s.pending);
    const mine = (p: (typeof s.pending)[number]): boolean => !before0.has(p);
    for (const eff of sum.effects) {
      let text: string;
      if (eff.param >= 0) {
        const a = args[eff.param];
        if (!a) continue;
        text = canonText(textOf(src, a)) + eff.suffix;
      } else text = eff.suffix;
      const { key, expr } = lockKey(text, s);
      if (eff.effect === 'acquire') acquire(s, makeFact(key, expr, eff.cls, eff.mode === 'mixed' ? 'write' : eff.mode, start, name), start, end, name, ec.node);
      else if (eff.effect === 'release') release(s, key, expr, eff.cls, start, end, name, ec.node);
      else if (eff.effect === 'release-on-error' && !s.locks.has(key)) continue; // not ours to restore on success
      else if (eff.effect === 'release-if-nonnull' || eff.effect === 'release-if-flag' || eff.effect === 'release-on-error') {
        // released only with VM_FAULT_RETRY, which under FAULT_FLAG_RETRY_NOWAIT comes back with the lock held
        if (eff.effect === 'release-if-flag' && eff.flag === FAULT_FLAGS.retry && s.flags.get(FAULT_FLAGS.retryNowait) === true) continue;
        const onError = errorReleaseConflict(s.locks.get(key), s, expr);
        if (onError) emit({ kind: 'double-release', fact: s.locks.get(key) as LockFact, name, start, end, node: ec.node.id, onError });
        const found = s.locks.get(key);
        const before: LockFact = found ? { ...found, ...NOT_RETAKEN } : { ...makeFact(key, expr, eff.cls, eff.mode === 'mixed' ? 'read' : eff.mode, start, name), fromCaller: true };
        const target = ec.assignTo ?? (ec.inCond ? '@' + start : null);
        const after: LockFact = {
          ...before,
          paths: before.paths | RELEASED,
          droppedIf: target ? (eff.effect === 'release-if-flag' && eff.flag ? `${target}&${eff.flag}` : target) : undefined,
          releaseSites: mergeSites(before.releaseSites ?? [], [start]),
          releasedCaller: !!before.fromCaller || !!before.releasedCaller,
        };
        s.locks.set(key, eff.effect === 'release-on-error' ? tagErrorRelease(after, target, name, start, expr) : after);
        if (target) {
          s.pending = s.pending.filter((p) => p.target !== target || p.fact.key !== key);
          if (eff.effect === 'release-if-flag') s.pending.push({ target, success: 'flag', flag: eff.flag, action: 'release', fact: before });
          // released on some error returns only: still maybe held on the error side
          else if (eff.effect === 'release-on-error') s.pending.push({ target, success: 'negative', action: eff.some ? 'maybe-release' : 'release', fact: before });
          else s.pending.push({ target, success: 'nonnull', action: 'release', fact: before });
        }
      } else if (eff.effect === 'acquire-out') {
        // iomap_write_begin(.., &folio): the folio comes back locked, on the returns `success` names
        const a = args[eff.param];
        if (!a || !textOf(src, a).trim().startsWith('&')) continue;
        const target = ec.assignTo ?? (ec.inCond ? '@' + start : null);
        s.locks.delete(key); // the variable now names the object handed back
        const fact = makeFact(key, expr, eff.cls, eff.mode === 'mixed' ? 'write' : eff.mode, start, name);
        acquire(s, fact, start, end, name, ec.node);
        if (target && eff.success) {
          s.pending = s.pending.filter((p) => p.target !== target || mine(p));
          s.pending.push({ target, success: eff.success, action: 'drop', fact });
        }
      } else if (eff.effect === 'try-acquire') {
        const fact = makeFact(key, expr, eff.cls, eff.mode === 'mixed' ? 'write' : eff.mode, start, name);
        const target = ec.assignTo ?? (ec.inCond ? '@' + start : null);
        if (target) {
          // one result can decide several locks (xfs_iolock_two_inodes_and_break_layout() takes two)
          s.pending = s.pending.filter((p) => p.target !== target || (mine(p) && p.fact.key !== key) || (p.action === 'add' && p.fact.key !== key && p.fact.sites[0] === start));
          s.pending.push({ target, success: eff.success ?? 'zero', action: 'add', fact });
        } else if (ec.discarded) acquire(s, fact, start, end, name, ec.node);
      }
      else {
        // released on some of the callee's paths (f2fs_put_page(page, unlock))
        const f = s.locks.get(key);
        const onError = errorReleaseConflict(f, s, expr);
        if (onError && f) emit({ kind: 'double-release', fact: f, name, start, end, node: ec.node.id, onError });
        if (f) s.locks.set(key, { ...f, paths: f.paths | RELEASED, condVar: undefined });
      }
    }
    // the caller's lock reached through another object (f2fs_handle_failed_inode() unlocks
    // F2FS_I_SB(inode)->cp_rwsem): a held lock of that struct member is the one released
    for (const t of sum.releasesTyped ?? []) {
      const same = [...s.locks.values()].filter((f) => f.typeKey === t.typeKey && f.cls === t.cls && f.paths & HELD);
      if (same.length === 1) release(s, same[0].key, same[0].expr, same[0].cls, start, end, name, ec.node);
    }
    // a wrapper that disables or enables (local_irq_enable_exit_to_user()): its net effect on every path
    if (sum.atomicNet) {
      for (const k of ATOMIC_KINDS) {
        const net = sum.atomicNet[k];
        if (net) moveAtomic(s, k, net, start);
      }
    }
    if (sum.faultsNet) s.faultsOff = bump(s.faultsOff, sum.faultsNet === 'off' ? 1 : -1, sum.faultsNet === 'off' ? start : null);
    if (sum.returnsLocked && ec.assignTo) {
      const { key, expr } = lockKey(ec.assignTo, s);
      s.locks.delete(key);
      const fact = makeFact(key, expr, sum.returnsLocked, 'excl', start, name);
      fact.condVar = ec.assignTo;
      if (sum.returnsTryLocked) fact.tried = true;
      acquire(s, fact, start, end, name, ec.node);
      s.pending.push({ target: ec.assignTo, success: 'nonnull', action: 'drop', fact });
    }
  };

  // ---- expressions ---------------------------------------------------
  const evalExpr = (n: SyntaxNode, s: FlowState, ec: EvalCtx, depth: number): void => {
    if (depth > 200) return;
    switch (n.type) {
      case 'call_expression': {
        const fnNode = n.childForFieldName('function');
        const inner: EvalCtx = { ...ec, assignTo: null, discarded: false, inCond: false, testOnly: false };
        for (const a of callArgs(n)) evalExpr(a, s, inner, depth + 1);
        if (fnNode && fnNode.type !== 'identifier') evalExpr(fnNode, s, inner, depth + 1);
        applyCall(n, s, ec);
        return;
      }
      case 'assignment_expression': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator');
        const raw = left ? textOf(src, left).replace(/\s+/g, '') : '';
        // `vmf->page = ..` stores into a member; only a lock expression's `->page` names the folio
        const lt = left ? (raw.endsWith('->page') ? raw : canonText(raw)) : '';
        const plain = !op || textOf(src, op) === '=';
        // (the node, not the canonical text: `vmf->page = ..` canonicalises to `vmf`, as &folio->page names the folio)
        const simple = plain && !!left && left.type === 'identifier';
        // `vmf->ptl = pmd_lock(...)`: a member can hold a returned lock too
        const lvalue = plain && (isAliasable(lt) || /^[A-Za-z_]\w*((->|\.)[A-Za-z_]\w*)*\[[^\][]*\]$/.test(lt));
        // `ret |= folio_lock_or_retry(...)`: the flags it returns are in ret too
        const orInto = !!op && textOf(src, op) === '|=' && isAliasable(lt);
        const start0 = n.startIndex;
        if (simple && right) noteRetryValue(s, lt, textOf(src, right), start0);
        if (lvalue) dropPending(s, lt);
        const tagged = simple ? errTagged(s, lt) : null;
        if (right) {
          evalExpr(right, s, { ...ec, assignTo: lvalue || orInto ? lt : null, discarded: false }, depth + 1);
        }
        if (tagged) forgetErrTag(s, tagged);
        if (left && !simple) evalExpr(left, s, { ...ec, assignTo: null, discarded: false, inCond: false }, depth + 1);
        if (simple) {
          unstale(s, lt);
          forgetObject(s, lt, start0);
          assignVar(s, lt, right, ec);
          if (right) constantValueFact(s, lt, right, textOf(src, right));
          markLookup(s, lt, right);
        } else if (plain && /^\*[A-Za-z_]\w*$/.test(lt)) {
          // `*foliop = folio`: the object is handed back through an out-parameter (summary: acquire-out)
          const rt = right ? textOf(src, right) : '';
          if (isAliasable(rt)) s.aliases.set(lt, resolveAliases(canonText(rt), s.aliases));
          else s.aliases.delete(lt);
        }
        return;
      }
      case 'parenthesized_expression':
      case 'cast_expression': {
        const v = n.type === 'cast_expression' ? n.childForFieldName('value') : n.namedChild(0);
        if (v) evalExpr(v, s, ec, depth + 1);
        return;
      }
      case 'comma_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (l) evalExpr(l, s, { ...ec, assignTo: null, discarded: true, inCond: false }, depth + 1);
        if (r) evalExpr(r, s, ec, depth + 1);
        return;
      }
      case 'conditional_expression':
      case 'unary_expression':
      case 'binary_expression': {
        // `vma ? a : b`, `!vma`, `vma == NULL`: the pointer is tested, not used
        const op = n.type === 'conditional_expression' ? '?' : textOf(src, n.childForFieldName('operator') ?? n).trim();
        const tested = n.type === 'conditional_expression' ? n.childForFieldName('condition') : op === '!' ? n.childForFieldName('argument') : null;
        const cmp = op === '==' || op === '!=';
        const inner: EvalCtx = { ...ec, assignTo: null, discarded: false };
        // `if (vma != find_vma(mm, addr))`: compared with a fresh lookup, the pointer is checked again
        if (cmp) for (const c of namedChildren(n)) if (c.type === 'identifier') unstale(s, textOf(src, c));
        for (const c of namedChildren(n)) {
          const onlyTested = (!!tested && c.startIndex === tested.startIndex && c.endIndex === tested.endIndex) || (cmp && c.type === 'identifier');
          evalExpr(c, s, onlyTested ? { ...inner, testOnly: true } : { ...inner, testOnly: false }, depth + 1);
        }
        return;
      }
      case 'field_expression':
      case 'identifier': {
        // the vma, or anything reached through it, while mmap_lock may be dropped
        if (mayBeDropped(s) && !(n.type === 'identifier' && ec.testOnly)) {
          const t = canonText(textOf(src, n));
          const root = rootOf(t);
          const viaVmf = /^[A-Za-z_]\w*->vma\b/.test(t) && varTypes.get(root) === 'struct vm_fault';
          const viaVma = varTypes.get(root) === 'struct vm_area_struct';
          if (viaVmf || viaVma) {
            const lookedUp = viaVma && vmaMm().has(root);
            const fresh = s.flags.get(root + FRESH) === true;
            emit({
              kind: 'vma-use', text: t, start: n.startIndex, end: n.endIndex, state: snapshot(s), node: ec.node.id,
              ...(lookedUp ? { lookedUp } : {}), ...(fresh ? { fresh } : {}),
            });
            return; // one event for the whole chain
          }
        } else if (s.flags.size && !(n.type === 'identifier' && ec.testOnly)) {
          // the lock is held (again), but this vma pointer predates the drop
          const t = canonText(textOf(src, n));
          const root = rootOf(t);
          if (s.flags.get(root + STALE) === true && varTypes.get(root) === 'struct vm_area_struct') {
            const lookedUp = vmaMm().has(root);
            emit({ kind: 'vma-use', text: t, start: n.startIndex, end: n.endIndex, state: snapshot(s), node: ec.node.id, stale: true, ...(lookedUp ? { lookedUp } : {}) });
            // one report per drop: the uses after the first one follow from it
            unstale(s, root);
            return;
          }
        }
        if (n.type === 'identifier') return;
        const inner: EvalCtx = { ...ec, assignTo: null, discarded: false };
        for (const c of namedChildren(n)) evalExpr(c, s, inner, depth + 1);
        return;
      }
      case 'pointer_expression': {
        // `&vma` handed to a callee that sets it (hugepage_vma_revalidate(.., &vma)) is no use of the vma
        const arg = n.childForFieldName('argument');
        if (arg && arg.type === 'identifier' && textOf(src, n).trim().startsWith('&')) return;
        const inner: EvalCtx = { ...ec, assignTo: null, discarded: false };
        for (const c of namedChildren(n)) evalExpr(c, s, inner, depth + 1);
        return;
      }
      case 'compound_statement': // statement expression ({ ... }): linear walk
        for (const c of namedChildren(n)) evalStmtLinear(c, s, ec, depth + 1);
        return;
      case 'subscript_expression':
      case 'argument_list':
      case 'initializer_list':
      case 'initializer_pair':
      case 'update_expression':
      case 'sizeof_expression':
      case 'ERROR':
      case 'expression_statement':
      case 'gnu_asm_expression':
      default: {
        if (n.type === 'sizeof_expression' || n.type === 'string_literal' || n.type === 'number_literal') return;
        const inner: EvalCtx = { ...ec, assignTo: null, discarded: false };
        for (const c of namedChildren(n)) evalExpr(c, s, inner, depth + 1);
        return;
      }
    }
  };

  const evalStmtLinear = (n: SyntaxNode, s: FlowState, ec: EvalCtx, depth: number): void => {
    if (n.type === 'declaration') evalDecl(n, s, ec);
    else if (n.type === 'expression_statement') {
      const e = n.namedChild(0);
      if (e) evalExpr(e, s, { ...ec, discarded: e.type === 'call_expression', assignTo: null, inCond: false }, depth);
    } else evalExpr(n, s, { ...ec, assignTo: null, discarded: false, inCond: false }, depth);
  };

  /**
   * `page = other` makes the variable name another object: locks recorded under
   * the old value are no longer reachable through it (unless this very
   * assignment took the lock, as `page = find_lock_page(...)` does).
   */
  const forgetObject = (s: FlowState, v: string, assignStart: number): void => {
    const key = resolveAliases(v, s.aliases);
    for (const [k, f] of s.locks) {
      if (k !== key && !k.startsWith(key + '->') && !k.startsWith(key + '.')) continue;
      if (f.sites.some((site) => site >= assignStart) && (f.paths & HELD)) continue;
      s.locks.delete(k);
    }
  };

  /**
   * `ret = VM_FAULT_SIGBUS`: where ret was what said mmap_lock was dropped (`ret&VM_FAULT_RETRY`
   * pending), the caller is no longer told; where the lock was taken again, ret now carries a
   * code other than VM_FAULT_RETRY (retry.ts reads both at the returns).
   */
  const noteRetryValue = (s: FlowState, v: string, rhs: string, site: number): void => {
    const keeps = saysReleased(rhs) || new RegExp(`\\b${v}\\b`).test(rhs);
    for (const p of s.pending) {
      if (p.target !== v || p.fact.cls !== 'mmap_lock' || p.flag !== FAULT_FLAGS.retry || keeps) continue;
      const f = s.locks.get(p.fact.key);
      if (f && f.paths & RELEASED) s.locks.set(p.fact.key, { ...f, droppedIf: undefined, lostRetry: mergeSites(f.lostRetry ?? [], [site]) });
    }
    for (const [k, f] of s.locks) {
      if (!f.retaken || f.cls !== 'mmap_lock') continue;
      const has = f.retakenValues?.includes(v) ?? false;
      if (saysReleased(rhs) && has) s.locks.set(k, { ...f, retakenValues: f.retakenValues?.filter((x) => x !== v) });
      else if (!saysReleased(rhs) && !has) s.locks.set(k, { ...f, retakenValues: [...(f.retakenValues ?? []), v] });
    }
  };

  const dropPending = (s: FlowState, v: string): void => {
    if (s.pending.some((p) => p.target === v)) s.pending = s.pending.filter((p) => p.target !== v);
    // result-flag facts about the old value (`ret&VM_FAULT_RETRY`) no longer hold
    const stale = [...s.flags.keys()].filter((k) => k.startsWith(v + '&'));
    if (stale.length) {
      s.flags = new Map(s.flags);
      for (const k of stale) s.flags.delete(k);
    }
  };

  /** A release made where a result flag is known set (`if (ret & VM_FAULT_RETRY) vma_end_read()`): tag it. */
  const resultFlagGuard = (s: FlowState): string | undefined => {
    for (const [k, v] of s.flags) if (v && k.includes('&') && isFlagKey(k)) return k;
    return undefined;
  };

  /** After `v = right`: v now aliases right when right is a plain lvalue. Pendings were dropped before right ran. */
  const assignVar = (s: FlowState, v: string, right: SyntaxNode | null, _ec: EvalCtx): void => {
    s.aliases.delete(v);
    if (right) {
      const rt = textOf(src, right);
      if (isAliasable(rt)) {
        const target = resolveAliases(canonText(rt), s.aliases);
        if (target !== v && rootOf(target) !== v) s.aliases.set(v, target);
      }
    }
  };

  const evalDecl = (d: SyntaxNode, s: FlowState, ec: EvalCtx): void => {
    for (const c of namedChildren(d)) {
      if (c.type === 'init_declarator') {
        const name = declaratorName(c.childForFieldName('declarator'), src);
        const value = c.childForFieldName('value');
        if (name) dropPending(s, name);
        if (value) evalExpr(value, s, { ...ec, assignTo: name || null, discarded: false, inCond: false }, 1);
        if (name) {
          unstale(s, name);
          assignVar(s, name, value, ec);
          markLookup(s, name, value);
        }
      } else if (c.type === 'identifier' || c.type === 'pointer_declarator' || c.type === 'array_declarator') {
        const name = declaratorName(c, src);
        if (name) clearVar(s, name);
      }
    }
  };

  // ---- nodes and edges -------------------------------------------------
  const transfer = (node: CfgNode, inState: FlowState): FlowState => {
    died = false;
    const ast = node.ast;
    switch (node.kind) {
      case 'expr': {
        if (!ast) return inState;
        const s = cloneState(inState);
        evalExpr(ast, s, { assignTo: null, discarded: ast.type === 'call_expression', inCond: false, node }, 0);
        return s;
      }
      case 'decl': {
        if (!ast) return inState;
        const s = cloneState(inState);
        if (ast.type === 'declaration') evalDecl(ast, s, { assignTo: null, discarded: false, inCond: false, node });
        else evalExpr(ast, s, { assignTo: null, discarded: false, inCond: false, node }, 0);
        return s;
      }
      case 'cond': {
        if (!ast || ast.type === 'switch_statement') return inState;
        const s = cloneState(inState);
        evalExpr(ast, s, { assignTo: null, discarded: false, inCond: true, node }, 0);
        return s;
      }
      case 'return': {
        const s = cloneState(inState);
        const v = ast ? ast.namedChild(0) : null;
        // `return __filemap_get_folio(.., fgp, ..)`: the object a call returns locked is handed to our caller
        const direct = v ? stripParens(v) : null;
        const viaCall = !!direct && direct.type === 'call_expression';
        if (v) evalExpr(v, s, { assignTo: viaCall ? RETURNED : null, discarded: false, inCond: false, node }, 0);
        let returned: LockFact | undefined;
        let returnedTry: ReturnEvent['returnedTry'];
        if (viaCall) {
          returned = s.locks.get(RETURNED);
          s.locks.delete(RETURNED);
          // `return mutex_lock_interruptible(&ce->pin_mutex)`: the value is the try-lock's result
          const t = s.pending.find((p) => p.target === RETURNED && p.action === 'add');
          if (t) returnedTry = { key: t.fact.key, success: t.success, cls: t.fact.cls, mode: t.fact.mode };
          if (s.pending.length) s.pending = s.pending.filter((p) => p.target !== RETURNED);
        }
        const through = viaCall && direct ? calleeName(src, direct).startsWith('->') : false;
        let outs: [string, string][] | undefined;
        for (const [k, a] of s.aliases) if (k.startsWith('*')) (outs ??= []).push([k.slice(1), a]);
        if (ast) {
          emit({
            kind: 'return', start: ast.startIndex, end: ast.endIndex, value: v ? textOf(src, v) : null, state: snapshot(s), node: node.id,
            ...(returned ? { returned } : {}), ...(through ? { throughPointer: true } : {}), ...(outs ? { outs } : {}),
            ...(returnedTry ? { returnedTry } : {}),
          });
        }
        // (only the tokens rows test are worth carrying in the summary)
        if (v && events && ctx.table.flagTokens.length && mentionsFlags()) {
          const toks = new Set<string>();
          tokensOf(v, toks);
          for (const t of toks) if (ctx.table.flagTokens.some((f) => t.includes(f))) returnTokens.add(t);
        }
        return s;
      }
      case 'scope': {
        if (node.scope === undefined) return inState;
        const s = cloneState(inState);
        if (node.scope >= 0 && ast) {
          const args = callArgs(ast);
          // scoped_cond_guard(type, fail, lock): the fail statement is no lock
          if (calleeName(src, ast) === 'scoped_cond_guard') args.splice(1, 1);
          const type = args[0] ? textOf(src, args[0]) : '';
          const f = guardFact(s, type, args[1] ? textOf(src, args[1]) : null, ast.startIndex, node.scope);
          for (const a of args.slice(1)) evalExpr(a, s, { assignTo: null, discarded: false, inCond: false, node }, 1);
          acquire(s, f, ast.startIndex, ast.endIndex, 'scoped_guard', node);
        } else releaseScopes(s, [-node.scope - 1]);
        return s;
      }
      default:
        return inState;
    }
  };

  const releaseScopes = (s: FlowState, scopes: number[]): void => {
    for (const [k, f] of s.locks) {
      if (f.scope !== undefined && scopes.includes(f.scope)) s.locks.delete(k);
    }
  };

  const edgeState = (out: FlowState, e: Edge, from: CfgNode): FlowState | null => {
    let s: FlowState | null = out;
    if (e.exits) {
      s = cloneState(s);
      releaseScopes(s, e.exits);
    }
    if ((e.kind === 'true' || e.kind === 'false') && from.kind === 'cond' && from.ast) {
      s = refine(s, from.ast, e.kind === 'true');
    }
    return s;
  };

  /** The state along a branch edge; null when the branch contradicts a flag known on this path. */
  const refine = (s: FlowState, cond: SyntaxNode, sense: boolean): FlowState | null => {
    const test = analyzeTest(cond, src);
    if (!test) return s;
    const outcome = outcomeOf(test.op, sense);
    if (!outcome) return s;
    // `ret & (VM_FAULT_ERROR | VM_FAULT_RETRY)`: clear means each is clear; set says which of them nothing
    if (test.op.startsWith('flag:') && test.op.includes('|')) {
      if (outcome !== 'flagclear') return s;
      let cur: FlowState | null = s;
      for (const flag of test.op.slice(5).split('|')) {
        if (cur) cur = refineTest(cur, { target: test.target, op: `flag:${flag}` }, outcome);
      }
      return cur;
    }
    return refineTest(s, test, outcome);
  };

  const refineTest = (s: FlowState, test: { target: string; op: TestOp }, outcome: Outcome): FlowState | null => {
    if (test.op.startsWith('flag:')) {
      const flag = test.op.slice(5);
      const known = /^FAULT_FLAG_/.test(flag) ? s.flags.get(flag) : s.flags.get(`${test.target}&${flag}`);
      if (known !== undefined && known !== (outcome === 'flagset')) return null;
    }
    let r: FlowState | null = null;
    const w = (): FlowState => (r = r ?? cloneState(s));
    // fault flags tested on the branch: `if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY))`
    if (test.op.startsWith('flag:')) {
      const flag = test.op.slice(5);
      // a result flag tested on a variable: `if (ret & VM_FAULT_RETRY)`
      if (!/^FAULT_FLAG_/.test(flag) && /^[A-Za-z_]\w*$/.test(test.target)) {
        const st = w();
        if (st.flags === s.flags) st.flags = new Map(s.flags);
        st.flags.set(`${test.target}&${flag}`, outcome === 'flagset');
      }
      if (/^FAULT_FLAG_/.test(flag)) {
        const st = w();
        if (st.flags === s.flags) st.flags = new Map(s.flags);
        st.flags.set(flag, outcome === 'flagset');
        // a fault under the per-VMA lock (6.4+) was entered without mmap_lock
        if (flag === FAULT_FLAGS.vmaLock && outcome === 'flagset') {
          for (const [k, f] of st.locks) if (f.via === FAULT_ENTRY) st.locks.delete(k);
        }
      }
    }
    // `if (err)`, `if (ret < 0)` with locks held: whether the variable is nonzero here, for the
    // error returns lock-imbalance reads (`return err;` inside the branch)
    if (/^[A-Za-z_]\w*$/.test(test.target) && !test.op.startsWith('flag:') && test.op !== 'iserr' && test.op !== 'iserrornull') {
      const nz = outcome === 'nonzero' || outcome === 'neg' || outcome === 'err' ? true : outcome === 'zero' ? false : undefined;
      if (nz !== undefined) {
        const st = w();
        if (st.flags === s.flags) st.flags = new Map(s.flags);
        st.flags.set(test.target + NONZERO, nz);
      }
    }
    // `if (!err)` after a callee released the lock on its error returns: not released on this side
    if (outcome === 'zero' && [...s.locks.values()].some((f) => f.errTag === test.target)) r = narrowOnZero(r ?? cloneState(s), test.target);
    const hits = s.pending.filter((p) => p.target === test.target);
    for (const p of hits) {
      const res =
        p.success === 'flag'
          ? test.op === 'flag:' + p.flag
            ? outcome === 'flagset'
              ? 'success'
              : 'failure'
            : outcome === 'zero'
              ? 'failure' // no flag at all
              : outcome === 'nonzero' && p.onlyFlag
                ? 'success'
                : 'unknown'
          : successOf(p.success, outcome);
      if (res === 'unknown') continue;
      const st = w();
      st.pending = st.pending.filter((q) => q !== p);
      if (p.action === 'add') {
        if (res === 'success') st.locks.set(p.fact.key, p.fact);
      } else if (p.action === 'drop') {
        // a collective lock (`pages[]`) still holds the elements taken before this one
        if (res === 'failure') {
          if (p.prev) st.locks.set(p.fact.key, p.prev);
          else st.locks.delete(p.fact.key);
        }
        else {
          const f = st.locks.get(p.fact.key);
          if (f) st.locks.set(p.fact.key, { ...f, condVar: undefined });
        }
      } else {
        const cur = st.locks.get(p.fact.key);
        if (res === 'success') {
          // released (release) or possibly released (maybe-release) on this branch
          // (a fault attempt known to have returned VM_FAULT_RETRY: retry.ts reads what follows a re-take)
          const retried = p.action === 'release' && p.flag === FAULT_FLAGS.retry && p.fact.cls === 'mmap_lock';
          if (cur) st.locks.set(p.fact.key, { ...cur, paths: p.action === 'release' ? RELEASED : cur.paths, droppedIf: undefined, ...(retried ? { afterFault: true as const } : {}) });
          if (p.action === 'release' && p.fact.cls === 'mmap_lock') markStale(st);
        } else {
          // not released on this branch: as it was before the call
          st.locks.set(p.fact.key, { ...p.fact, releaseSites: p.fact.releaseSites });
        }
      }
    }
    return r ?? s;
  };

  // ---- fixpoint --------------------------------------------------------
  const order = reversePostorder(cfg);
  const rank = new Map<number, number>();
  order.forEach((id, i) => rank.set(id, i));
  const states: (FlowState | null)[] = new Array(cfg.nodes.length).fill(null);
  states[cfg.entry] = entryState(fn, src, ctx, makeFact);
  const inQueue = new Set<number>([cfg.entry]);
  // budgets: steps (the lattice is finite, but a function can be huge) and time
  const budget = 30 * cfg.nodes.length + 2000;
  const deadline = performance.now() + (ctx.timeBudgetMs ?? FUNCTION_TIME_BUDGET_MS);
  let iterations = 0;
  let converged = true;
  let timedOut = false;
  while (inQueue.size) {
    let best = -1;
    let bestRank = Infinity;
    for (const id of inQueue) {
      const r = rank.get(id) ?? Infinity;
      if (r < bestRank) {
        bestRank = r;
        best = id;
      }
    }
    inQueue.delete(best);
    const node = cfg.nodes[best];
    const inState = states[best] as FlowState;
    const out = transfer(node, inState);
    if (died) continue; // panic(), BUG(), do_exit(): nothing after runs
    for (const e of node.succ) {
      const es = edgeState(out, e, node);
      if (!es) continue; // infeasible on every path reaching here
      const cur = states[e.to];
      if (!cur) {
        states[e.to] = es;
        inQueue.add(e.to);
      } else {
        const j = joinStates(cur, es);
        if (!sameState(cur, j)) {
          states[e.to] = j;
          inQueue.add(e.to);
        }
      }
    }
    if (++iterations > budget) {
      converged = false;
      break;
    }
    if ((iterations & 63) === 0 && performance.now() > deadline) {
      converged = false;
      timedOut = true;
      break;
    }
  }

  // Final pass: replay each reachable node once with the fixpoint state and record events.
  events = [];
  takes.length = 0;
  nested.length = 0;
  const closing = Math.max(fn.body.startIndex, fn.body.endIndex - 1);
  let fallThrough: FlowState | null = null;
  for (const id of order) {
    const st = states[id];
    if (!st) continue;
    const node = cfg.nodes[id];
    const out = transfer(node, st);
    if (died) continue;
    // Falling off the end of the body is one more return (void functions):
    // every edge that reaches the closing brace, joined.
    for (const e of node.succ) {
      if (e.to !== cfg.exit || e.kind === 'return') continue;
      const es = edgeState(out, e, node);
      if (!es) continue;
      fallThrough = fallThrough ? joinStates(fallThrough, es) : es;
    }
  }
  if (fallThrough) emit({ kind: 'return', start: closing, end: closing + 1, value: null, state: snapshot(fallThrough), node: cfg.exit });
  return {
    fn, cfg, converged, timedOut, iterations, states, events, takes, nested,
    exitState: states[cfg.exit], callees: [...callees], returnTokens: [...returnTokens].sort(), enteredFaultsOff: (states[cfg.entry] as FlowState).faultsOff.max > 0,
  };
}

const NO_ALIASES: Map<string, string> = new Map();
const EMPTY_EVENT_STATE: FlowState = emptyState();

/**
 * The state an event carries: locks and counters only (checks never read
 * aliases or pending results), shared when nothing is held. On fs/ this is
 * most of the memory the run keeps.
 */
function snapshot(s: FlowState): FlowState {
  const a = s.atomic;
  const idle = s.locks.size === 0 && s.flags.size === 0 && s.faultsOff.max === 0 && a.preempt.max === 0 && a.irq.max === 0 && a.bh.max === 0 && a.rcu.max === 0 &&
    !a.preempt.under && !a.irq.under && !a.bh.under && !a.rcu.under;
  if (idle) return EMPTY_EVENT_STATE;
  return { locks: new Map(s.locks), pending: [], faultsOff: s.faultsOff, atomic: s.atomic, aliases: NO_ALIASES, flags: s.flags };
}

function entryState(
  fn: FunctionInfo,
  src: string,
  ctx: EngineContext,
  makeFact: (key: string, expr: string, cls: LockClass, mode: LockFact['mode'], site: number, via: string) => LockFact,
): FlowState {
  void src;
  const s = emptyState();
  if (ctx.assumeFaultsOff || ctx.table.faultsOffOnEntry.some((c) => c.name === fn.name)) s.faultsOff = bump(s.faultsOff, 1, fn.body.startIndex);
  if (ctx.faultHandler && !ctx.entryUnknown) {
    // ->fault and ->page_mkwrite run with the faulting mm's mmap_lock held for read
    const vmf = fn.params.find((p) => p.type === 'struct vm_fault');
    if (vmf && vmf.name) {
      const key = vmf.name + '->vma->vm_mm->mmap_lock';
      const f = makeFact(key, key, 'mmap_lock', 'read', fn.body.startIndex, FAULT_ENTRY);
      f.fromCaller = true;
      s.locks.set(key, f);
    }
  }
  for (const a of ctx.assumeHeld ?? []) {
    const f = makeFact(a.key, a.key, a.cls, a.mode, fn.body.startIndex, a.via);
    f.fromCaller = true;
    f.escaped = true; // inferred, not seen taken: no double-lock claim rests on it
    s.locks.set(a.key, f);
  }
  for (const a of fn.annotations) {
    if (a.kind === 'acquires') continue;
    const key = canonText(a.arg);
    if (!key || key === 'RCU' || key === 'rcu') continue;
    const cls = classOfField(ctx.table, key) ?? 'other';
    const f = makeFact(key, key, cls, 'excl', a.offset, a.kind === 'must_hold' ? '__must_hold' : '__releases');
    f.fromCaller = true;
    s.locks.set(key, f);
  }
  return s;
}

function reversePostorder(cfg: Cfg): number[] {
  const seen = new Uint8Array(cfg.nodes.length);
  const post: number[] = [];
  // iterative DFS (deep CFGs must not overflow the JS stack)
  const stack: { id: number; i: number }[] = [{ id: cfg.entry, i: 0 }];
  seen[cfg.entry] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const succ = cfg.nodes[top.id].succ;
    if (top.i < succ.length) {
      const to = succ[top.i++].to;
      if (!seen[to]) {
        seen[to] = 1;
        stack.push({ id: to, i: 0 });
      }
    } else {
      post.push(top.id);
      stack.pop();
    }
  }
  return post.reverse();
}

function isIterType(t: string | undefined): boolean {
  return !!t && /\biov_iter\b/.test(t);
}

function collectVarTypes(fn: FunctionInfo, src: string): Map<string, string> {
  // name -> struct/typedef name ('' when unknown); absent = not a local or parameter
  const m = new Map<string, string>();
  for (const p of fn.params) if (p.name) m.set(p.name, p.type);
  const stack: SyntaxNode[] = [fn.body];
  let budget = 20000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'declaration') {
      const t = typeName(n.childForFieldName('type'), src);
      for (const c of namedChildren(n)) {
        if (c.type === 'init_declarator' || c.type.endsWith('declarator') || c.type === 'identifier') {
          const name = declaratorName(c.type === 'init_declarator' ? c.childForFieldName('declarator') : c, src);
          if (name) m.set(name, t);
        }
      }
    }
    for (const c of namedChildren(n)) stack.push(c);
  }
  return m;
}

// ---- branch tests ---------------------------------------------------------

type TestOp = 'truthy' | 'eq0' | 'ne0' | 'lt0' | 'ge0' | 'gt0' | 'le0' | 'iserr' | 'iserrornull' | `flag:${string}`;
type Outcome = 'nonzero' | 'zero' | 'neg' | 'nonneg' | 'err' | 'noterr' | 'flagset' | 'flagclear';

function isZeroLit(src: string, n: SyntaxNode): boolean {
  const t = textOf(src, n).trim();
  return t === '0' || t === 'NULL' || t === 'false' || t === '0UL' || t === '0L' || t === '((void *)0)';
}

function unwrapParens(n: SyntaxNode): SyntaxNode {
  let cur = n;
  for (let i = 0; i < 16 && cur.type === 'parenthesized_expression' && cur.namedChildCount === 1; i++) {
    const c = cur.namedChild(0);
    if (!c) break;
    cur = c;
  }
  return cur;
}

/** What a condition tests: a variable or an in-place call (`@offset`), and how. */
export function analyzeTest(cond: SyntaxNode, src: string): { target: string; op: TestOp } | null {
  const c = unwrapParens(cond);
  const targetOf = (n: SyntaxNode): string | null => {
    const u = unwrapParens(n);
    if (u.type === 'identifier') return textOf(src, u);
    if (u.type === 'field_expression' || u.type === 'subscript_expression') return canonText(textOf(src, u));
    if (u.type === 'assignment_expression') {
      const l = u.childForFieldName('left');
      return l ? canonText(textOf(src, l)) : null;
    }
    if (u.type === 'call_expression') {
      const name = calleeName(src, u);
      if (name === 'likely' || name === 'unlikely') {
        const a = callArgs(u)[0];
        return a ? targetOf(a) : null;
      }
      return '@' + u.startIndex;
    }
    if (u.type === 'cast_expression') {
      const v = u.childForFieldName('value');
      return v ? targetOf(v) : null;
    }
    return null;
  };
  if (c.type === 'call_expression') {
    const name = calleeName(src, c);
    const flag = FLAG_TEST_HELPERS[name];
    if (flag) {
      const a = callArgs(c)[0];
      return { target: a ? canonText(textOf(src, a)) : '', op: ('flag:' + flag) as TestOp };
    }
    if (name === 'IS_ERR' || name === 'IS_ERR_OR_NULL') {
      const a = callArgs(c)[0];
      const t = a ? targetOf(a) : null;
      return t ? { target: t, op: name === 'IS_ERR' ? 'iserr' : 'iserrornull' } : null;
    }
  }
  if (c.type === 'binary_expression') {
    const op = c.childForFieldName('operator');
    const l = c.childForFieldName('left');
    const r = c.childForFieldName('right');
    const o = op ? textOf(src, op) : '';
    if (l && r && o === '&') {
      // `fault & VM_FAULT_RETRY`, `vmf->flags & FAULT_FLAG_ALLOW_RETRY`
      const rt = textOf(src, unwrapParens(r)).trim();
      const lt = textOf(src, unwrapParens(l)).trim();
      if (/^[A-Z][A-Z0-9_]+$/.test(rt)) return { target: targetOf(l) ?? canonText(lt), op: ('flag:' + rt) as TestOp };
      if (/^[A-Z][A-Z0-9_]+$/.test(lt)) return { target: targetOf(r) ?? canonText(rt), op: ('flag:' + lt) as TestOp };
      // a mask of several flags: `ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)`
      const mask = (t: string): string | null => {
        const parts = t.replace(/[()\s]/g, '').split('|');
        return parts.length > 1 && parts.every((x) => /^[A-Z][A-Z0-9_]+$/.test(x)) ? parts.join('|') : null;
      };
      const mr = mask(rt);
      if (mr) return { target: targetOf(l) ?? canonText(lt), op: ('flag:' + mr) as TestOp };
      const ml = mask(lt);
      if (ml) return { target: targetOf(r) ?? canonText(rt), op: ('flag:' + ml) as TestOp };
      return null;
    }
    if (!l || !r || !COMPARE_OPS.has(o)) return null;
    let side: SyntaxNode | null = null;
    let flipped = false;
    if (isZeroLit(src, r)) side = l;
    else if (isZeroLit(src, l)) {
      side = r;
      flipped = true;
    }
    if (!side) return null;
    const t = targetOf(side);
    if (!t) return null;
    const map: Record<string, TestOp> = flipped
      ? { '==': 'eq0', '!=': 'ne0', '<': 'gt0', '>': 'lt0', '<=': 'ge0', '>=': 'le0' }
      : { '==': 'eq0', '!=': 'ne0', '<': 'lt0', '>': 'gt0', '<=': 'le0', '>=': 'ge0' };
    return { target: t, op: map[o] };
  }
  const t = targetOf(c);
  return t ? { target: t, op: 'truthy' } : null;
}

function outcomeOf(op: TestOp, sense: boolean): Outcome | null {
  switch (op) {
    case 'truthy':
    case 'ne0':
      return sense ? 'nonzero' : 'zero';
    case 'eq0':
      return sense ? 'zero' : 'nonzero';
    case 'lt0':
      return sense ? 'neg' : 'nonneg';
    case 'ge0':
      return sense ? 'nonneg' : 'neg';
    case 'gt0':
      return sense ? 'nonzero' : null;
    case 'le0':
      return sense ? null : 'nonzero';
    case 'iserr':
    case 'iserrornull':
      return sense ? 'err' : 'noterr';
    default:
      return sense ? 'flagset' : 'flagclear';
  }
}

function successOf(success: Success, o: Outcome): 'success' | 'failure' | 'unknown' {
  if (o === 'flagset') return success === 'nonzero' || success === 'nonnull' ? 'success' : success === 'zero' ? 'failure' : 'unknown';
  if (o === 'flagclear') return 'unknown';
  switch (success) {
    case 'flag':
      return 'unknown';
    case 'nonzero':
      return o === 'nonzero' ? 'success' : o === 'zero' || o === 'err' ? 'failure' : 'unknown';
    case 'zero':
      return o === 'zero' || o === 'nonneg' ? 'success' : o === 'nonzero' || o === 'neg' || o === 'err' ? 'failure' : 'unknown';
    case 'nonnull':
      return o === 'nonzero' || o === 'noterr' ? 'success' : o === 'zero' || o === 'err' || o === 'neg' ? 'failure' : 'unknown';
    case 'success-zero-or-positive':
      return o === 'nonneg' || o === 'zero' ? 'success' : o === 'neg' || o === 'err' ? 'failure' : 'unknown';
    case 'negative':
      return o === 'neg' || o === 'err' ? 'success' : o === 'nonneg' || o === 'zero' ? 'failure' : 'unknown';
  }
}

export { mergeSites, RELEASED, HELD, UNTOUCHED };
export type { Pending };
