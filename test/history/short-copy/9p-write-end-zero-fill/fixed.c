/*
 * commit: 77469c3f5
 * subject: 9p: saner ->write_end() on failing copy into non-uptodate page
 * date: 2017 (approximate; cited on linux-mm as merged, 2017-04-10; the id is given abbreviated as cited there)
 * family: short-copy
 *
 * The generic write loop copies into the page with page faults disabled,
 * so ->write_end() may be told that fewer bytes than announced arrived.
 * The 9p ->write_end() answered a short copy by zeroing the part of the
 * page that was not copied and then marking the whole page uptodate.  On
 * a page that was not uptodate (->write_begin() had not read it because
 * the write was meant to cover it), that publishes zeroes in place of file
 * data that was never read.  The fix commits nothing in that case: it
 * returns 0 so the caller faults in and retries, and only a complete copy
 * marks the page uptodate.  (This version includes the follow-up of April
 * 2017 that kept marking a completely copied page uptodate.)
 */

static int demo_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned len, struct page **pagep)
{
	struct page *page;

	page = grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT, 0);
	if (!page)
		return -ENOMEM;
	/* a full-page write does not read the page in first */
	*pagep = page;
	return 0;
}

static int demo_write_end(struct inode *inode, loff_t pos, unsigned len,
			  unsigned copied, struct page *page)
{
	loff_t last_pos = pos + copied;

	if (!PageUptodate(page)) {
		if (unlikely(copied < len)) {
			/* commit nothing: the caller retries */
			copied = 0;
			goto out;
		}
		SetPageUptodate(page);
	}

	if (last_pos > inode->i_size)
		i_size_write(inode, last_pos);
	set_page_dirty(page);
out:
	unlock_page(page);
	put_page(page);
	return copied;
}

static ssize_t demo_perform_write(struct inode *inode, struct iov_iter *i, loff_t pos)
{
	ssize_t written = 0;
	int status = 0;

	do {
		unsigned long offset = pos & (PAGE_SIZE - 1);
		unsigned long bytes = min_t(unsigned long, PAGE_SIZE - offset,
					    iov_iter_count(i));
		struct page *page;
		size_t copied;

		if (unlikely(iov_iter_fault_in_readable(i, bytes))) {
			status = -EFAULT;
			break;
		}
		status = demo_write_begin(inode->i_mapping, pos, bytes, &page);
		if (unlikely(status < 0))
			break;

		copied = iov_iter_copy_from_user_atomic(page, i, offset, bytes);
		flush_dcache_page(page);

		status = demo_write_end(inode, pos, bytes, copied, page);
		if (unlikely(status < 0))
			break;
		copied = status;
		iov_iter_advance(i, copied);
		pos += copied;
		written += copied;
	} while (iov_iter_count(i));

	return written ? written : status;
}
