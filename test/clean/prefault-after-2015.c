/*
 * "fs: do not prefault sys_write() user buffer pages" (2015): copy first with
 * page faults explicitly disabled, and fault the source in only after a short
 * copy, with the page unlocked. Written for this test.
 */
static ssize_t demo_perform_write_2015(struct file *file, struct iov_iter *i, loff_t pos)
{
	struct address_space *mapping = file->f_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	long status = 0;
	ssize_t written = 0;
	unsigned int flags = 0;

	do {
		struct page *page;
		unsigned long offset = pos & (PAGE_SIZE - 1);
		unsigned long bytes = min_t(unsigned long, PAGE_SIZE - offset, iov_iter_count(i));
		size_t copied;
		void *fsdata;

again:
		status = a_ops->write_begin(file, mapping, pos, bytes, flags, &page, &fsdata);
		if (unlikely(status < 0))
			break;

		if (mapping_writably_mapped(mapping))
			flush_dcache_page(page);

		pagefault_disable();
		copied = iov_iter_copy_from_user_atomic(page, i, offset, bytes);
		pagefault_enable();
		flush_dcache_page(page);

		status = a_ops->write_end(file, mapping, pos, bytes, copied, page, fsdata);
		if (unlikely(status < 0))
			break;
		copied = status;

		cond_resched();

		iov_iter_advance(i, copied);
		if (unlikely(copied == 0)) {
			bytes = min_t(unsigned long, PAGE_SIZE - offset, iov_iter_single_seg_count(i));
			/* only now, with the page unlocked, fault the source in */
			if (unlikely(iov_iter_fault_in_readable(i, bytes))) {
				status = -EFAULT;
				break;
			}
			goto again;
		}
		pos += copied;
		written += copied;
		balance_dirty_pages_ratelimited(mapping);
	} while (iov_iter_count(i));

	return written ? written : status;
}
