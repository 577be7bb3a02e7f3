/*
 * A buffered write loop in the shape of 2.6.22's generic_file_buffered_write(),
 * written for faultpath's tests.
 */
static ssize_t demo_buffered_write(struct file *file, const char __user *buf,
				   size_t count, loff_t pos)
{
	struct address_space *mapping = file->f_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	ssize_t written = 0;
	long status = 0;

	do {
		struct page *page;
		unsigned long index = pos >> PAGE_CACHE_SHIFT;
		unsigned long offset = pos & (PAGE_CACHE_SIZE - 1);
		size_t bytes = min_t(size_t, PAGE_CACHE_SIZE - offset, count);
		size_t copied;

		/* best effort: the page can be unmapped again before the copy */
		fault_in_pages_readable(buf, bytes);

		page = __grab_cache_page(mapping, index);
		if (!page) {
			status = -ENOMEM;
			break;
		}

		status = a_ops->prepare_write(file, page, offset, offset + bytes);
		if (unlikely(status))
			goto fs_write_aop_error;

		copied = filemap_copy_from_user(page, offset, buf, bytes);
		flush_dcache_page(page);

		status = a_ops->commit_write(file, page, offset, offset + bytes);
		if (unlikely(status))
			goto fs_write_aop_error;

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
