// lock-imbalance, member contracts: a function installed in an ops slot whose
// contract hands it the caller's page lock to release on every return
// (`.writepage`; the table says which slots are checked so) must do so.
// One return that unlocks the page and another that leaves it untouched is the
// fuse_writepage() bug fixed by d5880c7a8620 ("fuse: fix missing unlock_page
// in fuse_writepage()"): the page stays locked forever. A return value the
// contract lets keep the lock (AOP_WRITEPAGE_ACTIVATE) is exempt.
import type { Cfg } from '../cfg/cfg';
import type { ReturnEvent } from '../flow/engine';
import { RELEASED } from '../flow/state';
import { MEMBER_CONTRACTS, PAGE_LOCK_NEUTRAL } from '../kernel/api';
import { CheckContext, noteAt } from './check';

export function memberContractReturns(ctx: CheckContext, ruleId: string): void {
  const fn = ctx.flow.fn;
  if (!ctx.flow.converged) return;
  for (const c of MEMBER_CONTRACTS) {
    if (c.effect !== 'release' || !c.everyReturn || !ctx.installedAs.includes(c.member)) continue;
    const idx = c.arg < 0 ? fn.params.length + c.arg : c.arg;
    const key = fn.params[idx]?.name;
    if (!key) continue;
    // handed on the way to a callee that may unlock it later or deeper than its summary shows
    // (a bio submitted, its completion unlocks): no claim
    const handed = ctx.flow.events
      .filter((e) => e.kind === 'call' && !e.rows.length && !PAGE_LOCK_NEUTRAL.includes(e.name) && e.args.some((a) => a === key || a === '&' + key || a === '&' + key + '->page'))
      .map((e) => e.node);
    const returns = ctx.flow.events.filter((e): e is ReturnEvent => e.kind === 'return');
    const released = returns.find((r) => r.state.locks.get(key)?.paths === RELEASED);
    if (!released) continue;
    const kept = returns.find((r) => {
      if (c.keeps && (r.value ?? '').includes(c.keeps)) return false;
      if (handed.some((n) => reaches(ctx.flow.cfg, n, r.node))) return false;
      const f = r.state.locks.get(key);
      return !f || (!(f.paths & RELEASED) && !f.escaped);
    });
    if (!kept) continue;
    ctx.report({
      rule: ruleId,
      severity: 'error',
      start: kept.start,
      end: kept.end,
      message: `returns with the page lock on '${key}' still held: ->${c.member}() must unlock the page on every return`,
      notes: [noteAt(ctx, released.start, released.end, 'this return has unlocked it')],
    });
  }
}

/** Node `to` is reachable from node `from` (or is it). */
function reaches(cfg: Cfg, from: number, to: number): boolean {
  const seen = new Set<number>([from]);
  const work = [from];
  while (work.length) {
    const n = work.pop() as number;
    if (n === to) return true;
    for (const e of cfg.nodes[n].succ) {
      if (!seen.has(e.to)) {
        seen.add(e.to);
        work.push(e.to);
      }
    }
  }
  return false;
}
