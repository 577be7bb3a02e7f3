// Lock state in words, from its facts (findings/lock-state.ts): the lines of
// a kernel-doc Context: section for hover, and the same without the lines
// that say nothing for "show lock state". The only place that words it.
import type { KernelTable, LockClass } from '../kernel/table';
import type { DroppedMmapLock, HeldLock, LockStateFacts } from '../findings/lock-state';

const ATOMIC_WORDS: Record<string, string> = {
  spinlock: 'spinlock held',
  preempt: 'preemption disabled',
  irq: 'interrupts disabled',
  bh: 'bottom halves disabled',
  rcu: 'RCU read-side critical section',
};

function modeText(mode: 'read' | 'write' | undefined): string {
  return mode === 'read' ? '(r)' : mode === 'write' ? '(w)' : '';
}

/** The class in words before the lock's own spelling, unless the spelling already says it (`mapping->invalidate_lock`). */
function classWords(words: string | undefined, expr: string): string {
  if (!words) return 'lock ';
  const member = (e: string): string => e.replace(/^&/, '').split(/->|\./).pop() ?? e;
  return member(words) === member(expr) ? '' : `${words} `;
}

/** "page lock on 'page' taken at line 17 by lock_page()", without the "Locks held: " head. */
export function heldLockText(h: HeldLock, table: KernelTable): string {
  const cls = h.lock.cls ?? '';
  const words = cls === 'page' ? `page lock on '${h.lock.expr}'` : cls === 'mmap_lock' ? 'mmap_lock' : `${classWords(table.classes.get(cls as LockClass)?.words, h.lock.expr)}'${h.lock.expr}'`;
  const where =
    h.since.kind === 'fault-entry'
      ? 'held on entry to the fault handler'
      : h.since.kind === 'hunk-start'
        ? 'held when the hunk starts (the hunk releases it)'
        : `taken at line ${h.since.lines.join(', ')} by ${h.since.via}()`;
  return `${words}${modeText(h.mode)} ${h.paths === 'all' ? '' : '(some paths) '}${where}`.replace(/\s+/g, ' ');
}

/** "mmap_lock(r): dropped if 'fpin' is non-NULL (line 40)". */
export function droppedMmapLockText(d: DroppedMmapLock): string {
  const at = d.lines.map((l) => `line ${l}`).join(', ');
  const lines = at ? ` (${at})` : '';
  const mode = modeText(d.mode);
  switch (d.when.kind) {
    case 'flag':
      return `mmap_lock${mode}: dropped if '${d.when.variable}' has ${d.when.flag}${lines}`;
    case 'non-null':
      return `mmap_lock${mode}: dropped if '${d.when.variable}' is non-NULL${lines}`;
    case 'every-path':
      return `mmap_lock${mode}: dropped${lines}; the vma may be gone`;
    default:
      return `mmap_lock${mode}: may have been dropped${lines}`;
  }
}

function faultsText(s: LockStateFacts): string {
  return s.faults === 'disabled' ? 'Page faults: disabled' : s.faults === 'some-paths' ? 'Page faults: disabled on some paths only' : 'Page faults: enabled';
}

function contextLines(s: LockStateFacts): string[] {
  const out: string[] = [];
  if (s.atomic.length) out.push(`Atomic context: ${s.atomic.map((a) => ATOMIC_WORDS[a.kind] + (a.paths === 'all' ? '' : ' (some paths)')).join(', ')}`);
  if (s.flags.length) out.push(`Fault flags: ${s.flags.map((f) => `${f.flag} ${f.set ? 'set' : 'clear'}`).join(', ')}`);
  return out;
}

/** Hover: every lock held ("Locks held: none known" when nothing is), mmap_lock dropped, page faults, atomic context, fault flags. */
export function lockStateLines(s: LockStateFacts, table: KernelTable): string[] {
  const out = [...s.held.map((h) => `Locks held: ${heldLockText(h, table)}`), ...s.mmapDropped.map(droppedMmapLockText)];
  if (!out.length) out.push('Locks held: none known');
  return [...out, faultsText(s), ...contextLines(s)];
}

/** "Show lock state": the same, without the head "Locks held: " and without the lines that say nothing (no lock known, faults enabled). */
export function lockStateBrief(s: LockStateFacts, table: KernelTable): string[] {
  return [...s.held.map((h) => heldLockText(h, table)), ...s.mmapDropped.map(droppedMmapLockText), ...(s.faults === 'enabled' ? [] : [faultsText(s)]), ...contextLines(s)];
}
