// retry-contract
//
// The fault-retry contract (DOMAIN.md 4): a fault handler that returns after
// dropping mmap_lock must return VM_FAULT_RETRY (the caller must not unlock
// again); VM_FAULT_RETRY with the lock still held is only allowed under
// FAULT_FLAG_RETRY_NOWAIT; and dropping the lock by hand is allowed only when
// FAULT_FLAG_ALLOW_RETRY is set and FAULT_FLAG_RETRY_NOWAIT is not (what
// maybe_unlock_mmap_for_io() checks for its callers).
import type { ReturnEvent } from '../flow/engine';
import { HELD, RELEASED } from '../flow/state';
import { Check, CheckContext, noteAt } from './check';

import { FAULT_FLAGS, LOCK_RELEASED_RETURNS } from '../kernel/api';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'retry-contract',
  severity: 'error',
  scope: 'function',
  tables: ['faultFlags', 'lockReleasedReturns', 'faultHandlerMembers'],
  doc: {
    short: 'A fault handler breaks the VM_FAULT_RETRY contract: returns without it after dropping mmap_lock, returns it with the lock held, or drops the lock when the flags do not allow it',
    full: `In a fault handler: a return after mmap_lock was dropped without
\`VM_FAULT_RETRY\` (or \`VM_FAULT_COMPLETED\`, 5.19+); \`VM_FAULT_RETRY\` with the
lock still held outside \`FAULT_FLAG_RETRY_NOWAIT\`; a drop by hand where
\`FAULT_FLAG_ALLOW_RETRY\` is not known set (a failed killable wait and the
per-VMA-lock regime, \`FAULT_FLAG_VMA_LOCK\`, are the kernel's own exceptions).`,
    example: {
      finds: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct file *fpin = maybe_unlock_mmap_for_io(vmf, NULL);

	if (fpin) {
		fput(fpin);
		return VM_FAULT_SIGBUS;
	}
	return 0;
}
`,
      fixed: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct file *fpin = maybe_unlock_mmap_for_io(vmf, NULL);

	if (fpin) {
		fput(fpin);
		return VM_FAULT_RETRY;
	}
	return 0;
}
`,
    },
  },
};

const RETRY = FAULT_FLAGS.retry;

export const retryContract: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    if (!ctx.isFaultHandler) return;
    for (const e of ctx.flow.events) {
      if (e.kind === 'return') checkReturn(ctx, e);
      else if (e.kind === 'release' && e.cls === 'mmap_lock' && !e.row.checksRetryFlags) {
        const allow = e.state.flags.get(FAULT_FLAGS.allowRetry);
        const nowait = e.state.flags.get(FAULT_FLAGS.retryNowait);
        if (allow === true && nowait === false) continue;
        // the killable wait that failed: a fatal signal is pending and the fault will not be
        // retried (2.6.x-5.x lock_page_or_retry() drops mmap_lock there without ALLOW_RETRY)
        if (e.state.flags.get(FAULT_FLAGS.killable) === true) continue;
        // a fault run under the per-VMA lock (6.4+) gives it back and returns VM_FAULT_RETRY
        if (e.state.flags.get(FAULT_FLAGS.vmaLock) === true) continue;
        const why = allow !== true ? `${FAULT_FLAGS.allowRetry} is not known to be set` : `${FAULT_FLAGS.retryNowait} is not known to be clear`;
        ctx.report({
          rule: 'retry-contract',
          severity: 'warning',
          start: e.start,
          end: e.end,
          message: `${e.name}() drops mmap_lock in a fault handler where ${why}`,
          facts: { kind: 'dropped-without-retry', call: e.name, subject: allow !== true ? FAULT_FLAGS.allowRetry : FAULT_FLAGS.retryNowait },
          notes: [noteAt(ctx, e.start, e.end, 'a handler may drop mmap_lock only when the fault flags allow a retry (FAULT_FLAG_ALLOW_RETRY set, FAULT_FLAG_RETRY_NOWAIT clear), or after a killable wait failed; maybe_unlock_mmap_for_io() checks this itself')],
        });
      }
    }
  },
};

function checkReturn(ctx: CheckContext, r: ReturnEvent): void {
  const v = (r.value ?? '').replace(/\s+/g, ' ');
  const literal = /^[A-Z0-9_ |()]+$/.test(v) || /\bVM_FAULT_[A-Z]+\b/.test(v);
  for (const f of r.state.locks.values()) {
    if (f.cls !== 'mmap_lock' || !f.fromCaller) continue;
    // dropped: the caller's hold was let go on some path (a lock taken and released here is not it)
    const dropped = (f.paths & RELEASED) !== 0 && !!f.releasedCaller;
    const retry = v.includes(RETRY);
    const released = LOCK_RELEASED_RETURNS.some((t) => v.includes(t.token));
    if (dropped && !released && literal) {
      const must = f.paths === RELEASED;
      ctx.report({
        rule: 'retry-contract',
        severity: must ? 'error' : 'warning',
        start: r.start,
        end: r.end,
        message: `returns ${v || 'without a value'} after mmap_lock was dropped${must ? '' : ' on some paths'}: the caller still thinks it holds it`,
        facts: { kind: 'returns-after-drop', subject: v, paths: must ? 'all' : 'some' },
        notes: [
          ...(f.releaseSites ?? []).slice(0, 3).map((s) => noteAt(ctx, s, s, 'mmap_lock dropped here')),
          noteAt(ctx, r.start, r.end, 'fix: return VM_FAULT_RETRY once the lock is dropped, or take it again (mmap_read_lock()) before returning anything else'),
        ],
      });
    } else if (
      !dropped &&
      f.paths & HELD &&
      retry &&
      r.state.flags.get(FAULT_FLAGS.retryNowait) !== true &&
      // under the per-VMA lock (6.4+) the caller gives the lock back (vmf_anon_prepare())
      r.state.flags.get(FAULT_FLAGS.vmaLock) !== true
    ) {
      ctx.report({
        rule: 'retry-contract',
        severity: 'warning',
        start: r.start,
        end: r.end,
        message: `returns VM_FAULT_RETRY with mmap_lock still held, outside FAULT_FLAG_RETRY_NOWAIT: the caller will retry without it being dropped`,
        facts: { kind: 'retry-while-held' },
        notes: [noteAt(ctx, r.start, r.end, 'VM_FAULT_RETRY means the lock was released, except under FAULT_FLAG_RETRY_NOWAIT')],
      });
    }
  }
}
