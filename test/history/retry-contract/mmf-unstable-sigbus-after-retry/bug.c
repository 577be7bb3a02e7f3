/*
 * commit: unknown
 * subject: mm: fix double mmap_sem unlock on MMF_UNSTABLE enforced SIGBUS
 * date: 2017-08-07
 * link: <20170807113839.16695-2-mhocko@kernel.org>
 * fixes: 3f70dc38cec2 ("mm: make sure that kthreads will not refault oom reaped memory")
 * family: retry-contract
 *
 * After the OOM reaper has torn down an address space, a kernel thread
 * that faults in it (use_mm) must not see fresh zero pages: the fault
 * result was overridden with VM_FAULT_SIGBUS. But the fault proper may
 * have dropped mmap_sem and returned VM_FAULT_RETRY; overwriting that
 * with SIGBUS tells the arch handler the lock is still held, and it
 * unlocked mmap_sem a second time (lockdep: DEBUG_LOCKS_WARN_ON in
 * up_read from __do_page_fault). The test also read vma->vm_mm after the
 * possible drop. The fix takes mmap_sem again on the VM_FAULT_RETRY path
 * before returning VM_FAULT_SIGBUS. (The posted patch re-took it through
 * vma->vm_mm; here the mm is read before the fault, as the contract
 * requires.)
 */

int demo_handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			 unsigned int flags)
{
	int ret;

	__set_current_state(TASK_RUNNING);
	count_vm_event(PGFAULT);
	if (flags & FAULT_FLAG_USER)
		mem_cgroup_oom_enable();

	/* may drop mmap_sem and return VM_FAULT_RETRY */
	ret = __handle_mm_fault(vma, address, flags);

	if (flags & FAULT_FLAG_USER) {
		mem_cgroup_oom_disable();
		if (task_in_memcg_oom(current) && !(ret & VM_FAULT_OOM))
			mem_cgroup_oom_synchronize(false);
	}

	/* the oom reaper emptied this mm: a kthread must not refault zero pages */
	if (unlikely((current->flags & PF_KTHREAD) && !(ret & VM_FAULT_ERROR) &&
		     test_bit(MMF_UNSTABLE, &vma->vm_mm->flags))) /* want: vma-after-mmap-unlock */
		ret = VM_FAULT_SIGBUS;

	return ret; /* want: retry-contract */
}
