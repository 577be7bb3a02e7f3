/*
 * commit: fc8efd2ddfed
 * subject: mm/memory.c: do_fault: avoid usage of stale vm_area_struct
 * date: 2019-03-03
 * link: <5b3fdf19e2a5be460a384b936f5b56e13733f1b8.1551595137.git.jstancek@redhat.com>
 * family: vma-after-unlock
 *
 * do_fault() dispatches to the read, COW or shared fault path, all of
 * which call the file's ->fault. A ->fault such as filemap_fault() may
 * drop mmap_sem to wait for I/O and return VM_FAULT_RETRY. Afterwards
 * do_fault() freed the unused preallocated page table with
 * pte_free(vma->vm_mm, ...): with the lock gone a concurrent munmap may
 * already have freed the vma, and the read of vma->vm_mm hit freed
 * memory (LTP mtest06 crashed with it). The fix reads vm_mm into a local
 * while the lock is still known to be held, at the top of do_fault().
 */

static vm_fault_t demo_do_read_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	ret = vmf->vma->vm_ops->fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret |= finish_fault(vmf);
	unlock_page(vmf->page);
	return ret;
}

static vm_fault_t demo_do_shared_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	ret = vmf->vma->vm_ops->fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret |= finish_fault(vmf);
	unlock_page(vmf->page);
	return ret;
}

vm_fault_t demo_do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *vm_mm = vma->vm_mm;
	vm_fault_t ret;

	if (!vma->vm_ops->fault)
		ret = VM_FAULT_SIGBUS;
	else if (!(vmf->flags & FAULT_FLAG_WRITE))
		ret = demo_do_read_fault(vmf);
	else
		ret = demo_do_shared_fault(vmf);

	/* the preallocated page table was not used: free it */
	if (vmf->prealloc_pte) {
		pte_free(vm_mm, vmf->prealloc_pte);
		vmf->prealloc_pte = NULL;
	}
	return ret;
}
