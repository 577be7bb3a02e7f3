// The lock state before a statement, in the words of a kernel-doc Context:
// section: what hover shows and "show lock state" prints. Plain strings; the
// editor decides how to render them.
import type { KernelTable } from '../kernel/table';
import type { FunctionFlow } from './engine';
import { FAULT_ENTRY, HELD_BEFORE_HUNK } from './engine';
import { FlowState, HELD, RELEASED, atomicReasons, heldMust, isFlagKey } from './state';

const ATOMIC_WORDS: Record<string, string> = {
  spinlock: 'spinlock held',
  preempt: 'preemption disabled',
  irq: 'interrupts disabled',
  bh: 'bottom halves disabled',
  rcu: 'RCU read-side critical section',
};

/** Describes a state; `lineOf` turns an offset into the line shown to the user (1-based). */
export function describeState(s: FlowState, table: KernelTable, lineOf: (offset: number) => number): string[] {
  const out: string[] = [];
  const held: string[] = [];
  for (const f of s.locks.values()) {
    const words = f.cls === 'page' ? `page lock on '${f.expr}'` : f.cls === 'mmap_lock' ? 'mmap_lock' : `${table.classes.get(f.cls)?.words ?? 'lock'} '${f.expr}'`;
    const mode = f.cls === 'mmap_lock' || f.mode === 'read' ? (f.mode === 'read' ? '(r)' : f.mode === 'write' ? '(w)' : '') : '';
    if (f.cls === 'mmap_lock' && f.paths & RELEASED) {
      const at = (f.releaseSites ?? []).map((x) => `line ${lineOf(x)}`).join(', ');
      if (f.droppedIf && f.droppedIf.includes('&')) {
        const [v, flag] = f.droppedIf.split('&');
        out.push(`mmap_lock${mode}: dropped if '${v}' has ${flag}${at ? ` (${at})` : ''}`);
      } else if (f.droppedIf) out.push(`mmap_lock${mode}: dropped if '${f.droppedIf}' is non-NULL${at ? ` (${at})` : ''}`);
      else if (f.paths === RELEASED) out.push(`mmap_lock${mode}: dropped${at ? ` (${at})` : ''}; the vma may be gone`);
      else out.push(`mmap_lock${mode}: may have been dropped${at ? ` (${at})` : ''}`);
      continue;
    }
    if (!(f.paths & HELD)) continue;
    const where =
      f.via === FAULT_ENTRY
        ? 'held on entry to the fault handler'
        : f.via === HELD_BEFORE_HUNK
          ? 'held when the hunk starts (the hunk releases it)'
          : `taken at line ${f.sites.map(lineOf).join(', ')} by ${f.via}()`;
    held.push(`${words}${mode} ${heldMust(f) ? '' : '(some paths) '}${where}`.replace(/\s+/g, ' '));
  }
  if (held.length) out.unshift(...held.map((h) => `Locks held: ${h}`));
  else if (!out.length) out.push('Locks held: none known');
  const off = s.faultsOff;
  out.push(off.min > 0 ? 'Page faults: disabled' : off.max > 0 ? 'Page faults: disabled on some paths only' : 'Page faults: enabled');
  const atomic = atomicReasons(s);
  if (atomic.length) out.push(`Atomic context: ${atomic.map((a) => ATOMIC_WORDS[a.kind] + (a.must ? '' : ' (some paths)')).join(', ')}`);
  const flags = [...s.flags].filter(([k]) => isFlagKey(k));
  if (flags.length) out.push(`Fault flags: ${flags.map(([k, v]) => `${k} ${v ? 'set' : 'clear'}`).join(', ')}`);
  return out;
}

/** The state just before the innermost statement or condition covering `offset`, or null if unreachable. */
export function stateAt(flow: FunctionFlow, offset: number): FlowState | null {
  let best = -1;
  let bestLen = Infinity;
  for (const n of flow.cfg.nodes) {
    if (!n.ast) continue;
    if (n.ast.startIndex <= offset && offset < n.ast.endIndex && n.ast.endIndex - n.ast.startIndex < bestLen) {
      best = n.id;
      bestLen = n.ast.endIndex - n.ast.startIndex;
    }
  }
  if (best < 0) {
    // a line with no statement of its own: the next statement after it
    let next = -1;
    let nextStart = Infinity;
    for (const n of flow.cfg.nodes) {
      if (n.ast && n.ast.startIndex >= offset && n.ast.startIndex < nextStart) {
        next = n.id;
        nextStart = n.ast.startIndex;
      }
    }
    best = next;
  }
  return best >= 0 ? flow.states[best] : null;
}

export function offsetOfLine(text: string, line: number): number {
  let off = 0;
  for (let i = 0; i < line && off >= 0; i++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  // first non-blank character of the line
  while (off < text.length && (text[off] === ' ' || text[off] === '\t')) off++;
  return off;
}
