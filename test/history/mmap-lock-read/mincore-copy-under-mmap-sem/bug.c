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

static long demo_mincore_vma(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, unsigned char __user *vec)
{
	long err = 0;
	unsigned long i, nr = (end - start) >> PAGE_SHIFT;
	unsigned long pgoff = ((start - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;

	for (i = 0; i < nr; i++) {
		unsigned char present = demo_page_resident(vma, pgoff + i);

		if (__put_user(present, vec + i)) {
			err = -EFAULT;
			break;
		}
	}
	return err;
}

long demo_sys_mincore(unsigned long start, size_t len, unsigned char __user *vec)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long end = start + PAGE_ALIGN(len);
	long err = -ENOMEM;

	down_read(&mm->mmap_sem);
	vma = find_vma(mm, start);
	while (vma && start < end) {
		unsigned long stop = vma->vm_end < end ? vma->vm_end : end;

		if (start < vma->vm_start)
			break;
		err = demo_mincore_vma(vma, start, stop, vec); /* want: fault-under-fault-path-lock */
		if (err)
			break;
		vec += (stop - start) >> PAGE_SHIFT;
		start = stop;
		vma = vma->vm_next;
	}
	up_read(&mm->mmap_sem);
	return err;
}
