// lock-imbalance
//
// A lock taken twice (self-deadlock for the page lock and every non-recursive
// lock), released when it was already released, or held on some return paths
// but not on others that return the same kind of value. Like smatch's
// "inconsistent returns", returns are grouped by value: a function that
// returns 0 with the page locked and -EAGAIN without it is a contract, not a bug.
import type { ReturnEvent } from '../flow/engine';
import { HELD, NONZERO, RELEASED, heldMust, type LockFact } from '../flow/state';
import { Check, CheckContext, noteAt } from './check';
import { memberContractReturns } from './member-contract';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'lock-imbalance',
  severity: 'error',
  scope: 'function',
  tables: ['rows', 'classes', 'lockTransferReturns'],
  doc: {
    short: 'A lock taken twice, released twice, or held on some returns and not on others that return the same value',
    full: `A lock taken while already held (self-deadlock for the page lock, mutexes and
spinlocks), released when already released, or held on some returns but not
on others that return the same value as written (returning 0 locked and
\`-EAGAIN\` unlocked is a contract, as smatch's "inconsistent returns" also
judges). A caller's lock released on some returns is left to the retry-contract
rules.

A lock taken here and still held at an error return (\`-EIO\`, \`ERR_PTR()\`,
\`NULL\` from a function returning a pointer, \`return err\` inside \`if (err)\`)
while another return releases it with its own unlock is a leak on the error
path (\`lock_page(p); if (!PageUptodate(p)) return -EIO;\`): error for the page
lock, mutexes and spinlocks, warning otherwise. Held on success and released
on error is the conditional-acquire contract and is summarised as one.

A callee that unlocks its argument when it returns an error (btrfs's
prepare-page helpers) leaves the caller's lock released where the result is
nonzero: unlocking it again on that path is a double unlock, with a note at
the callee's call. A function installed as \`.writepage\` must unlock the page
on every return but \`AOP_WRITEPAGE_ACTIVATE\`: a return that keeps it locked
while another unlocks it is an error.`,
    example: {
      finds: `static int demo_read(struct page *page)
{
	lock_page(page);
	if (!PageUptodate(page))
		return -EIO;
	unlock_page(page);
	return 0;
}
`,
      fixed: `static int demo_read(struct page *page)
{
	lock_page(page);
	if (!PageUptodate(page)) {
		unlock_page(page);
		return -EIO;
	}
	unlock_page(page);
	return 0;
}
`,
    },
  },
};

type Group = string;

export const lockImbalance: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    const words = (cls: string): string => ctx.table.classes.get(cls as never)?.words ?? 'the lock';
    for (const e of ctx.flow.events) {
      if (e.kind === 'double-acquire') {
        ctx.report({
          rule: 'lock-imbalance',
          severity: e.fact.cls === 'page' || e.fact.cls === 'spinlock' || e.fact.cls === 'mutex' ? 'error' : 'warning',
          start: e.start,
          end: e.end,
          message: `${e.name}() on '${e.fact.expr}' while it is already held: ${words(e.fact.cls)} is not recursive, this deadlocks`,
          notes: e.fact.sites.slice(0, 3).map((s) => noteAt(ctx, s, s, `first taken here by ${e.fact.via}()`)),
        });
      } else if (e.kind === 'double-release' && e.onError) {
        // the first release was a callee's, on its error returns, and its result was not told apart
        const first = e.onError;
        const line = ctx.lines.line(first.site) + 1;
        ctx.report({
          rule: 'lock-imbalance',
          severity: 'warning',
          start: e.start,
          end: e.end,
          message: `${e.name}() may release '${e.fact.expr}' twice: ${first.call}() at line ${line} already released it when it returned an error, and this call is reached with '${first.variable}' nonzero too`,
          notes: [noteAt(ctx, first.site, first.site, `${first.call}() releases it here when it returns an error`)],
        });
      } else if (e.kind === 'double-release') {
        ctx.report({
          rule: 'lock-imbalance',
          severity: 'warning',
          start: e.start,
          end: e.end,
          message: `${e.name}() on '${e.fact.expr}', which is already released on every path here`,
          notes: [],
        });
      }
    }
    memberContractReturns(ctx, rule.id);
    const returns = ctx.flow.events.filter((e): e is ReturnEvent => e.kind === 'return');
    if (returns.length < 1) return;
    const annotated = new Set(ctx.flow.fn.annotations.map((a) => a.arg.replace(/\s+/g, '').replace(/^&/, '')));
    const keys = new Set<string>();
    for (const r of returns) for (const k of r.state.locks.keys()) keys.add(k);
    const reported = new Set<string>();
    for (const key of keys) {
      if (annotated.has(key)) continue;
      const byGroup = new Map<Group, { held: ReturnEvent[]; free: ReturnEvent[]; mixed: ReturnEvent[] }>();
      let skip = false;
      for (const r of returns) {
        const f = r.state.locks.get(key);
        // A caller's lock dropped on some returns is a contract (madvise_willneed()
        // drops mmap_lock and tells the caller through *prev): the retry-contract
        // rules judge those, not this one.
        if (f && (f.scope !== undefined || f.atomic === 'rcu' || f.fromCaller)) {
          skip = true;
          break;
        }
        // returning the locked object hands the lock to the caller (find_lock_page wrappers)
        if (f && r.value && r.value.replace(/\s+/g, '') === key) continue;
        const g = groupOf(r.value, ctx);
        if (g === null) continue;
        const slot = byGroup.get(g) ?? { held: [], free: [], mixed: [] };
        byGroup.set(g, slot);
        // a return that never took the lock (UNTOUCHED) is a conditional-lock helper's
        // other outcome (btrfs_zoned_meta_io_lock()); only a return that released it disagrees
        if (!f || (f.paths & HELD) === 0) {
          if (f && f.paths & RELEASED) slot.free.push(r);
        }
        // handed to a function we have no row for: it may have been let go there
        else if (heldMust(f) && !f.escaped) slot.held.push(r);
        else slot.mixed.push(r);
      }
      if (skip) continue;
      for (const [g, slot] of byGroup) {
        if (g === 'transfer') continue;
        void slot.mixed;
        const sample = returns.map((r) => r.state.locks.get(key)).find((f) => f);
        if (!sample) continue;
        const what = `${sample.cls === 'page' ? 'the page lock' : words(sample.cls)} on '${sample.expr}'`;
        if (slot.held.length && slot.free.length) {
          const r = slot.held[0];
          if (reported.has(key + r.start)) continue;
          reported.add(key + r.start);
          ctx.report({
            rule: 'lock-imbalance',
            severity: 'warning',
            start: r.start,
            end: r.end,
            message: `returns with ${what} held, but another return with the same value releases it`,
            notes: [
              ...sample.sites.slice(0, 2).map((s) => noteAt(ctx, s, s, `taken here by ${sample.via}()`)),
              noteAt(ctx, slot.free[0].start, slot.free[0].end, 'returns without it here'),
            ],
          });
        }
        // A single return reached with the lock held on some paths only is
        // mostly correlated branches (`if (locked) unlock()`), which this
        // path-insensitive join cannot tell apart: not reported (TODO: #2 value tracking).
      }
      leakOnError(ctx, key, returns, reported, words);
    }
  },
};

/**
 * A lock this function took, still held at an error return (`return -EIO`,
 * `ERR_PTR()`, NULL from a function returning a pointer, `return err` where
 * `err` was just tested nonzero) while another return (0, a pointer, or the
 * common exit's `return ret`) released it by its own unlock: the error path forgot the unlock (`lock_page(p); if
 * (!PageUptodate(p)) return -EIO;`). Held on success and released on error is
 * the conditional-acquire contract, not this.
 */
function leakOnError(ctx: CheckContext, key: string, returns: ReturnEvent[], reported: Set<string>, words: (cls: string) => string): void {
  const pointer = /\*/.test(ctx.flow.fn.returnType);
  let leak: { r: ReturnEvent; f: LockFact } | null = null;
  let success: ReturnEvent | null = null;
  for (const r of returns) {
    const f = r.state.locks.get(key);
    // (a lock handed to a callee on the way is still ours where the success path
    // unlocks it itself: escaped is no reason to stay quiet here)
    if (f && (f.scope !== undefined || f.atomic === 'rcu' || f.fromCaller)) return;
    // filesystem inode and tree locks change owners in ways the flow does not see: an XFS ILOCK
    // joined to a transaction is released by its commit or cancel, and scrub's
    // sc->temp_ilock_flags records it for teardown (xrep_dir_replay_update(), 6.12)
    if (f && (f.cls === 'fs_inode_lock' || f.cls === 'fs_tree_lock')) return;
    const v = (r.value ?? '').replace(/\s+/g, '');
    // handed to the caller: returned, or stored through an out-parameter
    if (f && (v === key || r.returned === f || r.outs?.some(([, k]) => k === key))) return;
    const kind = returnKind(v, r, pointer);
    if (kind === 'error' && f && heldMust(f) && !leak) leak = { r, f };
    // any other return that let it go: 0, a pointer, or `return ret` after `out: unlock()`
    else if (kind !== 'error' && v && f && f.paths === RELEASED && !success) success = r;
  }
  if (!leak || !success) return;
  const { r, f } = leak;
  if (reported.has(key + r.start)) return;
  reported.add(key + r.start);
  const what = `${f.cls === 'page' ? 'the page lock' : words(f.cls)} on '${f.expr}'`;
  ctx.report({
    rule: 'lock-imbalance',
    severity: f.cls === 'page' || f.cls === 'spinlock' || f.cls === 'mutex' ? 'error' : 'warning',
    start: r.start,
    end: r.end,
    message: `error return with ${what} still held; another return releases it`,
    notes: [
      ...f.sites.slice(0, 2).map((s) => noteAt(ctx, s, s, `taken here by ${f.via}()`)),
      noteAt(ctx, success.start, success.end, 'released before this return'),
    ],
  });
}

function returnKind(v: string, r: ReturnEvent, pointer: boolean): 'error' | 'success' | null {
  if (!v) return null;
  if (/^-[A-Z][A-Z0-9_]*$|^-\d+$|^ERR_PTR\(|^ERR_CAST\(|^PTR_ERR\(/.test(v)) return 'error';
  if (v === 'NULL') return pointer ? 'error' : null;
  if (/^[A-Za-z_]\w*$/.test(v) && r.state.flags.get(v + NONZERO) === true && !pointer) return 'error';
  if (v === '0') return pointer ? null : 'success';
  if (pointer && /^[a-z_]\w*$/.test(v)) return 'success';
  return null;
}

/**
 * Returns are compared only with returns of the same value as written: `return 1`
 * with the folio locked and `return 0` without is lock_folio_maybe_drop_mmap()'s
 * contract, while two `return 0`s that disagree are a bug.
 */
function groupOf(value: string | null, ctx: CheckContext): Group | null {
  if (value === null) return 'void';
  const v = value.replace(/\s+/g, '');
  if (ctx.table.lockTransferReturns.some((t) => v.includes(t.token))) return 'transfer';
  // Only values that read the same on every path are compared: `return err` on two
  // paths may return two different things (smatch would need value ranges here).
  if (!/^(-?\d+[UL]*|-?[A-Z][A-Z0-9_]*|NULL|true|false|ERR_PTR\(-?[A-Z][A-Z0-9_]*\))$/.test(v)) return null;
  return 'value:' + v;
}
