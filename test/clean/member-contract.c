/*
 * ->writepage unlocking its page on every return (the fixed fuse_writepage()),
 * or keeping it with AOP_WRITEPAGE_ACTIVATE; and a ->read_folio whose page
 * goes to a helper nobody summarised (its I/O completion unlocks it).
 */

static int mc_writepage(struct page *page, struct writeback_control *wbc)
{
	int err;

	if (mc_busy(wbc)) {
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}
	if (mc_full(wbc))
		return AOP_WRITEPAGE_ACTIVATE;
	err = mc_write_locked(wbc);
	unlock_page(page);
	return err;
}

static int mc_read_folio(struct file *file, struct folio *folio)
{
	if (folio_test_uptodate(folio)) {
		folio_unlock(folio);
		return 0;
	}
	return mc_submit_read(folio);
}

static const struct address_space_operations mc_aops = {
	.writepage	= mc_writepage,
	.read_folio	= mc_read_folio,
};
