/*
 * Twin of test/fixtures/fault-under-fault-path-lock/mmap-read-some-paths.c: the lock taken
 * on some paths is given back before the user access (the fix).
 */
long get_policy(int __user *out, unsigned long addr, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int val = default_val();

	if (flags & ADDR_FLAG) {
		mmap_read_lock(mm);
		vma = vma_lookup(mm, addr);
		if (!vma) {
			mmap_read_unlock(mm);
			return -EFAULT;
		}
		val = policy_of(vma);
		mmap_read_unlock(mm);
	}
	if (put_user(val, out))
		return -EFAULT;
	return 0;
}
