/*
 * Linux 6.12 filemap_fault()'s out_retry: outside FAULT_FLAG_RETRY_NOWAIT the fault lock
 * is released because the only thing left is `return ret | VM_FAULT_RETRY` (the killable
 * folio wait saw a fatal signal). Twin of test/fixtures/retry-contract/release-for-retry.c.
 */
vm_fault_t killed_wait(struct vm_fault *vmf, struct folio *folio)
{
	vm_fault_t ret = 0;

	if (folio_trylock(folio)) {
		folio_unlock(folio);
		return 0;
	}
	folio_put(folio);
	if (!(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		release_fault_lock(vmf);
	return ret | VM_FAULT_RETRY;
}
