/*
 * A ->write_begin()/->write_end() loop that copies with faults enabled: the
 * rewrite is Linux 6.12 generic_perform_write() in this loop's words.
 */
static ssize_t demo_perform_write(struct file *file, struct iov_iter *i, loff_t pos)
{
	struct address_space *mapping = file->f_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	long status = 0;
	ssize_t written = 0;

	do {
		struct page *page;
		unsigned long offset;
		unsigned long bytes;
		size_t copied;
		void *fsdata = NULL;

		offset = (pos & (PAGE_SIZE - 1));
		bytes = min_t(unsigned long, PAGE_SIZE - offset, iov_iter_count(i));

		status = a_ops->write_begin(file, mapping, pos, bytes, &page, &fsdata);
		if (unlikely(status < 0))
			break;

		copied = copy_page_from_iter(page, offset, bytes, i);
		flush_dcache_page(page);

		status = a_ops->write_end(file, mapping, pos, bytes, copied, page, fsdata);
		if (unlikely(status < 0))
			break;
		copied = status;

		cond_resched();

		pos += copied;
		written += copied;
	} while (iov_iter_count(i));

	return written ? written : status;
}
