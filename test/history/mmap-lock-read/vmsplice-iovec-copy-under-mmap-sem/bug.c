/*
 * commit: unknown
 * subject: [patch] splice mmap_sem deadlock
 * date: 2007-09-28 (report and patch; the copy_from_user_mmap_sem() helper was proposed by Linus, final version by Jens Axboe 2007-10-01)
 * link: <20070928160035.GD12538@wotan.suse.de>
 * family: mmap-lock-read
 *
 * vmsplice() maps the user's iovec into pipe buffers: it takes mmap_sem
 * for read once, then for each iovec entry copies the entry from user
 * space and pins its pages with get_user_pages(). The copy_from_user()
 * of the iovec ran under mmap_sem (since the code was written in 2006):
 * if it faults, the fault takes mmap_sem for read again, and a writer
 * queued in between (another thread's mmap) deadlocks the task. The fix
 * copies each entry with page faults disabled and, only when that copy
 * comes up short, drops mmap_sem around a normal faulting copy.
 */

struct demo_partial {
	unsigned int offset;
	unsigned int len;
};

static int demo_get_iovec_page_array(const struct iovec __user *iov, unsigned int nr_vecs,
				     struct page **pages, struct demo_partial *partial)
{
	int buffers = 0, error = 0;

	down_read(&current->mm->mmap_sem);
	while (nr_vecs) {
		unsigned long off, npages;
		struct iovec entry;
		void __user *base;
		size_t len;
		int i;

		error = -EFAULT;
		if (copy_from_user(&entry, iov, sizeof(entry))) /* want: fault-under-fault-path-lock */
			break;
		base = entry.iov_base;
		len = entry.iov_len;
		error = 0;
		if (!len)
			break;
		error = -EFAULT;
		if (!access_ok(base, len))
			break;

		off = (unsigned long)base & ~PAGE_MASK;
		npages = (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
		if (npages > PIPE_DEF_BUFFERS - buffers)
			npages = PIPE_DEF_BUFFERS - buffers;

		/* pinning wants mmap_sem held: that part is fine */
		error = get_user_pages((unsigned long)base, npages, 0, &pages[buffers], NULL);
		if (error <= 0)
			break;
		for (i = 0; i < error; i++) {
			partial[buffers].offset = off;
			partial[buffers].len = min_t(size_t, len, PAGE_SIZE - off);
			len -= partial[buffers].len;
			off = 0;
			buffers++;
		}
		if (error < npages || buffers == PIPE_DEF_BUFFERS)
			break;
		nr_vecs--;
		iov++;
	}
	up_read(&current->mm->mmap_sem);

	return buffers ? buffers : error;
}
