/*
 * The pattern "mm: fix pagecache write deadlocks" (2.6.23) introduced in
 * generic_buffered_write(): prefault, lock the page, copy with
 * inc_preempt_count() + filemap_copy_from_user_atomic(), commit what was
 * copied, unlock, and on a short copy retry. Written for this test.
 */
static ssize_t demo_buffered_write(struct file *file, struct address_space *mapping,
				   const struct address_space_operations *a_ops,
				   const char __user *buf, loff_t pos, size_t count)
{
	ssize_t written = 0;
	long status = 0;

	do {
		struct page *page;
		pgoff_t index = pos >> PAGE_CACHE_SHIFT;
		unsigned long offset = pos & (PAGE_CACHE_SIZE - 1);
		size_t bytes = min_t(size_t, PAGE_CACHE_SIZE - offset, count);
		size_t copied;

		/* 1a: fault_in_pages_readable() with no page locked */
		if (unlikely(fault_in_pages_readable(buf, bytes))) {
			status = -EFAULT;
			break;
		}
		page = __grab_cache_page(mapping, index);
		if (!page) {
			status = -ENOMEM;
			break;
		}
		status = a_ops->prepare_write(file, page, offset, offset + bytes);
		if (unlikely(status))
			goto fs_write_aop_error;

		inc_preempt_count();
		copied = filemap_copy_from_user_atomic(page, offset, buf, bytes);
		dec_preempt_count();
		flush_dcache_page(page);

		status = a_ops->commit_write(file, page, offset, offset + copied);
		if (unlikely(status))
			goto fs_write_aop_error;
		if (unlikely(copied != bytes))
			if (!PageUptodate(page))
				copied = 0;

		unlock_page(page);
		page_cache_release(page);
		pos += copied;
		buf += copied;
		count -= copied;
		written += copied;
		balance_dirty_pages_ratelimited(mapping);
		cond_resched();
		continue;

fs_write_aop_error:
		unlock_page(page);
		page_cache_release(page);
		break;
	} while (count);

	return written ? written : status;
}
