// vma-after-mmap-unlock
//
// Once a fault handler has dropped mmap_lock (maybe_unlock_mmap_for_io(),
// up_read(&mm->mmap_sem), lock_page_or_retry() failing) the vma can be
// unmapped and freed: vmf->vma, a vma variable, and everything reached
// through them (vm_file, vm_mm, vm_flags, vm_ops) are off limits. Use the file
// pinned by maybe_unlock_mmap_for_io() (fpin) instead. This is the rule the
// btrfs patch of "drop the mmap_sem when doing IO in the fault path" (2018)
// was asked about. Error when dropped on every path, warning when it may be.
import type { VmaUseEvent } from '../flow/engine';
import { RELEASED } from '../flow/state';
import { Check, CheckContext, noteAt } from './check';

export const vmaAfterMmapUnlock: Check = {
  id: 'vma-after-mmap-unlock',
  run(ctx: CheckContext): void {
    // the contract is the fault handler's: elsewhere mmap_lock is dropped and retaken
    // around a fresh lookup (lock_mm_and_find_vma()), which this rule does not model
    if (!ctx.isFaultHandler) return;
    for (const e of ctx.flow.events) {
      if (e.kind !== 'vma-use') continue;
      const dropped = [...e.state.locks.values()].filter((f) => f.cls === 'mmap_lock' && f.paths & RELEASED);
      if (!dropped.length) continue;
      const f = dropped.find((x) => x.paths === RELEASED) ?? dropped[0];
      const must = f.paths === RELEASED;
      const when = must
        ? 'after mmap_lock was dropped'
        : f.droppedIf && f.droppedIf.includes('&')
          ? `where mmap_lock is dropped if '${f.droppedIf.split('&')[0]}' has ${f.droppedIf.split('&')[1]}`
          : f.droppedIf
            ? `where mmap_lock is dropped if '${f.droppedIf}' is non-NULL`
            : 'where mmap_lock may have been dropped';
      ctx.report({
        rule: 'vma-after-mmap-unlock',
        severity: must ? 'error' : 'warning',
        start: e.start,
        end: e.end,
        message: `'${useText(e)}' used ${when}: the vma can be freed once the lock is gone`,
        facts: { subject: useText(e), paths: must ? 'all' : 'some', ...(!must && f.droppedIf ? { other: f.droppedIf } : {}) },
        notes: [
          ...(f.releaseSites ?? []).slice(0, 3).map((s) => noteAt(ctx, s, s, 'mmap_lock dropped here')),
          noteAt(ctx, e.start, e.end, 'fix: take what is needed from the vma before dropping the lock, and use the file pinned by maybe_unlock_mmap_for_io() (fpin) afterwards'),
        ],
      });
    }
  },
};

function useText(e: VmaUseEvent): string {
  return e.text.length > 60 ? e.text.slice(0, 57) + '...' : e.text;
}
