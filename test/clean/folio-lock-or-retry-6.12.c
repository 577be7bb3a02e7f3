/* kernel-version: 6.12 */
/*
 * Linux 6.12 mm/memory.c: folio_lock_or_retry(folio, vmf) returns vm_fault_t,
 * 0 with the folio locked, VM_FAULT_RETRY when the fault lock may have been
 * released (since fdc724d6aa44, 6.6). The same callers in their 6.12 shape.
 */

/* remove_device_exclusive_entry() */
vm_fault_t exclusive_612(struct vm_fault *vmf, struct folio *folio)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	if (!folio_try_get(folio))
		return 0;

	ret = folio_lock_or_retry(folio, vmf);
	if (ret) {
		folio_put(folio);
		return ret;
	}
	use_it(vma->vm_mm);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

/* do_swap_page() */
vm_fault_t swap_612(struct vm_fault *vmf, struct folio *folio)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = 0;

	ret |= folio_lock_or_retry(folio, vmf);
	if (ret & VM_FAULT_RETRY)
		goto out_release;
	use_it(vma->vm_mm);
	folio_unlock(folio);
	return ret;
out_release:
	folio_put(folio);
	return ret;
}
