// lock-order
//
// A lock-order graph over everything one run sees (a tree, a workspace, a
// series): an edge A -> B for every B taken while A is held, in a function,
// through a callee's summary, or in a method the mm core calls with mmap_lock
// held (->mmap, vm_ops->close: mmap_lock -> every lock it takes). Reported: an
// explicit edge against the order documented at the top of mm/rmap.c (kept as
// data with its source), and ABBA pairs (A -> B in one place, B -> A in
// another), each with both sites and the call chain to each acquisition. The
// implicit edges of faulting accesses are drawn (--graph) but their inversions
// are the fault rules' to report.
//
// Severity: warning for ABBA pairs seen in the bodies of two functions (or one
// side through a callee against ->mmap / vm_ops->close's entry state: no other
// pair with a callee side is reported), and for inversions nested in one body
// that involve mmap_lock; info otherwise (both orders in one function, the
// page lock's inversions: see the notes at each).
// Over Linux 6.12 mm/ and fs/ the pairs and inversions through callee
// summaries (classes taken up to three calls down) were mostly documented
// exceptions (hugetlbfs, khugepaged's collapse_file()) or different instances
// of one class: they stay info. A pair seen only through callees on both
// sides is not reported: summaries name lock classes, not instances.
import type { Finding, Note } from '../findings/finding';
import type { LockGraph, LockEdge, EdgeSite } from '../flow/lockgraph';
import { RMAP_LOCK_ORDER } from '../kernel/api';
import type { Check } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'lock-order',
  severity: 'warning',
  scope: 'run',
  tables: ['classes', 'rmapLockOrder'],
  doc: {
    short: 'Two locks taken in both orders in the run (ABBA), or against the order documented at the top of mm/rmap.c',
    full: `The run's lock-order graph (nested acquisitions, lock classes callees take,
the implicit mmap_lock -> invalidate_lock -> page lock chain of a faulting
access, and mmap_lock -> every lock a method the mm core calls with mmap_lock
held takes: \`->mmap\`, \`vm_ops->close\`, \`vm_ops->open\`) checked against the
order at the top of \`mm/rmap.c\` and for ABBA pairs, with both sites, where
each lock was taken and the callee that takes it. ABBA pairs are warnings:
both sides nested in the bodies of two functions, or one side through a
callee against the entry state of \`->mmap\` / \`vm_ops->close\` (other pairs
with a callee side are not reported: summaries name classes, not instances);
both orders inside one function are info (over 6.12 that was a lock a callee
had dropped in between through another pointer). Inversions of the documented
order are warnings when nested in one body and involving mmap_lock, info
otherwise: the page lock is one per page, and over 6.12 mm/ its inversions
were kept apart by path conditions (\`move_pages_pte()\`) or documented
exceptions (\`collapse_file()\`); through callee summaries they were mostly
documented exceptions of the single chain. A trylock makes no edge, and a
callee's take after it released the caller's lock (holepunch:
\`madvise_remove()\` drops mmap_lock before \`vmtruncate_range()\`) makes no edge
from that lock. \`--graph out.dot|out.svg\` writes the graph.`,
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

/** The fault path's own locks: an inversion involving one of them is a warning. */

function rangeOf(s: EdgeSite): Finding['range'] {
  const start = { line: s.line, character: s.col ?? 0 };
  const end = s.endLine !== undefined ? { line: s.endLine, character: s.endCol ?? 0 } : start;
  return { start, end };
}

/** Where the edge's `to` is taken, and how it is reached from the site, as notes. */
function chainNotes(e: LockEdge, s: EdgeSite): Note[] {
  const out: Note[] = [];
  if (s.heldLine !== undefined && s.heldLine !== s.line) {
    const pos = { line: s.heldLine, character: 0 };
    out.push({ file: s.file, range: { start: pos, end: pos }, message: `'${e.from}' taken here in ${s.fn}()` });
  }
  if (s.entry) out.push({ file: s.file, range: rangeOf(s), message: `${s.fn}(): ${s.entry}` });
  if (s.take) {
    const pos = { line: s.take.line, character: 0 };
    const how = s.take.depth > 0 ? ` (${s.take.depth} call${s.take.depth > 1 ? 's' : ''} below the callee)` : '';
    out.push({ file: s.take.file, range: { start: pos, end: pos }, message: `'${e.to}' taken here in ${s.take.fn}()${how}` });
  }
  return out;
}

function siteWords(e: LockEdge, s: EdgeSite): string {
  if (s.entry) return `${s.fn}() takes '${e.to}' with mmap_lock held by its caller`;
  if (s.take) return `${s.fn}() holds '${e.from}' and calls into ${s.take.fn}(), which takes '${e.to}'`;
  return `${s.fn}() takes '${e.to}' while holding '${e.from}' here`;
}

export function lockOrderFindings(g: LockGraph): { findings: Finding[]; cycleEdges: Set<string> } {
  const findings: Finding[] = [];
  const cycleEdges = new Set<string>();
  const explicit = [...g.edges.values()].filter((e) => !e.implicit);
  // every explicit edge of a pair, the one seen in a function body first
  const byPair = new Map<string, LockEdge[]>();
  for (const e of explicit) {
    const k = `${e.from}\u0000${e.to}`;
    byPair.set(k, [...(byPair.get(k) ?? []), e].sort((a, b) => weight(a) - weight(b)));
  }
  for (const e of explicit) {
    const rf = RANK.get(e.from);
    const rt = RANK.get(e.to);
    if (rf !== undefined && rt !== undefined && rf > rt) {
      const s = e.sites[0];
      findings.push({
        rule: 'lock-order',
        // through a callee's summary (classes three calls deep) or the mm core's entry state: info
        // mmap_lock is one per mm: an inversion nested in one body is worth a warning. The page
        // lock is one per page: an inversion of the class alone was, over Linux 6.12 mm/, code
        // that keeps the two apart by a path condition (move_pages_pte(): the blocking
        // folio_lock() only runs before src_anon_vma is locked) or a documented exception
        // (collapse_file()), so it stays info until path correlation is modelled
        severity: !e.viaCallee && !e.viaEntry && (e.from === 'mmap_lock' || e.to === 'mmap_lock') ? 'warning' : 'info',
        file: s.file,
        range: rangeOf(s),
        message: `${e.to} taken while ${e.from} is held, against the documented order (${e.to} before ${e.from})`,
        facts: { kind: 'documented-order', lock: { expr: e.to }, held: { expr: e.from } },
        function: s.fn,
        notes: [
          { file: s.file, range: rangeOf(s), message: `documented in ${RMAP_LOCK_ORDER.source}: ${RMAP_LOCK_ORDER.entries.map((x) => x.lock).slice(0, 4).join(' > ')} > ...` },
          ...chainNotes(e, s),
          ...e.sites.slice(1, 4).map((x) => ({ file: x.file, range: rangeOf(x), message: `also in ${x.fn}()` })),
        ],
        fixes: [],
      });
      cycleEdges.add(`${e.from}\u0000${e.to}`);
    }
  }
  // ABBA: one finding per pair of locks, a documented pair is judged by the order above
  for (const [k, fwd] of byPair) {
    const [from, to] = k.split('\u0000');
    if (RANK.has(from) && RANK.has(to)) continue;
    const back = byPair.get(`${to}\u0000${from}`);
    if (!back) continue;
    const a = fwd[0];
    const b = back[0];
    // summaries name classes, not instances: a side through a callee counts only against the
    // mm core's entry contract (vb2 b037c0fde22b); over 6.12 mm/ and fs/ the other such pairs
    // were other instances of one class or locks the callee drops first
    if ((a.viaCallee || b.viaCallee) && !b.viaEntry) continue;
    // reported once, at the side seen in a function body (the entry side is the mm core's)
    const wa = weight(a);
    const wb = weight(b);
    if (wa > wb || (wa === wb && from > to)) continue;
    const s = a.sites[0];
    const t = b.sites[0];
    findings.push({
      rule: 'lock-order',
      // both orders in one function: over Linux 6.12 fs/ that was a lock a callee had dropped
      // in between (nfs40_clean_admin_revoked(): nfsd4_drop_revoked_stid() drops cl_lock through
      // another pointer to the client), which summaries cannot match yet: info
      severity: s.fn === t.fn ? 'info' : 'warning',
      file: s.file,
      range: rangeOf(s),
      message: `'${to}' taken while '${from}' is held, and '${from}' while '${to}' is held in ${t.fn}(): ABBA deadlock`,
      facts: { kind: 'abba', lock: { expr: to }, held: { expr: from }, fn: t.fn },
      function: s.fn,
      notes: [
        ...chainNotes(a, s),
        { file: t.file, range: rangeOf(t), message: siteWords(b, t) },
        ...chainNotes(b, t),
      ],
      fixes: [],
    });
    cycleEdges.add(`${from}\u0000${to}`);
    cycleEdges.add(`${to}\u0000${from}`);
  }
  return { findings, cycleEdges };
}

/** Which side of a pair is reported: nested in one body, then through a callee, then the mm core's entry. */
function weight(e: LockEdge): number {
  return e.viaEntry ? 2 : e.viaCallee ? 1 : 0;
}
