/*
 * commit: unknown
 * subject: ocfs2: fix deadlock on mmapped page in ocfs2_write_begin_nolock()
 * date: 2016-2017 (approximate; listed in SUSE kernel changelogs of early 2017)
 * family: error-contract
 *
 * ocfs2's ->page_mkwrite goes through the write_begin machinery with the
 * faulting page: the page-grabbing helper locks that page itself, marks
 * it "target locked", and on success write_begin returns with it still
 * locked so that page_mkwrite can return VM_FAULT_LOCKED.  On the error
 * paths after the grab (no space, no memory, a failed cluster operation)
 * write_begin freed its context - which deliberately skips the target
 * page - and returned the error with the mmapped page still locked.
 * page_mkwrite then retried, or returned a code without VM_FAULT_LOCKED,
 * and the next lock_page() on that page deadlocked.  The fix unlocks the
 * target page on the error exit.
 */

struct demo_write_ctxt {
	struct page *w_pages[16];
	unsigned int w_num_pages;
	struct page *w_target_page;
	unsigned int w_target_locked:1;
};

static int demo_grab_pages_for_write(struct address_space *mapping,
				     struct demo_write_ctxt *wc, pgoff_t start,
				     pgoff_t target_index, struct page *mmap_page)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < wc->w_num_pages; i++) {
		pgoff_t index = start + i;

		if (index == target_index && mmap_page) {
			lock_page(mmap_page);
			if (mmap_page->mapping != mapping) {
				unlock_page(mmap_page);
				ret = -EAGAIN;
				goto out;
			}
			get_page(mmap_page);
			wc->w_pages[i] = mmap_page;
			wc->w_target_locked = true;
		} else {
			wc->w_pages[i] = find_or_create_page(mapping, index, GFP_NOFS);
			if (!wc->w_pages[i]) {
				ret = -ENOMEM;
				goto out;
			}
		}
	}
out:
	if (ret)
		wc->w_target_locked = false;
	return ret;
}

static int demo_write_begin_nolock(struct address_space *mapping, loff_t pos,
				   struct page *mmap_page, struct demo_write_ctxt *wc)
{
	pgoff_t index = pos >> PAGE_SHIFT;
	int ret;

	wc->w_target_locked = false;
	ret = demo_grab_pages_for_write(mapping, wc, index, index, mmap_page);
	if (ret)
		goto out;

	ret = demo_write_cluster(mapping, wc, pos);
	if (ret)
		goto out;

	return 0;	/* the target page stays locked for the caller */
out:
	/* the context free skips the target page: unlock it here */
	if (wc->w_target_locked)
		unlock_page(mmap_page);
	demo_free_write_ctxt(wc);
	return ret;
}
