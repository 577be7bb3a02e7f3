// The lock state before a statement as plain data: what hover, "show lock
// state" and patch-line hover say, for render/lock-state.ts to word (one
// wording, read by every edge; nothing takes the text apart again).
// Built here from the flow state (the flow keeps lattice values; this is what an edge reads).
import { FAULT_ENTRY, HELD_BEFORE_HUNK } from '../flow/engine';
import { FlowState, HELD, RELEASED, atomicReasons, heldMust, isFlagKey } from '../flow/state';
import type { LockRef } from './finding';

/** A lock held on some or every path, and since when. */
export interface HeldLock {
  lock: LockRef;
  /** Read or write, where it matters (mmap_lock, rwsems taken for read). */
  mode?: 'read' | 'write';
  paths: 'all' | 'some';
  /** Held on entry to a fault handler, when a hunk starts (patch review), or taken at these lines by `via()`. */
  since: { kind: 'fault-entry' } | { kind: 'hunk-start' } | { kind: 'taken'; lines: number[]; via: string };
}

/** mmap_lock dropped on some or every path: where, and under which condition. */
export interface DroppedMmapLock {
  mode?: 'read' | 'write';
  lines: number[];
  /** Dropped if a variable has a flag, if it is non-NULL, on every path, or maybe. */
  when: { kind: 'flag'; variable: string; flag: string } | { kind: 'non-null'; variable: string } | { kind: 'every-path' } | { kind: 'some-paths' };
}

export interface LockStateFacts {
  held: HeldLock[];
  mmapDropped: DroppedMmapLock[];
  faults: 'enabled' | 'disabled' | 'some-paths';
  atomic: { kind: 'spinlock' | 'preempt' | 'irq' | 'bh' | 'rcu'; paths: 'all' | 'some' }[];
  /** Fault flags known set (true) or clear (false). */
  flags: { flag: string; set: boolean }[];
}

/** The facts of a state; `lineOf` turns an offset into the line shown to the user (1-based). */
export function lockStateFacts(s: FlowState, lineOf: (offset: number) => number): LockStateFacts {
  const held: HeldLock[] = [];
  const mmapDropped: DroppedMmapLock[] = [];
  for (const f of s.locks.values()) {
    const mode = f.cls === 'mmap_lock' || f.mode === 'read' ? (f.mode === 'read' ? 'read' : f.mode === 'write' ? 'write' : undefined) : undefined;
    if (f.cls === 'mmap_lock' && f.paths & RELEASED) {
      const lines = (f.releaseSites ?? []).map(lineOf);
      // droppedIf is 'variable&FLAG' or 'variable' (flow/state.ts)
      const [variable, flag] = (f.droppedIf ?? '').split('&');
      const when: DroppedMmapLock['when'] =
        f.droppedIf && f.droppedIf.includes('&')
          ? { kind: 'flag', variable, flag }
          : f.droppedIf
            ? { kind: 'non-null', variable: f.droppedIf }
            : f.paths === RELEASED
              ? { kind: 'every-path' }
              : { kind: 'some-paths' };
      mmapDropped.push({ ...(mode ? { mode } : {}), lines, when });
      continue;
    }
    if (!(f.paths & HELD)) continue;
    const since: HeldLock['since'] =
      f.via === FAULT_ENTRY ? { kind: 'fault-entry' } : f.via === HELD_BEFORE_HUNK ? { kind: 'hunk-start' } : { kind: 'taken', lines: f.sites.map(lineOf), via: f.via };
    held.push({ lock: { expr: f.expr, cls: f.cls }, ...(mode ? { mode } : {}), paths: heldMust(f) ? 'all' : 'some', since });
  }
  const off = s.faultsOff;
  return {
    held,
    mmapDropped,
    faults: off.min > 0 ? 'disabled' : off.max > 0 ? 'some-paths' : 'enabled',
    atomic: atomicReasons(s).map((a) => ({ kind: a.kind, paths: a.must ? 'all' : 'some' })),
    // the fault and result flags, not the value facts the flow keeps beside them (`err&!0`)
    flags: [...s.flags].filter(([flag]) => isFlagKey(flag)).map(([flag, set]) => ({ flag, set })),
  };
}
