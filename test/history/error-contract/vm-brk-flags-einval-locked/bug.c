/*
 * commit: e0f81ab1e4f42ffece6440dc78f583eb352b9a71
 * subject: mm: fix vm_brk_flags() to not bail out while holding lock
 * date: 2023-09-29
 * link: 20230929171937.work.697-kees@kernel.org
 * fixes: 2e7ce7d354f2 ("mm/mmap: change do_brk_flags() to expand existing VMA and add do_brk_munmap()")
 * family: error-contract
 *
 * vm_brk_flags() takes mmap_lock for write and only then rejects flags
 * other than VM_EXEC with -EINVAL - returning with the lock still held,
 * while every other exit (the success path and the goto-based error
 * paths) drops it.  The next mmap_lock user of that mm, including the
 * page fault handler, would block forever.  No in-tree caller passed
 * other flags, so it was found by reading the code.  The fix does the
 * sanity check before taking the lock.
 */

int demo_vm_brk_flags(unsigned long addr, unsigned long request, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long len;
	bool populate;
	int ret;
	LIST_HEAD(uf);
	VMA_ITERATOR(vmi, mm, addr);

	len = PAGE_ALIGN(request);
	if (len < request)
		return -ENOMEM;
	if (!len)
		return 0;

	if (mmap_write_lock_killable(mm))
		return -EINTR;

	/* Until we need other flags, refuse anything except VM_EXEC. */
	if ((flags & (~VM_EXEC)) != 0)
		return -EINVAL; /* want: lock-imbalance */

	ret = check_brk_limits(addr, len);
	if (ret)
		goto limits_failed;

	ret = do_vmi_munmap(&vmi, mm, addr, len, &uf, 0);
	if (ret)
		goto munmap_failed;

	vma = vma_prev(&vmi);
	ret = do_brk_flags(&vmi, vma, addr, len, flags);
	populate = ((mm->def_flags & VM_LOCKED) != 0);
	mmap_write_unlock(mm);
	userfaultfd_unmap_complete(mm, &uf);
	if (populate && !ret)
		mm_populate(addr, len);
	return ret;

munmap_failed:
limits_failed:
	mmap_write_unlock(mm);
	return ret;
}
