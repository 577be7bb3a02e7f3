/*
 * commit: 1559b7583ff6
 * subject: KVM: arm/arm64: Re-check VMA on detecting a poisoned page
 * date: 2019-12 (v2 posted 2019-12-17; 5.5-rc)
 * link: <20191217123809.197392-1-james.morse@arm.com>
 * family: vma-after-unlock
 *
 * On a stage-2 fault, the arm KVM fault handler looks up the vma backing
 * the guest address under mmap_sem to choose the mapping size, drops
 * mmap_sem and then resolves the pfn. When the pfn turns out to be
 * hardware-poisoned it sends SIGBUS to the VMM, and the signal helper
 * derived the address granule from the vma (the hugetlb page shift) it
 * was passed: the vma pointer was used after mmap_sem had been released,
 * while userspace could have unmapped or replaced the mapping. The fix
 * computes the page shift while the lock is held and passes the shift,
 * not the vma, to the signal helper.
 */

static void demo_send_hwpoison_signal(unsigned long address, struct vm_area_struct *vma)
{
	short lsb;

	if (is_vm_hugetlb_page(vma))
		lsb = huge_page_shift(hstate_vma(vma));
	else
		lsb = PAGE_SHIFT;
	send_sig_mceerr(BUS_MCEERR_AR, (void __user *)address, lsb, current);
}

static int demo_stage2_map(struct kvm *kvm, phys_addr_t ipa, kvm_pfn_t pfn,
			   unsigned long size, bool writable)
{
	int ret;

	spin_lock(&kvm->mmu_lock);
	ret = kvm_stage2_set_entry(kvm, ipa & ~(size - 1), pfn, size, writable);
	spin_unlock(&kvm->mmu_lock);
	return ret;
}

int demo_user_mem_abort(struct kvm_vcpu *vcpu, phys_addr_t fault_ipa,
			struct kvm_memory_slot *memslot, unsigned long hva,
			bool write_fault)
{
	struct kvm *kvm = vcpu->kvm;
	struct vm_area_struct *vma;
	unsigned long vma_pagesize;
	gfn_t gfn = fault_ipa >> PAGE_SHIFT;
	bool writable;
	kvm_pfn_t pfn;

	down_read(&current->mm->mmap_sem);
	vma = find_vma_intersection(current->mm, hva, hva + 1);
	if (unlikely(!vma)) {
		up_read(&current->mm->mmap_sem);
		return -EFAULT;
	}
	vma_pagesize = vma_kernel_pagesize(vma);
	up_read(&current->mm->mmap_sem);

	pfn = gfn_to_pfn_prot(kvm, gfn, write_fault, &writable);
	if (pfn == KVM_PFN_ERR_HWPOISON) {
		demo_send_hwpoison_signal(hva, vma); /* want: vma-after-mmap-unlock */
		return 0;
	}
	if (is_error_noslot_pfn(pfn))
		return -EFAULT;

	return demo_stage2_map(kvm, fault_ipa, pfn, vma_pagesize, writable);
}
