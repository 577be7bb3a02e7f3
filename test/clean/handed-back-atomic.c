/*
 * Twins of test/fixtures/fault-under-page-lock/handed-back.c: the same locks
 * handed back through `struct folio **` and into an array, with the copies
 * made atomically (as Linux 6.12 iomap_write_iter() and btrfs_copy_from_user()
 * do), and a copy through an iterator over kernel memory (iov_iter_bvec(),
 * orangefs_writepage_locked()): nothing to report.
 */

static struct folio *hc_get_folio(struct hc_iter *it, loff_t pos)
{
	fgf_t fgp = FGP_WRITEBEGIN | FGP_NOFS;

	return __filemap_get_folio(it->mapping, pos >> PAGE_SHIFT, fgp, 0);
}

static int hc_write_begin(struct hc_iter *it, loff_t pos, struct folio **foliop)
{
	struct folio *folio;

	folio = hc_get_folio(it, pos);
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	*foliop = folio;
	return 0;
}

static ssize_t hc_write_iter(struct hc_iter *it, struct iov_iter *i)
{
	ssize_t written = 0;
	int err;

	do {
		struct folio *folio;
		size_t copied;

		if (fault_in_iov_iter_readable(i, PAGE_SIZE) == PAGE_SIZE)
			return -EFAULT;
		err = hc_write_begin(it, it->pos, &folio);
		if (err)
			break;
		copied = copy_folio_from_iter_atomic(folio, 0, PAGE_SIZE, i);
		folio_unlock(folio);
		folio_put(folio);
		if (!copied)
			continue;
		written += copied;
	} while (iov_iter_count(i));
	return written;
}

static int hc_prepare_pages(struct address_space *mapping, struct page **pages, int nr, pgoff_t index)
{
	int i;

	for (i = 0; i < nr; i++) {
		pages[i] = find_or_create_page(mapping, index + i, GFP_NOFS);
		if (!pages[i]) {
			while (--i >= 0) {
				unlock_page(pages[i]);
				put_page(pages[i]);
			}
			return -ENOMEM;
		}
	}
	return 0;
}

static size_t hc_copy_pages(struct page **pages, size_t bytes, struct iov_iter *i)
{
	size_t done = 0, copied;
	int pg = 0;

	while (done < bytes) {
		struct page *page = pages[pg++];

		copied = copy_page_from_iter_atomic(page, 0, PAGE_SIZE, i);
		if (!copied)
			break;
		done += copied;
	}
	return done;
}

static ssize_t hc_buffered_write(struct hc_inode *hi, struct page **pages, int nr, struct iov_iter *i)
{
	ssize_t written = 0;
	int ret, k;

	while (iov_iter_count(i)) {
		if (fault_in_iov_iter_readable(i, nr * PAGE_SIZE) == nr * PAGE_SIZE)
			break;
		ret = hc_prepare_pages(hi->mapping, pages, nr, hi->index);
		if (ret)
			break;
		written += hc_copy_pages(pages, nr * PAGE_SIZE, i);
		for (k = 0; k < nr; k++) {
			unlock_page(pages[k]);
			put_page(pages[k]);
		}
	}
	return written;
}

/* a copy through an iterator over the page's own bvec: kernel memory, no fault */
static size_t hc_copy_in(struct page *dst, struct iov_iter *from)
{
	return copy_page_from_iter(dst, 0, PAGE_SIZE, from);
}

static int hc_writepage_locked(struct page *page, struct page *bounce)
{
	struct bio_vec bv;
	struct iov_iter iter;

	bvec_set_page(&bv, page, PAGE_SIZE, 0);
	iov_iter_bvec(&iter, ITER_SOURCE, &bv, 1, PAGE_SIZE);
	if (hc_copy_in(bounce, &iter) != PAGE_SIZE)
		return -EIO;
	return 0;
}

static int hc_launder(struct address_space *mapping, pgoff_t index, struct page *bounce)
{
	struct page *page = find_lock_page(mapping, index);
	int ret;

	if (!page)
		return 0;
	ret = hc_writepage_locked(page, bounce);
	unlock_page(page);
	put_page(page);
	return ret;
}
