/*
 * commit: d5880c7a8620290a6c90ced7a0e8bd0ad9419601
 * subject: fuse: fix missing unlock_page in fuse_writepage()
 * date: 2019-09 (approximate; in 5.2.y stable review 2019-10-03)
 * family: error-contract
 *
 * ->writepage() is entered with the page locked and must unlock it on
 * every return.  fuse's version has an early exit for a page whose
 * previous write is still in flight (only legal from reclaim): it
 * redirties the page and returns 0 - without unlocking it, while the
 * normal path unlocks after queueing the write.  The page stays locked
 * forever; the next lock_page() on it (a read fault on the mapping, a
 * write(), truncate) hangs.  The fix unlocks before the early return.
 * The caller below stands for write_cache_pages(), which locks the page
 * and hands it to ->writepage().
 */

static int demo_writepage(struct page *page, struct writeback_control *wbc)
{
	int err;

	if (demo_page_is_writeback(page->mapping->host, page->index)) {
		/*
		 * Only reclaim gets here with a page already in flight:
		 * it may skip it.
		 */
		WARN_ON(wbc->sync_mode == WB_SYNC_ALL);

		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}

	err = demo_writepage_locked(page);
	unlock_page(page);

	return err;
}

static int demo_write_one(struct page *page, struct writeback_control *wbc)
{
	lock_page(page);
	if (!clear_page_dirty_for_io(page)) {
		unlock_page(page);
		return 0;
	}
	/* ->writepage() unlocks the page */
	return demo_writepage(page, wbc);
}

static const struct address_space_operations demo_file_aops = {
	.writepage	= demo_writepage,
};
