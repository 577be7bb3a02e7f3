/*
 * Callees that release the caller's mmap_lock only when they return VM_FAULT_RETRY,
 * with callers that test for it first (Linux 6.12 ttm_bo_vm_fault(), do_fault() after
 * fc8efd2ddfed, khugepaged's RETRY_NOWAIT swap-in). Twin of
 * test/fixtures/vma-after-mmap-unlock/retry-callee.c.
 */

static vm_fault_t reserve_obj(struct gpu_obj *obj, struct vm_fault *vmf)
{
	if (!obj_trylock(obj)) {
		if (fault_flag_allow_retry_first(vmf->flags)) {
			if (!(vmf->flags & FAULT_FLAG_RETRY_NOWAIT)) {
				mmap_read_unlock(vmf->vma->vm_mm);
				obj_wait_idle(obj);
			}
			return VM_FAULT_RETRY;
		}
		return VM_FAULT_NOPAGE;
	}
	return 0;
}

/* any nonzero result returned first, as ttm_bo_vm_fault() does */
vm_fault_t obj_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct gpu_obj *obj = vma->vm_private_data;
	vm_fault_t ret;

	ret = reserve_obj(obj, vmf);
	if (ret)
		return ret;
	insert_range(obj, vma->vm_start);
	obj_unlock(obj);
	return 0;
}

/* the mask names VM_FAULT_RETRY (do_read_fault()) */
vm_fault_t read_fault_mask(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	ret = vma->vm_ops->fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	account_fault(vma->vm_mm);
	return ret;
}

/* RETRY_NOWAIT: VM_FAULT_RETRY comes back with mmap_lock held */
bool swapin_nowait(struct vm_area_struct *vma, unsigned long addr)
{
	vm_fault_t ret;

	ret = handle_mm_fault(vma, addr, FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT, NULL);
	if (vma->vm_flags & VM_LOCKED)
		note_locked(addr);
	return !(ret & VM_FAULT_ERROR);
}

/* outside a fault handler: tested before the vma is touched */
int fault_and_peek(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;

	vma = find_vma(mm, addr);
	if (!vma)
		return -EFAULT;
	ret = handle_mm_fault(vma, addr, FAULT_FLAG_ALLOW_RETRY, NULL);
	if (ret & VM_FAULT_RETRY)
		return -EAGAIN;
	if (vma->vm_flags & VM_LOCKED)
		note_locked(addr);
	return 0;
}
