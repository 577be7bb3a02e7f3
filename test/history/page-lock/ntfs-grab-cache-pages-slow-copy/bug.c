/*
 * commit: a632f559304130
 * subject: NTFS: Version 2.1.32 - Update file write from aio_write to write_iter.
 * date: 2015-03-11
 * family: page-lock
 *
 * The NTFS buffered write prefaulted the user buffer, then locked a run of
 * destination pages into an array (find_lock_page(), or a fresh page
 * inserted locked into the page cache) and copied into them with a helper
 * that tried an atomic copy first and then "did it the slow way" with a
 * sleeping __copy_from_user() under kmap() - while every page of the array
 * was still locked.  Between the prefault and the copy the source can be
 * unmapped again, and a source that maps one of the locked pages then
 * deadlocks in filemap_fault().  The rewrite to iov_iter copies with page
 * faults disabled only, commits nothing on a short copy, unlocks all pages
 * and retries after faulting the source in again.
 */

static int demo_grab_cache_pages(struct address_space *mapping, pgoff_t index,
				 unsigned nr_pages, struct page **pages)
{
	unsigned nr = 0;
	int err;

	do {
		pages[nr] = find_lock_page(mapping, index);
		if (!pages[nr]) {
			struct page *page = page_cache_alloc(mapping);

			if (!page) {
				err = -ENOMEM;
				goto fail;
			}
			err = add_to_page_cache_lru(page, mapping, index, GFP_KERNEL);
			if (err) {
				page_cache_release(page);
				goto fail;
			}
			pages[nr] = page;
		}
		index++;
		nr++;
	} while (nr < nr_pages);
	return 0;
fail:
	while (nr > 0) {
		unlock_page(pages[--nr]);
		page_cache_release(pages[nr]);
	}
	return err;
}

static size_t demo_copy_from_user(struct page **pages, unsigned nr_pages,
				  unsigned ofs, const char __user *buf, size_t bytes)
{
	struct page **last_page = pages + nr_pages;
	size_t total = 0;
	char *addr;
	unsigned len;
	int left;

	do {
		len = PAGE_CACHE_SIZE - ofs;
		if (len > bytes)
			len = bytes;
		addr = kmap_atomic(*pages);
		left = __copy_from_user_inatomic(addr + ofs, buf, len);
		kunmap_atomic(addr);
		if (unlikely(left)) {
			/* do it the slow way */
			addr = kmap(*pages);
			left = __copy_from_user(addr + ofs, buf, len);
			kunmap(*pages);
			if (unlikely(left))
				return total + len - left;
		}
		total += len;
		bytes -= len;
		buf += len;
		ofs = 0;
	} while (++pages < last_page && bytes);
	return total;
}

static ssize_t demo_buffered_write(struct address_space *mapping, pgoff_t start_idx,
				   unsigned do_pages, unsigned ofs,
				   const char __user *buf, size_t bytes)
{
	struct page *pages[16];
	size_t copied;
	int status;

	fault_in_pages_readable(buf, bytes);

	status = demo_grab_cache_pages(mapping, start_idx, do_pages, pages);
	if (unlikely(status))
		return status;

	copied = demo_copy_from_user(pages, do_pages, ofs, buf, bytes); /* want: fault-under-page-lock */

	do {
		unlock_page(pages[--do_pages]);
		page_cache_release(pages[do_pages]);
	} while (do_pages);
	return copied;
}
