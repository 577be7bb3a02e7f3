/*
 * commit: unknown
 * subject: khugepaged: fix use-after-free in collapse_huge_page()
 * date: 2016-09 (v2 posted 2016-09-07; reported by syzkaller)
 * family: vma-after-unlock
 *
 * khugepaged drops mmap_sem while it allocates the huge page, takes it
 * again and calls hugepage_vma_revalidate() to check that the address is
 * still covered by a vma that may be collapsed. The check looked the vma
 * up again but threw it away: the rest of collapse_huge_page() went on
 * with the vma pointer it was passed before the lock was dropped, which
 * munmap may have freed and another mapping may have replaced (the new
 * vma passing the check says nothing about the old pointer). The fix has
 * the revalidation return the vma it found, through a pointer argument,
 * and uses that one from then on.
 */

static int demo_vma_revalidate(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;

	if (unlikely(khugepaged_test_exit(mm)))
		return SCAN_ANY_PROCESS;
	vma = find_vma(mm, address);
	if (!vma || address < vma->vm_start || address + HPAGE_PMD_SIZE > vma->vm_end)
		return SCAN_ADDRESS_RANGE;
	if (!hugepage_vma_check(vma) || !vma->anon_vma)
		return SCAN_VMA_CHECK;
	return 0;
}

/* swap in the ptes of the range; gives up when the fault path would drop mmap_sem */
static bool demo_swapin_range(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long address, pmd_t *pmd)
{
	unsigned long addr;
	vm_fault_t ret;

	for (addr = address; addr < address + HPAGE_PMD_SIZE; addr += PAGE_SIZE) {
		if (!demo_pte_is_swap(pmd, addr))
			continue;
		ret = handle_mm_fault(vma, addr, FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT, NULL);
		if (ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))
			return false;
	}
	return true;
}

static void demo_copy_and_install(struct mm_struct *mm, struct vm_area_struct *vma,
				  unsigned long address, pmd_t *pmd, struct page *new_page)
{
	pmd_t entry = mk_huge_pmd(new_page, vma->vm_page_prot);

	__collapse_copy(new_page, pmd, vma, address);
	set_pmd_at(mm, address, pmd, entry);
	update_mmu_cache_pmd(vma, address, pmd);
}

static void demo_collapse_huge_page(struct mm_struct *mm, unsigned long address,
				    struct vm_area_struct *vma, int node)
{
	struct page *new_page;
	pmd_t *pmd;
	int result;

	/* allocating the huge page may sleep for long: not under mmap_sem */
	up_read(&mm->mmap_sem);
	new_page = khugepaged_alloc_page(GFP_TRANSHUGE, node);
	if (!new_page)
		return;

	down_read(&mm->mmap_sem);
	result = demo_vma_revalidate(mm, address);
	if (result) {
		up_read(&mm->mmap_sem);
		goto out_put;
	}
	pmd = mm_find_pmd(mm, address);
	if (!pmd || !demo_swapin_range(mm, vma, address, pmd)) { /* want: vma-after-mmap-unlock */
		up_read(&mm->mmap_sem);
		goto out_put;
	}
	up_read(&mm->mmap_sem);

	down_write(&mm->mmap_sem);
	result = demo_vma_revalidate(mm, address);
	if (result)
		goto out_up_write;
	anon_vma_lock_write(vma->anon_vma); /* want: vma-after-mmap-unlock */
	demo_copy_and_install(mm, vma, address, pmd, new_page);
	anon_vma_unlock_write(vma->anon_vma);
	new_page = NULL;
out_up_write:
	up_write(&mm->mmap_sem);
out_put:
	if (new_page)
		put_page(new_page);
}
