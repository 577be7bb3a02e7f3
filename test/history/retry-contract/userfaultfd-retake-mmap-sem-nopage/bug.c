/*
 * commit: unknown
 * subject: userfaultfd: don't retake mmap_sem to emulate NOPAGE
 * date: 2020-04 (merged for 5.7; series posted 2019-04 to 2020-02)
 * link: <20190923042523.10027-7-peterx@redhat.com>
 * family: retry-contract
 *
 * handle_userfault() queues the faulting task, drops mmap_sem and sleeps
 * until the monitor resolves the fault, then returns VM_FAULT_RETRY. To
 * let a user-mode fault return quickly on a non-fatal signal (SIGSTOP
 * under gdb), it had a special path that took mmap_sem for read again
 * and returned VM_FAULT_NOPAGE, so the arch code would unlock and return
 * to user space. The lock is balanced, but the caller goes on with a vma
 * that may have been unmapped or changed while the lock was dropped (the
 * risk Linus and Andrea discussed in 2017). With the core fault code able
 * to react to non-fatal signals on VM_FAULT_RETRY, the patch removes the
 * re-take: every path that dropped mmap_sem returns VM_FAULT_RETRY.
 */

struct demo_uffd_ctx {
	wait_queue_head_t fault_pending_wqh;
	wait_queue_head_t fd_wqh;
	bool released;
};

static bool demo_must_wait(struct demo_uffd_ctx *ctx, unsigned long address)
{
	/* the real code walks the page tables: still no pte for the address? */
	return !READ_ONCE(ctx->released) && demo_pte_none(current->mm, address);
}

vm_fault_t demo_handle_userfault(struct vm_fault *vmf, unsigned long reason)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	struct demo_uffd_ctx *ctx = vmf->vma->vm_userfaultfd_ctx.ctx;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	bool must_wait, return_to_userland;
	wait_queue_entry_t wq;

	if (!ctx || READ_ONCE(ctx->released))
		goto out;
	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY))
		goto out;

	/* with RETRY_NOWAIT, mmap_sem stays held and the caller retries */
	ret = VM_FAULT_RETRY;
	if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT)
		goto out;

	return_to_userland = (vmf->flags & (FAULT_FLAG_USER | FAULT_FLAG_KILLABLE)) ==
			     (FAULT_FLAG_USER | FAULT_FLAG_KILLABLE);
	init_waitqueue_entry(&wq, current);
	add_wait_queue(&ctx->fault_pending_wqh, &wq);
	set_current_state(return_to_userland ? TASK_INTERRUPTIBLE : TASK_KILLABLE);
	must_wait = demo_must_wait(ctx, vmf->address);
	up_read(&mm->mmap_sem);

	if (must_wait && !READ_ONCE(ctx->released) && !fatal_signal_pending(current)) {
		wake_up_poll(&ctx->fd_wqh, EPOLLIN);
		schedule();
		ret |= VM_FAULT_MAJOR;
	}
	__set_current_state(TASK_RUNNING);

	if (return_to_userland && signal_pending(current) && !fatal_signal_pending(current)) {
		/* let userland handle the signal: pretend the fault was served */
		down_read(&mm->mmap_sem);
		ret = VM_FAULT_NOPAGE;
	}
	remove_wait_queue(&ctx->fault_pending_wqh, &wq);
out:
	return ret; /* want: retry-contract */
}
