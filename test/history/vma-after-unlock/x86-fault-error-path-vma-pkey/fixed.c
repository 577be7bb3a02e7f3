/*
 * commit: a3c4fb7c9c2e
 * subject: x86/mm: Fix fault error path using unsafe vma pointer
 * date: 2017-09 (4.14-rc; stable 4.9.53 on 2017-10-03)
 * fixes: 7b2d0dbac489 ("x86/mm/pkeys: Pass VMA down in to fault signal generation code")
 * link: <1504513935-12742-1-git-send-email-ldufour@linux.vnet.ibm.com>
 * family: vma-after-unlock
 *
 * To report the protection key of a faulting access in the signal info,
 * the x86 fault handler passed the vma down its error paths. Both the
 * bad-area path and the mm_fault_error() path run after up_read() of
 * mmap_sem, and the signal code then read vma_pkey(vma), i.e. the vma's
 * flags, from a vma another thread may have unmapped and freed in the
 * meantime. The fix reads the key while the lock is held and passes a
 * pointer to that value (or NULL when there is no vma) instead.
 */

static void demo_fill_sig_info_pkey(int si_code, struct kernel_siginfo *info, u32 *pkey)
{
	if (si_code != SEGV_PKUERR)
		return;
	info->si_pkey = pkey ? *pkey : 0;
}

static void demo_force_sig_fault(int signo, int si_code, unsigned long address, u32 *pkey)
{
	struct kernel_siginfo info;

	info.si_signo = signo;
	info.si_code = si_code;
	info.si_addr = (void __user *)address;
	demo_fill_sig_info_pkey(si_code, &info, pkey);
	force_sig_info(&info);
}

static void demo_bad_area(struct pt_regs *regs, unsigned long address,
			  struct vm_area_struct *vma, int si_code)
{
	struct mm_struct *mm = current->mm;
	u32 pkey = 0;

	if (vma)
		pkey = vma_pkey(vma);
	up_read(&mm->mmap_sem);
	demo_force_sig_fault(SIGSEGV, si_code, address, vma ? &pkey : NULL);
}

static void demo_mm_fault_error(struct pt_regs *regs, unsigned long address,
				u32 *pkey, unsigned int fault)
{
	if (fault & VM_FAULT_OOM)
		pagefault_out_of_memory();
	else if (fault & VM_FAULT_SIGBUS)
		demo_force_sig_fault(SIGBUS, BUS_ADRERR, address, pkey);
	else
		demo_force_sig_fault(SIGSEGV, SEGV_MAPERR, address, pkey);
}

static bool demo_access_error(unsigned long error_code, struct vm_area_struct *vma)
{
	if (!arch_vma_access_permitted(vma, error_code & X86_PF_WRITE,
				       error_code & X86_PF_INSTR, false))
		return true;
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	return !(vma->vm_flags & (VM_READ | VM_EXEC | VM_WRITE));
}

void demo_do_page_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address)
{
	struct mm_struct *mm = current->mm;
	unsigned int flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;
	struct vm_area_struct *vma;
	unsigned int fault;
	u32 pkey;

	down_read(&mm->mmap_sem);
	vma = find_vma(mm, address);
	if (!vma || vma->vm_start > address) {
		demo_bad_area(regs, address, NULL, SEGV_MAPERR);
		return;
	}
	if (demo_access_error(error_code, vma)) {
		demo_bad_area(regs, address, vma, SEGV_PKUERR);
		return;
	}

	fault = handle_mm_fault(vma, address, flags);
	if (fault & VM_FAULT_RETRY)
		return;	/* mmap_sem already dropped by the fault path */

	pkey = vma_pkey(vma);
	up_read(&mm->mmap_sem);
	if (fault & VM_FAULT_ERROR)
		demo_mm_fault_error(regs, address, &pkey, fault);
}
