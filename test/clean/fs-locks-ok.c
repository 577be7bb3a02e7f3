/*
 * Twin of test/fixtures/fault-under-fault-path-lock/fs-locks.c: the same
 * filesystem locks, with user memory touched only after they are dropped, with
 * page faults disabled, or under a trylock-free IOLOCK (i_rwsem, outside mmap_lock).
 */
static int ext_report(struct btrfs_inode *bi, struct fiemap_extent_info *fi, u64 start, u64 end)
{
	struct fiemap_extent ent;

	lock_extent(&bi->io_tree, start, end, NULL);
	ent.fe_logical = start;
	unlock_extent(&bi->io_tree, start, end, NULL);
	return fiemap_fill_next_extent(fi, ent.fe_logical, 0, end - start + 1, 0);
}

static int leaf_copy(struct extent_buffer *leaf, void __user *ubuf, const void *kbuf, size_t n)
{
	int ret;

	btrfs_tree_read_lock(leaf);
	ret = copy_to_user_nofault(ubuf, kbuf, n);
	btrfs_tree_read_unlock(leaf);
	return ret;
}

static ssize_t glock_copy(struct gfs2_inode *ip, void __user *ubuf, const void *kbuf, size_t n)
{
	struct gfs2_holder gh;
	size_t left;
	int err;

	err = gfs2_glock_nq_init(ip->i_gl, LM_ST_SHARED, 0, &gh);
	if (err)
		return err;
	pagefault_disable();
	left = __copy_to_user_inatomic(ubuf, kbuf, n);
	pagefault_enable();
	gfs2_glock_dq_uninit(&gh);
	return n - left;
}

static int iolock_copy(struct xfs_inode *ip, void __user *ubuf, struct getbmapx *out)
{
	int error = 0;

	xfs_ilock(ip, XFS_IOLOCK_SHARED);
	if (copy_to_user(ubuf, out, sizeof(*out)))
		error = -EFAULT;
	xfs_iunlock(ip, XFS_IOLOCK_SHARED);
	return error;
}

/* iov_iter.nofault (5.16): the copy fails instead of faulting (gfs2 direct I/O) */
static ssize_t glock_iter_read(struct gfs2_inode *ip, struct iov_iter *to, const void *kbuf, size_t n)
{
	struct gfs2_holder gh;
	ssize_t ret;

	gfs2_holder_init(ip->i_gl, LM_ST_SHARED, 0, &gh);
	ret = gfs2_glock_nq(&gh);
	if (ret)
		return ret;
	to->nofault = true;
	ret = copy_to_iter(kbuf, n, to);
	to->nofault = false;
	gfs2_glock_dq(&gh);
	gfs2_holder_uninit(&gh);
	return ret;
}

/* a directory cannot be mmapped: its own ILOCK across dir_emit() is no fault-path deadlock */
static int dir_list(struct xfs_inode *dp, struct dir_context *ctx, const char *name, int len, u64 ino)
{
	int more;

	xfs_ilock(dp, XFS_ILOCK_SHARED);
	more = dir_emit(ctx, name, len, ino, DT_REG);
	xfs_iunlock(dp, XFS_ILOCK_SHARED);
	return more;
}
