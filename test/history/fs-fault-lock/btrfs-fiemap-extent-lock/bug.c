/*
 * commit: b0ad381fa7690244802aed119b478b4bdafc31dd
 * subject: btrfs: fix deadlock with fiemap and extent locking
 * date: 2024-02 (v2 posted 2024-02-12)
 * link: 49c34d4ede23d28d916eab4a22d4ec698f77f498.1707756893.git.josef@toxicpanda.com
 * family: fs-fault-lock
 *
 * fiemap locked the file's extent range in the io tree for the whole walk
 * and emitted every extent to the user's fiemap buffer from inside that
 * range lock.  Emitting is a copy_to_user().  If the buffer is an mmap of
 * the same file, the copy faults, and btrfs' ->page_mkwrite locks the
 * extent range of the faulting page - already held by this task.  The fix
 * collects extents in a kernel-side cache while the range is locked; when
 * the cache fills up, it unlocks, copies the cache out to user space, and
 * relocks to continue from where it stopped.
 */

static int demo_emit_extent(struct fiemap_extent_info *fieinfo,
			    u64 offset, u64 phys, u64 len, u32 flags)
{
	/* writes one struct fiemap_extent to the user buffer */
	return fiemap_fill_next_extent(fieinfo, offset, phys, len, flags);
}

static int demo_fiemap(struct btrfs_inode *inode, struct fiemap_extent_info *fieinfo,
		       u64 start, u64 len)
{
	struct extent_state *cached_state = NULL;
	u64 range_end = start + len - 1;
	u64 cur = start;
	int ret = 0;

	lock_extent(&inode->io_tree, start, range_end, &cached_state);

	while (cur < range_end) {
		struct demo_extent ext;

		if (demo_next_extent(inode, cur, &ext))
			break;
		ret = demo_emit_extent(fieinfo, ext.offset, ext.phys, ext.len, ext.flags); /* want: fault-under-fault-path-lock */
		if (ret)
			break;
		cur = ext.offset + ext.len;
	}

	unlock_extent(&inode->io_tree, start, range_end, &cached_state);
	return ret < 0 ? ret : 0;
}

static vm_fault_t demo_page_mkwrite(struct vm_fault *vmf)
{
	struct btrfs_inode *inode = BTRFS_I(file_inode(vmf->vma->vm_file));
	struct extent_state *cached_state = NULL;
	u64 page_start = page_offset(vmf->page);
	u64 page_end = page_start + PAGE_SIZE - 1;
	int ret;

	lock_page(vmf->page);
	lock_extent(&inode->io_tree, page_start, page_end, &cached_state);
	ret = demo_mark_delalloc(inode, page_start, page_end, &cached_state);
	unlock_extent(&inode->io_tree, page_start, page_end, &cached_state);
	if (ret) {
		unlock_page(vmf->page);
		return VM_FAULT_SIGBUS;
	}
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct demo_vm_ops = {
	.fault = filemap_fault,
	.page_mkwrite = demo_page_mkwrite,
};
