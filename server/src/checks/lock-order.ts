// lock-order
//
// A lock-order graph over everything one run sees (a tree, a workspace, a
// series): an edge A -> B for every B taken while A is held, in a function or
// through a callee's summary. Reported: an explicit edge against the order
// documented at the top of mm/rmap.c (kept as data with its source), and ABBA
// pairs (A -> B in one place, B -> A in another), each with both sites. The
// implicit edges of faulting accesses are drawn (--graph) but their
// inversions are the fault rules' to report.
//
// Severity is info: on Linux 6.12 mm/ and fs/ the single chain of mm/rmap.c
// cannot tell its documented exceptions apart (hugetlbfs takes the folio lock
// under i_mmap_rwsem; memory_failure() takes anon_vma and i_mmap_rwsem
// together), and struct-member identity cannot tell tree-ordered instances
// (parent before child) or flag-selected locks (xfs_ilock()) apart.
import type { Finding } from '../findings/finding';
import type { LockGraph, LockEdge } from '../flow/lockgraph';
import { RMAP_LOCK_ORDER } from '../kernel/api';
import type { Check } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'lock-order',
  severity: 'info',
  scope: 'run',
  tables: ['classes', 'rmapLockOrder'],
  doc: {
    short: 'Two locks taken in both orders in the run (ABBA), or against the order documented at the top of mm/rmap.c',
    full: `Info: the run's lock-order graph (nested acquisitions, lock classes callees
take, and the implicit mmap_lock -> invalidate_lock -> page lock chain of a
faulting access) checked against the order at the top of \`mm/rmap.c\` and for
ABBA pairs, both sites named. Info, not warning, until the documented
exceptions of that order are modelled. \`--graph out.dot|out.svg\` writes the
graph.`,
    example: {
      finds: `struct alpha { struct mutex lock; };
struct beta { struct mutex lock; };

static void alpha_then_beta(struct alpha *a, struct beta *b)
{
	mutex_lock(&a->lock);
	mutex_lock(&b->lock);
	mutex_unlock(&b->lock);
	mutex_unlock(&a->lock);
}

static void beta_then_alpha(struct alpha *a, struct beta *b)
{
	mutex_lock(&b->lock);
	mutex_lock(&a->lock);
	mutex_unlock(&a->lock);
	mutex_unlock(&b->lock);
}
`,
      fixed: `struct alpha { struct mutex lock; };
struct beta { struct mutex lock; };

static void alpha_then_beta(struct alpha *a, struct beta *b)
{
	mutex_lock(&a->lock);
	mutex_lock(&b->lock);
	mutex_unlock(&b->lock);
	mutex_unlock(&a->lock);
}

static void beta_after_alpha(struct alpha *a, struct beta *b)
{
	mutex_lock(&a->lock);
	mutex_lock(&b->lock);
	mutex_unlock(&b->lock);
	mutex_unlock(&a->lock);
}
`,
    },
  },
};

/** Per function there is nothing to do: the rule reads the whole run's graph (lockOrderFindings). */
export const lockOrder: Check = { ...rule, run: () => undefined, graph: lockOrderFindings };

// a Map, not an object literal: C globals named __proto__ or constructor must not find Object.prototype's
const RANK = new Map<string, number>([
  ['i_rwsem', 0],
  ['mmap_lock', 1],
  ['invalidate_lock', 2],
  ['page lock', 3],
  ['i_mmap_rwsem', 6],
  ['anon_vma->rwsem', 7],
]);

function at(e: LockEdge): { file: string; range: Finding['range'] } {
  const s = e.sites[0];
  const pos = { line: s.line, character: 0 };
  return { file: s.file, range: { start: pos, end: pos } };
}

export function lockOrderFindings(g: LockGraph): { findings: Finding[]; cycleEdges: Set<string> } {
  const findings: Finding[] = [];
  const cycleEdges = new Set<string>();
  const explicit = [...g.edges.values()].filter((e) => !e.implicit);
  const byPair = new Map<string, LockEdge>();
  // ABBA pairs only from nested acquisitions seen in one function body each
  for (const e of explicit) if (!e.viaCallee) byPair.set(`${e.from}\u0000${e.to}`, e);
  for (const e of explicit) {
    const rf = RANK.get(e.from);
    const rt = RANK.get(e.to);
    if (rf !== undefined && rt !== undefined && rf > rt) {
      const s = e.sites[0];
      findings.push({
        rule: 'lock-order',
        severity: 'info',
        ...at(e),
        message: `${e.to} taken while ${e.from} is held, against the documented order (${e.to} before ${e.from})`,
        facts: { kind: 'documented-order', lock: { expr: e.to }, held: { expr: e.from } },
        function: s.fn,
        notes: [
          { file: s.file, range: at(e).range, message: `documented in ${RMAP_LOCK_ORDER.source}: ${RMAP_LOCK_ORDER.entries.map((x) => x.lock).slice(0, 4).join(' > ')} > ...` },
          ...e.sites.slice(1, 4).map((x) => ({ file: x.file, range: { start: { line: x.line, character: 0 }, end: { line: x.line, character: 0 } }, message: `also in ${x.fn}()` })),
        ],
        fixes: [],
      });
      cycleEdges.add(`${e.from}\u0000${e.to}`);
    }
    // a documented pair is judged by the order above: the side that keeps it is not blamed
    const back = (rf !== undefined && rt !== undefined) || e.viaCallee ? undefined : byPair.get(`${e.to}\u0000${e.from}`);
    if (back && e.from < e.to) {
      const s = e.sites[0];
      const b = back.sites[0];
      findings.push({
        rule: 'lock-order',
        severity: 'info',
        ...at(e),
        message: `'${e.to}' taken while '${e.from}' is held, and '${e.from}' while '${e.to}' is held in ${b.fn}(): ABBA deadlock`,
        facts: { kind: 'abba', lock: { expr: e.to }, held: { expr: e.from }, fn: b.fn },
        function: s.fn,
        notes: [{ file: b.file, range: { start: { line: b.line, character: 0 }, end: { line: b.line, character: 0 } }, message: `${b.fn}() takes '${e.from}' while holding '${e.to}' here` }],
        fixes: [],
      });
      cycleEdges.add(`${e.from}\u0000${e.to}`);
      cycleEdges.add(`${e.to}\u0000${e.from}`);
    }
  }
  return { findings, cycleEdges };
}
