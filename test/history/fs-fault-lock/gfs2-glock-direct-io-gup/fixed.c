/*
 * commit: b01b2d72da25c000aeb124bc78daf3fb998be2b6
 * subject: gfs2: Fix mmap + page fault deadlocks for direct I/O
 * date: 2021-10 (merged for 5.16 together with the buffered I/O fix)
 * family: fs-fault-lock
 *
 * gfs2 direct I/O holds the inode glock (in the "deferred" mode used for
 * direct I/O) across the whole request, and the request pins the user
 * buffer with get_user_pages().  When the buffer is an mmap of the same
 * file, pinning faults, and gfs2's ->fault handler asks for the same
 * glock in the shared mode, which is incompatible with the deferred
 * holder: the task waits for itself.  The fix issues the request with
 * page faults disabled (get_user_pages then fails instead of faulting),
 * and when it comes back short, drops the glock, faults the buffer in,
 * retakes the glock and resumes where it stopped.
 */

static ssize_t demo_dio_read_pages(struct gfs2_inode *ip, unsigned long uaddr,
				   size_t len, loff_t pos)
{
	struct page *pages[16];
	int nr = min_t(size_t, len >> PAGE_SHIFT, 16);
	ssize_t done;
	int got;

	/* FOLL_NOFAULT: pin only what is present, never fault */
	got = get_user_pages_fast_only(uaddr, nr, FOLL_WRITE, pages);
	if (got <= 0)
		return 0;
	done = demo_submit_and_wait(ip, pages, got, pos);
	demo_release_pages(pages, got);
	return done;
}

static ssize_t demo_file_direct_read(struct gfs2_inode *ip, unsigned long uaddr,
				     size_t len, loff_t pos)
{
	struct gfs2_holder gh;
	size_t done = 0;
	ssize_t ret;

	gfs2_holder_init(ip->i_gl, LM_ST_DEFERRED, 0, &gh);
retry:
	ret = gfs2_glock_nq(&gh);
	if (ret)
		goto out_uninit;
	pagefault_disable();
	ret = demo_dio_read_pages(ip, uaddr + done, len - done, pos + done);
	pagefault_enable();
	gfs2_glock_dq(&gh);
	if (ret > 0)
		done += ret;
	if (ret >= 0 && done < len) {
		/* outside the glock: fault the rest in, then resume */
		if (fault_in_writeable((char __user *)(uaddr + done), len - done) != len - done)
			goto retry;
	}
out_uninit:
	gfs2_holder_uninit(&gh);
	return done ? done : ret;
}

static vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct gfs2_inode *ip = GFS2_I(file_inode(vmf->vma->vm_file));
	struct gfs2_holder gh;
	vm_fault_t ret;
	int err;

	gfs2_holder_init(ip->i_gl, LM_ST_SHARED, 0, &gh);
	err = gfs2_glock_nq(&gh);
	if (err) {
		gfs2_holder_uninit(&gh);
		return vmf_error(err);
	}
	ret = filemap_fault(vmf);
	gfs2_glock_dq(&gh);
	gfs2_holder_uninit(&gh);
	return ret;
}

static const struct vm_operations_struct demo_vm_ops = {
	.fault = demo_fault,
};
