// fault-in-atomic
//
// A faulting user access under a spinlock, with preemption or interrupts off,
// or inside an RCU read-side section: the fault handler may sleep (mmap_lock,
// page lock, I/O), a sleep in atomic context. Under pagefault_disable() the
// access fails instead of faulting, so that is not reported here.
import { AtomicReason, atomicReasons } from '../flow/state';
import { Check, CheckContext, callText, chainNotes, faultSites, iterNote, noteAt } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'fault-in-atomic',
  severity: 'error',
  scope: 'function',
  tables: ['rows'],
  doc: {
    short: 'A user-memory access that can page-fault in atomic context (spinlock, preemption or interrupts off, RCU read side)',
    full: `A faulting access under a spinlock, with preemption, interrupts or bottom
halves off, or inside an RCU read-side section: the fault may sleep. Not
reported under \`pagefault_disable()\`, where the access fails instead.`,
    example: {
      finds: `static int demo_set(spinlock_t *lock, int *slot, int __user *p)
{
	int v = 0;

	spin_lock(lock);
	get_user(v, p);
	*slot = v;
	spin_unlock(lock);
	return v;
}
`,
      fixed: `static int demo_set(spinlock_t *lock, int *slot, int __user *p)
{
	int v = 0;

	get_user(v, p);
	spin_lock(lock);
	*slot = v;
	spin_unlock(lock);
	return v;
}
`,
    },
  },
};

const WORDS: Record<string, string> = {
  spinlock: 'a spinlock is held',
  preempt: 'preemption is disabled',
  irq: 'interrupts are disabled',
  bh: 'bottom halves are disabled',
  rcu: 'inside an RCU read-side critical section',
};

export const faultInAtomic: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    for (const { e, fc, enabled, released } of faultSites(ctx)) {
      // An atomic context entered by the same calls that disabled page faults
      // (kmap_atomic() does both) is atomic exactly where faults are off: the
      // access cannot fault there, whatever the join says about "some paths".
      const offSites = e.state.faultsOff.sites;
      // A callee that leaves the context before it faults (enables interrupts, drops
      // the one preemption count) does not fault in it: irqentry_exit_to_user_mode().
      const exits = e.summary?.mayFaultExits ?? [];
      const left = (r: AtomicReason): boolean =>
        r.kind !== 'spinlock' && r.key === undefined && exits.includes(r.kind) && (r.kind === 'irq' || e.state.atomic[r.kind].max <= 1);
      const reasons = atomicReasons(e.state).filter(
        (r) => !(r.kind === 'spinlock' && released.has(r.key ?? '')) && !(r.sites.length > 0 && r.sites.every((s) => offSites.includes(s))) && !left(r),
      );
      if (!reasons.length) continue;
      const r = reasons.find((x) => x.must) ?? reasons[0];
      const must = !fc.conditional && r.must && enabled === true;
      const why = r.kind === 'spinlock' ? `'${r.what}' (a spinlock) is held` : WORDS[r.kind];
      const notes = reasons.flatMap((x) =>
        x.sites.slice(0, 3).map((s) => noteAt(ctx, s, s, x.kind === 'spinlock' ? `'${x.what}' locked here` : `${WORDS[x.kind]} here`)),
      );
      notes.push(...chainNotes(e));
      notes.push(...iterNote(ctx, e, fc));
      notes.push(noteAt(ctx, e.start, e.end, `fault path: ${callText(e)} -> page fault -> mmap_lock(r) -> handle_mm_fault() may sleep`));
      ctx.report({
        rule: 'fault-in-atomic',
        severity: must ? 'error' : 'warning',
        start: e.start,
        end: e.end,
        message: `${callText(e)} may fault and sleep while ${why}${r.must ? '' : ' on some paths'}`,
        notes,
        facts: { call: e.name, fault: fc.kind, context: r.kind, ...(r.kind === 'spinlock' ? { lock: { expr: r.what, cls: 'spinlock' } } : {}), paths: r.must ? 'all' : 'some' },
      });
    }
  },
};
