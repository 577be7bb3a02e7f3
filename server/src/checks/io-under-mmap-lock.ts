// io-under-mmap-lock (hint)
//
// Blocking I/O or a page-lock wait in a ->fault handler that still holds
// mmap_lock although its flags allow dropping it first: the priority
// inversion "drop the mmap_sem when doing IO in the fault path" (2018) fixes
// (a throttled reader stalls every writer of mmap_lock, and so every reader
// queued behind them). The fix is maybe_unlock_mmap_for_io() before the
// wait, then VM_FAULT_RETRY.
import { FAULT_ENTRY } from '../flow/engine';
import { HELD } from '../flow/state';
import { FAULT_FLAGS, FAULT_IO_WAITS } from '../kernel/api';
import { Check, CheckContext, callText, noteAt } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'io-under-mmap-lock',
  severity: 'hint',
  scope: 'function',
  tables: ['faultIoWaits', 'faultFlags', 'faultHandlerMembers'],
  doc: {
    short: 'Blocking I/O or a page wait in ->fault with mmap_lock held where the flags allow dropping it first',
    full: `Hint: blocking I/O or a page wait in \`->fault\` with mmap_lock held where the
fault flags may allow dropping it first with \`maybe_unlock_mmap_for_io()\`
(the priority inversion the 2018 series fixes).`,
    example: {
      finds: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	int error;

	error = page_cache_read(file, vmf->pgoff, vmf->gfp_mask);
	return error ? VM_FAULT_SIGBUS : VM_FAULT_MAJOR;
}
`,
      fixed: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct file *fpin;

	fpin = maybe_unlock_mmap_for_io(vmf, NULL);
	page_cache_read(file, vmf->pgoff, vmf->gfp_mask);
	if (fpin) {
		fput(fpin);
		return VM_FAULT_RETRY;
	}
	return VM_FAULT_MAJOR;
}
`,
    },
  },
};

export const ioUnderMmapLock: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    if (!ctx.isFaultHandler) return;
    // page-lock waits count only in a filesystem's ->fault (core mm helpers with the same
    // signature, and ->page_mkwrite, lock pages by design)
    const isFault = ctx.installedAs.includes('fault');
    for (const e of ctx.flow.events) {
      if (e.kind !== 'call') continue;
      const wait = FAULT_IO_WAITS.find((w) => w.name === e.name);
      if (!wait || (wait.pageWait && !isFault)) continue;
      // a callee that drops mmap_lock itself (do_sync_mmap_readahead() since 5.1)
      if (e.summary?.effects.some((x) => x.cls === 'mmap_lock' && x.effect !== 'acquire')) continue;
      const held = [...e.state.locks.values()].find((f) => f.cls === 'mmap_lock' && f.via === FAULT_ENTRY && f.paths === HELD);
      if (!held) continue;
      if (e.state.flags.get(FAULT_FLAGS.allowRetry) === false || e.state.flags.get(FAULT_FLAGS.retryNowait) === true) continue;
      ctx.report({
        rule: 'io-under-mmap-lock',
        severity: 'hint',
        start: e.start,
        end: e.end,
        message: `${callText(e)} ${wait.pageWait ? 'waits for the page lock' : 'waits for I/O'} with mmap_lock held, where the fault flags may allow dropping it first`,
        facts: { kind: wait.pageWait ? 'page-wait' : 'io-wait', call: e.name },
        notes: [noteAt(ctx, e.start, e.end, 'fpin = maybe_unlock_mmap_for_io() before the wait, and VM_FAULT_RETRY when it returned a file, keep mmap_lock writers from queueing behind this I/O')],
      });
    }
  },
};
