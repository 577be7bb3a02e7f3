/*
 * commit: bb1591b4ea1a1485ebc79be4e4748e94f96c670b
 * subject: btrfs: check prepare_uptodate_page() error code earlier
 * date: 2015-12 (approximate, v4.4-rc cycle)
 * family: error-contract
 *
 * The btrfs buffered write locks its pages with find_or_create_page() and
 * reads the first and the last one in if the write covers them only
 * partly.  That helper returns 0 with the page locked and uptodate, or an
 * error with the page already unlocked (the read path unlocks it).  When
 * a write spans a single page, that page is both the first and the last:
 * the helper ran twice, and the second call ignored the first call's
 * error - so it started a read on a page it no longer held locked (the
 * read completion unlocks it a second time) and overwrote the error.
 * The changelog dates the bug back to 2011.  The fix skips the second
 * call when the first one failed (it also added a check for a page
 * truncated while unlocked, not shown here).
 */

static int demo_readpage(struct page *page)
{
	/* the read path unlocks the page when the I/O completes */
	int ret = demo_submit_read(page);

	unlock_page(page);
	return ret;
}

static int demo_prepare_uptodate_page(struct page *page, u64 pos, bool force_uptodate)
{
	int ret = 0;

	if (((pos & (PAGE_SIZE - 1)) || force_uptodate) && !PageUptodate(page)) {
		ret = demo_readpage(page);
		if (ret)
			return ret;
		lock_page(page);
		if (!PageUptodate(page)) {
			unlock_page(page);
			return -EIO;
		}
	}
	return 0;
}

static int demo_prepare_pages(struct address_space *mapping, struct page **pages,
			      size_t num_pages, loff_t pos, size_t write_bytes,
			      bool force_uptodate)
{
	pgoff_t index = pos >> PAGE_SHIFT;
	int faili;
	int err = 0;
	size_t i;

	for (i = 0; i < num_pages; i++) {
		pages[i] = find_or_create_page(mapping, index + i, GFP_NOFS);
		if (!pages[i]) {
			faili = i - 1;
			err = -ENOMEM;
			goto fail;
		}
		if (i == 0)
			err = demo_prepare_uptodate_page(pages[i], pos, force_uptodate);
		if (i == num_pages - 1)
			err = demo_prepare_uptodate_page(pages[i], pos + write_bytes, false); /* want: lock-imbalance */
		if (err) {
			/* the helper has unlocked it */
			put_page(pages[i]);
			faili = i - 1;
			goto fail;
		}
		wait_on_page_writeback(pages[i]);
	}
	return 0;
fail:
	while (faili >= 0) {
		unlock_page(pages[faili]);
		put_page(pages[faili]);
		faili--;
	}
	return err;
}
