// Filesystem locks that the page-fault path takes, as table rows. Each is
// taken by the filesystem's ->fault / ->page_mkwrite, or by the ->read_folio
// and ->iomap_begin paths filemap_fault() and iomap_page_mkwrite() call, so a
// user access made while holding one (with the user buffer a mapping of the
// same file) waits for a lock this task holds: fault-under-fault-path-lock.
// Sources are Linux 6.12 (Debian linux-source-6.12) unless a version is given.
//
// Per-inode locks (fs_inode_lock) are taken by the fault for the faulting file's
// inode only; locks of a filesystem-wide structure (fs_tree_lock) for any file.
// Neither is a lock-order graph node: they are families of instances ordered by
// rules class identity cannot express (tree level, inode number, glock number).
//
// Also the user copies these filesystems' bugs went through that have no row
// elsewhere (dir_emit() to a getdents buffer, fiemap_fill_next_extent()).
import type { ApiRow } from './table';

export const FS_LOCK_ROWS: readonly ApiRow[] = [
  // btrfs: the file's extent io tree range lock. btrfs_page_mkwrite() locks the
  // faulting page's range (fs/btrfs/file.c:btrfs_page_mkwrite, btrfs_lock_extent(io_tree, ..));
  // fiemap emitting extents under it deadlocked (b0ad381fa769 "btrfs: fix deadlock with
  // fiemap and extent locking", 2024). Renamed with a btrfs_ prefix in Debian's 6.12.
  ...['lock_extent', 'btrfs_lock_extent'].map((name): ApiRow => ({
    name, effect: 'acquire', lock: 'fs_inode_lock', arg: 0,
    source: `fs/btrfs/extent-io-tree.h:${name} (__lock_extent(); taken in fs/btrfs/file.c:btrfs_page_mkwrite)`,
    note: 'btrfs_page_mkwrite() locks the faulting page\'s extent range',
  })),
  ...['unlock_extent', 'btrfs_unlock_extent'].map((name): ApiRow => ({
    name, effect: 'release', lock: 'fs_inode_lock', arg: 0, source: `fs/btrfs/extent-io-tree.h:${name}`,
  })),
  ...['try_lock_extent', 'btrfs_try_lock_extent'].map((name): ApiRow => ({
    name, effect: 'try-acquire', lock: 'fs_inode_lock', arg: 0, success: 'nonzero', source: `fs/btrfs/extent-io-tree.h:${name}`,
  })),
  // btrfs tree locks (extent_buffer->lock): filemap_fault() -> btrfs_read_folio() ->
  // btrfs_do_readpage() -> btrfs_get_extent() -> btrfs_lookup_file_extent() ->
  // btrfs_search_slot() read-locks the leaves (fs/btrfs/inode.c:btrfs_get_extent), and
  // btrfs_page_mkwrite() reserves metadata through tree searches. The search ioctl
  // (a48b73eca4ce, 2020) and readdir (23b5ec74943f, 2018) copied to user space under them.
  ...['btrfs_tree_read_lock', 'btrfs_tree_read_lock_nested'].map((name): ApiRow => ({
    name, effect: 'acquire', lock: 'fs_tree_lock', arg: 0, mode: 'read',
    source: `fs/btrfs/locking.h:${name} (leaves are read-locked by btrfs_search_slot() from fs/btrfs/inode.c:btrfs_get_extent in the read_folio path of a fault)`,
    note: 'btrfs_get_extent() in the fault\'s read_folio path searches the tree and read-locks leaves',
  })),
  ...['btrfs_tree_lock', 'btrfs_tree_lock_nested'].map((name): ApiRow => ({
    name, effect: 'acquire', lock: 'fs_tree_lock', arg: 0, mode: 'write',
    source: `fs/btrfs/locking.h:${name} (the fault path's tree searches wait for it: fs/btrfs/inode.c:btrfs_get_extent)`,
  })),
  { name: 'btrfs_tree_read_unlock', effect: 'release', lock: 'fs_tree_lock', arg: 0, mode: 'read', source: 'fs/btrfs/locking.c:btrfs_tree_read_unlock' },
  { name: 'btrfs_tree_unlock', effect: 'release', lock: 'fs_tree_lock', arg: 0, mode: 'write', source: 'fs/btrfs/locking.c:btrfs_tree_unlock' },
  { name: 'btrfs_try_tree_read_lock', effect: 'try-acquire', lock: 'fs_tree_lock', arg: 0, mode: 'read', success: 'nonzero', source: 'fs/btrfs/locking.c:btrfs_try_tree_read_lock' },
  { name: 'btrfs_try_tree_write_lock', effect: 'try-acquire', lock: 'fs_tree_lock', arg: 0, mode: 'write', success: 'nonzero', source: 'fs/btrfs/locking.c:btrfs_try_tree_write_lock' },
  // gfs2 glocks, through the holder: gfs2_fault() takes the inode glock shared and
  // gfs2_page_mkwrite() exclusive (fs/gfs2/file.c:gfs2_fault, gfs2_page_mkwrite: gfs2_holder_init(ip->i_gl, ..,
  // &gh); gfs2_glock_nq(&gh)). 0 when acquired. The buffered and direct I/O deadlocks
  // (00bfe02f4796, b01b2d72da25, 2021) held it across the user copy or get_user_pages().
  {
    name: 'gfs2_glock_nq', effect: 'try-acquire', lock: 'fs_inode_lock', arg: 0, success: 'zero',
    source: 'fs/gfs2/glock.c:gfs2_glock_nq (taken in fs/gfs2/file.c:gfs2_fault and gfs2_page_mkwrite)',
    note: 'gfs2_fault() and gfs2_page_mkwrite() take the inode glock',
  },
  {
    name: 'gfs2_glock_nq_init', effect: 'try-acquire', lock: 'fs_inode_lock', arg: 3, success: 'zero',
    source: 'fs/gfs2/glock.h:gfs2_glock_nq_init (holder init + gfs2_glock_nq)',
  },
  { name: 'gfs2_glock_dq', effect: 'release', lock: 'fs_inode_lock', arg: 0, source: 'fs/gfs2/glock.c:gfs2_glock_dq' },
  { name: 'gfs2_glock_dq_wait', effect: 'release', lock: 'fs_inode_lock', arg: 0, source: 'fs/gfs2/glock.c:gfs2_glock_dq_wait' },
  { name: 'gfs2_glock_dq_uninit', effect: 'release', lock: 'fs_inode_lock', arg: 0, source: 'fs/gfs2/glock.c:gfs2_glock_dq_uninit' },
  // XFS inode ILOCK (xfs_inode.i_lock): the fault's ->iomap_begin takes it, shared for a read
  // fault (fs/xfs/xfs_iomap.c:xfs_read_iomap_begin -> xfs_ilock_for_iomap) and exclusive for
  // a write fault (xfs_buffered_write_iomap_begin: xfs_ilock(ip, XFS_ILOCK_EXCL), reached from
  // fs/xfs/xfs_file.c:xfs_write_fault -> iomap_page_mkwrite). getbmap formatted to user space
  // under it (6321e3ed2acf "xfs: fix getbmap vs mmap deadlock", 2009).
  {
    name: 'xfs_ilock', effect: 'acquire', lock: 'fs_inode_lock', arg: 0, field: 'i_lock', argFlag: { arg: 1, token: 'ILOCK' },
    source: 'fs/xfs/xfs_inode.c:xfs_ilock (XFS_ILOCK_*, taken by fs/xfs/xfs_iomap.c:xfs_buffered_write_iomap_begin in the write fault)',
    note: 'the write fault\'s xfs_buffered_write_iomap_begin() takes the inode ILOCK',
  },
  { name: 'xfs_iunlock', effect: 'release', lock: 'fs_inode_lock', arg: 0, field: 'i_lock', argFlag: { arg: 1, token: 'ILOCK' }, source: 'fs/xfs/xfs_inode.c:xfs_iunlock' },
  // User copies inside.
  ...['dir_emit', 'dir_emit_dot', 'dir_emit_dots', 'dir_emit_dotdot'].map((name): ApiRow => ({
    name, effect: 'user-access', notOwnInode: true,
    source: `include/linux/fs.h:${name} (ctx->actor is filldir64(), which writes the getdents buffer with unsafe_put_user(); a directory cannot be mmapped)`,
  })),
  { name: 'fiemap_fill_next_extent', effect: 'user-access', source: 'fs/ioctl.c:fiemap_fill_next_extent (copy_to_user() of one struct fiemap_extent)' },
  {
    name: 'read_extent_buffer_to_user', effect: 'user-access', until: '5.9',
    source: 'fs/btrfs/extent_io.c:read_extent_buffer_to_user (copy_to_user(); replaced by read_extent_buffer_to_user_nofault() in a48b73eca4ce, 5.9)',
  },
];
