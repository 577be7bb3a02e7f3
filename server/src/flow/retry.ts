// The fault-retry contract as the flow sees it (DOMAIN.md 4): which returns of
// a function say that the caller's mmap_lock was released (VM_FAULT_RETRY),
// and what a return value carries on the paths that dropped the lock and
// took it again. Summaries and the retry-contract check read these; the
// engine records the facts (LockFact.retaken, .lostRetry).
import type { Cfg } from '../cfg/cfg';
import type { ReturnEvent } from './types';
import { HELD, RELEASED } from './state';
import { FAULT_FLAGS, LOCK_RELEASED_RETURNS } from '../kernel/api';

const RETRY = FAULT_FLAGS.retry;

/** A return value made of flag constants only (`VM_FAULT_RETRY`, `VM_FAULT_SIGBUS | VM_FAULT_MAJOR`). */
export function isFlagLiteral(value: string | null): boolean {
  const v = (value ?? '').replace(/\s+/g, ' ').trim();
  return v !== '' && /^[A-Z0-9_ |()]+$/.test(v);
}

/** The value names a code that tells the caller the lock is gone (VM_FAULT_RETRY, VM_FAULT_COMPLETED). */
export function saysReleased(value: string | null): boolean {
  const v = value ?? '';
  return LOCK_RELEASED_RETURNS.some((t) => new RegExp(`\\b${t.token}\\b`).test(v));
}

/**
 * The caller's lock is released only on returns of VM_FAULT_RETRY, as a flag
 * literal or a variable whose flag the drop is tied to (`ret&VM_FAULT_RETRY`),
 * and held on every other return. A VM_FAULT_RETRY with the lock still held
 * (FAULT_FLAG_RETRY_NOWAIT) fits as well: the caller's own test of the flag
 * decides. ttm_bo_vm_reserve() and ttm_bo_vm_fault_idle() (Linux 6.12
 * drivers/gpu/drm/ttm/ttm_bo_vm.c) drop mmap_lock and `return VM_FAULT_RETRY;`.
 */
export function releasedOnRetryOnly(returns: ReturnEvent[], key: string): boolean {
  let dropped = 0;
  for (const r of returns) {
    const f = r.state.locks.get(key);
    if (!f || f.paths === HELD) continue;
    const v = (r.value ?? '').trim();
    if (isFlagLiteral(v) && new RegExp(`\\b${RETRY}\\b`).test(v) && !/\bVM_FAULT_COMPLETED\b/.test(v)) {
      if (f.paths & RELEASED) dropped++;
      continue;
    }
    if (/^[A-Za-z_]\w*$/.test(v) && f.droppedIf === `${v}&${RETRY}` && !f.lostRetry) {
      dropped++;
      continue;
    }
    return false;
  }
  return dropped > 0;
}

/** Facts that tell apart the paths where the caller's mmap_lock was dropped and taken again. */
/**
 * Every return reachable from this CFG node returns a code that says the lock is gone
 * (`return ret | VM_FAULT_RETRY;`). A fault handler that drops mmap_lock on such a path is
 * keeping the promise of its return value: Linux 6.12 filemap_fault() ends with
 * `else if (!(vmf->flags & FAULT_FLAG_RETRY_NOWAIT)) release_fault_lock(vmf); return ret |
 * VM_FAULT_RETRY;` for the fatal signal seen by lock_folio_maybe_drop_mmap()'s killable wait.
 */
export function onlyRetryReturnsFrom(cfg: Cfg, from: number, src: string): boolean {
  const seen = new Set<number>([from]);
  const work = [from];
  let returns = 0;
  while (work.length) {
    const id = work.pop() as number;
    const n = cfg.nodes[id];
    if (n.kind === 'return' && id !== from) {
      const v = n.ast?.namedChild(0);
      if (!v || !saysReleased(src.slice(v.startIndex, v.endIndex))) return false;
      returns++;
      continue;
    }
    if (id === cfg.exit) return false; // falls off the end
    for (const e of n.succ) {
      if (seen.has(e.to)) continue;
      if (seen.size > 4096) return false;
      seen.add(e.to);
      work.push(e.to);
    }
  }
  return returns > 0;
}
