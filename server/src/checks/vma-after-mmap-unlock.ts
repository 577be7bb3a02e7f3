// vma-after-mmap-unlock
//
// Once a fault handler (or any function, where the lock is gone on every
// path) has dropped mmap_lock (maybe_unlock_mmap_for_io(),
// up_read(&mm->mmap_sem), lock_page_or_retry() failing) the vma can be
// unmapped and freed: vmf->vma, a vma variable, and everything reached
// through them (vm_file, vm_mm, vm_flags, vm_ops) are off limits. Use the file
// pinned by maybe_unlock_mmap_for_io() (fpin) instead. This is the rule the
// btrfs patch of "drop the mmap_sem when doing IO in the fault path" (2018)
// was asked about. Error when dropped on every path, warning when it may be.
import type { VmaUseEvent } from '../flow/engine';
import { RELEASED } from '../flow/state';
import { PER_VMA_LOCK_NAMES } from '../kernel/api';
import { Check, CheckContext, noteAt } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'vma-after-mmap-unlock',
  severity: 'error',
  scope: 'function',
  tables: ['rows', 'perVmaLockNames'],
  doc: {
    short: 'A fault handler uses the vma (vmf->vma, vm_file, vm_flags, ...) where mmap_lock may already be dropped',
    full: `In a fault handler, \`vmf->vma\`, a vma variable, or anything reached through
them (\`vm_file\`, \`vm_mm\`, \`vm_flags\`, \`vm_ops\`) used where mmap_lock may
already be dropped (\`maybe_unlock_mmap_for_io()\`, \`up_read(&mm->mmap_sem)\`,
\`lock_page_or_retry()\` failing, a callee that drops it and says so in its
result): the vma can be freed. Error when dropped on every path, warning when
it may be ("dropped if 'fpin' is non-NULL"). Use the pinned file.`,
    example: {
      finds: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct file *fpin;

	fpin = maybe_unlock_mmap_for_io(vmf, NULL);
	if (fpin) {
		do_readahead(vmf->vma->vm_file);
		fput(fpin);
		return VM_FAULT_RETRY;
	}
	return 0;
}
`,
      fixed: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct file *fpin;

	fpin = maybe_unlock_mmap_for_io(vmf, NULL);
	if (fpin) {
		do_readahead(fpin);
		fput(fpin);
		return VM_FAULT_RETRY;
	}
	return 0;
}
`,
    },
  },
};

export const vmaAfterMmapUnlock: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    let perVma: boolean | undefined;
    for (const e of ctx.flow.events) {
      if (e.kind !== 'vma-use') continue;
      const dropped = [...e.state.locks.values()].filter((f) => f.cls === 'mmap_lock' && f.paths & RELEASED);
      if (!dropped.length) continue;
      const f = dropped.find((x) => x.paths === RELEASED) ?? dropped[0];
      const must = f.paths === RELEASED;
      // Outside a fault handler (arch page-fault handlers and their bad-area helpers, GUP,
      // khugepaged): only where the lock is gone on every path, and not the pointer tested
      // or handed back as a value (`if (!vma)`, `return vma`); a lookup after the lock is
      // taken again is a fresh vma (lock_mm_and_find_vma()), which the flow sees as held.
      if (!ctx.isFaultHandler) {
        if (!must || e.fresh || (perVma ??= perVmaLocks(ctx))) continue;
        // a vma the caller handed in (an arch bad_area() helper) or one looked up here (kvm's
        // user_mem_abort()), not one the function made or took from elsewhere (exec's bprm->vma)
        const root = /^[A-Za-z_]\w*/.exec(e.text)?.[0] ?? '';
        const param = ctx.flow.fn.params.some((p) => p.name === root && /vm_area_struct\s*\*?$/.test(p.type.trim()) && !/\*\s*\*/.test(p.type));
        if (!param && !e.lookedUp) continue;
        const kind = ctx.flow.cfg.nodes[e.node]?.kind;
        if (!/->|\./.test(e.text) && (kind === 'cond' || kind === 'return')) continue;
      }
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
          noteAt(
            ctx, e.start, e.end,
            ctx.isFaultHandler
              ? 'fix: take what is needed from the vma before dropping the lock, and use the file pinned by maybe_unlock_mmap_for_io() (fpin) afterwards'
              : 'fix: take what is needed from the vma before dropping the lock, or take the lock again and look the vma up afresh (find_vma()) before using it',
          ),
        ],
      });
    }
  },
};

/** The function works under the per-VMA lock regime, where the vma's own lock protects it. */
function perVmaLocks(ctx: CheckContext): boolean {
  const body = ctx.src.slice(ctx.flow.fn.body.startIndex, ctx.flow.fn.body.endIndex);
  return PER_VMA_LOCK_NAMES.some((n) => new RegExp(`\\b${n}\\b`).test(body));
}

function useText(e: VmaUseEvent): string {
  return e.text.length > 60 ? e.text.slice(0, 57) + '...' : e.text;
}
