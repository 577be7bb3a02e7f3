/*
 * commit: 4f06dd92b5d0a6f8eec6a34b8d6ef3e1f4ac1e10
 * subject: fuse: fix write deadlock
 * date: 2021-05 (approximate, v5.13 merge window)
 * family: page-lock
 *
 * In write-through mode the fuse write path gathered several page cache
 * pages into one WRITE request.  Each page came back locked from
 * grab_cache_page_write_begin() and was parked, still locked, in the
 * request's page array until the server answered.  The loop that filled
 * the array prefaulted the next chunk of the user buffer at the top of
 * every iteration - with all the pages of the earlier iterations still
 * locked.  A buffer that maps one of those pages (or a second writer doing
 * the same in the other order) deadlocks in the fault.  The fix marks a
 * fully written page uptodate and unlocks it at once, and ends the batch
 * after a partial page that has to stay locked.
 */

struct demo_write_req {
	struct page *pages[32];
	unsigned int lens[32];
	unsigned int num_pages;
	bool page_locked;
};

static ssize_t demo_fill_write_pages(struct demo_write_req *req,
				     struct address_space *mapping,
				     struct iov_iter *ii, loff_t pos,
				     size_t max_write, unsigned int max_pages)
{
	unsigned offset = pos & (PAGE_SIZE - 1);
	size_t count = 0;
	int err;

	do {
		pgoff_t index = pos >> PAGE_SHIFT;
		size_t bytes = min_t(size_t, PAGE_SIZE - offset, iov_iter_count(ii));
		struct page *page;
		size_t tmp;

 again:
		/* no page of this request is locked here */
		err = -EFAULT;
		if (iov_iter_fault_in_readable(ii, bytes))
			break;

		err = -ENOMEM;
		page = grab_cache_page_write_begin(mapping, index, 0);
		if (!page)
			break;

		tmp = iov_iter_copy_from_user_atomic(page, ii, offset, bytes);
		flush_dcache_page(page);
		iov_iter_advance(ii, tmp);
		if (!tmp) {
			unlock_page(page);
			put_page(page);
			goto again;
		}

		err = 0;
		req->pages[req->num_pages] = page;
		req->lens[req->num_pages] = tmp;
		req->num_pages++;

		count += tmp;
		pos += tmp;
		offset += tmp;
		if (offset == PAGE_SIZE)
			offset = 0;

		/* a full page is now the authoritative copy */
		if (tmp == PAGE_SIZE)
			SetPageUptodate(page);

		if (PageUptodate(page)) {
			unlock_page(page);
		} else {
			/* a partial page stays locked: end the batch here */
			req->page_locked = true;
			break;
		}
	} while (iov_iter_count(ii) && count < max_write &&
		 req->num_pages < max_pages && offset == 0);

	return count > 0 ? count : err;
}

static void demo_finish_write_pages(struct demo_write_req *req, int err)
{
	unsigned int i;

	for (i = 0; i < req->num_pages; i++) {
		struct page *page = req->pages[i];

		if (req->page_locked && i == req->num_pages - 1)
			unlock_page(page);
		put_page(page);
	}
}
