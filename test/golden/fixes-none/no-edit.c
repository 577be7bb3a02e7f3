/*
 * Shapes the quick fix "Copy with faults disabled, then retry" cannot rewrite
 * correctly: each finding keeps its explanation and gets no edit.
 */

/* The length is known only under the lock: there is nothing to fault in before it. */
static int len_under_lock(struct page *page, struct inode *inode, const char __user *buf, loff_t pos)
{
	size_t n;

	lock_page(page);
	n = min_t(size_t, PAGE_SIZE, i_size_read(inode) - pos);
	if (copy_from_user(page_address(page), buf, n)) { /* want: fault-under-page-lock */
		unlock_page(page);
		return -EFAULT;
	}
	unlock_page(page);
	return n;
}

/* The copy is in a loop that started under the lock: a retry would run the loop again. */
static int copy_in_inner_loop(struct page *page, const char __user *const *bufs, int nr)
{
	char *kaddr = page_address(page);
	int k;

	lock_page(page);
	for (k = 0; k < nr; k++) {
		if (__copy_from_user(kaddr + k * 64, bufs[k], 64)) /* want: fault-under-page-lock */
			break;
	}
	unlock_page(page);
	return k;
}

/* Another lock is taken between the page lock and the copy. */
static int copy_under_mutex(struct page *page, struct mutex *m, const char __user *buf, size_t n)
{
	int ret = 0;

	lock_page(page);
	mutex_lock(m);
	if (copy_from_user(page_address(page), buf, n)) /* want: fault-under-page-lock */
		ret = -EFAULT;
	mutex_unlock(m);
	unlock_page(page);
	return ret;
}

/* The copy is evaluated only when another condition holds. */
static int copy_if_dirty(struct page *page, bool dirty, const char __user *buf, size_t n)
{
	int ret = 0;

	lock_page(page);
	if (dirty && copy_from_user(page_address(page), buf, n)) /* want: fault-under-page-lock */
		ret = -EFAULT;
	unlock_page(page);
	return ret;
}

/* An iov_iter copy outside a write loop: no loop to retry in. */
static size_t iter_copy_once(struct page *page, struct iov_iter *i, size_t bytes)
{
	size_t copied;

	lock_page(page);
	copied = copy_page_from_iter(page, 0, bytes, i); /* want: fault-under-page-lock */
	unlock_page(page);
	return copied;
}

/* A write loop that moves the iterator itself. */
static ssize_t loop_advances(struct address_space *mapping, struct iov_iter *i, loff_t pos)
{
	ssize_t written = 0;
	long status = 0;

	while (iov_iter_count(i)) {
		struct page *page;
		size_t bytes = min_t(size_t, PAGE_SIZE, iov_iter_count(i));
		size_t copied;

		page = grab_cache_page(mapping, pos >> PAGE_SHIFT);
		if (!page) {
			status = -ENOMEM;
			break;
		}
		copied = copy_page_from_iter(page, 0, bytes, i); /* want: fault-under-page-lock */
		iov_iter_advance(i, 0);
		unlock_page(page);
		put_page(page);
		pos += copied;
		written += copied;
	}
	return written ? written : status;
}
