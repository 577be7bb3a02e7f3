// Per-function result cache: a function whose text, file, role, callee
// summaries and run settings are unchanged keeps its summary and findings
// from the previous run (the editor re-analyses only what an edit touched).
// Results are stored relative to the function's first line, so a function
// that merely moved is still a hit; notes that point outside the function
// (callee chains, other files) are kept as they were, since they are part of
// the key through the callee summaries.
import { createHash } from 'crypto';
import type { Finding, Note } from './findings/finding';
import type { FunctionSummary } from './flow/summary';
import type { EdgeRecord } from './phase2';
import type { KernelTable } from './kernel/table';

const tableKeys = new WeakMap<KernelTable, string>();

/** What of a kernel table decides results, hashed once per table (the editor builds a Run per edit). */
export function tableKey(table: KernelTable): string {
  let k = tableKeys.get(table);
  if (!k) {
    k = FunctionCache.key([table.version ?? '', JSON.stringify([...table.rows]), JSON.stringify(table.fields), JSON.stringify(table.faultHandlerMembers), JSON.stringify(table.faultsOffOnEntry), JSON.stringify([...table.noReturn])]);
    tableKeys.set(table, k);
  }
  return k;
}

interface Entry {
  summary: FunctionSummary;
  findings: Finding[];
  /** Per finding, per note: is the note inside the function (moves with it)? */
  localNotes: boolean[][];
  edges: EdgeRecord[];
  startLine: number;
  endLine: number;
  analysed: boolean;
  /** Its checks waited for the fault path's learned locks: findings are stored under a second key. */
  deferred?: boolean;
  /** Hash of the summary as stored (callers' keys name it): a cached run need not stringify it again. */
  summaryHash?: string;
  used: number;
}

export class FunctionCache {
  private entries = new Map<string, Entry>();
  private clock = 0;
  hits = 0;
  misses = 0;
  /** Entries set since construction (a store with none new need not be written). */
  writes = 0;

  constructor(private readonly maxEntries = 200000) {}

  static key(parts: string[]): string {
    const h = createHash('sha1');
    for (const p of parts) {
      h.update(p);
      h.update('\u0000');
    }
    return h.digest('hex');
  }

  get(key: string, startLine: number): { summary: FunctionSummary; findings: Finding[]; analysed: boolean; edges: EdgeRecord[]; deferred: boolean; summaryHash?: string } | null {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return null;
    }
    this.hits++;
    e.used = ++this.clock;
    const d = startLine - e.startLine;
    return {
      summary: shiftSummary(e.summary, d),
      findings: e.findings.map((f, i) => ({
        ...f,
        range: shiftRange(f.range, d),
        notes: f.notes.map((n, j) => (e.localNotes[i][j] ? { ...n, range: shiftRange(n.range, d) } : n)),
      })),
      analysed: e.analysed,
      edges: d ? e.edges.map((x) => ({ ...x, line: x.line + d })) : e.edges,
      deferred: !!e.deferred,
      // a moved summary names other lines: its hash is computed again
      ...(d === 0 && e.summaryHash ? { summaryHash: e.summaryHash } : {}),
    };
  }

  set(key: string, v: { summary: FunctionSummary; findings: Finding[]; startLine: number; endLine: number; file: string; analysed: boolean; edges?: EdgeRecord[]; deferred?: boolean; summaryHash?: string }): void {
    this.writes++;
    const local = (n: Note): boolean => n.file === v.file && n.range.start.line >= v.startLine && n.range.start.line <= v.endLine;
    this.entries.set(key, {
      summary: v.summary,
      findings: v.findings,
      localNotes: v.findings.map((f) => f.notes.map(local)),
      edges: v.edges ?? [],
      deferred: v.deferred,
      summaryHash: v.summaryHash,
      startLine: v.startLine,
      endLine: v.endLine,
      analysed: v.analysed,
      used: ++this.clock,
    });
    if (this.entries.size > this.maxEntries) {
      // drop the least recently used quarter
      const sorted = [...this.entries].sort((a, b) => a[1].used - b[1].used);
      for (const [k] of sorted.slice(0, this.maxEntries >> 2)) this.entries.delete(k);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  /** Entries for a store: those used or made since `since` (a clock() value) first, then the most recently used, at most `max`. */
  dump(since: number, max: number): [string, unknown][] {
    const all = [...this.entries].sort((a, b) => b[1].used - a[1].used);
    const fresh = all.filter(([, e]) => e.used > since);
    const old = all.filter(([, e]) => e.used <= since);
    return [...fresh, ...old].slice(0, max);
  }

  /** Takes entries from dump() back; entries `valid` refuses (and unknown shapes) are skipped: their count is returned. */
  restore(entries: [string, unknown][], valid: (e: unknown) => boolean = () => true): number {
    let bad = 0;
    for (const [k, e] of entries) {
      const x = e as Entry;
      if (typeof k !== 'string' || !x || !x.summary || !Array.isArray(x.findings) || !Array.isArray(x.localNotes) || !Array.isArray(x.edges) || !valid(x)) {
        bad++;
        continue;
      }
      this.entries.set(k, { ...x, used: 0 });
    }
    return bad;
  }

  /** The use clock now (entries used after it are this run's). */
  get clockNow(): number {
    return this.clock;
  }

  get size(): number {
    return this.entries.size;
  }
}

function shiftRange<T extends { start: { line: number; character: number }; end: { line: number; character: number } }>(r: T, d: number): T {
  if (!d) return r;
  return { ...r, start: { ...r.start, line: r.start.line + d }, end: { ...r.end, line: r.end.line + d } };
}

function shiftSummary(s: FunctionSummary, d: number): FunctionSummary {
  if (!d) return s;
  return {
    ...s,
    line: s.line + d,
    takes: s.takes.map((t) => (t.fn === s.name && t.file === s.file ? { ...t, line: t.line + d } : t)),
    mayFault: s.mayFault ? s.mayFault.map((step, i) => (i === 0 ? { ...step, line: step.line + d } : step)) : null,
  };
}
