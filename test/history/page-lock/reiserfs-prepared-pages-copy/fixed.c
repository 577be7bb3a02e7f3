/*
 * commit: 797b4cffdf79b9ed66759b8d2d5252eba965fb18
 * subject: reiserfs: use generic write
 * date: 2007-10-16
 * family: page-lock
 *
 * reiserfs had its own multi-page write path.  A prepare helper grabbed
 * and locked every page of the region into a caller-supplied array
 * (grab_cache_page() in a loop), blocks were allocated, and then a copy
 * helper walked the array and, for each page, prefaulted the user buffer
 * and did a sleeping __copy_from_user() through kmap() - with all the
 * pages still locked.  Hung tasks stuck in lock_page() under
 * filemap_nopage() called from the copy were reported on lkml for years
 * (a source buffer mapping one of the locked pages, or two writers in
 * opposite order).  The fix dropped the private path: reiserfs writes go
 * through the generic code, one page from ->write_begin at a time,
 * prefaulted before the lock and copied with page faults disabled.
 */

static int demo_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned len, struct page **pagep)
{
	struct page *page;

	page = grab_cache_page_write_begin(mapping, pos >> PAGE_CACHE_SHIFT, 0);
	if (!page)
		return -ENOMEM;
	*pagep = page;
	return 0;
}

static int demo_write_end(struct page *page, unsigned copied)
{
	set_page_dirty(page);
	unlock_page(page);
	page_cache_release(page);
	return copied;
}

static ssize_t demo_file_write(struct address_space *mapping, struct iov_iter *i,
			       loff_t pos)
{
	ssize_t written = 0;
	int status = 0;

	do {
		unsigned long offset = pos & (PAGE_CACHE_SIZE - 1);
		unsigned long bytes = min_t(unsigned long, PAGE_CACHE_SIZE - offset,
					    iov_iter_count(i));
		struct page *page;
		size_t copied;

		/* before the page lock */
		if (unlikely(iov_iter_fault_in_readable(i, bytes))) {
			status = -EFAULT;
			break;
		}

		status = demo_write_begin(mapping, pos, bytes, &page);
		if (unlikely(status))
			break;

		copied = iov_iter_copy_from_user_atomic(page, i, offset, bytes);
		flush_dcache_page(page);
		if (!PageUptodate(page) && copied < bytes)
			copied = 0;
		status = demo_write_end(page, copied);
		if (unlikely(status < 0))
			break;

		iov_iter_advance(i, copied);
		/* copied == 0: go round, fault in again outside the lock */
		pos += copied;
		written += copied;
	} while (iov_iter_count(i));

	return written ? written : status;
}
