/*
 * Twins of test/fixtures/fault-under-fault-path-lock/mmap-read.c: the copy
 * after the unlock, pinning under the lock (what get_user_pages() is for), and
 * a helper that drops current->mm's lock before a copy that may fault (the
 * 2.6.23 vmsplice fix).
 */

static long mrc_mincore(struct mm_struct *mm, unsigned long start, unsigned char __user *vec)
{
	unsigned char tmp[64];
	long ret;

	mmap_read_lock(mm);
	ret = mrc_fill(mm, start, tmp);
	mmap_read_unlock(mm);
	if (ret > 0 && copy_to_user(vec, tmp, ret))
		return -EFAULT;
	return ret;
}

static long mrc_pin(unsigned long addr, struct page **pages)
{
	long got;

	mmap_read_lock(current->mm);
	got = get_user_pages(addr, 1, 0, pages);
	mmap_read_unlock(current->mm);
	return got;
}

static int mrc_copy_dropping(void *dst, const void __user *src, size_t n)
{
	int left;

	pagefault_disable();
	left = __copy_from_user_inatomic(dst, src, n);
	pagefault_enable();
	if (left) {
		mmap_read_unlock(current->mm);
		left = copy_from_user(dst, src, n);
		mmap_read_lock(current->mm);
	}
	return left;
}

static int mrc_walk(const void __user *iov, void *entry, size_t n)
{
	int err;

	mmap_read_lock(current->mm);
	err = mrc_copy_dropping(entry, iov, n);
	mmap_read_unlock(current->mm);
	return err;
}
