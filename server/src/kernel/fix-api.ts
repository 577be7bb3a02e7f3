// What the quick fix "Copy with faults disabled, then retry" needs to know
// about kernel calls: the fault-free twin of each faulting user access and the
// fault-in helper that goes before the lock, how a mapping of the locked page
// is released, and which calls may be re-run harmlessly when the rewrite goes
// back to before the lock. Linux 6.12 unless a version is given.

/** A faulting user access the rewrite turns into its fault-free form under pagefault_disable(). */
export interface AtomicAccess {
  /** The call to make with page faults disabled. */
  atomic: string;
  /** Fault-in helper called before the lock (returns the bytes it could not fault in). */
  faultIn: string;
  /** Argument index of the user pointer, and of the length (-1: one object, sizeof(*ptr)). */
  user: number;
  len: number;
  /** The call zero-fills the destination bytes it could not copy: the rewrite keeps that. */
  zeroFills?: boolean;
  /** Its result: bytes not copied (a copy) or 0 / -EFAULT (one object). */
  result: 'left' | 'err';
  source: string;
}

export const ATOMIC_ACCESSES: Readonly<Record<string, AtomicAccess>> = {
  // include/linux/uaccess.h:_copy_from_user() memsets what it could not copy; __copy_from_user() does not
  copy_from_user: { atomic: '__copy_from_user_inatomic', faultIn: 'fault_in_readable', user: 1, len: 2, zeroFills: true, result: 'left', source: 'include/linux/uaccess.h:_copy_from_user' },
  __copy_from_user: { atomic: '__copy_from_user_inatomic', faultIn: 'fault_in_readable', user: 1, len: 2, result: 'left', source: 'include/linux/uaccess.h:__copy_from_user' },
  copy_to_user: { atomic: '__copy_to_user_inatomic', faultIn: 'fault_in_writeable', user: 0, len: 2, result: 'left', source: 'include/linux/uaccess.h:copy_to_user' },
  __copy_to_user: { atomic: '__copy_to_user_inatomic', faultIn: 'fault_in_writeable', user: 0, len: 2, result: 'left', source: 'include/linux/uaccess.h:__copy_to_user' },
  // get_user()/put_user() keep their access_ok(): with page faults disabled a fault takes the
  // exception fixup and returns -EFAULT (arch/x86/mm/fault.c:do_user_addr_fault, faulthandler_disabled());
  // __get_user()/__put_user() callers checked access_ok() themselves (kernel/futex/core.c:get_futex_value_locked)
  get_user: { atomic: 'get_user', faultIn: 'fault_in_readable', user: 1, len: -1, result: 'err', source: 'arch/x86/include/asm/uaccess.h:get_user' },
  __get_user: { atomic: '__get_user', faultIn: 'fault_in_readable', user: 1, len: -1, result: 'err', source: 'kernel/futex/core.c:get_futex_value_locked' },
  put_user: { atomic: 'put_user', faultIn: 'fault_in_writeable', user: 1, len: -1, result: 'err', source: 'arch/x86/include/asm/uaccess.h:put_user' },
  __put_user: { atomic: '__put_user', faultIn: 'fault_in_writeable', user: 1, len: -1, result: 'err', source: 'kernel/futex/core.c:futex_atomic_op_inuser' },
};

/** iov_iter copies into a page and their fault-free twins (advance the iterator by what they copied). */
export const ATOMIC_ITER_COPIES: Readonly<Record<string, { atomic: string; source: string }>> = {
  copy_page_from_iter: { atomic: 'copy_page_from_iter_atomic', source: 'lib/iov_iter.c:copy_page_from_iter_atomic (5.14+)' },
  copy_folio_from_iter: { atomic: 'copy_folio_from_iter_atomic', source: 'include/linux/uio.h:copy_folio_from_iter_atomic (6.5+)' },
};

/** Faults the iterator's next bytes in before the lock: mm/filemap.c:generic_perform_write. */
export const ITER_FAULT_IN = 'fault_in_iov_iter_readable';
/** Gives back what ->write_end() did not take: mm/filemap.c:generic_perform_write. */
export const ITER_REVERT = 'iov_iter_revert';
/** Calls that move the iterator themselves: a loop that has one is not the shape the rewrite knows. */
export const ITER_MOVERS: readonly string[] = ['iov_iter_advance', 'iov_iter_revert'];

/**
 * Mappings of the locked page and how each is released (include/linux/highmem.h):
 * `of` says whether the release names the page or the address the map returned.
 */
export const PAGE_MAPPINGS: Readonly<Record<string, { release: string; of: 'page' | 'address' }>> = {
  kmap: { release: 'kunmap', of: 'page' },
  kmap_atomic: { release: 'kunmap_atomic', of: 'address' },
  kmap_local_page: { release: 'kunmap_local', of: 'address' },
  kmap_local_folio: { release: 'kunmap_local', of: 'address' },
};

/** Unlock and reference drop of a page or folio, by class; the function's own spelling wins when it has one. */
export const PAGE_RELEASES = {
  page: { unlock: 'unlock_page', put: 'put_page' },
  folio: { unlock: 'folio_unlock', put: 'folio_put' },
} as const;
/** Reference drops the rewrite recognises in the function (page_cache_release: before 4.6). */
export const PAGE_PUTS: readonly string[] = ['put_page', 'folio_put', 'page_cache_release'];
export const PAGE_UNLOCKS: readonly string[] = ['unlock_page', 'folio_unlock'];

/**
 * Calls that may run again when the rewrite goes back to before the lock:
 * address and size arithmetic, tests, and cache flushes that are idempotent.
 */
export const REPEATABLE_CALLS: readonly string[] = [
  'likely', 'unlikely', 'IS_ERR', 'IS_ERR_OR_NULL', 'PTR_ERR', 'min', 'max', 'min_t', 'max_t', 'sizeof',
  'page_address', 'folio_address', 'offset_in_page', 'offset_in_folio', 'folio_size', 'folio_pos', 'page_offset',
  'mapping_writably_mapped', 'flush_dcache_page', 'flush_dcache_folio', 'wait_for_stable_page', 'folio_wait_stable',
  'PageUptodate', 'folio_test_uptodate', 'iov_iter_count',
];
