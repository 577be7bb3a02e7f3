/*
 * commit: 797b4cffdf79b9ed66759b8d2d5252eba965fb18
 * subject: reiserfs: use generic write
 * date: 2007-10-16
 * family: page-lock
 *
 * reiserfs had its own multi-page write path.  A prepare helper grabbed
 * and locked every page of the region into a caller-supplied array
 * (grab_cache_page() in a loop), blocks were allocated, and then a copy
 * helper walked the array and, for each page, prefaulted the user buffer
 * and did a sleeping __copy_from_user() through kmap() - with all the
 * pages still locked.  Hung tasks stuck in lock_page() under
 * filemap_nopage() called from the copy were reported on lkml for years
 * (a source buffer mapping one of the locked pages, or two writers in
 * opposite order).  The fix dropped the private path: reiserfs writes go
 * through the generic code, one page from ->write_begin at a time,
 * prefaulted before the lock and copied with page faults disabled.
 */

static int demo_prepare_region(struct address_space *mapping, pgoff_t index,
			       int num_pages, struct page **prepared)
{
	int i;

	for (i = 0; i < num_pages; i++) {
		prepared[i] = grab_cache_page(mapping, index + i);
		if (!prepared[i]) {
			while (--i >= 0) {
				unlock_page(prepared[i]);
				page_cache_release(prepared[i]);
			}
			return -ENOMEM;
		}
	}
	return 0;
}

static int demo_copy_to_region(loff_t pos, int num_pages, int write_bytes,
			       struct page **prepared, const char __user *buf)
{
	long page_fault = 0;
	int offset = pos & (PAGE_CACHE_SIZE - 1);
	int i;

	for (i = 0; i < num_pages; i++, offset = 0) {
		size_t count = min_t(size_t, PAGE_CACHE_SIZE - offset, write_bytes);
		struct page *page = prepared[i];

		fault_in_pages_readable(buf, count);
		kmap(page);
		page_fault = __copy_from_user(page_address(page) + offset, buf, count);
		flush_dcache_page(page);
		kunmap(page);
		buf += count;
		write_bytes -= count;
		if (page_fault)
			break;
	}
	return page_fault ? -EFAULT : 0;
}

static ssize_t demo_file_write(struct address_space *mapping, const char __user *buf,
			       size_t count, loff_t pos)
{
	struct page *prepared[16];
	ssize_t written = 0;
	int res;

	while (count > 0) {
		size_t write_bytes = min_t(size_t, count, 16 * PAGE_CACHE_SIZE -
					   (pos & (PAGE_CACHE_SIZE - 1)));
		int num_pages = ((pos & (PAGE_CACHE_SIZE - 1)) + write_bytes +
				 PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
		int i;

		res = demo_prepare_region(mapping, pos >> PAGE_CACHE_SHIFT,
					  num_pages, prepared);
		if (res)
			break;

		res = demo_copy_to_region(pos, num_pages, write_bytes, prepared, buf); /* want: fault-under-page-lock */

		for (i = 0; i < num_pages; i++) {
			unlock_page(prepared[i]);
			page_cache_release(prepared[i]);
		}
		if (res)
			break;
		written += write_bytes;
		buf += write_bytes;
		pos += write_bytes;
		count -= write_bytes;
	}
	return written ? written : res;
}
