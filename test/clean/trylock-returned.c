/*
 * Twin of test/fixtures/lock-order/trylock-returned.c: the helper only tries
 * the page lock (as next_uptodate_folio() does for filemap_map_pages()), so
 * taking it under the pte lock is no ABBA with the other order.
 */
struct trc_map {
	spinlock_t ptl;
};

static struct page *trc_next_trylocked(struct address_space *mapping, pgoff_t index)
{
	struct page *page = trc_lookup(mapping, index);

	if (!page)
		return NULL;
	if (!trylock_page(page))
		return NULL;
	return page;
}

static void trc_map_pages(struct trc_map *m, struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	spin_lock(&m->ptl);
	page = trc_next_trylocked(mapping, index);
	if (page)
		unlock_page(page);
	spin_unlock(&m->ptl);
}

static void trc_lock_then_ptl(struct trc_map *m, struct page *page)
{
	lock_page(page);
	spin_lock(&m->ptl);
	spin_unlock(&m->ptl);
	unlock_page(page);
}
