/*
 * commit: 2f77d107050a
 * subject: Fix incorrect user space access locking in mincore()
 * date: 2006-12-16
 * family: mmap-lock-read
 *
 * mincore() walked the vmas of the caller with mmap_sem held for read and
 * stored each residency byte straight into the user vector with
 * __put_user(). A store that faults takes mmap_sem for read a second time
 * from the fault handler; rwsems are fair, so a writer (mmap, munmap) that
 * queued in between blocks the nested reader and the task deadlocks on
 * itself. The fix fills a kernel page with one chunk of results under
 * mmap_sem, drops the semaphore, then copies the chunk out with
 * copy_to_user(), looping chunk by chunk.
 */

static unsigned char demo_page_resident(struct vm_area_struct *vma, unsigned long pgoff)
{
	return page_is_cached(vma->vm_file, pgoff) ? 1 : 0;
}

/* fills at most 'pages' bytes of the kernel buffer; called under mmap_sem */
static long demo_do_mincore(struct mm_struct *mm, unsigned long addr,
			    unsigned long pages, unsigned char *buf)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	unsigned long i, nr, pgoff;

	if (!vma || addr < vma->vm_start)
		return -ENOMEM;
	nr = (vma->vm_end - addr) >> PAGE_SHIFT;
	if (nr > pages)
		nr = pages;
	pgoff = ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	for (i = 0; i < nr; i++)
		buf[i] = demo_page_resident(vma, pgoff + i);
	return nr;
}

long demo_sys_mincore(unsigned long start, size_t len, unsigned char __user *vec)
{
	struct mm_struct *mm = current->mm;
	unsigned long pages = PAGE_ALIGN(len) >> PAGE_SHIFT;
	unsigned char *tmp;
	long retval = 0;

	tmp = (void *)__get_free_page(GFP_USER);
	if (!tmp)
		return -EAGAIN;

	while (pages) {
		down_read(&mm->mmap_sem);
		retval = demo_do_mincore(mm, start, pages < PAGE_SIZE ? pages : PAGE_SIZE, tmp);
		up_read(&mm->mmap_sem);

		if (retval <= 0)
			break;
		if (copy_to_user(vec, tmp, retval)) {
			retval = -EFAULT;
			break;
		}
		pages -= retval;
		vec += retval;
		start += retval << PAGE_SHIFT;
		retval = 0;
	}
	free_page((unsigned long)tmp);
	return retval;
}
