// Built-in rows of the kernel API table. Each row cites where it was read
// (file:function in Linux; 6.12 unless a version is given). Users add rows in
// .faultpath.json ("apis": [...], same shape). Every row is exercised by
// test/fixtures/kernel-table/rows.c.
import type { ApiRow, LockClassInfo, LockField, KernelTable } from './table';
import { FS_LOCK_ROWS } from './fs-locks';

const rows: ApiRow[] = [];

/** iov_iter helpers: they touch user memory only for user-backed iterators (ITER_UBUF, ITER_IOVEC). */
const ITER_ROWS = new Set([
  'copy_page_from_iter', 'copy_page_to_iter', 'copy_folio_to_iter', 'copy_folio_from_iter', 'copy_from_iter', 'copy_to_iter',
  '_copy_from_iter', '_copy_to_iter', 'copy_from_iter_full', 'copy_from_iter_nocache', 'copy_to_iter_full',
  'fault_in_iov_iter_readable', 'fault_in_iov_iter_writeable', 'iov_iter_fault_in_readable', 'iov_iter_get_pages',
  'iov_iter_get_pages2', 'iov_iter_get_pages_alloc2', 'iov_iter_extract_pages',
]);
const row = (r: ApiRow): void => {
  rows.push(r);
};

// ---- page and folio locks -----------------------------------------------
for (const [name, source] of [
  ['lock_page', 'include/linux/pagemap.h:lock_page'],
  ['__lock_page', 'mm/filemap.c:__lock_page (before 5.16: __folio_lock)'],
  ['folio_lock', 'include/linux/pagemap.h:folio_lock'],
  ['__folio_lock', 'mm/filemap.c:__folio_lock'],
  ['lock_page_nosync', 'mm/truncate.c:lock_page_nosync (2.6)'],
]) row({ name, effect: 'acquire', lock: 'page', arg: 0, source });
for (const [name, source] of [
  ['unlock_page', 'mm/folio-compat.c:unlock_page'],
  ['folio_unlock', 'mm/filemap.c:folio_unlock'],
  ['__clear_page_locked', 'include/linux/page-flags.h:__ClearPageLocked (3.x)'],
  ['__folio_clear_locked', 'include/linux/page-flags.h:__folio_clear_locked'],
  ['unlock_page_lru', 'mm/memcontrol.c (4.x)'],
  ['put_and_unlock_page', 'fs (local helpers)'],
]) row({ name, effect: 'release', lock: 'page', arg: 0, source });
for (const [name, source] of [
  ['trylock_page', 'include/linux/pagemap.h:trylock_page'],
  ['folio_trylock', 'include/linux/pagemap.h:folio_trylock'],
]) row({ name, effect: 'try-acquire', lock: 'page', arg: 0, success: 'nonzero', source });
for (const [name, source] of [
  ['lock_page_killable', 'include/linux/pagemap.h:lock_page_killable'],
  ['folio_lock_killable', 'include/linux/pagemap.h:folio_lock_killable'],
  ['__lock_page_killable', 'mm/filemap.c:__lock_page_killable (before 5.16)'],
  ['__folio_lock_killable', 'mm/filemap.c:__folio_lock_killable'],
  ['lock_page_async', 'include/linux/pagemap.h:lock_page_async (5.9-5.15)'],
  ['folio_lock_async', 'include/linux/pagemap.h:folio_lock_async'],
]) row({ name, effect: 'try-acquire', lock: 'page', arg: 0, success: 'zero', source });
// The "lock or retry" helpers changed their meaning twice; each variant is a
// row with its own range (since inclusive, until exclusive):
//   < 6.1   lock_page_or_retry(page, mm, flags): 1 = page locked, 0 = not locked
//           (from 5.16 a wrapper of __folio_lock_or_retry(), "mm/filemap: Add
//           __folio_lock_or_retry()" in the 5.16 folio series; before, __lock_page_or_retry())
//   6.1-6.5 folio_lock_or_retry(folio, mm, flags): bool, true = folio locked
//           (19672a9e4a75 "mm: convert lock_page_or_retry() to folio_lock_or_retry()",
//           v6.1-rc1; Linux 6.1 include/linux/pagemap.h:folio_lock_or_retry)
//   6.6+    folio_lock_or_retry(folio, vmf): vm_fault_t, 0 = folio locked,
//           VM_FAULT_RETRY otherwise (fdc724d6aa44 "mm: change folio_lock_or_retry to
//           use vm_fault directly", v6.6-rc1; Linux 6.12 include/linux/pagemap.h)
row({
  name: 'lock_page_or_retry',
  effect: 'try-acquire',
  lock: 'page',
  arg: 0,
  success: 'nonzero',
  until: '6.1',
  source: 'include/linux/pagemap.h:lock_page_or_retry (returns 1 with the page locked; on 0 mmap_lock may be dropped; replaced in 6.1 by 19672a9e4a75)',
});
row({ name: '__lock_page_or_retry', effect: 'try-acquire', lock: 'page', arg: 0, success: 'nonzero', until: '5.16', source: 'mm/filemap.c:__lock_page_or_retry (became __folio_lock_or_retry() in 5.16)' });
row({ name: 'folio_lock_or_retry', effect: 'try-acquire', lock: 'page', arg: 0, success: 'nonzero', since: '6.1', until: '6.6', source: 'include/linux/pagemap.h:folio_lock_or_retry (Linux 6.1: bool, true with the folio locked; 19672a9e4a75 .. fdc724d6aa44)' });
row({ name: 'folio_lock_or_retry', effect: 'try-acquire', lock: 'page', arg: 0, success: 'zero', since: '6.6', source: 'include/linux/pagemap.h:folio_lock_or_retry (Linux 6.12: 0 with the folio locked, VM_FAULT_RETRY otherwise; since fdc724d6aa44, v6.6)' });
row({ name: '__folio_lock_or_retry', effect: 'try-acquire', lock: 'page', arg: 0, success: 'nonzero', since: '5.16', until: '6.6', source: 'mm/filemap.c:__folio_lock_or_retry (Linux 6.1: bool, true with the folio locked)' });
row({ name: '__folio_lock_or_retry', effect: 'try-acquire', lock: 'page', arg: 0, success: 'zero', since: '6.6', source: 'mm/filemap.c:__folio_lock_or_retry (Linux 6.12: 0 with the folio locked; since fdc724d6aa44, v6.6)' });
for (const [name, source] of [
  ['find_lock_page', 'include/linux/pagemap.h:find_lock_page'],
  ['find_lock_entry', 'mm/filemap.c:find_lock_entry'],
  ['find_or_create_page', 'include/linux/pagemap.h:find_or_create_page'],
  ['grab_cache_page', 'include/linux/pagemap.h:grab_cache_page'],
  ['grab_cache_page_nowait', 'mm/filemap.c:grab_cache_page_nowait'],
  ['grab_cache_page_write_begin', 'mm/folio-compat.c:grab_cache_page_write_begin'],
  ['__grab_cache_page', 'mm/filemap.c:__grab_cache_page (2.6.22)'],
  ['filemap_lock_folio', 'include/linux/pagemap.h:filemap_lock_folio'],
  ['filemap_lock_hugetlb_folio', 'include/linux/hugetlb.h:filemap_lock_hugetlb_folio'],
  ['read_cache_page_locked', 'local helpers in fs/'],
  ['find_trylock_page', 'mm/filemap.c:find_trylock_page (2.6)'],
  ['write_begin_get_folio', 'include/linux/pagemap.h:write_begin_get_folio (6.17)'],
]) row({ name, effect: 'acquire-ret', lock: 'page', success: 'nonnull', source });
for (const [name, source, arg] of [
  ['pagecache_get_page', 'mm/folio-compat.c:pagecache_get_page', 2],
  ['__filemap_get_folio', 'mm/filemap.c:__filemap_get_folio', 2],
  ['filemap_grab_folio', 'include/linux/pagemap.h:filemap_grab_folio', -1],
] as const) {
  if (arg === -1) row({ name, effect: 'acquire-ret', lock: 'page', success: 'nonnull', source });
  else row({ name, effect: 'acquire-ret', lock: 'page', success: 'nonnull', argFlag: { arg, token: 'FGP_LOCK' }, source });
}
// ->write_begin returns the page locked through its `struct page **` (second
// to last argument in every version: 2.6.24 (.., flags, pagep, fsdata), 6.x
// (.., foliop, fsdata)); ->write_end unlocks the page passed second to last.
for (const [name, source] of [
  ['->write_begin', 'include/linux/fs.h:struct address_space_operations'],
  ['pagecache_write_begin', 'fs/buffer.c:pagecache_write_begin (< 5.19)'],
  ['block_write_begin', 'fs/buffer.c:block_write_begin'],
  ['simple_write_begin', 'fs/libfs.c:simple_write_begin'],
  ['cont_write_begin', 'fs/buffer.c:cont_write_begin'],
  ['nobh_write_begin', 'fs/buffer.c:nobh_write_begin (< 5.19)'],
]) row({ name, effect: 'acquire-out', lock: 'page', arg: -2, success: 'zero', source });
for (const [name, source] of [
  ['->write_end', 'include/linux/fs.h:struct address_space_operations'],
  ['pagecache_write_end', 'fs/buffer.c:pagecache_write_end (< 5.19)'],
  ['generic_write_end', 'fs/buffer.c:generic_write_end'],
  ['simple_write_end', 'fs/libfs.c:simple_write_end'],
  ['nobh_write_end', 'fs/buffer.c:nobh_write_end (< 5.19)'],
]) row({ name, effect: 'release', lock: 'page', arg: -2, source });
// block_write_end() leaves the folio locked: generic_write_end() is block_write_end() + folio_unlock().
// SRCU readers (include/linux/srcu.h) are annotated __acquires(ssp)/__releases(ssp),
// but a reader waits neither for other readers nor for synchronize_srcu(): no lock
// to learn for the fault path (kfd_mmap(), ib_uverbs_mmap() enter SRCU read sections).
for (const name of ['srcu_read_lock', 'srcu_read_unlock', 'srcu_read_lock_nmisafe', 'srcu_read_unlock_nmisafe', 'srcu_read_lock_notrace', 'srcu_read_unlock_notrace', 'srcu_down_read', 'srcu_up_read']) {
  row({ name, effect: 'not-a-lock', source: 'include/linux/srcu.h:' + name });
}
// iomap_folio_ops (include/linux/iomap.h, 6.3+): ->get_folio returns the folio
// locked, ->put_folio "is responsible for unlocking and putting @folio".
row({ name: '->get_folio', effect: 'acquire-ret', lock: 'page', success: 'nonnull', since: '6.3', source: 'include/linux/iomap.h:struct iomap_folio_ops (get_folio)' });
row({ name: '->put_folio', effect: 'release', lock: 'page', arg: -1, since: '6.3', source: 'include/linux/iomap.h:struct iomap_folio_ops (put_folio unlocks and puts the folio)' });


// ->read_folio / ->readpage start the read and the page is unlocked when it
// completes (include/linux/fs.h: "the filesystem should unlock the folio");
// ->writepage unlocks the page it is given. Functions installed in these
// slots get the same effect (MEMBER_CONTRACTS). ->readpage and its helpers
// went in 5.19 (aops->read_folio); Linux 6.1 include/linux/fs.h has only read_folio.
for (const t of [
  ['->read_folio', 1, 'include/linux/fs.h:address_space_operations.read_folio'],
  ['->readpage', 1, 'include/linux/fs.h:address_space_operations.readpage (< 5.19)', '5.19'],
  ['->writepage', 0, 'include/linux/fs.h:address_space_operations.writepage'],
  ['block_read_full_folio', 0, 'fs/buffer.c:block_read_full_folio'],
  ['block_read_full_page', 0, 'fs/buffer.c:block_read_full_page (< 5.19)', '5.19'],
  ['mpage_read_folio', 0, 'fs/mpage.c:mpage_read_folio'],
  ['mpage_readpage', 0, 'fs/mpage.c:mpage_readpage (< 5.19)', '5.19'],
  ['filemap_read_folio', 2, 'mm/filemap.c:filemap_read_folio (starts ->read_folio and waits)'],
] as [string, number, string, string?][]) row({ name: t[0], effect: 'release', lock: 'page', arg: t[1], source: t[2], ...(t[3] ? { until: t[3] } : {}) });

// ---- mmap_lock / mmap_sem -------------------------------------------------
for (const [name, mode, source] of [
  ['mmap_read_lock', 'read', 'include/linux/mmap_lock.h:mmap_read_lock'],
  ['mmap_read_lock_killable', 'read', 'include/linux/mmap_lock.h:mmap_read_lock_killable'],
  ['mmap_write_lock', 'write', 'include/linux/mmap_lock.h:mmap_write_lock'],
  ['mmap_write_lock_killable', 'write', 'include/linux/mmap_lock.h:mmap_write_lock_killable'],
  ['mmap_write_lock_nested', 'write', 'include/linux/mmap_lock.h:mmap_write_lock_nested'],
  ['mmap_assert_locked', 'read', 'include/linux/mmap_lock.h (assertion: held on entry)'],
] as const) {
  if (name.endsWith('_killable')) row({ name, effect: 'try-acquire', lock: 'mmap_lock', arg: 0, field: 'mmap_lock', mode, success: 'zero', since: '5.8', source });
  else if (name !== 'mmap_assert_locked') row({ name, effect: 'acquire', lock: 'mmap_lock', arg: 0, field: 'mmap_lock', mode, since: '5.8', source });
}
for (const [name, mode, source] of [
  ['mmap_read_unlock', 'read', 'include/linux/mmap_lock.h:mmap_read_unlock'],
  ['mmap_write_unlock', 'write', 'include/linux/mmap_lock.h:mmap_write_unlock'],
  ['mmap_read_unlock_non_owner', 'read', 'include/linux/mmap_lock.h:mmap_read_unlock_non_owner'],
] as const) row({ name, effect: 'release', lock: 'mmap_lock', arg: 0, field: 'mmap_lock', mode, since: '5.8', source });
row({ name: 'mmap_read_trylock', effect: 'try-acquire', lock: 'mmap_lock', arg: 0, field: 'mmap_lock', mode: 'read', success: 'nonzero', since: '5.8', source: 'include/linux/mmap_lock.h:mmap_read_trylock' });
row({ name: 'mmap_write_trylock', effect: 'try-acquire', lock: 'mmap_lock', arg: 0, field: 'mmap_lock', mode: 'write', success: 'nonzero', since: '5.8', source: 'include/linux/mmap_lock.h:mmap_write_trylock' });
row({ name: 'mmap_write_downgrade', effect: 'acquire', lock: 'mmap_lock', arg: 0, field: 'mmap_lock', mode: 'read', downgrade: true, since: '5.8', source: 'include/linux/mmap_lock.h:mmap_write_downgrade' });

// ---- the fault-retry contract (2018 "drop the mmap_sem when doing IO in the fault path") ----
row({ name: 'maybe_unlock_mmap_for_io', effect: 'release-ret', lock: 'mmap_lock', arg: 0, mmOf: true, success: 'nonnull', checksRetryFlags: true, mode: 'read', source: 'mm/internal.h:maybe_unlock_mmap_for_io (returns the pinned vm_file iff it dropped mmap_lock; (vma, flags) in the 2018 series, (vmf, fpin) since 5.1)' });
row({ name: 'lock_page_or_retry', effect: 'release-ret', lock: 'mmap_lock', arg: 1, mmOf: true, success: 'zero', maybe: true, checksRetryFlags: true, mode: 'read', until: '6.1', source: 'include/linux/pagemap.h:lock_page_or_retry (on 0 mmap_lock may have been dropped)' });
row({ name: 'folio_lock_or_retry', effect: 'release-ret', lock: 'mmap_lock', arg: 1, mmOf: true, success: 'zero', maybe: true, checksRetryFlags: true, mode: 'read', since: '6.1', until: '6.6', source: 'include/linux/pagemap.h:folio_lock_or_retry (Linux 6.1: (folio, mm, flags); on false mmap_lock may have been dropped)' });
row({ name: 'folio_lock_or_retry', effect: 'release-ret', lock: 'mmap_lock', arg: 1, mmOf: true, success: 'flag', retFlag: 'VM_FAULT_RETRY', onlyFlag: true, maybe: true, checksRetryFlags: true, mode: 'read', since: '6.6', source: 'include/linux/pagemap.h:folio_lock_or_retry (Linux 6.12: (folio, vmf); VM_FAULT_RETRY: the fault lock may have been released)' });
row({ name: 'handle_mm_fault', effect: 'release-ret', lock: 'mmap_lock', arg: 0, mmOf: true, success: 'flag', retFlag: 'VM_FAULT_RETRY', checksRetryFlags: true, keptWithArgFlag: { arg: 2, token: 'FAULT_FLAG_RETRY_NOWAIT' }, onlyWithArgFlag: { arg: 2, token: 'FAULT_FLAG_ALLOW_RETRY' }, mode: 'read', source: 'mm/memory.c:handle_mm_fault (VM_FAULT_RETRY: mmap_lock was released, unless FAULT_FLAG_RETRY_NOWAIT)' });
row({ name: '__handle_mm_fault', effect: 'release-ret', lock: 'mmap_lock', arg: 0, mmOf: true, success: 'flag', retFlag: 'VM_FAULT_RETRY', checksRetryFlags: true, keptWithArgFlag: { arg: 2, token: 'FAULT_FLAG_RETRY_NOWAIT' }, onlyWithArgFlag: { arg: 2, token: 'FAULT_FLAG_ALLOW_RETRY' }, mode: 'read', source: 'mm/memory.c:__handle_mm_fault (the body of handle_mm_fault() since 4.6 (2.6.x: static in mm/memory.c); VM_FAULT_RETRY from ->fault: mmap_lock was released)' });
// A call through a vma's ->fault: filemap_fault(), shmem_fault(), handle_userfault() drop mmap_lock
// and say so with VM_FAULT_RETRY (mm/memory.c:__do_fault() tests it; do_fault() read vma->vm_mm
// after it until fc8efd2ddfed "mm/memory.c: do_fault: avoid usage of stale vm_area_struct", 2019).
row({ name: '->fault', effect: 'release-ret', lock: 'mmap_lock', arg: 0, mmOf: true, vmfArg: true, success: 'flag', retFlag: 'VM_FAULT_RETRY', checksRetryFlags: true, mode: 'read', source: 'include/linux/mm.h:struct vm_operations_struct (fault; VM_FAULT_RETRY: mmap_lock was released, unless FAULT_FLAG_RETRY_NOWAIT)' });
row({ name: 'release_fault_lock', effect: 'release', lock: 'mmap_lock', arg: 0, mmOf: true, mode: 'read', since: '6.6', source: 'include/linux/mm.h:release_fault_lock (mmap_lock or the per-VMA lock; added by 1235ccd05b6d "mm: handle swap page faults under per-VMA lock", v6.6; absent from Linux 6.1)' });
row({ name: 'vma_end_read', effect: 'release', lock: 'mmap_lock', arg: 0, mmOf: true, mode: 'read', checksRetryFlags: true, since: '6.4', source: 'include/linux/mm.h:vma_end_read (the per-VMA lock a fault may hold instead of mmap_lock)' });

// ---- generic sleeping and spinning primitives ----------------------------
// The class of `down_read(&mm->mmap_sem)` comes from its last field (LOCK_FIELDS).
for (const [name, mode, source] of [
  ['down_read', 'read', 'kernel/locking/rwsem.c:down_read'],
  ['down_read_nested', 'read', 'kernel/locking/rwsem.c:down_read_nested'],
  ['down_read_non_owner', 'read', 'kernel/locking/rwsem.c:down_read_non_owner'],
  ['down_write', 'write', 'kernel/locking/rwsem.c:down_write'],
  ['down_write_nested', 'write', 'kernel/locking/rwsem.c:down_write_nested'],
  ['f2fs_down_read', 'read', 'fs/f2fs/f2fs.h:f2fs_down_read'],
  ['f2fs_down_write', 'write', 'fs/f2fs/f2fs.h:f2fs_down_write'],
] as const) row({ name, effect: 'acquire', lock: 'rwsem', arg: 0, classFromField: true, mode, source });
for (const [name, mode, source] of [
  ['down_read_killable', 'read', 'kernel/locking/rwsem.c:down_read_killable'],
  ['down_read_interruptible', 'read', 'kernel/locking/rwsem.c:down_read_interruptible'],
  ['down_write_killable', 'write', 'kernel/locking/rwsem.c:down_write_killable'],
] as const) row({ name, effect: 'try-acquire', lock: 'rwsem', arg: 0, classFromField: true, mode, success: 'zero', source });
for (const [name, mode, source] of [
  ['down_read_trylock', 'read', 'kernel/locking/rwsem.c:down_read_trylock'],
  ['down_write_trylock', 'write', 'kernel/locking/rwsem.c:down_write_trylock'],
  ['f2fs_down_read_trylock', 'read', 'fs/f2fs/f2fs.h:f2fs_down_read_trylock'],
  ['f2fs_down_write_trylock', 'write', 'fs/f2fs/f2fs.h:f2fs_down_write_trylock'],
] as const) row({ name, effect: 'try-acquire', lock: 'rwsem', arg: 0, classFromField: true, mode, success: 'nonzero', source });
for (const [name, mode, source] of [
  ['up_read', 'read', 'kernel/locking/rwsem.c:up_read'],
  ['up_read_non_owner', 'read', 'kernel/locking/rwsem.c:up_read_non_owner'],
  ['up_write', 'write', 'kernel/locking/rwsem.c:up_write'],
  ['downgrade_write', 'read', 'kernel/locking/rwsem.c:downgrade_write'],
  ['f2fs_up_read', 'read', 'fs/f2fs/f2fs.h:f2fs_up_read'],
  ['f2fs_up_write', 'write', 'fs/f2fs/f2fs.h:f2fs_up_write'],
] as const) {
  if (name === 'downgrade_write') row({ name, effect: 'acquire', lock: 'rwsem', arg: 0, classFromField: true, mode, downgrade: true, source });
  else row({ name, effect: 'release', lock: 'rwsem', arg: 0, classFromField: true, mode, source });
}
for (const [name, source] of [
  ['mutex_lock', 'kernel/locking/mutex.c:mutex_lock'],
  ['mutex_lock_nested', 'include/linux/mutex.h:mutex_lock_nested'],
  ['mutex_lock_io', 'kernel/locking/mutex.c:mutex_lock_io'],
]) row({ name, effect: 'acquire', lock: 'mutex', arg: 0, classFromField: true, source });
for (const [name, source] of [
  ['mutex_lock_interruptible', 'kernel/locking/mutex.c:mutex_lock_interruptible'],
  ['mutex_lock_killable', 'kernel/locking/mutex.c:mutex_lock_killable'],
  ['mutex_lock_interruptible_nested', 'include/linux/mutex.h'],
  ['mutex_lock_killable_nested', 'include/linux/mutex.h'],
]) row({ name, effect: 'try-acquire', lock: 'mutex', arg: 0, classFromField: true, success: 'zero', source });
row({ name: 'mutex_trylock', effect: 'try-acquire', lock: 'mutex', arg: 0, classFromField: true, success: 'nonzero', source: 'kernel/locking/mutex.c:mutex_trylock' });
row({ name: 'mutex_unlock', effect: 'release', lock: 'mutex', arg: 0, classFromField: true, source: 'kernel/locking/mutex.c:mutex_unlock' });

// inode_lock(), inode_unlock(), inode_trylock() and inode_lock_nested() wrap
// ->i_mutex since 4.5 (5955102c9984 "wrappers for ->i_mutex access"); the
// _shared forms came with the switch to i_rwsem in 4.7.
for (const [name, source] of [
  ['inode_lock', 'include/linux/fs.h:inode_lock (4.5-4.6: mutex_lock(&inode->i_mutex))'],
  ['inode_lock_nested', 'include/linux/fs.h:inode_lock_nested'],
]) row({ name, effect: 'acquire', lock: 'i_rwsem', arg: 0, field: 'i_rwsem', mode: 'write', since: '4.5', source });
row({ name: 'inode_lock_shared', effect: 'acquire', lock: 'i_rwsem', arg: 0, field: 'i_rwsem', mode: 'read', since: '4.7', source: 'include/linux/fs.h:inode_lock_shared' });
row({ name: 'inode_unlock', effect: 'release', lock: 'i_rwsem', arg: 0, field: 'i_rwsem', mode: 'write', since: '4.5', source: 'include/linux/fs.h:inode_unlock' });
row({ name: 'inode_unlock_shared', effect: 'release', lock: 'i_rwsem', arg: 0, field: 'i_rwsem', mode: 'read', since: '4.7', source: 'include/linux/fs.h:inode_unlock_shared' });
row({ name: 'inode_trylock', effect: 'try-acquire', lock: 'i_rwsem', arg: 0, field: 'i_rwsem', mode: 'write', success: 'nonzero', since: '4.5', source: 'include/linux/fs.h:inode_trylock' });
row({ name: 'inode_trylock_shared', effect: 'try-acquire', lock: 'i_rwsem', arg: 0, field: 'i_rwsem', mode: 'read', success: 'nonzero', since: '4.7', source: 'include/linux/fs.h:inode_trylock_shared' });

row({ name: 'filemap_invalidate_lock', effect: 'acquire', lock: 'invalidate_lock', arg: 0, field: 'invalidate_lock', mode: 'write', since: '5.15', source: 'include/linux/fs.h:filemap_invalidate_lock' });
row({ name: 'filemap_invalidate_lock_shared', effect: 'acquire', lock: 'invalidate_lock', arg: 0, field: 'invalidate_lock', mode: 'read', since: '5.15', source: 'include/linux/fs.h:filemap_invalidate_lock_shared' });
row({ name: 'filemap_invalidate_unlock', effect: 'release', lock: 'invalidate_lock', arg: 0, field: 'invalidate_lock', mode: 'write', since: '5.15', source: 'include/linux/fs.h:filemap_invalidate_unlock' });
row({ name: 'filemap_invalidate_unlock_shared', effect: 'release', lock: 'invalidate_lock', arg: 0, field: 'invalidate_lock', mode: 'read', since: '5.15', source: 'include/linux/fs.h:filemap_invalidate_unlock_shared' });
row({ name: 'filemap_invalidate_trylock_shared', effect: 'try-acquire', lock: 'invalidate_lock', arg: 0, field: 'invalidate_lock', mode: 'read', success: 'nonzero', since: '5.15', source: 'include/linux/fs.h:filemap_invalidate_trylock_shared' });
row({ name: 'filemap_invalidate_lock_two', effect: 'acquire', lock: 'invalidate_lock', arg: 0, field: 'invalidate_lock', mode: 'write', since: '5.15', source: 'mm/filemap.c:filemap_invalidate_lock_two' });
row({ name: 'filemap_invalidate_unlock_two', effect: 'release', lock: 'invalidate_lock', arg: 0, field: 'invalidate_lock', mode: 'write', since: '5.15', source: 'mm/filemap.c:filemap_invalidate_unlock_two' });
row({ name: 'i_mmap_lock_write', effect: 'acquire', lock: 'i_mmap_rwsem', arg: 0, field: 'i_mmap_rwsem', mode: 'write', source: 'include/linux/fs.h:i_mmap_lock_write' });
row({ name: 'i_mmap_lock_read', effect: 'acquire', lock: 'i_mmap_rwsem', arg: 0, field: 'i_mmap_rwsem', mode: 'read', source: 'include/linux/fs.h:i_mmap_lock_read' });
row({ name: 'i_mmap_unlock_write', effect: 'release', lock: 'i_mmap_rwsem', arg: 0, field: 'i_mmap_rwsem', mode: 'write', source: 'include/linux/fs.h:i_mmap_unlock_write' });
row({ name: 'i_mmap_unlock_read', effect: 'release', lock: 'i_mmap_rwsem', arg: 0, field: 'i_mmap_rwsem', mode: 'read', source: 'include/linux/fs.h:i_mmap_unlock_read' });
row({ name: 'i_mmap_trylock_read', effect: 'try-acquire', lock: 'i_mmap_rwsem', arg: 0, field: 'i_mmap_rwsem', mode: 'read', success: 'nonzero', source: 'include/linux/fs.h:i_mmap_trylock_read' });
row({ name: 'anon_vma_lock_write', effect: 'acquire', lock: 'anon_vma', arg: 0, field: 'root->rwsem', mode: 'write', source: 'include/linux/rmap.h:anon_vma_lock_write' });
row({ name: 'anon_vma_lock_read', effect: 'acquire', lock: 'anon_vma', arg: 0, field: 'root->rwsem', mode: 'read', source: 'include/linux/rmap.h:anon_vma_lock_read' });
row({ name: 'anon_vma_unlock_write', effect: 'release', lock: 'anon_vma', arg: 0, field: 'root->rwsem', mode: 'write', source: 'include/linux/rmap.h:anon_vma_unlock_write' });
row({ name: 'anon_vma_unlock_read', effect: 'release', lock: 'anon_vma', arg: 0, field: 'root->rwsem', mode: 'read', source: 'include/linux/rmap.h:anon_vma_unlock_read' });
// Filesystem locks that ->fault / ->page_mkwrite take.
row({ name: 'sb_start_pagefault', effect: 'acquire', lock: 'sb_pagefaults', arg: 0, field: 's_writers', mode: 'read', source: 'include/linux/fs.h:sb_start_pagefault (taken in ->page_mkwrite)' });
row({ name: 'sb_end_pagefault', effect: 'release', lock: 'sb_pagefaults', arg: 0, field: 's_writers', mode: 'read', source: 'include/linux/fs.h:sb_end_pagefault' });
row({ name: 'xfs_ilock', effect: 'acquire', lock: 'fs_fault_lock', arg: 0, field: 'i_mmaplock', argFlag: { arg: 1, token: 'MMAPLOCK' }, source: 'fs/xfs/xfs_inode.c:xfs_ilock (XFS_MMAPLOCK_*, taken in xfs_filemap_fault before 5.15)' });
row({ name: 'xfs_iunlock', effect: 'release', lock: 'fs_fault_lock', arg: 0, field: 'i_mmaplock', argFlag: { arg: 1, token: 'MMAPLOCK' }, source: 'fs/xfs/xfs_inode.c:xfs_iunlock' });
// btrfs extent and tree locks, gfs2 glocks, the XFS ILOCK (kernel/fs-locks.ts)
for (const r of FS_LOCK_ROWS) row(r);

// Spinning locks and other atomic contexts.
for (const [name, source] of [
  ['spin_lock', 'include/linux/spinlock.h:spin_lock'],
  ['spin_lock_irq', 'include/linux/spinlock.h:spin_lock_irq'],
  ['spin_lock_irqsave', 'include/linux/spinlock.h:spin_lock_irqsave'],
  ['spin_lock_bh', 'include/linux/spinlock.h:spin_lock_bh'],
  ['spin_lock_nested', 'include/linux/spinlock.h:spin_lock_nested'],
  ['raw_spin_lock', 'include/linux/spinlock.h:raw_spin_lock'],
  ['raw_spin_lock_irq', 'include/linux/spinlock.h:raw_spin_lock_irq'],
  ['raw_spin_lock_irqsave', 'include/linux/spinlock.h:raw_spin_lock_irqsave'],
  ['read_lock', 'include/linux/rwlock.h:read_lock'],
  ['read_lock_irq', 'include/linux/rwlock.h:read_lock_irq'],
  ['read_lock_irqsave', 'include/linux/rwlock.h:read_lock_irqsave'],
  ['read_lock_bh', 'include/linux/rwlock.h:read_lock_bh'],
  ['write_lock', 'include/linux/rwlock.h:write_lock'],
  ['write_lock_irq', 'include/linux/rwlock.h:write_lock_irq'],
  ['write_lock_irqsave', 'include/linux/rwlock.h:write_lock_irqsave'],
  ['write_lock_bh', 'include/linux/rwlock.h:write_lock_bh'],
  ['write_seqlock', 'include/linux/seqlock.h:write_seqlock'],
  ['write_seqlock_irqsave', 'include/linux/seqlock.h:write_seqlock_irqsave'],
  ['bit_spin_lock', 'include/linux/bit_spinlock.h:bit_spin_lock'],
  ['xa_lock', 'include/linux/xarray.h:xa_lock'],
  ['xa_lock_irq', 'include/linux/xarray.h:xa_lock_irq'],
  ['xa_lock_irqsave', 'include/linux/xarray.h:xa_lock_irqsave'],
  ['xas_lock', 'include/linux/xarray.h:xas_lock'],
  ['xas_lock_irq', 'include/linux/xarray.h:xas_lock_irq'],
  ['xas_lock_irqsave', 'include/linux/xarray.h:xas_lock_irqsave'],
]) row({ name, effect: 'acquire', lock: 'spinlock', arg: name === 'bit_spin_lock' ? 1 : 0, source });
// Page-table lock helpers that return the lock they took (include/linux/mm.h, hugetlb.h).
for (const [name, source] of [
  ['pmd_lock', 'include/linux/mm.h:pmd_lock'],
  ['pud_lock', 'include/linux/mm.h:pud_lock'],
  ['huge_pte_lock', 'include/linux/hugetlb.h:huge_pte_lock'],
  ['pmd_trans_huge_lock', 'include/linux/huge_mm.h:pmd_trans_huge_lock (NULL when not a huge pmd)'],
  ['pud_trans_huge_lock', 'include/linux/huge_mm.h:pud_trans_huge_lock (NULL when not a huge pud)'],
]) row({ name, effect: 'acquire-ret', lock: 'spinlock', success: 'nonnull', source });
// pte_offset_map_lock(mm, pmd, addr, &ptl): returns the pte mapped (or NULL), *ptlp held.
row({ name: 'pte_offset_map_lock', effect: 'acquire-out', lock: 'spinlock', arg: 3, success: 'nonnull', source: 'include/linux/mm.h:pte_offset_map_lock (NULL: nothing mapped, nothing locked)' });
for (const [name, source] of [
  ['spin_unlock', 'include/linux/spinlock.h:spin_unlock'],
  ['spin_unlock_irq', 'include/linux/spinlock.h:spin_unlock_irq'],
  ['spin_unlock_irqrestore', 'include/linux/spinlock.h:spin_unlock_irqrestore'],
  ['spin_unlock_bh', 'include/linux/spinlock.h:spin_unlock_bh'],
  ['raw_spin_unlock', 'include/linux/spinlock.h:raw_spin_unlock'],
  ['raw_spin_unlock_irq', 'include/linux/spinlock.h:raw_spin_unlock_irq'],
  ['raw_spin_unlock_irqrestore', 'include/linux/spinlock.h:raw_spin_unlock_irqrestore'],
  ['read_unlock', 'include/linux/rwlock.h:read_unlock'],
  ['read_unlock_irq', 'include/linux/rwlock.h:read_unlock_irq'],
  ['read_unlock_irqrestore', 'include/linux/rwlock.h:read_unlock_irqrestore'],
  ['read_unlock_bh', 'include/linux/rwlock.h:read_unlock_bh'],
  ['write_unlock', 'include/linux/rwlock.h:write_unlock'],
  ['write_unlock_irq', 'include/linux/rwlock.h:write_unlock_irq'],
  ['write_unlock_irqrestore', 'include/linux/rwlock.h:write_unlock_irqrestore'],
  ['write_unlock_bh', 'include/linux/rwlock.h:write_unlock_bh'],
  ['write_sequnlock', 'include/linux/seqlock.h:write_sequnlock'],
  ['write_sequnlock_irqrestore', 'include/linux/seqlock.h:write_sequnlock_irqrestore'],
  ['bit_spin_unlock', 'include/linux/bit_spinlock.h:bit_spin_unlock'],
  ['xa_unlock', 'include/linux/xarray.h:xa_unlock'],
  ['xa_unlock_irq', 'include/linux/xarray.h:xa_unlock_irq'],
  ['xa_unlock_irqrestore', 'include/linux/xarray.h:xa_unlock_irqrestore'],
  ['xas_unlock', 'include/linux/xarray.h:xas_unlock'],
  ['xas_unlock_irq', 'include/linux/xarray.h:xas_unlock_irq'],
  ['xas_unlock_irqrestore', 'include/linux/xarray.h:xas_unlock_irqrestore'],
]) row({ name, effect: 'release', lock: 'spinlock', arg: name === 'bit_spin_unlock' ? 1 : 0, source });
row({ name: 'pte_unmap_unlock', effect: 'release', lock: 'spinlock', arg: 1, source: 'include/linux/mm.h:pte_unmap_unlock' });
for (const [name, source] of [
  ['spin_trylock', 'include/linux/spinlock.h:spin_trylock'],
  ['spin_trylock_irq', 'include/linux/spinlock.h:spin_trylock_irq'],
  ['spin_trylock_irqsave', 'include/linux/spinlock.h:spin_trylock_irqsave'],
  ['raw_spin_trylock', 'include/linux/spinlock.h:raw_spin_trylock'],
  ['read_trylock', 'include/linux/rwlock.h:read_trylock'],
  ['write_trylock', 'include/linux/rwlock.h:write_trylock'],
]) row({ name, effect: 'try-acquire', lock: 'spinlock', arg: 0, success: 'nonzero', source });

for (const [name, atomic, source] of [
  ['preempt_disable', 'preempt', 'include/linux/preempt.h:preempt_disable'],
  ['preempt_disable_notrace', 'preempt', 'include/linux/preempt.h:preempt_disable_notrace'],
  ['get_cpu', 'preempt', 'include/linux/smp.h:get_cpu'],
  ['get_cpu_var', 'preempt', 'include/linux/percpu-defs.h:get_cpu_var'],
  ['get_cpu_ptr', 'preempt', 'include/linux/percpu-defs.h:get_cpu_ptr'],
  ['local_irq_disable', 'irq', 'include/linux/irqflags.h:local_irq_disable'],
  ['local_irq_save', 'irq', 'include/linux/irqflags.h:local_irq_save'],
  ['local_bh_disable', 'bh', 'include/linux/bottom_half.h:local_bh_disable'],
  ['rcu_read_lock', 'rcu', 'include/linux/rcupdate.h:rcu_read_lock'],
  ['rcu_read_lock_sched', 'rcu', 'include/linux/rcupdate.h:rcu_read_lock_sched'],
  ['rcu_read_lock_bh', 'rcu', 'include/linux/rcupdate.h:rcu_read_lock_bh'],
  ['kmap_atomic', 'preempt', 'include/linux/highmem.h:kmap_atomic (also disables page faults)'],
  ['preempt_count_inc', 'preempt', 'include/linux/preempt.h:preempt_count_inc'],
  ['__preempt_count_inc', 'preempt', 'include/asm-generic/preempt.h:__preempt_count_inc'],
  ['kmap_atomic_prot', 'preempt', 'include/linux/highmem.h:kmap_atomic_prot'],
  ['kmap_atomic_pfn', 'preempt', 'include/linux/highmem.h:kmap_atomic_pfn'],
  ['inc_preempt_count', 'preempt', 'include/linux/preempt.h:inc_preempt_count (2.6.23: also makes the fault handler bail out)'],
] as const) row({ name, effect: 'atomic-enter', atomic, source });
for (const [name, atomic, source] of [
  ['preempt_enable', 'preempt', 'include/linux/preempt.h:preempt_enable'],
  ['preempt_enable_no_resched', 'preempt', 'include/linux/preempt.h:preempt_enable_no_resched'],
  ['preempt_enable_notrace', 'preempt', 'include/linux/preempt.h:preempt_enable_notrace'],
  ['put_cpu', 'preempt', 'include/linux/smp.h:put_cpu'],
  ['put_cpu_var', 'preempt', 'include/linux/percpu-defs.h:put_cpu_var'],
  ['put_cpu_ptr', 'preempt', 'include/linux/percpu-defs.h:put_cpu_ptr'],
  ['local_irq_restore', 'irq', 'include/linux/irqflags.h:local_irq_restore'],
  ['local_bh_enable', 'bh', 'include/linux/bottom_half.h:local_bh_enable'],
  ['rcu_read_unlock', 'rcu', 'include/linux/rcupdate.h:rcu_read_unlock'],
  ['rcu_read_unlock_sched', 'rcu', 'include/linux/rcupdate.h:rcu_read_unlock_sched'],
  ['rcu_read_unlock_bh', 'rcu', 'include/linux/rcupdate.h:rcu_read_unlock_bh'],
  ['kunmap_atomic', 'preempt', 'include/linux/highmem.h:kunmap_atomic'],
  ['sched_preempt_enable_no_resched', 'preempt', 'include/linux/preempt.h:sched_preempt_enable_no_resched (schedule())'],
  ['preempt_enable_no_resched_notrace', 'preempt', 'include/linux/preempt.h:preempt_enable_no_resched_notrace'],
  ['preempt_count_dec', 'preempt', 'include/linux/preempt.h:preempt_count_dec'],
  ['__preempt_count_dec', 'preempt', 'include/asm-generic/preempt.h:__preempt_count_dec'],
  ['dec_preempt_count', 'preempt', 'include/linux/preempt.h:dec_preempt_count (2.6.23)'],
] as const) row({ name, effect: 'atomic-exit', atomic, source });
row({ name: 'local_irq_enable', effect: 'atomic-exit', atomic: 'irq', absolute: true, source: 'include/linux/irqflags.h:local_irq_enable (enables interrupts however often they were disabled)' });
row({ name: 'preempt_count_set', effect: 'atomic-exit', atomic: 'preempt', absolute: true, source: 'include/asm-generic/preempt.h:preempt_count_set (make_task_dead() resets the count)' });
// An oops kills the task from whatever context it was in: make_task_dead() enables
// interrupts and resets the preempt count first ("exited with preempt_count"), then do_exit().
for (const atomic of ['preempt', 'irq'] as const) {
  row({ name: 'make_task_dead', effect: 'atomic-exit', atomic, absolute: true, source: 'kernel/exit.c:make_task_dead (local_irq_enable(), preempt_count_set(PREEMPT_ENABLED) before do_exit())' });
}

// ---- page faults disabled / enabled --------------------------------------
for (const [name, source] of [
  ['pagefault_disable', 'include/linux/uaccess.h:pagefault_disable'],
  ['kmap_atomic', 'include/linux/highmem.h:kmap_atomic (on most configurations; not a promise, see "fs: do not prefault sys_write() user buffer pages")'],
  ['kmap_atomic_prot', 'include/linux/highmem.h:kmap_atomic_prot'],
  ['kmap_atomic_pfn', 'include/linux/highmem.h:kmap_atomic_pfn'],
  ['inc_preempt_count', 'include/linux/preempt.h:inc_preempt_count (2.6.23 generic_perform_write)'],
]) row({ name, effect: 'faults-off', source });
for (const [name, source] of [
  ['pagefault_enable', 'include/linux/uaccess.h:pagefault_enable'],
  ['kunmap_atomic', 'include/linux/highmem.h:kunmap_atomic'],
  ['dec_preempt_count', 'include/linux/preempt.h:dec_preempt_count (2.6.23)'],
]) row({ name, effect: 'faults-on', source });

// ---- user-memory accesses that fault ---------------------------------------
for (const [name, source] of [
  ['copy_from_user', 'include/linux/uaccess.h:copy_from_user'],
  ['copy_to_user', 'include/linux/uaccess.h:copy_to_user'],
  ['_copy_from_user', 'lib/usercopy.c:_copy_from_user'],
  ['_copy_to_user', 'lib/usercopy.c:_copy_to_user'],
  ['__copy_from_user', 'include/linux/uaccess.h:__copy_from_user'],
  ['__copy_to_user', 'include/linux/uaccess.h:__copy_to_user'],
  ['raw_copy_from_user', 'arch/x86/include/asm/uaccess_64.h:raw_copy_from_user'],
  ['raw_copy_to_user', 'arch/x86/include/asm/uaccess_64.h:raw_copy_to_user'],
  ['copy_in_user', 'include/linux/uaccess.h:copy_in_user (< 5.13)'],
  ['get_user', 'arch/x86/include/asm/uaccess.h:get_user'],
  ['put_user', 'arch/x86/include/asm/uaccess.h:put_user'],
  ['__get_user', 'arch/x86/include/asm/uaccess.h:__get_user'],
  ['__put_user', 'arch/x86/include/asm/uaccess.h:__put_user'],
  ['strncpy_from_user', 'lib/strncpy_from_user.c:strncpy_from_user'],
  ['strnlen_user', 'lib/strnlen_user.c:strnlen_user'],
  ['clear_user', 'arch/x86/include/asm/uaccess_64.h:clear_user'],
  ['__clear_user', 'arch/x86/include/asm/uaccess_64.h:__clear_user'],
  ['memdup_user', 'mm/util.c:memdup_user'],
  ['vmemdup_user', 'mm/util.c:vmemdup_user'],
  ['memdup_user_nul', 'mm/util.c:memdup_user_nul'],
  ['strndup_user', 'mm/util.c:strndup_user'],
  ['copy_struct_from_user', 'include/linux/uaccess.h:copy_struct_from_user'],
  ['check_zeroed_user', 'lib/usercopy.c:check_zeroed_user'],
  ['copy_page_from_iter', 'lib/iov_iter.c:copy_page_from_iter'],
  ['copy_page_to_iter', 'lib/iov_iter.c:copy_page_to_iter'],
  ['copy_folio_to_iter', 'include/linux/uio.h:copy_folio_to_iter'],
  ['copy_folio_from_iter', 'include/linux/uio.h:copy_folio_from_iter'],
  ['copy_from_iter', 'include/linux/uio.h:copy_from_iter'],
  ['copy_to_iter', 'include/linux/uio.h:copy_to_iter'],
  ['_copy_from_iter', 'lib/iov_iter.c:_copy_from_iter'],
  ['_copy_to_iter', 'lib/iov_iter.c:_copy_to_iter'],
  ['copy_from_iter_full', 'include/linux/uio.h:copy_from_iter_full'],
  ['copy_from_iter_nocache', 'include/linux/uio.h:copy_from_iter_nocache'],
  ['copy_to_iter_full', 'include/linux/uio.h:copy_to_iter_full'],
  ['iov_iter_copy_from_user', 'mm/filemap.c:iov_iter_copy_from_user (2.6.24-3.x, non-atomic)'],
  ['filemap_copy_from_user', 'mm/filemap.h:filemap_copy_from_user (2.6.22: atomic try, then a sleeping fallback)'],
  ['filemap_copy_from_user_iovec', 'mm/filemap.h:filemap_copy_from_user_iovec (2.6.22)'],
  ['csum_and_copy_from_user', 'include/net/checksum.h:csum_and_copy_from_user'],
  ['import_iovec', 'lib/iov_iter.c:import_iovec'],
]) row({ name, effect: 'user-access', source, ...(ITER_ROWS.has(name) ? { viaIter: true } : {}) });
for (const [name, source] of [
  ['fault_in_pages_readable', 'include/linux/pagemap.h:fault_in_pages_readable (< 5.16)'],
  ['fault_in_pages_writeable', 'include/linux/pagemap.h:fault_in_pages_writeable (< 5.16)'],
  ['fault_in_readable', 'mm/gup.c:fault_in_readable'],
  ['fault_in_writeable', 'mm/gup.c:fault_in_writeable'],
  ['fault_in_safe_writeable', 'mm/gup.c:fault_in_safe_writeable'],
  ['fault_in_subpage_writeable', 'mm/gup.c:fault_in_subpage_writeable'],
  ['iov_iter_fault_in_readable', 'lib/iov_iter.c:iov_iter_fault_in_readable (< 5.16)'],
  ['fault_in_iov_iter_readable', 'lib/iov_iter.c:fault_in_iov_iter_readable'],
  ['fault_in_iov_iter_writeable', 'lib/iov_iter.c:fault_in_iov_iter_writeable'],
]) row({ name, effect: 'fault-in', source, ...(ITER_ROWS.has(name) ? { viaIter: true } : {}) });
for (const [name, source] of [
  ['get_user_pages', 'mm/gup.c:get_user_pages'],
  ['get_user_pages_fast', 'mm/gup.c:get_user_pages_fast'],
  ['get_user_pages_unlocked', 'mm/gup.c:get_user_pages_unlocked'],
  ['get_user_pages_remote', 'mm/gup.c:get_user_pages_remote'],
  ['__get_user_pages', 'mm/gup.c:__get_user_pages'],
  ['pin_user_pages', 'mm/gup.c:pin_user_pages'],
  ['pin_user_pages_fast', 'mm/gup.c:pin_user_pages_fast'],
  ['pin_user_pages_unlocked', 'mm/gup.c:pin_user_pages_unlocked'],
  ['pin_user_pages_remote', 'mm/gup.c:pin_user_pages_remote'],
  ['iov_iter_get_pages', 'lib/iov_iter.c:iov_iter_get_pages'],
  ['iov_iter_get_pages2', 'lib/iov_iter.c:iov_iter_get_pages2'],
  ['iov_iter_get_pages_alloc2', 'lib/iov_iter.c:iov_iter_get_pages_alloc2'],
  ['iov_iter_extract_pages', 'lib/iov_iter.c:iov_iter_extract_pages'],
  ['handle_mm_fault', 'mm/memory.c:handle_mm_fault'],
  ['fixup_user_fault', 'mm/gup.c:fixup_user_fault'],
  ['make_pages_present', 'mm/memory.c:make_pages_present (2.6)'],
  ['populate_vma_page_range', 'mm/gup.c:populate_vma_page_range'],
  ['faultin_page_range', 'mm/gup.c:faultin_page_range'],
]) row({ name, effect: 'gup', source, ...(ITER_ROWS.has(name) ? { viaIter: true } : {}) });

// ---- copies that do not fault ----------------------------------------------
for (const [name, source] of [
  ['__copy_from_user_inatomic', 'include/linux/uaccess.h:__copy_from_user_inatomic'],
  ['__copy_to_user_inatomic', 'include/linux/uaccess.h:__copy_to_user_inatomic'],
  ['__copy_from_user_inatomic_nocache', 'include/linux/uaccess.h:__copy_from_user_inatomic_nocache'],
  ['__copy_from_user_inatomic_flushcache', 'arch/x86/include/asm/uaccess_64.h'],
  ['copy_from_user_inatomic', 'include/linux/uaccess.h (2.6 spelling)'],
]) row({ name, effect: 'inatomic-copy', source });
// unsafe_{get,put}_user() between user_access_begin()/end(): ordinary faulting accesses with the
// fault branching to a label (mm/gup.c:fault_in_readable uses them to fault pages in).
row({ name: 'unsafe_get_user', effect: 'user-access', source: 'arch/x86/include/asm/uaccess.h:unsafe_get_user' });
row({ name: 'unsafe_put_user', effect: 'user-access', source: 'arch/x86/include/asm/uaccess.h:unsafe_put_user' });
row({ name: 'unsafe_copy_to_user', effect: 'user-access', source: 'arch/x86/include/asm/uaccess.h:unsafe_copy_to_user' });
for (const [name, source] of [
  ['iov_iter_copy_from_user_atomic', 'lib/iov_iter.c:iov_iter_copy_from_user_atomic (< 5.14)'],
  ['copy_page_from_iter_atomic', 'lib/iov_iter.c:copy_page_from_iter_atomic'],
  ['copy_folio_from_iter_atomic', 'include/linux/uio.h:copy_folio_from_iter_atomic'],
  ['filemap_copy_from_user_atomic', 'mm/filemap.h:filemap_copy_from_user_atomic (2.6.23)'],
  ['__filemap_copy_from_user_iovec_inatomic', 'mm/filemap.c (2.6.23)'],
]) row({ name, effect: 'atomic-copy', source });
for (const [name, source] of [
  ['copy_from_user_nofault', 'mm/maccess.c:copy_from_user_nofault'],
  ['copy_to_user_nofault', 'mm/maccess.c:copy_to_user_nofault'],
  ['strncpy_from_user_nofault', 'mm/maccess.c:strncpy_from_user_nofault'],
  ['get_kernel_nofault', 'include/linux/uaccess.h:get_kernel_nofault'],
  ['copy_from_kernel_nofault', 'mm/maccess.c:copy_from_kernel_nofault'],
]) row({ name, effect: 'atomic-copy', resultOptional: true, source });

// ---- scope-based locks (linux/cleanup.h, 6.5+) -----------------------------
row({ name: 'guard', effect: 'scope-acquire', since: '6.5', source: 'include/linux/cleanup.h:guard' });
row({ name: 'scoped_guard', effect: 'scope-acquire', since: '6.5', source: 'include/linux/cleanup.h:scoped_guard' });
row({ name: 'scoped_cond_guard', effect: 'scope-acquire', since: '6.5', source: 'include/linux/cleanup.h:scoped_cond_guard' });

export const API_ROWS: readonly ApiRow[] = rows;

/**
 * Methods the mm core calls with mmap_lock held: every lock they take ranks
 * after mmap_lock (a lock-order edge from mmap_lock at each take). `vm:` names a
 * vm_operations_struct member. The fault handlers are entered with it held for
 * read; their locks are learned for fault-under-fault-path-lock instead.
 */
export const MMAP_LOCKED_ENTRY: readonly { member: string; words: string; source: string }[] = [
  { member: 'mmap', words: '->mmap is called with mmap_lock held for write', source: 'mm/mmap.c:__mmap_region -> mmap_file() (6.12; vm_mmap_pgoff() takes mmap_write_lock)' },
  { member: 'vm:close', words: 'vm_ops->close is called with mmap_lock held for write (munmap)', source: 'mm/vma.c:remove_vma -> vma_close() (6.12; do_vmi_align_munmap() under mmap_write_lock)' },
  { member: 'vm:open', words: 'vm_ops->open is called with mmap_lock held for write (vma split, mremap, fork)', source: 'mm/vma.c:__split_vma, copy_vma (6.12)' },
];

/** Lock expression fields that name a known class (for down_read(&x->FIELD) and friends). */
export const LOCK_FIELDS: readonly LockField[] = [
  { field: 'mmap_sem', lock: 'mmap_lock', until: '5.8', source: 'include/linux/mm_types.h:mm_struct.mmap_sem (renamed mmap_lock in 5.8)' },
  { field: 'mmap_lock', lock: 'mmap_lock', source: 'include/linux/mm_types.h:mm_struct.mmap_lock' },
  { field: 'invalidate_lock', lock: 'invalidate_lock', since: '5.15', source: 'include/linux/fs.h:address_space.invalidate_lock' },
  { field: 'i_mmap_rwsem', lock: 'i_mmap_rwsem', source: 'include/linux/fs.h:address_space.i_mmap_rwsem' },
  { field: 'i_mmap_mutex', lock: 'i_mmap_rwsem', until: '3.19', source: 'include/linux/fs.h:address_space.i_mmap_mutex (< 3.19)' },
  { field: 'i_rwsem', lock: 'i_rwsem', source: 'include/linux/fs.h:inode.i_rwsem' },
  { field: 'i_mutex', lock: 'i_rwsem', until: '4.7', source: 'include/linux/fs.h:inode.i_mutex (< 4.7)' },
  { field: 'i_mmap_sem', lock: 'fs_fault_lock', until: '5.15', source: 'fs/ext4/ext4.h:ext4_inode_info.i_mmap_sem (taken in ext4_filemap_fault, < 5.15)' },
  { field: 'i_mmaplock', lock: 'fs_fault_lock', source: 'fs/xfs/xfs_inode.h:xfs_inode.i_mmaplock (< 5.15)' },
  { field: 'i_mmap_lock', lock: 'fs_fault_lock', source: 'fs/f2fs/f2fs.h:f2fs_inode_info.i_mmap_sem' },
  { field: 'dio_rwsem', lock: 'rwsem', source: 'fs/f2fs/f2fs.h' },
];

export const LOCK_CLASSES: readonly LockClassInfo[] = [
  {
    name: 'page',
    words: 'the page lock',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', 'filemap_fault()', 'lock_page()'],
  },
  { name: 'mmap_lock', words: 'mmap_lock', faultPath: true, atomic: false, faultChain: ['mmap_lock(r) in do_user_addr_fault()'] },
  {
    name: 'invalidate_lock',
    words: 'mapping->invalidate_lock',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', '->fault: filemap_fault()', 'filemap_invalidate_lock_shared()'],
  },
  {
    name: 'i_mmap_rwsem',
    words: 'i_mmap_rwsem',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', 'lock order: mmap_lock > invalidate_lock > page lock > i_mmap_rwsem (mm/rmap.c)'],
  },
  {
    name: 'anon_vma',
    words: 'anon_vma->rwsem',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', 'lock order: mmap_lock > ... > i_mmap_rwsem > anon_vma->rwsem (mm/rmap.c)'],
  },
  {
    name: 'fs_fault_lock',
    words: 'the filesystem fault lock',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', '->fault / ->page_mkwrite of the filesystem', 'the same lock'],
  },
  {
    name: 'sb_pagefaults',
    words: 'sb_start_pagefault() freeze protection',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', '->page_mkwrite', 'sb_start_pagefault()'],
  },
  {
    name: 'fs_inode_lock',
    words: 'a per-inode filesystem lock',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', '->fault / ->page_mkwrite or the read_folio / iomap_begin path of the faulting file', 'the same lock of that inode'],
  },
  {
    name: 'fs_tree_lock',
    words: 'a filesystem tree lock',
    faultPath: true,
    atomic: false,
    faultChain: ['mmap_lock(r)', '->fault / ->page_mkwrite or the read_folio path', 'a tree search that takes it'],
  },
  { name: 'i_rwsem', words: 'inode->i_rwsem', faultPath: false, atomic: false },
  { name: 'spinlock', words: 'a spinlock', faultPath: false, atomic: true },
  { name: 'mutex', words: 'a mutex', faultPath: false, atomic: false },
  { name: 'rwsem', words: 'an rw_semaphore', faultPath: false, atomic: false },
  { name: 'other', words: 'a lock', faultPath: false, atomic: false },
];

/** Ops-table slots whose functions have a lock effect by contract, whatever their body shows. */
export const MEMBER_CONTRACTS: readonly {
  member: string; effect: 'release' | 'acquire-out'; arg: number; lock: 'page'; source: string;
  /** A return value that keeps the page locked by contract. */
  keeps?: string;
  /**
   * Every return is checked against the contract (lock-imbalance). Not for ->read_folio:
   * there the unlock is the I/O completion's, reached through pages stored in arrays and
   * ranges of the mapping (isofs, erofs, squashfs in Linux 6.12), which the flow does not follow.
   */
  everyReturn?: true;
}[] = [
  { member: 'read_folio', effect: 'release', arg: 1, lock: 'page', source: 'include/linux/fs.h:read_folio (unlocked at I/O completion)' },
  { member: 'readpage', effect: 'release', arg: 1, lock: 'page', source: 'include/linux/fs.h:readpage (< 5.19)' },
  {
    member: 'writepage', effect: 'release', arg: 0, lock: 'page', keeps: 'AOP_WRITEPAGE_ACTIVATE', everyReturn: true,
    source: 'include/linux/fs.h:writepage; Documentation/filesystems/locking.rst (AOP_WRITEPAGE_ACTIVATE: the page is still locked)',
  },
  { member: 'write_end', effect: 'release', arg: -2, lock: 'page', source: 'include/linux/fs.h:write_end' },
];

/** Return flags that tell the fault's caller mmap_lock (or the per-VMA lock) was released. */
export const LOCK_RELEASED_RETURNS: readonly { token: string; since?: string; source: string }[] = [
  { token: 'VM_FAULT_RETRY', source: 'include/linux/mm_types.h:VM_FAULT_RETRY' },
  { token: 'VM_FAULT_COMPLETED', since: '5.19', source: 'include/linux/mm_types.h:VM_FAULT_COMPLETED (the fault completed with the lock released)' },
];

/**
 * Blocking I/O and page waits a ->fault handler should not do with mmap_lock held when the
 * fault flags allow dropping it first ("drop the mmap_sem when doing IO in the fault path").
 * `pageWait`: a page-lock wait, counted only in ->fault (->page_mkwrite locks its page by design).
 */
export const FAULT_IO_WAITS: readonly { name: string; pageWait?: boolean; source: string }[] = [
  { name: 'page_cache_read', source: 'mm/filemap.c:page_cache_read (< 5.1)' },
  { name: 'page_cache_sync_readahead', source: 'include/linux/pagemap.h:page_cache_sync_readahead' },
  { name: 'page_cache_sync_ra', source: 'mm/readahead.c:page_cache_sync_ra' },
  { name: 'do_sync_mmap_readahead', source: 'mm/filemap.c:do_sync_mmap_readahead (before it dropped the lock itself)' },
  { name: 'wait_on_page_locked', source: 'include/linux/pagemap.h:wait_on_page_locked' },
  { name: 'wait_on_page_locked_killable', source: 'include/linux/pagemap.h:wait_on_page_locked_killable' },
  { name: 'folio_wait_locked', source: 'include/linux/pagemap.h:folio_wait_locked' },
  { name: 'folio_wait_locked_killable', source: 'include/linux/pagemap.h:folio_wait_locked_killable' },
  { name: '->readpage', source: 'include/linux/fs.h:readpage (< 5.19)' },
  { name: '->read_folio', source: 'include/linux/fs.h:read_folio' },
  { name: 'filemap_read_folio', source: 'mm/filemap.c:filemap_read_folio' },
  { name: 'lock_page', pageWait: true, source: 'include/linux/pagemap.h:lock_page' },
  { name: '__lock_page', pageWait: true, source: 'mm/filemap.c:__lock_page' },
  { name: 'folio_lock', pageWait: true, source: 'include/linux/pagemap.h:folio_lock' },
  { name: '__folio_lock', pageWait: true, source: 'mm/filemap.c:__folio_lock' },
];

/**
 * Tables looked up by a name read from C: no prototype, so a function or
 * macro named `constructor`, `toString` or `__proto__` finds nothing
 * (`FLAG_MACROS['constructor']` would be Object and `in` would say yes).
 */
function byName<T>(rows: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, rows));
}

/**
 * Flag macros that stand for several flags, for rows whose effect depends on a
 * flag argument (`argFlag`): `FGP_WRITEBEGIN` includes `FGP_LOCK`
 * (include/linux/pagemap.h, 6.4+; iomap_get_folio() passes it through a local
 * `fgf_t fgp`).
 */
export const FLAG_MACROS: Readonly<Record<string, readonly string[]>> = byName({
  FGP_WRITEBEGIN: ['FGP_LOCK', 'FGP_WRITE', 'FGP_CREAT', 'FGP_STABLE'],
});

/**
 * How an iov_iter is set up (include/linux/uio.h): kernel memory (bvec, kvec,
 * xarray, folio queue, discard) cannot fault; user memory (ubuf, iovec) can.
 * The iterator is the first argument of each.
 */
export const ITER_SETUP: Readonly<Record<string, 'kernel' | 'user'>> = byName({
  iov_iter_bvec: 'kernel',
  iov_iter_kvec: 'kernel',
  iov_iter_xarray: 'kernel',
  iov_iter_discard: 'kernel',
  iov_iter_folio_queue: 'kernel',
  iov_iter_ubuf: 'user',
  iov_iter_init: 'user',
  import_iovec: 'user',
  import_ubuf: 'user',
  import_single_range: 'user',
});

/**
 * Lookups that return a vma of the mm they are given (mm/mmap.c, mm/memory.c):
 * after `vma = find_vma(mm, addr)`, `vma->vm_mm` is `mm`, so handle_mm_fault(vma)
 * dropping `vma->vm_mm`'s mmap_lock drops the one the caller took on `mm`.
 */
export const VMA_LOOKUPS: Readonly<Record<string, number>> = byName({
  find_vma: 0,
  vma_lookup: 0,
  find_vma_prev: 0,
  find_extend_vma: 0,
  find_vma_intersection: 0,
  lock_mm_and_find_vma: 0,
  expand_stack: 0,
});

/**
 * The per-VMA lock (6.4+, include/linux/mm.h): a vma read-locked with these is
 * safe after mmap_lock is dropped (uffd_move_lock() in mm/userfaultfd.c).
 */
export const PER_VMA_LOCK_NAMES: readonly string[] = ['vma_start_read', 'vma_end_read', 'lock_vma_under_rcu', 'uffd_lock_vma', 'vma_start_write', 'vm_lock'];

/** The fault flags and results the retry contract is written in (include/linux/mm_types.h). */
export const FAULT_FLAGS = {
  allowRetry: 'FAULT_FLAG_ALLOW_RETRY',
  retryNowait: 'FAULT_FLAG_RETRY_NOWAIT',
  killable: 'FAULT_FLAG_KILLABLE',
  /** 6.4+: the fault runs under the per-VMA lock, not mmap_lock. */
  vmaLock: 'FAULT_FLAG_VMA_LOCK',
  retry: 'VM_FAULT_RETRY',
} as const;

/** The faulting copies and their non-faulting twins, with the fault-in helper for the source. */
export const ATOMIC_COPY_TWINS: Readonly<Record<string, { copy: string; faultIn: string }>> = byName({
  copy_from_user: { copy: '__copy_from_user_inatomic', faultIn: 'fault_in_readable' },
  __copy_from_user: { copy: '__copy_from_user_inatomic', faultIn: 'fault_in_readable' },
  copy_to_user: { copy: '__copy_to_user_inatomic', faultIn: 'fault_in_writeable' },
  __copy_to_user: { copy: '__copy_to_user_inatomic', faultIn: 'fault_in_writeable' },
});

/** Helpers that test fault flags, read as the flag test they stand for. */
export const FLAG_TEST_HELPERS: Readonly<Record<string, string>> = byName({
  fault_flag_allow_retry_first: 'FAULT_FLAG_ALLOW_RETRY', // include/linux/mm.h (5.10+): ALLOW_RETRY && !TRIED
});

/**
 * Functions every caller enters with page faults disabled, by contract: the
 * futex atomic ops. kernel/futex/core.c:futex_cmpxchg_value_locked() and
 * kernel/futex/waitwake.c:futex_atomic_op_inuser() wrap them in
 * pagefault_disable(); their arch and asm-generic bodies do get_user() under
 * preempt_disable() or with interrupts off, where a fault fails instead.
 */
export const FAULTS_OFF_ON_ENTRY: readonly { name: string; source: string }[] = [
  { name: 'arch_futex_atomic_op_inuser', source: 'kernel/futex/waitwake.c:futex_atomic_op_inuser' },
  { name: 'futex_atomic_op_inuser_local', source: 'include/asm-generic/futex.h:arch_futex_atomic_op_inuser' },
  { name: 'futex_atomic_cmpxchg_inatomic', source: 'kernel/futex/core.c:futex_cmpxchg_value_locked' },
  { name: 'futex_atomic_cmpxchg_inatomic_local', source: 'include/asm-generic/futex.h:futex_atomic_cmpxchg_inatomic' },
  { name: 'atomic_futex_op_cmpxchg_inatomic', source: 'arch/sh/include/asm/futex.h:futex_atomic_cmpxchg_inatomic' },
];

/**
 * Calls that never return, by their declarations (__noreturn) or expansions
 * (BUG() traps). Definitions in the tree whose end cannot be reached are found
 * by their summaries; these are macros or live in files not read.
 */
export const NO_RETURN: readonly string[] = [
  // include/linux/panic.h, kernel.h, sched/task.h, kthread.h, cpu.h (6.12 declarations)
  'panic', 'do_exit', 'make_task_dead', 'do_group_exit', 'do_task_dead', 'kthread_exit',
  'kthread_complete_and_exit', 'cpu_startup_entry', 'arch_cpu_idle_dead',
  // include/asm-generic/bug.h, include/linux/compiler.h
  'BUG', 'unreachable', '__builtin_unreachable',
];

export const FAULT_HANDLER_MEMBERS = ['fault', 'page_mkwrite', 'huge_fault', 'pfn_mkwrite', 'map_pages', 'nopage'];

export const LOCK_TRANSFER_RETURNS: KernelTable['lockTransferReturns'] = [
  { token: 'VM_FAULT_LOCKED', lock: 'page', source: 'include/linux/mm_types.h:VM_FAULT_LOCKED (->fault / ->page_mkwrite return the page locked)' },
];

/** The documented order at the top of mm/rmap.c (6.12), outer first: kept as data for the lock-order rule. */
export const RMAP_LOCK_ORDER = {
  source: 'mm/rmap.c (Linux 6.12), "Lock ordering in mm"',
  entries: [
    { lock: 'inode->i_rwsem', depth: 0, cls: 'i_rwsem' },
    { lock: 'mm->mmap_lock', depth: 1, cls: 'mmap_lock' },
    { lock: 'mapping->invalidate_lock', depth: 2, cls: 'invalidate_lock' },
    { lock: 'folio_lock', depth: 3, cls: 'page' },
    { lock: 'hugetlbfs_i_mmap_rwsem_key', depth: 4 },
    { lock: 'vma_start_write', depth: 5 },
    { lock: 'mapping->i_mmap_rwsem', depth: 6, cls: 'i_mmap_rwsem' },
    { lock: 'anon_vma->rwsem', depth: 7, cls: 'anon_vma' },
    { lock: 'mm->page_table_lock or pte_lock', depth: 8, cls: 'spinlock' },
  ],
} as const;

/**
 * Page helpers that leave the page lock as it is: a ->writepage or ->read_folio
 * that hands its page to one of these has not given the unlock away
 * (include/linux/mm.h, include/linux/pagemap.h, mm/page-writeback.c, Linux 6.12).
 */
export const PAGE_LOCK_NEUTRAL: readonly string[] = [
  'redirty_page_for_writepage', 'folio_redirty_for_writepage', 'set_page_dirty', 'folio_mark_dirty',
  'clear_page_dirty_for_io', 'folio_clear_dirty_for_io', 'set_page_writeback', 'folio_start_writeback',
  'end_page_writeback', 'folio_end_writeback', 'get_page', 'put_page', 'folio_get', 'folio_put',
  'flush_dcache_page', 'flush_dcache_folio', 'zero_user', 'zero_user_segment', 'folio_zero_range',
  'folio_zero_segment', 'SetPageError', 'mapping_set_error', 'kmap', 'kunmap', 'kmap_local_page',
  'kmap_local_folio', 'page_address', 'folio_address', 'page_offset', 'folio_pos', 'folio_size',
];
