// The analysis entry point: a pure function of (documents, configuration) to
// findings and statistics. No IO here; cli/ and lsp/ read files and print.
//
// Order of work: phase 1 indexes every document (functions, callees, ops
// tables; phase1.ts), then functions are analysed bottom-up over the call
// graph (Tarjan SCCs, callees first; recursive groups iterate until their
// summaries settle) so that callers see callees' summaries (phase2.ts). Locks
// taken in fault handlers are learned from the summaries, and the checks that
// need them run last. `Run` holds the bookkeeping; analyzeDocuments() runs the
// jobs in this thread in Tarjan's order, parallel/pool.ts on worker threads,
// each SCC as soon as the SCCs it calls are settled.
import { runScopeFindings, selectChecks } from './checks';
import type { Check, LearnedLock } from './checks/check';
import { EdgeSite, LockGraph, takeNode } from './flow/lockgraph';
import { MMAP_LOCKED_ENTRY } from './kernel/api';
import { analyzeFunction, AssumedLock, FunctionFlow } from './flow/engine';
import type { FunctionSummary } from './flow/summary';
import type { KernelTable } from './kernel/table';
import { FunctionCache, tableKey } from './cache';
import { Finding, compareFindings } from './findings/finding';
import type { FunctionHeader } from './syntax/functions';
import type { Prepared } from './syntax/prepare';
import { LineIndex } from './syntax/lines';
import { prepareSource } from './syntax/prepare';
import { DocIndex, FunctionEntry, Indexed, KeptTrees, TreeBudget, treeBudgetBytes } from './phase1';
import { EdgeRecord, FnResult, JobDoc, JobFunction, loadFunction, runJob, JobSettings } from './phase2';
import type { CParser } from './syntax/tree';
import { releaseTrees, treesPending } from './syntax/native';
export type { DocIndex, FunctionEntry } from './phase1';
export type { EdgeRecord } from './phase2';
export { indexPrepared } from './phase1';

export interface SourceDoc {
  file: string;
  text: string;
  /** Headers given with --include: read for summaries of inline helpers, never reported on. */
  role?: 'source' | 'header';
}

export interface AnalysisOptions {
  table: KernelTable;
  only?: string[];
  ignore?: string[];
  /** Keep per-node states in the flows (the editor's hover needs them). */
  keepFlows?: boolean;
  /** Locks to take as held on entry to a function (patch review infers them for hunks). */
  assumeHeld?: (file: string, fn: string) => AssumedLock[] | undefined;
  /** Functions entered with page faults disabled (patch review infers it for hunks). */
  assumeFaultsOff?: (file: string, fn: string) => boolean;
  /** Functions whose text starts mid-function (hunks): no entry state from their role. */
  entryUnknown?: (file: string, fn: string) => boolean;
  /** Per-function results from earlier runs (the editor keeps one per workspace; the CLI's is on disk). */
  cache?: FunctionCache;
  /** Phase 1 results from earlier runs, by document text (the CLI's disk cache). */
  indexCache?: IndexCache;
  /**
   * What is known from outside the run (the editor's workspace index): summaries of
   * functions defined elsewhere, and locks the workspace's fault handlers take. A
   * function defined in the run wins over an outside one of the same name.
   */
  external?: ExternalKnowledge;
  /** Return the summaries of the run's functions that callers elsewhere can use (result.exported). */
  exportSummaries?: boolean;
  /** Called after each document is parsed (progress on a terminal). */
  onProgress?: (done: number, total: number, file: string) => void;
  /**
   * Phase 1 from elsewhere: the editor keeps an incrementally re-parsed tree per
   * document, the CLI's workers and its disk cache hand in what they found. Must
   * give what indexPrepared() would (with the compact trees it kept, if any);
   * undefined falls back to it.
   */
  index?: (doc: SourceDoc, prepared: Prepared) => DocIndex | Indexed | undefined;
  /**
   * Keep what is needed to analyse one function again on demand (result.flowAt):
   * the editor's hover reads states of one function, not of the whole document.
   */
  lazyFlows?: boolean;
  /**
   * Analyse every function, even those that can have no lock effect and no
   * finding (see Run.isQuiet); for tests that hold the shortcut to the full path.
   */
  exhaustive?: boolean;
}

export interface ExternalKnowledge {
  summaryOf(name: string): FunctionSummary | null;
  learned: LearnedLock[];
}

export interface IndexCache {
  get(text: string): DocIndex | undefined;
  set(text: string, index: DocIndex): void;
}

export interface Problem {
  file: string;
  message: string;
  /** A problem with one function (not analysed, past a budget): its name, and its first line (1-based) where known. */
  function?: string;
  line?: number;
}

export interface AnalysisStats {
  files: number;
  functions: number;
  functionsAnalysed: number;
  /** Functions whose body still holds tree-sitter ERROR nodes after macro blanking (analysed around them, statement by statement). */
  functionsWithParseErrors: number;
  /** Functions that name nothing the analysis follows (empty summary, no findings), not parsed again. */
  quietFunctions?: number;
  ms: number;
}

export interface AnalysisResult {
  findings: Finding[];
  /** The run's lock-order graph, and the edges lock-order reported (for --graph). */
  lockGraph: LockGraph;
  cycleEdges: Set<string>;
  stats: AnalysisStats;
  problems: Problem[];
  flows?: Map<string, FunctionFlow[]>;
  /** Each document's functions (offsets), in order. */
  functions?: Map<string, { start: number; end: number }[]>;
  /** With exportSummaries: non-empty summaries of functions callable from other files, and the learned locks. */
  exported?: { summaries: Map<string, FunctionSummary>; learned: LearnedLock[] };
  /** With lazyFlows: the flow (per-node states) of the function at `offset`, analysed again on demand. */
  flowAt?: (file: string, offset: number) => FunctionFlow | null;
}

/** Larger documents are skipped with a message rather than risk the run. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export interface DocState {
  doc: SourceDoc;
  index: DocIndex;
  lines: LineIndex;
  /** The prepared text, where this thread runs the document's jobs. */
  prepared?: Prepared;
  /** Compact trees phase 1 kept for phase 2 (this thread). */
  trees?: KeptTrees;
  /** Its place in the run's document list (workers name documents by it). */
  id: number;
  /** The architecture directory it belongs to (arch/<name>/), or null for generic code. */
  arch: string | null;
}

interface FnRef {
  ds: DocState;
  fn: FunctionHeader;
  entry: FunctionEntry;
  summary?: FunctionSummary;
  isFaultHandler: boolean;
  /** Checks deferred until the fault path's locks are learned. */
  deferred?: boolean;
  cacheKey?: string;
  flow?: FunctionFlow;
}

/** A unit of phase 2: a function, or a recursive group, whose callees are all settled. */
export interface Job {
  refs: number[];
  recursive: boolean;
  /** Per function: callee name -> summary or index into refs. */
  callees: Map<string, FunctionSummary | number | null>[];
}

/** The bookkeeping of one analysis run, whoever executes its jobs. */
export class Run {
  readonly problems: Problem[] = [];
  readonly states: DocState[] = [];
  readonly findings: Finding[] = [];
  readonly lockGraph = new LockGraph();
  readonly learned = new Map<string, LearnedLock>();
  readonly checks: readonly Check[];
  readonly flows?: Map<string, FunctionFlow[]>;
  refs: FnRef[] = [];
  private byName = new Map<string, FnRef[]>();
  private installedMembers = new Map<string, string[]>();
  private entryEdgesAdded = false;
  private edges: number[][] = [];
  /** After buildGraph(): the SCCs, callees first, and each function's SCC. */
  sccs: number[][] = [];
  private sccOf = new Int32Array(0);
  private quietOn: boolean;
  private ruleSet: string;
  private tableKey: string;
  functionsAnalysed = 0;
  quietFunctions = 0;
  private readonly t0 = Date.now();

  constructor(readonly opts: AnalysisOptions) {
    this.checks = selectChecks(opts.only, opts.ignore);
    this.flows = opts.keepFlows ? new Map() : undefined;
    this.quietOn = !(opts.exhaustive || opts.keepFlows || opts.assumeHeld || opts.assumeFaultsOff || opts.entryUnknown);
    this.ruleSet = this.checks.map((c) => c.id).join(',');
    this.tableKey = tableKey(opts.table);
  }

  /** A document's text is refused (binary, too large) with a problem, or null. */
  reject(doc: SourceDoc): boolean {
    const bad = rejectReason(doc.text);
    if (bad) this.problems.push({ file: doc.file, message: bad });
    return !!bad;
  }

  addDocument(doc: SourceDoc, index: DocIndex, prepared?: Prepared): DocState {
    const ds: DocState = { doc, index, lines: new LineIndex(doc.text), prepared, id: this.states.length, arch: archOf(doc.file) };
    this.states.push(ds);
    return ds;
  }

  /** The call graph over every indexed document; returns its SCCs, callees first (Tarjan's order is bottom-up). */
  buildGraph(): number[][] {
    const installedHandlers = new Set<string>();
    for (const ds of this.states) {
      for (const h of ds.index.faultHandlers) installedHandlers.add(h);
      for (const [fn, m] of ds.index.members) this.installedMembers.set(fn, [...(this.installedMembers.get(fn) ?? []), ...m]);
    }
    for (const ds of this.states) {
      for (const entry of ds.index.functions) {
        const fn = entry.header;
        const r: FnRef = { ds, fn, entry, isFaultHandler: isFaultHandlerSignature(fn) || installedHandlers.has(fn.name) };
        this.refs.push(r);
        const list = this.byName.get(fn.name) ?? [];
        list.push(r);
        this.byName.set(fn.name, list);
      }
    }
    const index = new Map<FnRef, number>();
    this.refs.forEach((r, i) => index.set(r, i));
    this.edges = this.refs.map((r) => {
      const out: number[] = [];
      for (const c of r.entry.callees) {
        const t = this.resolve(c, r);
        if (t) out.push(index.get(t) as number);
      }
      return out;
    });
    const sccs = tarjan(this.edges);
    this.sccs = sccs;
    const sccOf = new Int32Array(this.refs.length);
    this.sccOf = sccOf;
    sccs.forEach((scc, k) => scc.forEach((i) => (sccOf[i] = k)));
    return sccs;
  }

  /** A callee's summary: the run's own function, else what is known from outside. */
  private calleeSummary(name: string, from: FnRef): FunctionSummary | null {
    const t = this.resolve(name, from);
    if (t) return t.summary ?? null;
    return this.opts.external?.summaryOf(name) ?? null;
  }

  /** The SCCs an SCC calls into (other than itself). */
  calleeSccs(k: number): number[] {
    const out = new Set<number>();
    for (const i of this.sccs[k]) for (const j of this.edges[i]) if (this.sccOf[j] !== k) out.add(this.sccOf[j]);
    return [...out];
  }

  resolve(name: string, from: FnRef): FnRef | null {
    const list = this.byName.get(name);
    if (!list) return null;
    const own = list.find((r) => r.ds === from.ds);
    if (own) return own;
    // static functions are file-local, except static inline helpers in headers; and a
    // build has one architecture: arch/arm64/ code never calls arch/arc/'s do_signal()
    const visible = list.filter((r) => !r.fn.isStatic || isHeader(r.ds.doc));
    if (visible.length <= 1) return visible[0] && compatibleArch(from.ds.arch, visible[0].ds.arch) ? visible[0] : null;
    const arch = from.ds.arch;
    return (
      (arch ? visible.find((r) => r.ds.arch === arch) : undefined) ??
      visible.find((r) => r.ds.arch === null) ??
      // generic code calling an arch-specific function is read as built for x86
      (arch ? undefined : visible.find((r) => r.ds.arch === 'x86')) ??
      null
    );
  }

  /**
   * Settles an SCC here when it can be: a quiet function (it names nothing the
   * table knows, calls nothing with a non-empty summary, and is no fault
   * handler, annotated or installed function: empty summary, no findings, not
   * parsed again; most of a tree's functions are such), or a cache hit.
   * Otherwise returns the job that analyses it.
   */
  settleOrJob(scc: number[]): Job | null {
    const recursive = scc.length > 1 || this.edges[scc[0]].includes(scc[0]);
    if (!recursive) {
      const r = this.refs[scc[0]];
      if (this.isQuiet(r)) {
        r.summary = emptySummary(r);
        this.quietFunctions++;
        this.functionsAnalysed++;
        return null;
      }
      if (this.opts.cache && !this.opts.keepFlows) {
        const hit = this.opts.cache.get(this.cacheKey(r), r.ds.lines.line(r.fn.start));
        if (hit) {
          this.useHit(r, hit);
          return null;
        }
      }
    } else if (this.opts.cache && !this.opts.keepFlows) {
      // a recursive SCC is one entry per member under the SCC's key: all hit or none is used
      const key = this.sccKey(scc);
      const hits: NonNullable<ReturnType<FunctionCache['get']>>[] = [];
      for (let j = 0; j < scc.length; j++) {
        const r = this.refs[scc[j]];
        const hit = this.opts.cache.get(`${key}:${j}`, r.ds.lines.line(r.fn.start));
        if (!hit) break;
        hits.push(hit);
      }
      if (hits.length === scc.length) {
        scc.forEach((i, j) => this.useHit(this.refs[i], hits[j]));
        return null;
      }
    }
    return {
      refs: scc,
      recursive,
      callees: scc.map((i) => {
        const r = this.refs[i];
        const m = new Map<string, FunctionSummary | number | null>();
        for (const c of r.entry.callees) {
          const t = this.resolve(c, r);
          const k = t ? scc.findIndex((x) => this.refs[x] === t) : -1;
          m.set(c, k >= 0 ? k : this.calleeSummary(c, r));
        }
        return m;
      }),
    };
  }

  private isQuiet(r: FnRef): boolean {
    if (!this.quietOn || !r.entry.namesNothing || r.isFaultHandler || r.fn.annotations.length || this.installedMembers.has(r.fn.name)) return false;
    for (const c of r.entry.callees) {
      const s = this.calleeSummary(c, r);
      if (s && !isEmptySummary(s)) return false;
    }
    return true;
  }

  /** Fixed once the function's callees are settled, so computed once (a tree has 700,000). */
  private cacheKey(r: FnRef): string {
    return (r.cacheKey = r.cacheKey ?? this.computeCacheKey(r));
  }

  private computeCacheKey(r: FnRef): string {
    return FunctionCache.key([this.ruleSet, this.tableKey, ...this.keyParts(r)]);
  }

  /**
   * What decides a function's result besides rules and table: its document, its
   * text, its contract, and each callee's summary (by hash); callees in `scc`
   * by name only (their texts are in the SCC's key).
   */
  private keyParts(r: FnRef, scc?: Set<FnRef>): string[] {
    return [
      r.ds.doc.file,
      r.ds.doc.role ?? 'source',
      r.entry.textHash,
      String(r.isFaultHandler),
      (this.installedMembers.get(r.fn.name) ?? []).join(','),
      ...r.entry.callees.map((c) => {
        const t = this.resolve(c, r);
        return c + '=' + (t && scc?.has(t) ? '@scc' : t ? this.summaryHash(t) : JSON.stringify(this.opts.external?.summaryOf(c) ?? null));
      }),
    ];
  }

  private summaryHashes = new Map<FnRef, { of: FunctionSummary | undefined; hash: string }>();
  /**
   * A callee's summary as a hash of its JSON, once per summary: a tree's
   * callers name the same callees often, and hashing their whole JSON into
   * every caller's key was most of the main thread's time in keys.
   */
  private summaryHash(r: FnRef): string {
    const m = this.summaryHashes.get(r);
    if (m && m.of === r.summary) return m.hash;
    const hash = FunctionCache.key([JSON.stringify(r.summary ?? null)]);
    this.summaryHashes.set(r, { of: r.summary, hash });
    return hash;
  }

  settings(final: boolean): JobSettings {
    return { table: this.opts.table, checks: this.checks, learned: final ? this.learned : null, keepFlows: !!this.opts.keepFlows };
  }

  /** What a job needs of one function, for the thread that runs it. */
  jobFunction(i: number, doc: JobDoc, callees: Map<string, FunctionSummary | number | null>): JobFunction {
    return { ...this.jobMeta(i), doc, callees };
  }

  jobMeta(i: number): Omit<JobFunction, 'doc' | 'callees'> {
    const r = this.refs[i];
    return {
      fn: r.fn,
      isFaultHandler: r.isFaultHandler,
      installedAs: this.installedMembers.get(r.fn.name) ?? [],
      assumeHeld: this.opts.assumeHeld?.(r.ds.doc.file, r.fn.name),
      assumeFaultsOff: this.opts.assumeFaultsOff?.(r.ds.doc.file, r.fn.name),
      entryUnknown: this.opts.entryUnknown?.(r.ds.doc.file, r.fn.name),
    };
  }

  private useHit(r: FnRef, hit: NonNullable<ReturnType<FunctionCache['get']>>): void {
    r.summary = hit.summary;
    if (hit.summaryHash) this.summaryHashes.set(r, { of: hit.summary, hash: hit.summaryHash });
    this.addEdges(r, hit.edges);
    if (hit.analysed) this.functionsAnalysed++;
    if (hit.deferred) r.deferred = true;
    else this.findings.push(...hit.findings);
  }

  private sccKeys = new Map<number, string>();
  /**
   * The cache key of a recursive SCC: every member's keyParts(). 1,233 SCCs of Linux 6.12 were analysed again on every
   * cached run without it, parsing 3,901 functions' files.
   */
  private sccKey(scc: number[]): string {
    const memo = this.sccKeys.get(scc[0]);
    if (memo) return memo;
    const members = new Set(scc.map((i) => this.refs[i]));
    const parts = [this.ruleSet, this.tableKey];
    for (const i of scc) parts.push('\u0001', ...this.keyParts(this.refs[i], members));
    const key = FunctionCache.key(parts);
    this.sccKeys.set(scc[0], key);
    return key;
  }

  /** Takes a job's results (in the order of job.refs). */
  apply(job: Job, results: FnResult[]): void {
    job.refs.forEach((i, k) => {
      const r = this.refs[i];
      const res = results[k];
      r.summary = res.summary;
      for (const p of res.problems) this.problems.push({ file: r.ds.doc.file, ...p });
      for (const m of res.checkProblems) this.problems.push({ file: r.ds.doc.file, message: m });
      if (!res.summary) return;
      this.addEdges(r, res.edges);
      if (res.analysed) this.functionsAnalysed++;
      if (res.flow && this.flows) {
        const list = this.flows.get(r.ds.doc.file) ?? [];
        list.push(res.flow);
        this.flows.set(r.ds.doc.file, list);
      }
      if (res.deferred) r.deferred = true;
      else this.findings.push(...res.findings);
      if (this.opts.cache && !this.opts.keepFlows) this.store(job.recursive ? `${this.sccKey(job.refs)}:${k}` : this.cacheKey(r), r, res, res.deferred);
    });
  }

  private store(key: string, r: FnRef, res: FnResult, deferred: boolean): void {
    this.opts.cache?.set(key, {
      summary: res.summary as FunctionSummary,
      findings: deferred ? [] : res.findings,
      startLine: r.ds.lines.line(r.fn.start),
      endLine: r.ds.lines.line(r.fn.end),
      file: r.ds.doc.file,
      analysed: res.analysed,
      edges: res.edges,
      deferred,
      summaryHash: r.summary === res.summary ? this.summaryHash(r) : undefined,
    });
  }

  /** The cache key of a deferred function's second run: its own, and the locks learned. */
  private deferredKey(r: FnRef): string {
    return FunctionCache.key([this.cacheKey(r), JSON.stringify([...this.learned.values()])]);
  }

  private addEdges(r: FnRef, edges: EdgeRecord[]): void {
    for (const e of edges) {
      const site: EdgeSite = { file: r.ds.doc.file, line: e.line, fn: r.fn.name };
      if (e.col !== undefined) site.col = e.col;
      if (e.endLine !== undefined) Object.assign(site, { endLine: e.endLine, endCol: e.endCol });
      if (e.take) site.take = e.take;
      if (e.heldLine !== undefined) site.heldLine = e.heldLine;
      this.lockGraph.add(e.from, e.to, e.implicit, site, e.viaCallee);
    }
  }

  /** Edges from mmap_lock to every lock a method the mm core calls with it held takes (->mmap, vm_ops->close). */
  private addEntryEdges(): void {
    if (this.entryEdgesAdded) return;
    this.entryEdgesAdded = true;
    for (const r of this.refs) {
      const members = this.installedMembers.get(r.fn.name);
      if (!members || !r.summary) continue;
      const entry = MMAP_LOCKED_ENTRY.find((m) => members.includes(m.member));
      if (!entry) continue;
      for (const t of r.summary.takes) {
        const to = takeNode(t);
        if (!to || to === 'mmap_lock' || t.without?.includes('mmap_lock')) continue;
        const site: EdgeSite = { file: t.file, line: t.line, fn: r.fn.name, entry: entry.words };
        if (t.depth) site.take = { fn: t.fn, file: t.file, line: t.line, depth: t.depth };
        this.lockGraph.add('mmap_lock', to, false, site, false, true);
      }
    }
  }

  /** Locks the fault path takes, learned from every handler's summary; returns the deferred functions' jobs. */
  learn(): Job[] {
    for (const l of this.opts.external?.learned ?? []) this.learned.set(l.typeKey, { ...l });
    for (const r of this.refs) {
      // ->mmap runs with mmap_lock held for write: a lock it takes, held elsewhere across a
      // user access, is an ABBA with mmap() (ashmem_mmap() and ashmem_ioctl(), 2018)
      const mmap = !r.isFaultHandler && (this.installedMembers.get(r.fn.name) ?? []).includes('mmap');
      if ((!r.isFaultHandler && !mmap) || !r.summary) continue;
      for (const t of r.summary.takes) {
        if (!t.typeKey || t.cls === 'spinlock' || t.cls === 'page' || t.cls === 'mmap_lock') continue;
        const known = this.learned.get(t.typeKey);
        if (!known) this.learned.set(t.typeKey, { typeKey: t.typeKey, mode: t.mode, handler: r.fn.name, file: t.file, line: t.line, ...(mmap ? { mmap: true } : {}) });
        else if (known.mode !== t.mode) known.mode = 'write';
      }
    }
    const jobs: Job[] = [];
    this.refs.forEach((r, i) => {
      if (!r.deferred) return;
      const useCache = this.opts.cache && !this.opts.keepFlows && !this.isRecursive(i);
      const hit = useCache ? this.opts.cache?.get(this.deferredKey(r), r.ds.lines.line(r.fn.start)) : null;
      if (hit) {
        this.findings.push(...hit.findings);
        return;
      }
      // callees are all settled now: their summaries, not group indices
      const m = new Map<string, FunctionSummary | number | null>();
      for (const c of r.entry.callees) m.set(c, this.calleeSummary(c, r));
      jobs.push({ refs: [i], recursive: false, callees: [m] });
    });
    return jobs;
  }

  /** The deferred functions' findings, now that the learned locks are known. */
  applyDeferred(job: Job, results: FnResult[]): void {
    const r = this.refs[job.refs[0]];
    for (const m of results[0].checkProblems) this.problems.push({ file: r.ds.doc.file, message: m });
    this.findings.push(...results[0].findings);
    if (this.opts.cache && !this.opts.keepFlows && !this.isRecursive(job.refs[0]) && results[0].summary) this.store(this.deferredKey(r), r, results[0], false);
  }

  private isRecursive(i: number): boolean {
    const scc = this.sccs[this.sccOf[i]];
    return scc.length > 1 || this.edges[i].includes(i);
  }

  result(docs: SourceDoc[], flowAt?: AnalysisResult['flowAt']): AnalysisResult {
    let functionsWithParseErrors = 0;
    for (const r of this.refs) if (r.entry.hasErrorNode) functionsWithParseErrors++;
    let cycleEdges = new Set<string>();
    if (this.checks.some((c) => c.graph)) {
      this.addEntryEdges();
      const lo = runScopeFindings(this.checks, this.lockGraph);
      cycleEdges = lo.cycleEdges;
      this.findings.push(...lo.findings.filter((f) => !docs.some((d) => d.file === f.file && d.role === 'header')));
    }
    this.findings.sort(compareFindings);
    let exported: AnalysisResult['exported'];
    if (this.opts.exportSummaries) {
      const summaries = new Map<string, FunctionSummary>();
      for (const r of this.refs) {
        if (!r.summary || isEmptySummary(r.summary) || (r.fn.isStatic && !isHeader(r.ds.doc))) continue;
        if (!summaries.has(r.fn.name)) summaries.set(r.fn.name, r.summary);
      }
      exported = { summaries, learned: [...this.learned.values()] };
    }
    return {
      exported,
      findings: this.findings,
      lockGraph: this.lockGraph,
      cycleEdges,
      problems: this.problems,
      flows: this.flows,
      flowAt,
      functions: new Map(this.states.map((ds) => [ds.doc.file, ds.index.functions.map((f) => ({ start: f.header.start, end: f.header.end }))])),
      stats: {
        files: docs.length,
        functions: this.refs.length,
        functionsAnalysed: this.functionsAnalysed,
        functionsWithParseErrors,
        quietFunctions: this.quietFunctions,
        ms: Date.now() - this.t0,
      },
    };
  }

  /** With lazyFlows: the function at an offset analysed again with its settled callees (hover). */
  flowAtFor(parser: CParser): AnalysisResult['flowAt'] {
    const memo = new Map<FnRef, FunctionFlow | null>();
    return (file, offset) => {
      const r = this.refs.find((x) => x.ds.doc.file === file && x.fn.start <= offset && offset < x.fn.end);
      if (!r) return null;
      if (!memo.has(r)) {
        let flow: FunctionFlow | null = null;
        try {
          const prepared = (r.ds.prepared = r.ds.prepared ?? prepareSource(r.ds.doc.text));
          flow = analyzeFunction(loadFunction(parser, { ...prepared, trees: r.ds.trees }, r.fn), prepared.text, {
            table: this.opts.table,
            summaryOf: (name: string) => this.calleeSummary(name, r),
            faultHandler: r.isFaultHandler,
          });
        } catch {
          flow = null;
        }
        memo.set(r, flow);
      }
      return memo.get(r) ?? null;
    };
  }
}

/** The analysis in this thread. */
export function analyzeDocuments(parser: CParser, docs: SourceDoc[], opts: AnalysisOptions): AnalysisResult {
  const steps = analysisSteps(parser, docs, opts);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * The same analysis, giving the event loop a turn every `sliceMs` (the language
 * server keeps answering while a large document is analysed) and stopping
 * with Cancelled as soon as `cancelled()` says a newer version superseded it.
 */
export async function analyzeDocumentsAsync(parser: CParser, docs: SourceDoc[], opts: AnalysisOptions, slice: { sliceMs: number; cancelled: () => boolean }): Promise<AnalysisResult> {
  const steps = analysisSteps(parser, docs, opts);
  let mark = performance.now();
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
    if (treesPending()) await releaseTrees();
    else if (performance.now() - mark >= slice.sliceMs) await new Promise((resolve) => setImmediate(resolve));
    else continue;
    if (slice.cancelled()) throw new Cancelled();
    mark = performance.now();
  }
}

/** The analysis in this thread, one step (a document, an SCC) per yield. */
function* analysisSteps(parser: CParser, docs: SourceDoc[], opts: AnalysisOptions): Generator<void, AnalysisResult> {
  const run = new Run(opts);
  let done = 0;
  const budget = new TreeBudget(treeBudgetBytes());
  for (const doc of docs) {
    done++;
    if (!run.reject(doc)) {
      try {
        // Phase 1: what the call graph needs; the file's tree is dropped (keeping every
        // tree of fs/ alive until the end made garbage collection 56 % of the run)
        const known = opts.indexCache?.get(doc.text);
        if (known) run.addDocument(doc, known);
        else {
          const prepared = prepareSource(doc.text);
          const hooked = opts.index?.(doc, prepared);
          const { index, trees } = hooked ? budget.take('functions' in hooked ? { index: hooked } : hooked) : budget.index(parser, prepared, opts.table);
          opts.indexCache?.set(doc.text, index);
          run.addDocument(doc, index, prepared).trees = trees;
        }
      } catch (err) {
        run.problems.push({ file: doc.file, message: `not analysed: ${(err as Error).message}` });
      }
    }
    opts.onProgress?.(done, docs.length, doc.file);
    yield;
  }
  const jobDocs = new Map<DocState, JobDoc>();
  const jobDoc = (ds: DocState): JobDoc => {
    let d = jobDocs.get(ds);
    if (!d) {
      const p = (ds.prepared = ds.prepared ?? prepareSource(ds.doc.text));
      d = { file: ds.doc.file, role: ds.doc.role ?? 'source', text: p.text, annotations: p.annotations, lines: ds.lines, trees: ds.trees };
      jobDocs.set(ds, d);
    }
    return d;
  };
  const exec = (job: Job, final: boolean): FnResult[] =>
    runJob(parser, job.refs.map((i, k) => run.jobFunction(i, jobDoc(run.refs[i].ds), job.callees[k])), job.recursive, run.settings(final));
  for (const scc of run.buildGraph()) {
    const job = run.settleOrJob(scc);
    if (job) {
      run.apply(job, exec(job, false));
      yield;
    }
  }
  for (const job of run.learn()) {
    run.applyDeferred(job, exec(job, true));
    yield;
  }
  return run.result(docs, opts.lazyFlows ? run.flowAtFor(parser) : undefined);
}

/** The empty summary of a function that names nothing the analysis follows. */
function emptySummary(r: FnRef): FunctionSummary {
  return {
    name: r.fn.name,
    file: r.ds.doc.file,
    line: r.ds.lines.line(r.fn.start),
    isStatic: r.fn.isStatic,
    mayFault: null,
    mayFaultReleased: [],
    effects: [],
    returnsLocked: null,
    takes: [],
    isFaultHandler: false,
  };
}

function isEmptySummary(s: FunctionSummary): boolean {
  return (
    !s.mayFault && !s.mayFaultReleased.length && !s.effects.length && !s.returnsLocked && !s.takes.length && !s.isFaultHandler &&
    !s.atomicNet && !s.faultsNet && !s.noReturn && !s.returnsTokens && !s.releasesTyped
  );
}

/** `arch/<name>/` in a path (either separator), or null. */
export function archOf(file: string): string | null {
  const m = /(?:^|[\\/])arch[\\/]([^\\/]+)[\\/]/.exec(file);
  return m ? m[1] : null;
}

/** A caller in one architecture does not reach code of another; generic code reaches any one definition. */
function compatibleArch(caller: string | null, callee: string | null): boolean {
  return !caller || !callee || caller === callee;
}

function isHeader(doc: SourceDoc): boolean {
  return doc.role === 'header' || doc.file.endsWith('.h');
}

function rejectReason(text: string): string | null {
  if (text.length > MAX_DOCUMENT_BYTES) return `skipped: larger than ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MiB`;
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return 'skipped: binary file (NUL bytes)';
  return null;
}

/** A vm_fault_t function taking struct vm_fault *: ->fault, ->page_mkwrite, ->huge_fault. */
function isFaultHandlerSignature(fn: FunctionHeader): boolean {
  return /\bvm_fault_t\b/.test(fn.returnType) && fn.params.some((p) => p.type === 'struct vm_fault');
}

/**
 * Functions installed in ops tables by designated initializers: `.fault =
 * foo` in a vm_operations_struct makes foo a fault handler (table:
 * faultHandlerMembers); `.read_folio = bar` gives bar that slot's contract.
 */
/** Tarjan's SCC algorithm, iterative; SCCs come out callees first. */
function tarjan(edges: number[][]): number[][] {
  const n = edges.length;
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let s = 0; s < n; s++) {
    if (idx[s] !== -1) continue;
    const work: { v: number; i: number }[] = [{ v: s, i: 0 }];
    idx[s] = low[s] = counter++;
    stack.push(s);
    onStack[s] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const v = top.v;
      if (top.i < edges[v].length) {
        const w = edges[v][top.i++];
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) low[v] = Math.min(low[v], idx[w]);
      } else {
        work.pop();
        if (work.length) {
          const u = work[work.length - 1].v;
          low[u] = Math.min(low[u], low[v]);
        }
        if (low[v] === idx[v]) {
          const comp: number[] = [];
          for (;;) {
            const w = stack.pop() as number;
            onStack[w] = 0;
            comp.push(w);
            if (w === v) break;
          }
          out.push(comp);
        }
      }
    }
  }
  return out;
}
