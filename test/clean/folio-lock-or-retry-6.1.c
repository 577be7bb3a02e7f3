/* kernel-version: 6.1 */
/*
 * Linux 6.1 mm/memory.c: folio_lock_or_retry(folio, mm, flags) returns bool,
 * true with the folio locked; on false mmap_lock may have been dropped
 * (19672a9e4a75 .. fdc724d6aa44, 6.1-6.5). Both callers keep the contract:
 * the vma is used and the folio unlocked only on the locked branch.
 */

/* remove_device_exclusive_entry() */
vm_fault_t exclusive_61(struct vm_fault *vmf, struct folio *folio)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!folio_try_get(folio))
		return 0;

	if (!folio_lock_or_retry(folio, vma->vm_mm, vmf->flags)) {
		folio_put(folio);
		return VM_FAULT_RETRY;
	}
	use_it(vma->vm_mm);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

/* do_swap_page(): the result kept in a local, tested with ! */
vm_fault_t swap_61(struct vm_fault *vmf, struct folio *folio)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = 0;
	int locked;

	locked = folio_lock_or_retry(folio, vma->vm_mm, vmf->flags);

	if (!locked) {
		ret |= VM_FAULT_RETRY;
		goto out_release;
	}
	use_it(vma->vm_mm);
	folio_unlock(folio);
	return ret;
out_release:
	folio_put(folio);
	return ret;
}
