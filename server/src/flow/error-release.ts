// Value-partitioned releases: a callee that releases its argument when it
// returns an error (btrfs prepare_uptodate_page() unlocks the page on -EIO,
// nouveau_range_fault() drops mmap_lock on its failures) leaves the caller's
// lock released exactly on the paths where the result variable is nonzero.
// The join of "released, err != 0" and "held, err == 0" keeps that link in
// the lock fact (errTag) until the variable is tested or assigned again, so a
// second release on the error side is a double unlock at that call rather
// than "held on some paths" (smatch keeps return-value ranges per path for the
// same reason: check_locking.c's per-return states).
import { NONZERO, RELEASED, type FlowState, type LockFact } from './state';
import type { SyntaxNode } from '../syntax/tree';
import { isCollective } from './expr';

/** What the first, error-path release was: for the finding's note. */
export interface ErrorRelease {
  call: string;
  site: number;
  variable: string;
}

/**
 * Releasing `fact` again here may release it twice: it was released on the
 * paths where `errTag` is nonzero, nothing since told those paths apart (the
 * variable is not known zero here), and for an array's collective lock the
 * same element as written is released again.
 */
export function errorReleaseConflict(fact: LockFact | undefined, s: FlowState, expr: string): ErrorRelease | null {
  // (a helper given only the lock's owner is taken not to release it: nouveau's map helper gets svmm)
  if (!fact || !fact.errTag || !(fact.paths & RELEASED) || (fact.escaped && !fact.escapedOwner)) return null;
  if (fact.errSite === undefined || !fact.errCall) return null;
  if (s.flags.get(fact.errTag + NONZERO) === false) return null;
  if (isCollective(fact.key) && fact.errArg !== expr) return null;
  return { call: fact.errCall, site: fact.errSite, variable: fact.errTag };
}

/** The fact after `target = call(arg)` released it on the callee's error returns. */
export function tagErrorRelease(fact: LockFact, target: string | null, call: string, site: number, expr: string): LockFact {
  if (!target || !/^[A-Za-z_]\w*$/.test(target)) return fact;
  // the callee's summary says what became of the lock: it did not escape into it
  return { ...fact, errTag: target, errCall: call, errSite: site, errArg: expr, escaped: undefined, escapedOwner: undefined };
}

/**
 * `if (!err)` / `if (err == 0)` after the join: the error side's release is not
 * on this path (the lock is as the success side left it).
 */
export function narrowOnZero(s: FlowState, variable: string): FlowState {
  let out: Map<string, LockFact> | null = null;
  for (const [k, f] of s.locks) {
    if (f.errTag !== variable) continue;
    out = out ?? new Map(s.locks);
    const paths = f.paths & ~RELEASED;
    out.set(k, { ...f, paths: paths || f.paths, errTag: undefined });
  }
  return out ? { ...s, locks: out } : s;
}

/** The facts tagged by `variable` before `variable = ...` is evaluated. */
export function errTagged(s: FlowState, variable: string): Set<LockFact> {
  const out = new Set<LockFact>();
  for (const f of s.locks.values()) if (f.errTag === variable) out.add(f);
  return out;
}

/** `err = ...` again: the link between the old value and the release is gone (what this very assignment tagged stays). */
export function forgetErrTag(s: FlowState, old: Set<LockFact>): void {
  if (!old.size) return;
  for (const [k, f] of s.locks) if (old.has(f)) s.locks.set(k, { ...f, errTag: undefined });
}

/**
 * `ret = -EBUSY;` / `ret = 0;` with locks held: the variable's value fact, as a
 * test would set it, for the error returns lock-imbalance and the summaries read
 * (`return ret` after `ret = -EBUSY` on one branch).
 */
export function constantValueFact(s: FlowState, v: string, right: SyntaxNode | null, text: string): void {
  if (!right) return;
  const t = text.replace(/\s+/g, '');
  const nz = /^-(?:[A-Z][A-Z0-9_]*|[1-9]\d*)$/.test(t) ? true : t === '0' ? false : undefined;
  if (nz === undefined) return;
  s.flags = new Map(s.flags);
  s.flags.set(v + NONZERO, nz);
}
