/*
 * commit: 90ed52ebe481
 * subject: [PATCH] holepunch: fix mmap_sem i_mutex deadlock
 * date: 2007-01 (2.6.20-rc; approximate)
 * family: lock-order
 *
 * madvise() takes mmap_sem for write and walks the vmas; MADV_REMOVE then
 * punched the hole with vmtruncate_range(), which takes the inode's
 * i_mutex (and i_alloc_sem). The documented order is i_mutex outside
 * mmap_sem: write() holds i_mutex and faults on its user buffer, which
 * takes mmap_sem, so the two tasks deadlock ABBA. The fix drops mmap_sem
 * around vmtruncate_range() (MADV_REMOVE neither splits nor merges vmas)
 * and tells the caller so by clearing *prev, so that sys_madvise() looks
 * the vma up again after retaking the semaphore.
 */

static int demo_vmtruncate_range(struct inode *inode, loff_t start, loff_t end)
{
	struct address_space *mapping = inode->i_mapping;

	mutex_lock(&inode->i_mutex);
	down_write(&inode->i_alloc_sem);
	unmap_mapping_range(mapping, start, end - start, 1);
	truncate_inode_pages_range(mapping, start, end - 1);
	inode->i_op->truncate_range(inode, start, end);
	up_write(&inode->i_alloc_sem);
	mutex_unlock(&inode->i_mutex);
	return 0;
}

static long demo_madvise_remove(struct vm_area_struct *vma, struct vm_area_struct **prev,
				unsigned long start, unsigned long end)
{
	struct address_space *mapping;
	loff_t offset, endoff;

	*prev = vma;
	if (!vma->vm_file || !vma->vm_file->f_mapping)
		return -EINVAL;
	mapping = vma->vm_file->f_mapping;
	offset = (loff_t)(start - vma->vm_start) + ((loff_t)vma->vm_pgoff << PAGE_SHIFT);
	endoff = (loff_t)(end - vma->vm_start - 1) + ((loff_t)vma->vm_pgoff << PAGE_SHIFT);
	return demo_vmtruncate_range(mapping->host, offset, endoff);
}

long demo_sys_madvise_remove(unsigned long start, unsigned long end)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma, *prev;
	long error = -ENOMEM;

	down_write(&mm->mmap_sem);
	vma = find_vma_prev(mm, start, &prev);
	while (vma && start < end) {
		unsigned long tmp = vma->vm_end < end ? vma->vm_end : end;

		if (start < vma->vm_start)
			break;
		error = demo_madvise_remove(vma, &prev, start, tmp); /* want: lock-order */
		if (error)
			break;
		start = tmp;
		vma = prev->vm_next;
	}
	up_write(&mm->mmap_sem);
	return error;
}
