/*
 * commit: 914ee295af418e936ec20a08c1663eaabe4cd07a
 * subject: Btrfs: pwrite blocked when writing from the mmaped buffer of the same page
 * date: 2010-12 (approximate, 2.6.37 cycle)
 * family: page-lock
 *
 * The btrfs buffered write locked every destination page of a chunk into
 * an array first (a prepare_pages helper doing find_or_create_page() in a
 * loop) and only then prefaulted the user source.  When the source buffer
 * is an mmap of the very pages being written, the prefault enters
 * filemap_fault() and waits for a page lock this task already holds.
 * The fix moved the prefault in front of the page-locking helper and made
 * the copy run with page faults disabled, retrying on a short copy.
 */

static int demo_prepare_pages(struct address_space *mapping,
			      struct page **pages, int nr, pgoff_t index)
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
		wait_on_page_writeback(pages[i]);
	}
	return 0;
}

static void demo_release_pages(struct page **pages, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		unlock_page(pages[i]);
		put_page(pages[i]);
	}
}

static size_t demo_copy_into_pages(struct page **pages, size_t off,
				   size_t bytes, struct iov_iter *from)
{
	size_t total = 0;
	int pg = 0;

	while (bytes > 0) {
		size_t chunk = min_t(size_t, PAGE_SIZE - off, bytes);
		size_t copied;

		copied = iov_iter_copy_from_user_atomic(pages[pg], from, off, chunk);
		flush_dcache_page(pages[pg]);
		iov_iter_advance(from, copied);
		total += copied;
		bytes -= copied;
		if (copied < chunk)
			break;
		off = 0;
		pg++;
	}
	return total;
}

static ssize_t demo_buffered_write(struct address_space *mapping,
				   struct page **pages, struct iov_iter *from,
				   loff_t pos)
{
	ssize_t written = 0;

	while (iov_iter_count(from) > 0) {
		size_t off = pos & (PAGE_SIZE - 1);
		size_t bytes = min_t(size_t, iov_iter_count(from), 8 * PAGE_SIZE - off);
		int nr = (off + bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
		size_t copied;
		int ret;

		ret = demo_prepare_pages(mapping, pages, nr, pos >> PAGE_SHIFT);
		if (ret)
			return written ? written : ret;

		/* the source is faulted in with all nr pages locked */
		if (iov_iter_fault_in_readable(from, bytes)) { /* want: fault-under-page-lock */
			demo_release_pages(pages, nr);
			return written ? written : -EFAULT;
		}

		copied = demo_copy_into_pages(pages, off, bytes, from);
		demo_release_pages(pages, nr);
		pos += copied;
		written += copied;
	}
	return written;
}
