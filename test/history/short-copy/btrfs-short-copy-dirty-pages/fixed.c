/*
 * commit: 31339acd07b4
 * subject: Btrfs: deal with short returns from copy_from_user
 * date: 2011-02 (approximate; in 2.6.37.4 stable, 2011-03)
 * family: short-copy
 *
 * After the btrfs write path learned to copy with page faults disabled, a
 * short copy became an everyday event - but nothing told it apart from a
 * full one.  Whatever the atomic copy managed was counted as written, and
 * the dirtying helper then marked every page of the chunk uptodate.  When
 * the copy stopped in the middle of a page that had not been read in, the
 * rest of that page (never read, never written) became "uptodate" file
 * data.  The fix treats a short copy into a page that is not uptodate as
 * no copy at all, so the caller drops the pages, faults in and retries
 * (falling back to one page at a time).
 */

static size_t demo_copy_from_user(loff_t pos, size_t write_bytes,
				  struct page **pages, struct iov_iter *i)
{
	size_t total_copied = 0;
	int offset = pos & (PAGE_SIZE - 1);
	int pg = 0;

	while (write_bytes > 0) {
		size_t count = min_t(size_t, PAGE_SIZE - offset, write_bytes);
		struct page *page = pages[pg];
		size_t copied;

		pagefault_disable();
		copied = iov_iter_copy_from_user_atomic(page, i, offset, count);
		pagefault_enable();
		flush_dcache_page(page);

		/*
		 * A partial copy into a page that is not uptodate would leave
		 * it half garbage: pretend nothing was copied and retry.
		 */
		if (!PageUptodate(page) && copied < count)
			copied = 0;

		iov_iter_advance(i, copied);
		write_bytes -= copied;
		total_copied += copied;
		if (unlikely(copied < count))
			break;
		offset = 0;
		pg++;
	}
	return total_copied;
}

static void demo_dirty_pages(struct page **pages, size_t num_pages)
{
	size_t i;

	for (i = 0; i < num_pages; i++) {
		struct page *p = pages[i];

		SetPageUptodate(p);
		ClearPageChecked(p);
		set_page_dirty(p);
	}
}

static ssize_t demo_write_chunk(struct page **pages, int num_pages, loff_t pos,
				struct iov_iter *i, size_t write_bytes)
{
	size_t copied;
	int k;

	copied = demo_copy_from_user(pos, write_bytes, pages, i);
	if (copied > 0) {
		size_t dirty = ((pos & (PAGE_SIZE - 1)) + copied + PAGE_SIZE - 1) >> PAGE_SHIFT;

		demo_dirty_pages(pages, dirty);
	}
	for (k = 0; k < num_pages; k++) {
		unlock_page(pages[k]);
		put_page(pages[k]);
	}
	/* 0: the caller faults the source in and retries one page at a time */
	return copied;
}
