/*
 * Twin of test/fixtures/vma-after-mmap-unlock/stale-after-retake.c: after the re-take the
 * vma is looked up again, through an out-parameter, by assignment, or compared with a fresh
 * lookup before use.
 */
void collapse(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	struct page *hpage;

	mmap_read_unlock(mm);
	hpage = alloc_huge(addr);
	if (!hpage)
		return;
	mmap_write_lock(mm);
	if (revalidate(mm, addr, &vma))
		goto out;
	install(vma->anon_vma, hpage);
out:
	mmap_write_unlock(mm);
}

void relookup(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	mmap_read_unlock(mm);
	wait_a_while();
	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		touch(vma->vm_start);
	mmap_read_unlock(mm);
}

void same_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	mmap_read_unlock(mm);
	wait_a_while();
	mmap_read_lock(mm);
	if (vma_lookup(mm, addr) != vma)
		goto out;
	touch(vma->vm_start);
out:
	mmap_read_unlock(mm);
}

/*
 * A vma taken from an iterator over an mm nobody else uses (Linux 6.12 exit_mmap()): the
 * rule covers vmas the caller handed in or looked up with find_vma() and friends only.
 */
void teardown(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	vma = vma_next(&vmi);
	if (!vma) {
		mmap_read_unlock(mm);
		return;
	}
	unmap_all(mm, vma);
	mmap_read_unlock(mm);
	mark_skip(mm);
	mmap_write_lock(mm);
	free_tables(mm, vma->vm_end);
	mmap_write_unlock(mm);
}
