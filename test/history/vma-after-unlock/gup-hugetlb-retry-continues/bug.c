/*
 * commit: unknown
 * subject: mm/gup: Fix __get_user_pages() on fault retry of hugetlb
 * date: 2020 (v6 posted 2020-02-20; merged for 5.7)
 * link: <20200220145432.4561-3-peterx@redhat.com>
 * family: vma-after-unlock
 *
 * get_user_pages() walks the range vma by vma with mmap_sem held; a
 * caller that passes 'locked' allows the fault path to drop mmap_sem and
 * report it by clearing *locked. For hugetlb vmas the walk is delegated
 * to follow_hugetlb_page(), whose fault can return VM_FAULT_RETRY (a
 * userfaultfd-registered hugetlb range, for instance) with the lock gone.
 * __get_user_pages() ignored that and went round the loop again: it read
 * vma->vm_end of a vma that may have been freed and looked up the next
 * vma without holding mmap_sem. The fix stops the walk as soon as
 * *locked is 0 and returns what was pinned so far.
 */

static int demo_faultin_page(struct vm_area_struct *vma, unsigned long address,
			     unsigned int gup_flags, int *locked)
{
	unsigned int fault_flags = 0;
	vm_fault_t ret;

	if (gup_flags & FOLL_WRITE)
		fault_flags |= FAULT_FLAG_WRITE;
	if (locked)
		fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;
	ret = handle_mm_fault(vma, address, fault_flags, NULL);
	if (ret & VM_FAULT_RETRY) {
		if (locked)
			*locked = 0;
		return -EBUSY;
	}
	if (ret & VM_FAULT_ERROR)
		return -EFAULT;
	return 0;
}

long demo_get_user_pages(struct mm_struct *mm, unsigned long start,
			 unsigned long nr_pages, unsigned int gup_flags,
			 struct page **pages, int *locked)
{
	struct vm_area_struct *vma = NULL;
	long ret = 0, i = 0;

	do {
		struct page *page;

		/* first iteration, or crossed the end of the current vma */
		if (!vma || start >= vma->vm_end) { /* want: vma-after-mmap-unlock */
			vma = find_extend_vma(mm, start);
			if (!vma)
				return i ? i : -EFAULT;
			if (is_vm_hugetlb_page(vma)) {
				/* may drop mmap_sem and clear *locked */
				i = follow_hugetlb_page(mm, vma, pages, NULL, &start,
							&nr_pages, i, gup_flags, locked);
				continue;
			}
		}
		page = follow_page(vma, start, gup_flags);
		if (!page) {
			ret = demo_faultin_page(vma, start, gup_flags, locked);
			if (ret == -EBUSY)
				return i;	/* *locked is 0: mmap_sem is gone */
			if (ret)
				return i ? i : ret;
			continue;
		}
		if (pages)
			pages[i] = page;
		i++;
		start += PAGE_SIZE;
		nr_pages--;
	} while (nr_pages);
	return i;
}
