/*
 * commit: 00bfe02f479688a67a29019d1228f1470e26f014
 * subject: gfs2: Fix mmap + page fault deadlocks for buffered I/O
 * date: 2021-10 (v8 of the series posted 2021-10-19; merged for 5.16)
 * link: 20211019134204.3382645-12-agruenba@redhat.com
 * family: fs-fault-lock
 *
 * gfs2 takes the inode glock around a buffered write and keeps it while
 * the generic write loop prefaults and copies the user buffer.  The
 * ->page_mkwrite (and ->fault) handlers take the same inode glock.  When
 * the buffer is an mmap of the file being written, the prefault enters the
 * fault handler, which waits for the glock this task already holds (and
 * with other nodes or a second local holder the inversion gets worse).
 * The fix runs the I/O with page faults disabled, and when it comes back
 * short it drops the glock, faults the buffer in and retakes the glock
 * to continue.
 */

static ssize_t demo_perform_write(struct address_space *mapping, struct iov_iter *from,
				  loff_t pos)
{
	ssize_t written = 0;

	while (iov_iter_count(from)) {
		size_t off = offset_in_page(pos);
		size_t bytes = min_t(size_t, PAGE_SIZE - off, iov_iter_count(from));
		struct folio *folio;
		size_t copied;

		folio = __filemap_get_folio(mapping, pos >> PAGE_SHIFT,
					    FGP_WRITEBEGIN, mapping_gfp_mask(mapping));
		if (IS_ERR(folio))
			return written ? written : PTR_ERR(folio);
		copied = copy_folio_from_iter_atomic(folio, off, bytes, from);
		if (copied)
			folio_mark_dirty(folio);
		folio_unlock(folio);
		folio_put(folio);
		if (!copied)
			break;	/* short: let the caller fault in outside the glock */
		pos += copied;
		written += copied;
	}
	return written;
}

static ssize_t demo_file_buffered_write(struct gfs2_inode *ip, struct iov_iter *from,
					loff_t pos)
{
	size_t prev_count = 0, window_size = 0;
	struct gfs2_holder gh;
	ssize_t written = 0;
	ssize_t ret;

	gfs2_holder_init(ip->i_gl, LM_ST_EXCLUSIVE, 0, &gh);
retry:
	ret = gfs2_glock_nq(&gh);
	if (ret)
		goto out_uninit;
	pagefault_disable();
	ret = demo_perform_write(ip->i_inode.i_mapping, from, pos + written);
	pagefault_enable();
	if (ret > 0)
		written += ret;
	gfs2_glock_dq(&gh);

	if (iov_iter_count(from) && ret >= 0) {
		/* outside the glock: fault in what is left, then retry */
		window_size = iov_iter_count(from);
		if (window_size > prev_count || !written) {
			prev_count = window_size;
			if (fault_in_iov_iter_readable(from, window_size) != window_size)
				goto retry;
		}
	}
out_uninit:
	gfs2_holder_uninit(&gh);
	return written ? written : ret;
}

static vm_fault_t demo_page_mkwrite(struct vm_fault *vmf)
{
	struct gfs2_inode *ip = GFS2_I(file_inode(vmf->vma->vm_file));
	struct gfs2_holder gh;
	int err;

	gfs2_holder_init(ip->i_gl, LM_ST_EXCLUSIVE, 0, &gh);
	err = gfs2_glock_nq(&gh);
	if (err) {
		gfs2_holder_uninit(&gh);
		return block_page_mkwrite_return(err);
	}
	err = demo_make_page_writable(ip, vmf->page);
	gfs2_glock_dq(&gh);
	gfs2_holder_uninit(&gh);
	return block_page_mkwrite_return(err);
}

static const struct vm_operations_struct demo_vm_ops = {
	.fault = filemap_fault,
	.page_mkwrite = demo_page_mkwrite,
};
