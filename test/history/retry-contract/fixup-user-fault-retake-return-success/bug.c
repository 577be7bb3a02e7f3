/*
 * commit: unknown
 * subject: mm/gup: Fix fixup_user_fault() on multiple retries
 * date: 2020-05-01 (posted; 5.7-rc cycle)
 * link: <20200502003523.8204-1-peterx@redhat.com>
 * family: retry-contract
 *
 * fixup_user_fault() resolves a fault on behalf of futex and KVM code
 * with mmap_lock held. When the fault path dropped mmap_lock and
 * returned VM_FAULT_RETRY, it took the lock again and retried, but only
 * if FAULT_FLAG_TRIED was not yet set. Once faults could be retried more
 * than once (5.7), a second VM_FAULT_RETRY skipped the retry: the lock
 * was re-taken and the function returned 0, telling the caller that the
 * page had been faulted in when it had not (and, for the caller holding
 * state derived from the old vma, that nothing had changed). The fix
 * always retries after re-taking the lock, and checks for fatal signals
 * before each attempt so a killed task does not loop.
 */

static bool demo_vma_permits_fault(struct vm_area_struct *vma, unsigned int fault_flags)
{
	bool write = !!(fault_flags & FAULT_FLAG_WRITE);
	vm_flags_t vm_flags = write ? VM_WRITE : VM_READ;

	if (!(vm_flags & vma->vm_flags))
		return false;
	return arch_vma_access_permitted(vma, write, false, false);
}

int demo_fixup_user_fault(struct mm_struct *mm, unsigned long address,
			  unsigned int fault_flags, bool *unlocked)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;

	if (unlocked)
		fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;

retry:
	vma = find_extend_vma(mm, address);
	if (!vma || address < vma->vm_start)
		return -EFAULT;
	if (!demo_vma_permits_fault(vma, fault_flags))
		return -EFAULT;

	ret = handle_mm_fault(vma, address, fault_flags, NULL);
	if (ret & VM_FAULT_ERROR) {
		int err = vm_fault_to_errno(ret, 0);

		if (err)
			return err;
		BUG();
	}

	if (ret & VM_FAULT_RETRY) {
		/* the fault path dropped mmap_lock: take it back */
		mmap_read_lock(mm);
		if (!(fault_flags & FAULT_FLAG_TRIED)) {
			*unlocked = true;
			fault_flags |= FAULT_FLAG_TRIED;
			goto retry;
		}
	}
	return 0; /* want: retry-contract */
}
