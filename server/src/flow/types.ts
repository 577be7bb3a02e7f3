// The flow's data as the rest of the analysis reads it: the events the
// engine reports for one function (calls with the state before them, double
// acquire/release, returns, vma uses, releases), the function's flow, and
// the summary a function exports to its callers. Types only: engine.ts
// computes them, summary.ts builds summaries, checks/ and the edges read
// them; none of those import each other for these.
import type { Cfg } from '../cfg/cfg';
import type { ApiRow, AtomicKind, LockClass, Success } from '../kernel/table';
import type { FunctionInfo } from '../syntax/functions';
import type { ErrorRelease } from './error-release';
import type { FlowState, LockFact } from './state';

export interface CallEvent {
  kind: 'call';
  name: string;
  start: number;
  end: number;
  rows: ApiRow[];
  summary: FunctionSummary | null;
  /** State just before the call. */
  state: FlowState;
  /** The call's value is thrown away (an expression statement). */
  discarded: boolean;
  /** Arguments, canonical lock spelling with aliases resolved. */
  args: string[];
  assignedTo: string | null;
  node: number;
  /** The argument that is the iov_iter an iterator copy (or a callee's) faults through. */
  iterArg?: number;
  /** That iterator was set up here as a kernel one (iov_iter_bvec/kvec/xarray/discard): the call cannot fault. */
  kernelIter?: boolean;
}

export interface LockEvent {
  kind: 'double-acquire' | 'double-release';
  fact: LockFact;
  /** double-release: the first release was a callee's, on the paths where its result says error. */
  onError?: ErrorRelease;
  name: string;
  start: number;
  end: number;
  node: number;
}

export interface ReturnEvent {
  kind: 'return';
  start: number;
  end: number;
  value: string | null;
  state: FlowState;
  node: number;
  /** The lock on the object a returned call's value carries (`return find_lock_page(..)`). */
  returned?: LockFact;
  /** The value is what a call through a function pointer returned (`return ops->get_folio(..)`): unknown. */
  throughPointer?: boolean;
  /** Out-parameters set here (`*foliop = folio`): parameter name and the lock key of the object. */
  outs?: [string, string][];
  /** The value is a try-lock's result (`return mutex_lock_interruptible(&m)`): the lock and what success reads. */
  returnedTry?: { key: string; success: Success; cls: LockClass; mode: LockFact['mode'] };
}



/** A use of the vma (or anything reached through it) while mmap_lock may be dropped. */
export interface VmaUseEvent {
  kind: 'vma-use';
  text: string;
  /** The vma variable was looked up in this function (`vma = find_vma(mm, ..)`). */
  lookedUp?: boolean;
  /** ... and looked up again since mmap_lock was last dropped: a fresh vma. */
  fresh?: boolean;
  /** mmap_lock is held, but was dropped since the variable was set: a pointer that may dangle. */
  stale?: boolean;
  start: number;
  end: number;
  state: FlowState;
  node: number;
}

/** A lock released by a table row (not a summary), with the state before it. */
export interface ReleaseEvent {
  kind: 'release';
  name: string;
  row: ApiRow;
  key: string;
  /** The released lock's class (for generic primitives, from the lock's field: up_read(&mm->mmap_sem)). */
  cls: LockClass;
  start: number;
  end: number;
  state: FlowState;
  node: number;
}

export type FlowEvent = CallEvent | LockEvent | ReturnEvent | VmaUseEvent | ReleaseEvent;

/** A lock acquisition anywhere in the function: for summaries and learned fault-path locks. */
export interface TakeSite {
  cls: LockClass;
  mode: LockFact['mode'];
  expr: string;
  typeKey?: string;
  offset: number;
  via: string;
  /** Graph nodes of the caller's locks this function had released when it took this one (no edge from those). */
  without?: string[];
}

/** A lock taken while another is held: an edge of the run's lock-order graph. */
export interface NestedAcquire {
  held: LockFact;
  taken: LockFact;
  offset: number;
  end: number;
}

export interface FunctionFlow {
  fn: FunctionInfo;
  /** Locks taken while others were held (final pass). */
  nested: NestedAcquire[];
  cfg: Cfg;
  converged: boolean;
  /** Stopped by the time budget (converged is false then). */
  timedOut: boolean;
  iterations: number;
  /** State on entry to each CFG node (null: unreachable). */
  states: (FlowState | null)[];
  events: FlowEvent[];
  takes: TakeSite[];
  exitState: FlowState | null;
  /** Page faults were off on entry (a contract or a hunk's context): exit counts are not net effects then. */
  enteredFaultsOff: boolean;
  /** Names of functions called (for the call graph). */
  callees: string[];
  /** Flag constants the function's return values may carry (get_prepare_fgp_flags() returns FGP_LOCK | ...). */
  returnTokens: string[];
}


export interface ChainStep {
  fn: string;
  file: string;
  /** 0-based line of the call in fn. */
  line: number;
  call: string;
  /** The last step's kind of access (user-access, fault-in, gup). */
  effect?: string;
  /** Page faults are disabled on some paths at this call (a parameter-dependent pagefault_disable()). */
  someOff?: boolean;
  /** The access is an iov_iter copy: it faults only for a user-backed iterator. */
  iter?: boolean;
}

export interface SummaryEffect {
  /**
   * release-some: released on some of the callee's paths only (f2fs_put_page(page, unlock)).
   * try-acquire: held exactly on the returns whose value meets `success` (netfs_start_io_read()
   * returns 0 with i_rwsem held and -ERESTARTSYS without).
   * release-on-error: the caller's lock is released on (some) negative returns and kept on
   * every return of 0 or more (btrfs lock_and_cleanup_extent() unlocks the pages for -EAGAIN).
   * acquire-out: the object stored through the parameter (`*foliop = folio`) is returned
   * locked, on every return or on those that meet `success` (iomap_write_begin()).
   */
  effect: 'acquire' | 'release' | 'release-some' | 'try-acquire' | 'release-if-nonnull' | 'release-if-flag' | 'acquire-out' | 'release-on-error';
  /** release-on-error: released on some of the negative returns only (kept on others, as on every success). */
  some?: true;
  /** release-if-flag: the result flag that says the lock was released (VM_FAULT_RETRY). */
  flag?: string;
  success?: 'zero' | 'nonzero' | 'nonnull';
  /** Parameter index, or -1 for a global lock named in suffix. */
  param: number;
  /** Lock path below the parameter: '' or '->mmap_lock'. */
  suffix: string;
  cls: LockClass;
  mode: 'read' | 'write' | 'excl' | 'mixed';
}

export interface LockTake {
  cls: LockClass;
  mode: 'read' | 'write' | 'excl' | 'mixed';
  typeKey?: string;
  expr: string;
  file: string;
  line: number;
  fn: string;
  /** Calls between the summary's function and the take (absent: its own). */
  depth?: number;
  /** Graph nodes of the caller's locks released by then: no lock-order edge from those. */
  without?: string[];
}


export interface FunctionSummary {
  name: string;
  file: string;
  line: number;
  isStatic: boolean;
  /** Chain from this function to a faulting access reachable with page faults enabled. */
  mayFault: ChainStep[] | null;
  /** The access is an iov_iter copy through this parameter: a caller's kernel iterator cannot fault. */
  iterParam?: number;
  /**
   * The caller's locks this function has released by the time it faults (fuse_read_interrupt() drops fiq->lock first);
   * param -1: a lock named in full in suffix (`current->mm->mmap_lock`).
   */
  mayFaultReleased: { param: number; suffix: string }[];
  /**
   * Atomic contexts of the caller this function has left by the time it faults
   * (irqentry_exit_to_user_mode() enables interrupts, then delivers signals).
   */
  mayFaultExits?: AtomicKind[];
  effects: SummaryEffect[];
  /**
   * What the function does to the caller's atomic contexts on every path:
   * enters one more level (a local_irq_disable() wrapper), leaves one
   * (preempt_enable() wrapper) or leaves whatever the depth (a
   * local_irq_enable() wrapper: local_irq_enable_exit_to_user()).
   */
  atomicNet?: Partial<Record<AtomicKind, 'enter' | 'leave' | 'leave-all'>>;
  /** Page faults disabled (a kmap_atomic() wrapper) or enabled again on every path. */
  faultsNet?: 'off' | 'on';
  /** Its end cannot be reached (it panics, loops forever or calls do_exit() on every path). */
  noReturn?: true;
  /** Returns a locked object (a find_lock_page() wrapper). */
  returnsLocked: LockClass | null;
  /** ... that it only tried to lock (next_uptodate_page()'s trylock_page()): no lock-order edge at the caller. */
  returnsTryLocked?: true;
  /**
   * Caller's locks released on every path through an object that is no parameter
   * (`sbi = F2FS_I_SB(inode); f2fs_unlock_op(sbi)`), by struct type and member.
   */
  releasesTyped?: { typeKey: string; cls: LockClass }[];
  /** Flag constants its return values may carry, as table rows test them (FGP_LOCK from get_prepare_fgp_flags()). */
  returnsTokens?: string[];
  /** Locks taken here or in callees (bounded). */
  takes: LockTake[];
  isFaultHandler: boolean;
}
