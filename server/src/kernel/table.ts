// The kernel API knowledge table: one row per kernel function (or ops member),
// with what calling it does to the lock state. Checks never name kernel APIs;
// the flow engine reads these rows (smatch keeps its lock table the same way).

/** Lock classes the analysis distinguishes. Order and fault-path membership live in LOCK_CLASSES. */
export type LockClass =
  | 'page' // page or folio lock (PG_locked)
  | 'mmap_lock' // mm->mmap_lock, called mmap_sem before 5.8
  | 'invalidate_lock' // mapping->invalidate_lock (5.15+), taken in filemap_fault
  | 'i_mmap_rwsem' // mapping->i_mmap_rwsem
  | 'anon_vma' // anon_vma->rwsem
  | 'i_rwsem' // inode->i_rwsem (i_mutex before 4.7)
  | 'fs_fault_lock' // filesystem locks taken in ->fault/->page_mkwrite (XFS MMAPLOCK, ext4 i_mmap_sem < 5.15, ...)
  | 'sb_pagefaults' // sb_start_pagefault freeze protection, taken in ->page_mkwrite
  | 'fs_inode_lock' // a per-inode filesystem lock the fault takes for the faulting file (btrfs extent range, gfs2 inode glock, XFS ILOCK)
  | 'fs_tree_lock' // a lock of a filesystem-wide structure the fault path searches (btrfs tree locks)
  | 'spinlock' // any spinning lock: atomic context
  | 'mutex'
  | 'rwsem'
  | 'other';

export type AtomicKind = 'preempt' | 'irq' | 'bh' | 'rcu';

export type Effect =
  /** Takes the lock: on `arg` (or `arg`->`field`). */
  | 'acquire'
  /** Drops the lock. */
  | 'release'
  /** Takes the lock only when the return value meets `success`. */
  | 'try-acquire'
  /** Returns the object locked (or NULL / ERR_PTR): find_lock_page(). */
  | 'acquire-ret'
  /** Locks the object stored through the pointer argument `arg` when `success` holds: ->write_begin. */
  | 'acquire-out'
  /** A user-memory access that takes page faults: copy_from_user(). */
  | 'user-access'
  /** Faults user pages in on purpose: fault_in_pages_readable(). */
  | 'fault-in'
  /** Walks page tables and faults pages in for another mm or for pinning: get_user_pages(). */
  | 'gup'
  /** Non-faulting only inside pagefault_disable(): __copy_from_user_inatomic(). */
  | 'inatomic-copy'
  /** Disables page faults itself around the copy: copy_page_from_iter_atomic(). */
  | 'atomic-copy'
  | 'faults-off'
  | 'faults-on'
  | 'atomic-enter'
  | 'atomic-exit'
  /** Runs a block under a lock that is released at the end of the enclosing scope: guard(). */
  | 'scope-acquire'
  /**
   * Releases the lock when the return value meets `success` (maybe_unlock_mmap_for_io()
   * returns the pinned file iff it dropped mmap_lock); `maybe`: only may release then
   * (lock_page_or_retry() returning 0).
   */
  | 'release-ret'
  /**
   * Annotated like a lock (`__acquires(ssp)`) but waits for no one: an SRCU read
   * side. Its sparse annotation is not read as a lock, for the fault path or lock order.
   */
  | 'not-a-lock';

export type Success = 'nonzero' | 'zero' | 'nonnull' | 'success-zero-or-positive' | 'flag' | 'negative';

export interface ApiRow {
  /** Function or macro name; `->member` for a call through an ops table. */
  name: string;
  effect: Effect;
  lock?: LockClass;
  /** Which argument holds the lock object (0-based; negative counts from the end). */
  arg?: number;
  /** The lock is `arg->field` rather than the argument itself. */
  field?: string;
  /** For generic lock primitives: the class comes from the lock expression's last field (LOCK_FIELDS). */
  classFromField?: boolean;
  mode?: 'read' | 'write';
  success?: Success;
  /** For acquire-ret rows that lock only with a flag: the argument must mention this token (FGP_LOCK). */
  argFlag?: { arg: number; token: string };
  atomic?: AtomicKind;
  /** An acquire that turns a held write lock into a read lock (mmap_write_downgrade). */
  downgrade?: boolean;
  /** The lock is the mmap_lock of the mm this argument leads to (vmf -> vma -> vm_mm), by its type. */
  mmOf?: boolean;
  /** release-ret: only may release when `success` holds. */
  maybe?: boolean;
  /** success 'flag': the return value carries this flag (VM_FAULT_RETRY). */
  retFlag?: string;
  /** The only non-zero value it returns is retFlag (folio_lock_or_retry()): `if (ret)` decides too. */
  onlyFlag?: boolean;
  /** Drops mmap_lock only when the fault flags allow it (checks FAULT_FLAG_ALLOW_RETRY itself). */
  checksRetryFlags?: boolean;
  /**
   * release-ret: no release when this argument is written with the token (handle_mm_fault(..,
   * FAULT_FLAG_RETRY_NOWAIT, ..) returns VM_FAULT_RETRY with mmap_lock still held).
   */
  keptWithArgFlag?: { arg: number; token: string };
  /** release-ret: no release when this argument is a flag literal without the token (no FAULT_FLAG_ALLOW_RETRY). */
  onlyWithArgFlag?: { arg: number; token: string };
  /** mmOf: the argument must be a struct vm_fault (`->fault(vmf)`; other ops tables have members of that name). */
  vmfArg?: boolean;
  /** An iov_iter copy: it touches user memory only when the iterator is user-backed (ITER_UBUF/ITER_IOVEC). */
  viaIter?: boolean;
  /** A non-faulting access whose failure is routinely ignored (kernel-memory probes): no unchecked-short-copy. */
  resultOptional?: boolean;
  /**
   * atomic-exit: leaves the context whatever its depth. local_irq_enable()
   * enables interrupts however often they were disabled; local_irq_restore()
   * only undoes one save.
   */
  absolute?: boolean;
  /** Row applies from/until these kernel versions (inclusive/exclusive, "major.minor"). */
  since?: string;
  until?: string;
  /** Where it was read: file and function in the Linux tree. */
  source: string;
  /**
   * user-access: the user buffer is never a mapping of the inode whose per-inode locks
   * the caller holds (dir_emit(): a directory cannot be mmapped).
   */
  notOwnInode?: boolean;
  /** Shown in notes: what the fault path does with this lock, or what the helper does. */
  note?: string;
}

export interface LockField {
  /** Last member name of the lock expression: `mm->mmap_sem` -> mmap_sem. */
  field: string;
  lock: LockClass;
  since?: string;
  until?: string;
  source: string;
}

export interface LockClassInfo {
  name: LockClass;
  /** How a reviewer calls it in a message. */
  words: string;
  /** Taken by the page-fault path (or ranked after mmap_lock): user access under it inverts the order. */
  faultPath: boolean;
  /** Holding it makes the context atomic. */
  atomic: boolean;
  /** What the fault handler does that needs it, outer lock first. */
  faultChain?: string[];
}

export interface LockOrderEntry {
  lock: string;
  depth: number;
  cls?: LockClass;
}

export interface KernelTable {
  rows: Map<string, ApiRow[]>;
  fields: LockField[];
  classes: Map<LockClass, LockClassInfo>;
  /** Struct members that install fault handlers in a vm_operations_struct. */
  faultHandlerMembers: string[];
  /** Identifiers in a return value that hand a locked page to the caller (VM_FAULT_LOCKED). */
  lockTransferReturns: { token: string; lock: LockClass; source: string }[];
  /** Functions every caller enters with page faults disabled, by contract (the futex atomic ops). */
  faultsOffOnEntry: { name: string; source: string }[];
  /** Calls that never return (panic(), BUG(), do_exit()): nothing after them runs. */
  noReturn: Set<string>;
  /** The flags rows test (`argFlag`: FGP_LOCK), and those tokens with the macros that stand for one (FGP_WRITEBEGIN). */
  flagTokens: string[];
  flagWords: string[];
  version: string | null;
}

export function compareVersion(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function inVersion(r: { since?: string; until?: string }, version: string | null): boolean {
  if (!version) return true;
  if (r.since && compareVersion(version, r.since) < 0) return false;
  if (r.until && compareVersion(version, r.until) >= 0) return false;
  return true;
}

/**
 * With no version known every row applies, except a variant that a later
 * variant of the same name replaced (folio_lock_or_retry(): bool until 6.6,
 * vm_fault_t since): the newest meaning applies, as it did before the table
 * knew versions.
 */
function superseded(r: ApiRow, rows: ApiRow[]): boolean {
  const until = r.until;
  if (!until) return false;
  return rows.some((x) => x !== r && x.name === r.name && x.effect === r.effect && x.since !== undefined && compareVersion(x.since, until) >= 0);
}

export function buildTable(
  rows: ApiRow[],
  fields: LockField[],
  classes: LockClassInfo[],
  extra: {
    faultHandlerMembers: string[];
    lockTransferReturns: KernelTable['lockTransferReturns'];
    faultsOffOnEntry?: KernelTable['faultsOffOnEntry'];
    noReturn?: string[];
    /** Flag macros that stand for several flags (FGP_WRITEBEGIN: FGP_LOCK | ...). */
    flagMacros?: Readonly<Record<string, readonly string[]>>;
    version?: string | null;
  },
): KernelTable {
  const version = extra.version ?? null;
  const map = new Map<string, ApiRow[]>();
  for (const r of rows) {
    if (!inVersion(r, version) || (!version && superseded(r, rows))) continue;
    const list = map.get(r.name);
    if (list) {
      // A user row replaces a built-in row with the same name and effect.
      // (rows that pick their lock by a flag or a member are variants: xfs_ilock() MMAPLOCK and ILOCK)
      const i = list.findIndex(
        (x) => x.effect === r.effect && x.arg === r.arg && x.lock === r.lock && x.atomic === r.atomic && x.field === r.field && x.argFlag?.token === r.argFlag?.token,
      );
      if (i >= 0) list[i] = r;
      else list.push(r);
    } else map.set(r.name, [r]);
  }
  return {
    rows: map,
    fields: fields.filter((f) => inVersion(f, version)),
    classes: new Map(classes.map((c) => [c.name, c])),
    faultHandlerMembers: extra.faultHandlerMembers,
    lockTransferReturns: extra.lockTransferReturns,
    faultsOffOnEntry: extra.faultsOffOnEntry ?? [],
    noReturn: new Set(extra.noReturn ?? []),
    ...flagWordsOf(map, extra.flagMacros ?? {}),
    version,
  };
}

function flagWordsOf(rows: Map<string, ApiRow[]>, macros: Readonly<Record<string, readonly string[]>>): { flagTokens: string[]; flagWords: string[] } {
  const tokens = new Set<string>();
  for (const list of rows.values()) for (const r of list) if (r.argFlag) tokens.add(r.argFlag.token);
  const flagTokens = [...tokens].sort();
  const macroWords = Object.entries(macros).filter(([, v]) => v.some((t) => tokens.has(t))).map(([k]) => k);
  return { flagTokens, flagWords: [...flagTokens, ...macroWords.sort()] };
}

export function classOfField(table: KernelTable, lockExpr: string): LockClass | null {
  const m = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(lockExpr);
  if (!m) return null;
  const f = table.fields.find((x) => x.field === m[1]);
  return f ? f.lock : null;
}
