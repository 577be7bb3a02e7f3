/*
 * commit: 08291429cfa6258c4cd95d8833beb40f828b194e
 * subject: mm: fix pagecache write deadlocks
 * date: 2007-10-16
 * family: page-lock
 *
 * 2.6.22's generic buffered write prefaulted the source, grabbed and locked
 * the destination page, ran ->prepare_write and copied with a helper that
 * tried an atomic copy first and, when that came up short, fell back to a
 * plain sleeping __copy_from_user() - still under the page lock.  The
 * prefault is only a hint (the page can be unmapped again), so the
 * fallback could fault: recursively on the same page when the source maps
 * it, ABBA against another writer, or ABBA against munmap holding mmap_sem
 * for write.  The fix removed the sleeping fallback: the copy is done with
 * page faults disabled, a short copy into a non-uptodate page commits
 * nothing, the page is unlocked and the loop faults in again and retries.
 */

static size_t demo_copy_from_user(struct page *page, unsigned long offset,
				  const char __user *buf, unsigned bytes)
{
	char *kaddr;
	int left;

	kaddr = kmap_atomic(page, KM_USER0);
	left = __copy_from_user_inatomic(kaddr + offset, buf, bytes);
	kunmap_atomic(kaddr, KM_USER0);

	if (left != 0) {
		/* the slow way, may sleep */
		kaddr = kmap(page);
		left = __copy_from_user(kaddr + offset, buf, bytes);
		kunmap(page);
	}
	return bytes - left;
}

static ssize_t demo_buffered_write(struct file *file, struct address_space *mapping,
				   const char __user *buf, loff_t pos, size_t count)
{
	const struct address_space_operations *a_ops = mapping->a_ops;
	struct page *cached_page = NULL;
	struct pagevec lru_pvec;
	ssize_t written = 0;
	long status = 0;

	pagevec_init(&lru_pvec, 0);
	do {
		unsigned long index = pos >> PAGE_CACHE_SHIFT;
		unsigned long offset = pos & (PAGE_CACHE_SIZE - 1);
		unsigned long bytes = min_t(unsigned long, PAGE_CACHE_SIZE - offset, count);
		struct page *page;
		size_t copied;

		fault_in_pages_readable(buf, bytes);

		page = __grab_cache_page(mapping, index, &cached_page, &lru_pvec);
		if (!page) {
			status = -ENOMEM;
			break;
		}

		status = a_ops->prepare_write(file, page, offset, offset + bytes);
		if (unlikely(status)) {
			unlock_page(page);
			page_cache_release(page);
			break;
		}
		copied = demo_copy_from_user(page, offset, buf, bytes); /* want: fault-under-page-lock */
		flush_dcache_page(page);
		status = a_ops->commit_write(file, page, offset, offset + bytes);
		if (likely(copied > 0)) {
			if (!status)
				status = copied;
			written += status;
			count -= status;
			pos += status;
			buf += status;
		}
		if (unlikely(copied != bytes) && status >= 0)
			status = -EFAULT;
		unlock_page(page);
		mark_page_accessed(page);
		page_cache_release(page);
		if (status < 0)
			break;
		balance_dirty_pages_ratelimited(mapping);
		cond_resched();
	} while (count);

	if (cached_page)
		page_cache_release(cached_page);
	pagevec_lru_add(&lru_pvec);
	return written ? written : status;
}
