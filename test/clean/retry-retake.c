/*
 * Twins of test/fixtures/retry-contract/retake.c: the caller is told, or the lock is
 * taken again before another code is returned from outside fault code, or the fault is
 * tried again after the re-take.
 */

/* takes the lock again where the result said it was dropped (the 2017 fix) */
int fault_override(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret;

	ret = __handle_mm_fault(vma, addr, flags);
	if ((current->flags & PF_KTHREAD) && mm_unstable(mm)) {
		if (ret & VM_FAULT_RETRY)
			mmap_read_lock(mm);
		ret = VM_FAULT_SIGBUS;
	}
	return ret;
}

/* every path that dropped the lock returns VM_FAULT_RETRY (userfaultfd since 5.7) */
vm_fault_t wait_for_monitor(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY))
		goto out;
	ret = VM_FAULT_RETRY;
	if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT)
		goto out;
	mmap_read_unlock(mm);
	wait_for_monitor_event();
	if (signal_pending(current))
		ret |= VM_FAULT_MAJOR;
out:
	return ret;
}

/* after the re-take, the fault is always tried again (fixup_user_fault() since 5.7) */
int fault_in_once(struct mm_struct *mm, unsigned long addr, unsigned int fault_flags)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;

retry:
	if (fatal_signal_pending(current))
		return -EINTR;
	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT;
	ret = handle_mm_fault(vma, addr, fault_flags, NULL);
	if (ret & VM_FAULT_ERROR)
		return -EFAULT;
	if (ret & VM_FAULT_RETRY) {
		mmap_read_lock(mm);
		fault_flags |= FAULT_FLAG_TRIED;
		goto retry;
	}
	return 0;
}

/* VM_FAULT_COMPLETED: the fault is done with the lock released; taken back for the caller (6.1 fixup_user_fault()) */
int fault_completed(struct mm_struct *mm, unsigned long addr, unsigned int fault_flags, bool *unlocked)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;

	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT;
	ret = handle_mm_fault(vma, addr, fault_flags | FAULT_FLAG_ALLOW_RETRY, NULL);
	if (ret & VM_FAULT_COMPLETED) {
		mmap_read_lock(mm);
		*unlocked = true;
		return 0;
	}
	if (ret & VM_FAULT_RETRY) {
		mmap_read_lock(mm);
		*unlocked = true;
		return -EAGAIN;
	}
	return 0;
}

/* flags without FAULT_FLAG_ALLOW_RETRY: the fault keeps the lock (6.1 break_ksm()) */
int break_cow_loop(struct vm_area_struct *vma, unsigned long addr)
{
	vm_fault_t ret = 0;

	do {
		if (still_shared(vma, addr))
			ret = handle_mm_fault(vma, addr, FAULT_FLAG_WRITE | FAULT_FLAG_REMOTE, NULL);
		else
			ret = VM_FAULT_WRITE;
	} while (!(ret & (VM_FAULT_WRITE | VM_FAULT_SIGBUS | VM_FAULT_OOM)));
	return (ret & VM_FAULT_OOM) ? -ENOMEM : 0;
}
