/*
 * commit: 958f32ce832b
 * subject: mm: hugetlb: fix UAF in hugetlb_handle_userfault
 * date: 2022-09-23
 * link: <20220923042113.137273-1-liushixin2@huawei.com>
 * fixes: 1a1aad8a9b7b ("userfaultfd: hugetlbfs: add userfaultfd hugetlb hook")
 * family: vma-after-unlock
 *
 * A hugetlb fault takes the per-index fault mutex and the vma's lock
 * (for pmd sharing) before looking for the page. When the range is
 * registered with userfaultfd, both are dropped and the fault is handed
 * to handle_userfault(), which releases mmap_lock and sleeps until the
 * monitor resolves it. Afterwards the helper took the fault mutex and
 * the vma lock again "to make the calling code simpler", and the fault
 * path then unlocked them: with mmap_lock gone, munmap/mmap may already
 * have freed that vma, and locking its vma lock was a use-after-free
 * (syzbot). The fix returns handle_userfault()'s result directly and
 * makes the no-page path drop the vma lock and the mutex itself on its
 * other exits, so nothing touches the vma after the userfault.
 */

static pgoff_t demo_hugecache_offset(struct vm_area_struct *vma, unsigned long address)
{
	struct hstate *h = hstate_vma(vma);

	return ((address - vma->vm_start) >> huge_page_shift(h)) +
	       (vma->vm_pgoff >> huge_page_order(h));
}

static struct page *demo_alloc_huge_page_locked(struct vm_area_struct *vma,
						struct address_space *mapping,
						pgoff_t idx, unsigned long haddr)
{
	struct page *page = alloc_huge_page(vma, haddr, 0);

	if (IS_ERR(page))
		return page;
	clear_huge_page(page, haddr, pages_per_huge_page(hstate_vma(vma)));
	__SetPageUptodate(page);
	if (huge_add_to_page_cache(page, mapping, idx)) {
		put_page(page);
		return ERR_PTR(-EEXIST);
	}
	return page;	/* locked by huge_add_to_page_cache() */
}

static vm_fault_t demo_set_huge_pte(struct mm_struct *mm, struct vm_area_struct *vma,
				    unsigned long haddr, struct page *page, unsigned int flags)
{
	pte_t *ptep = huge_pte_offset(mm, haddr, huge_page_size(hstate_vma(vma)));

	if (!ptep)
		return VM_FAULT_OOM;
	set_huge_pte_at(mm, haddr, ptep, make_huge_pte(vma, page, flags & FAULT_FLAG_WRITE));
	return 0;
}

static vm_fault_t demo_handle_userfault(struct vm_area_struct *vma, struct address_space *mapping,
					pgoff_t idx, unsigned int flags, unsigned long haddr,
					unsigned long reason)
{
	struct vm_fault vmf = { .vma = vma, .address = haddr, .flags = flags };
	vm_fault_t ret;
	u32 hash;

	/* both must be dropped before handling the userfault */
	hugetlb_vma_unlock_read(vma);
	hash = hugetlb_fault_mutex_hash(mapping, idx);
	mutex_unlock(&hugetlb_fault_mutex_table[hash]);
	ret = handle_userfault(&vmf, reason);
	/* retake them to make the calling code simpler */
	mutex_lock(&hugetlb_fault_mutex_table[hash]);
	hugetlb_vma_lock_read(vma); /* want: vma-after-mmap-unlock */
	return ret;
}

static vm_fault_t demo_hugetlb_no_page(struct mm_struct *mm, struct vm_area_struct *vma,
				       struct address_space *mapping, pgoff_t idx,
				       unsigned long address, unsigned int flags)
{
	unsigned long haddr = address & huge_page_mask(hstate_vma(vma));
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct page *page;

	page = find_lock_page(mapping, idx);
	if (!page) {
		if (userfaultfd_missing(vma)) {
			ret = demo_handle_userfault(vma, mapping, idx, flags, haddr, VM_UFFD_MISSING);
			goto out;
		}
		page = demo_alloc_huge_page_locked(vma, mapping, idx, haddr);
		if (IS_ERR(page)) {
			ret = vmf_error(PTR_ERR(page));
			goto out;
		}
	}
	ret = demo_set_huge_pte(mm, vma, haddr, page, flags);
	unlock_page(page);
out:
	return ret;
}

vm_fault_t demo_hugetlb_fault(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long address, unsigned int flags)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	pgoff_t idx = demo_hugecache_offset(vma, address);
	u32 hash = hugetlb_fault_mutex_hash(mapping, idx);
	vm_fault_t ret;

	mutex_lock(&hugetlb_fault_mutex_table[hash]);
	hugetlb_vma_lock_read(vma);
	ret = demo_hugetlb_no_page(mm, vma, mapping, idx, address, flags);
	hugetlb_vma_unlock_read(vma); /* want: vma-after-mmap-unlock */
	mutex_unlock(&hugetlb_fault_mutex_table[hash]);
	return ret;
}
