/*
 * A write loop of the 2.6.22 kind: a page per iteration, copied with faults
 * enabled under the page lock. The rewrite keeps the loop's own commit of
 * what was copied; a short copy past what could be faulted in ends the loop
 * with the bytes written so far.
 */
static ssize_t demo_perform_write(struct address_space *mapping, const char __user *buf,
				  size_t count, loff_t pos)
{
	ssize_t written = 0;
	long status = 0;

	while (count) {
		struct page *page;
		unsigned long offset = pos & (PAGE_SIZE - 1);
		size_t bytes = min_t(size_t, PAGE_SIZE - offset, count);
		size_t copied;
		char *kaddr;

		page = grab_cache_page(mapping, pos >> PAGE_SHIFT);
		if (!page) {
			status = -ENOMEM;
			break;
		}
		kaddr = kmap_local_page(page);
		copied = bytes - __copy_from_user(kaddr + offset, buf, bytes);
		kunmap_local(kaddr);
		if (copied)
			SetPageDirty(page);
		unlock_page(page);
		put_page(page);
		if (!copied) {
			status = -EFAULT;
			break;
		}
		count -= copied;
		pos += copied;
		buf += copied;
		written += copied;
	}
	return written ? written : status;
}
