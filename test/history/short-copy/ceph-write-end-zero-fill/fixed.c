/*
 * commit: unknown
 * subject: unknown (the change to ceph_write_end() that made a short copy
 *          into a page that is not uptodate commit nothing; its stale
 *          comment was fixed by "ceph: fix comment about short copies in
 *          ceph_write_end", Jeff Layton, posted 2021-07-02)
 * date: 2016-2017 (approximate)
 * family: short-copy
 *
 * ceph's ->write_begin() does not read a page that the write will cover,
 * and its ->write_end() handled a short atomic copy the way ramfs does:
 * zero the bytes that did not arrive, then mark the page uptodate and
 * dirty.  For a network filesystem the page is not a fresh hole: the
 * zeroes replace file contents that live on the OSDs and were never read,
 * and they get written back.  The fix returns 0 copied for a short copy
 * into a page that is not uptodate, so the generic loop faults the source
 * in and retries, and marks the page uptodate only after a full copy.
 */

static int demo_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned len, struct page **pagep)
{
	struct page *page;

	page = grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT, 0);
	if (!page)
		return -ENOMEM;
	*pagep = page;
	return 0;
}

static int demo_write_end(struct inode *inode, loff_t pos, unsigned len,
			  unsigned copied, struct page *page)
{
	int check_cap = 0;

	if (!PageUptodate(page)) {
		/* just report that nothing was copied on a short copy */
		if (copied < len) {
			copied = 0;
			goto out;
		}
		SetPageUptodate(page);
	}

	if (pos + copied > i_size_read(inode))
		check_cap = demo_inode_set_size(inode, pos + copied);

	set_page_dirty(page);
out:
	unlock_page(page);
	put_page(page);

	if (check_cap)
		demo_check_caps(inode);
	return copied;
}

static ssize_t demo_write_one(struct inode *inode, struct iov_iter *i, loff_t pos,
			      unsigned long bytes)
{
	unsigned long offset = pos & (PAGE_SIZE - 1);
	struct page *page;
	size_t copied;
	int status;

	status = demo_write_begin(inode->i_mapping, pos, bytes, &page);
	if (status < 0)
		return status;
	copied = iov_iter_copy_from_user_atomic(page, i, offset, bytes);
	flush_dcache_page(page);
	/* 0 means: fault the source in and call again */
	return demo_write_end(inode, pos, bytes, copied, page);
}
