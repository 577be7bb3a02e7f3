// The analysis entry point: a pure function of (documents, configuration) to
// findings and statistics. No IO here; cli/ and lsp/ read files and print.
//
// Order of work: parse every document, find its functions, collect callees,
// then analyse functions bottom-up over the call graph (Tarjan SCCs; recursive
// groups iterate until their summaries settle) so that callers see callees'
// summaries. Locks taken in fault handlers are learned from the summaries, and
// the checks run last over the stored flows.
import { CHECKS } from './checks';
import type { CheckContext, LearnedLock } from './checks/check';
import { faultingCall, rangeOf } from './checks/check';
import { lockOrderFindings } from './checks/lock-order';
import { CLASS_NODES, LockGraph, lockNode } from './flow/lockgraph';
import { HELD } from './flow/state';
import { analyzeFunction, AssumedLock, FunctionFlow } from './flow/engine';
import { computeSummary, FunctionSummary } from './flow/summary';
import type { KernelTable } from './kernel/table';
import { ATOMIC_COPY_TWINS, FAULT_IO_WAITS, FLAG_TEST_HELPERS, LOCK_RELEASED_RETURNS, MEMBER_CONTRACTS } from './kernel/api';
import { FunctionCache } from './cache';
import { Finding, compareFindings } from './findings/finding';
import { findFunctions, FunctionHeader, FunctionInfo } from './syntax/functions';
import type { Annotation, Prepared } from './syntax/prepare';
import { LineIndex } from './syntax/lines';
import { prepareSource } from './syntax/prepare';
import { DocIndex, indexPrepared } from './phase1';
import type { CParser } from './syntax/tree';
export type { DocIndex, FunctionEntry } from './phase1';
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
  /** Per-function results from earlier runs (the editor keeps one per workspace). */
  cache?: FunctionCache;
  /** Called after each document is parsed (progress on a terminal). */
  onProgress?: (done: number, total: number, file: string) => void;
  /**
   * Phase 1 from elsewhere: the editor keeps an incrementally re-parsed tree per
   * document, the CLI's workers and its disk cache hand in what they found. Must
   * give what indexPrepared() would; undefined falls back to it.
   */
  index?: (doc: SourceDoc, prepared: Prepared) => DocIndex | undefined;
  /**
   * Keep what is needed to analyse one function again on demand (result.flowAt):
   * the editor's hover reads states of one function, not of the whole document.
   */
  lazyFlows?: boolean;
  /**
   * Analyse every function, even those that can have no lock effect and no
   * finding (see quietFunction); for tests that hold the shortcut to the full path.
   */
  exhaustive?: boolean;
}

export interface Problem {
  file: string;
  message: string;
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
  /** With lazyFlows: the flow (per-node states) of the function at `offset`, analysed again on demand. */
  flowAt?: (file: string, offset: number) => FunctionFlow | null;
}

/** One lock-order edge a function contributes; `line` is 0-based in its file. */
export interface EdgeRecord {
  from: string;
  to: string;
  implicit: boolean;
  line: number;
  viaCallee: boolean;
}

/** Larger documents are skipped with a message rather than risk the run. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

interface DocState extends DocIndex {
  doc: SourceDoc;
  text: string;
  lines: LineIndex;
  annotations: Annotation[];
}

interface FnRef {
  ds: DocState;
  fn: FunctionHeader;
  /** The function's tree, parsed again from its own text when its turn comes (phase 2), dropped when done. */
  info?: FunctionInfo;
  callees: string[];
  hasErrorNode: boolean;
  flow?: FunctionFlow;
  cacheKey?: string;
  cached?: { findings: Finding[]; analysed: boolean; edges: EdgeRecord[] };
  /** Lock-order edges this function contributes (kept in the cache with its findings). */
  edges?: EdgeRecord[];
  summary?: FunctionSummary;
  isFaultHandler: boolean;
}

export function analyzeDocuments(parser: CParser, docs: SourceDoc[], opts: AnalysisOptions): AnalysisResult {
  const t0 = Date.now();
  const problems: Problem[] = [];
  const states: DocState[] = [];
  let done = 0;
  for (const doc of docs) {
    done++;
    const bad = rejectReason(doc.text);
    if (bad) {
      problems.push({ file: doc.file, message: bad });
      continue;
    }
    try {
      // Phase 1: what the call graph needs, then the file's tree is dropped. Keeping
      // every tree of fs/ alive until the end made garbage collection 56 % of the run.
      const prepared = prepareSource(doc.text);
      const index = opts.index?.(doc, prepared) ?? indexPrepared(parser, prepared, opts.table);
      states.push({ doc, text: prepared.text, lines: new LineIndex(doc.text), annotations: prepared.annotations, ...index });
    } catch (err) {
      problems.push({ file: doc.file, message: `not analysed: ${(err as Error).message}` });
    }
    opts.onProgress?.(done, docs.length, doc.file);
  }

  // ---- call graph -----------------------------------------------------
  const refs: FnRef[] = [];
  const byName = new Map<string, FnRef[]>();
  const installedHandlers = new Set<string>();
  const installedMembers = new Map<string, string[]>();
  for (const ds of states) {
    for (const h of ds.faultHandlers) installedHandlers.add(h);
    for (const [fn, m] of ds.members) installedMembers.set(fn, [...(installedMembers.get(fn) ?? []), ...m]);
  }
  for (const ds of states) {
    for (const { header: fn, callees, hasErrorNode } of ds.functions) {
      const r: FnRef = {
        ds,
        fn,
        callees,
        hasErrorNode,
        isFaultHandler: isFaultHandlerSignature(fn) || installedHandlers.has(fn.name),
      };
      refs.push(r);
      const list = byName.get(fn.name) ?? [];
      list.push(r);
      byName.set(fn.name, list);
    }
  }
  const load = (r: FnRef): FunctionInfo => loadFunction(parser, r.ds, r.fn);
  const resolve = (name: string, from: FnRef): FnRef | null => {
    const list = byName.get(name);
    if (!list) return null;
    // static functions are file-local, except static inline helpers in headers
    return list.find((r) => r.ds === from.ds) ?? list.find((r) => !r.fn.isStatic || isHeader(r.ds.doc)) ?? null;
  };
  const index = new Map<FnRef, number>();
  refs.forEach((r, i) => index.set(r, i));
  const edges: number[][] = refs.map((r) => {
    const out: number[] = [];
    for (const c of r.callees) {
      const t = resolve(c, r);
      if (t) out.push(index.get(t) as number);
    }
    return out;
  });

  // ---- checks (run as soon as a function's flow is final) ----------------
  const findings: Finding[] = [];
  const active = CHECKS.filter((c) => (!opts.only || opts.only.includes(c.id)) && !(opts.ignore ?? []).includes(c.id));
  const faultPathLocks = new Map<string, LearnedLock>();
  const flows = opts.keepFlows ? new Map<string, FunctionFlow[]>() : undefined;
  const runChecks = (r: FnRef, flow: FunctionFlow): void => {
    if (r.ds.doc.role === 'header') return;
    const ctx: CheckContext = {
      file: r.ds.doc.file,
      src: r.ds.text,
      lines: r.ds.lines,
      flow,
      table: opts.table,
      faultPathLocks,
      isFaultHandler: r.isFaultHandler,
      installedAs: installedMembers.get(r.fn.name) ?? [],
      report: (f) => {
        findings.push({
          rule: f.rule,
          severity: f.severity,
          file: r.ds.doc.file,
          range: rangeOf(r.ds.lines, f.start, f.end),
          message: f.message,
          function: r.fn.name,
          notes: f.notes,
          fixes: f.fixes ?? [],
        });
      },
    };
    for (const c of active) {
      try {
        c.run(ctx);
      } catch (err) {
        problems.push({ file: r.ds.doc.file, message: `${r.fn.name}(): check ${c.id} failed: ${(err as Error).message}` });
      }
    }
  };
  /** Checks that read the locks learned from every fault handler of the run must wait for all of them. */
  const needsLearnedLocks = (flow: FunctionFlow): boolean =>
    flow.events.some(
      (e) => e.kind === 'call' && e.state.locks.size > 0 && faultingCall(e) !== null && [...e.state.locks.values()].some((f) => f.typeKey),
    );
  const deferred: FnRef[] = [];
  let functionsAnalysed = 0;
  const lockGraph = new LockGraph();
  /** Edges of the lock-order graph from one function: nested acquisitions, callees' locks, faulting accesses. */
  const edgesOf = (r: FnRef, flow: FunctionFlow): EdgeRecord[] => {
    const out: EdgeRecord[] = [];
    const add = (from: string, to: string, implicit: boolean, offset: number, viaCallee = false): void => {
      if (from !== to) out.push({ from, to, implicit, line: r.ds.lines.line(offset), viaCallee });
    };
    for (const n of flow.nested) {
      const a = lockNode(n.held, opts.table);
      const b = lockNode(n.taken, opts.table);
      if (a && b) add(a, b, false, n.offset);
    }
    for (const e of flow.events) {
      if (e.kind !== 'call' || e.state.locks.size === 0) continue;
      const held = [...e.state.locks.values()].filter((f) => f.paths & HELD && f.scope === undefined);
      if (!held.length) continue;
      if (e.summary) {
        for (const t of e.summary.takes.slice(0, 16)) {
          // callees' locks are edges for the documented order only (lock classes)
          const b = CLASS_NODES[t.cls];
          if (!b) continue;
          for (const h of held) {
            const a = lockNode(h, opts.table);
            if (a && a !== b) add(a, b, false, e.start, true);
          }
        }
      }
      if (faultingCall(e) && e.state.faultsOff.min === 0) {
        for (const h of held) {
          const a = lockNode(h, opts.table);
          if (a && a !== 'mmap_lock') add(a, 'mmap_lock', true, e.start);
        }
        add('mmap_lock', 'invalidate_lock', true, e.start);
        add('invalidate_lock', 'page lock', true, e.start);
      }
    }
    return out;
  };
  const addEdges = (r: FnRef, edges: EdgeRecord[]): void => {
    for (const e of edges) lockGraph.add(e.from, e.to, e.implicit, { file: r.ds.doc.file, line: e.line, fn: r.fn.name }, e.viaCallee);
  };
  const finish = (r: FnRef): void => {
    if (r.cached) {
      addEdges(r, r.cached.edges);
      if (r.cached.analysed) functionsAnalysed++;
      findings.push(...r.cached.findings);
      return;
    }
    const flow = r.flow;
    if (!flow) return;
    r.edges = edgesOf(r, flow);
    addEdges(r, r.edges);
    if (flow.converged) functionsAnalysed++;
    // past its budget a function is said to be not (fully) analysed; everything else goes on
    else problems.push({ file: r.ds.doc.file, message: `${r.fn.name}() at line ${r.ds.lines.line(r.fn.start) + 1}: not analysed: the fixpoint did not settle within ${flow.iterations} steps` });
    if (flow.cfg.truncated) problems.push({ file: r.ds.doc.file, message: `${r.fn.name}() at line ${r.ds.lines.line(r.fn.start) + 1}: nesting deeper than the analysis reads: the deepest part is taken as one statement` });
    if (flows) {
      const list = flows.get(r.ds.doc.file) ?? [];
      list.push(flow);
      flows.set(r.ds.doc.file, list);
    }
    if (needsLearnedLocks(flow)) {
      deferred.push(r);
      return;
    }
    const before = findings.length;
    runChecks(r, flow);
    if (!opts.keepFlows) r.info = undefined;
    if (opts.cache && r.cacheKey && r.summary) {
      opts.cache.set(r.cacheKey, {
        summary: r.summary,
        findings: findings.slice(before),
        startLine: r.ds.lines.line(r.fn.start),
        endLine: r.ds.lines.line(r.fn.end),
        file: r.ds.doc.file,
        analysed: flow.converged,
        edges: r.edges,
      });
    }
    if (!opts.keepFlows) r.flow = undefined;
  };
  const ruleSet = active.map((c) => c.id).join(',');
  const cacheKeyOf = (r: FnRef): string =>
    FunctionCache.key([
      r.ds.doc.file,
      r.ds.doc.role ?? 'source',
      r.ds.text.slice(r.fn.start, r.fn.end),
      String(r.isFaultHandler),
      (installedMembers.get(r.fn.name) ?? []).join(','),
      ruleSet,
      opts.table.version ?? '',
      String(opts.table.rows.size),
      ...r.callees.map((c) => c + '=' + JSON.stringify(resolve(c, r)?.summary ?? null)),
    ]);

  const contextOf = (r: FnRef) => ({
    table: opts.table,
    summaryOf: (name: string): FunctionSummary | null => resolve(name, r)?.summary ?? null,
    assumeHeld: opts.assumeHeld?.(r.ds.doc.file, r.fn.name),
    assumeFaultsOff: opts.assumeFaultsOff?.(r.ds.doc.file, r.fn.name),
    faultHandler: r.isFaultHandler,
    entryUnknown: opts.entryUnknown?.(r.ds.doc.file, r.fn.name),
  });

  // A function that names nothing the table knows (no lock, user access, fault
  // flag, ...), calls no function whose summary says anything, and is no fault
  // handler, annotated or installed function, has nothing for the engine to
  // follow: its summary is the empty one and it has no findings, so it is not
  // parsed again. Most of a tree's functions are such.
  const quiet = opts.exhaustive || opts.keepFlows || opts.assumeHeld || opts.assumeFaultsOff || opts.entryUnknown ? null : relevantNames(opts.table);
  const isQuiet = (r: FnRef): boolean => {
    if (!quiet || r.isFaultHandler || r.fn.annotations.length || installedMembers.has(r.fn.name)) return false;
    for (const c of r.callees) {
      const s = resolve(c, r)?.summary;
      if (s && !isEmptySummary(s)) return false;
    }
    const body = r.ds.text.slice(r.fn.start, r.fn.end);
    IDENT.lastIndex = 0;
    for (let m = IDENT.exec(body); m; m = IDENT.exec(body)) if (quiet.has(m[0]) || /^(VM_FAULT|FAULT_FLAG)_/.test(m[0])) return false;
    return true;
  };
  let quietFunctions = 0;

  // ---- bottom-up analysis ----------------------------------------------
  for (const scc of tarjan(edges)) {
    const recursive = scc.length > 1 || edges[scc[0]].includes(scc[0]);
    if (!recursive && isQuiet(refs[scc[0]])) {
      const r = refs[scc[0]];
      r.summary = emptySummary(r);
      r.cached = { findings: [], analysed: true, edges: [] };
      quietFunctions++;
      finish(r);
      continue;
    }
    if (opts.cache && !recursive && !opts.keepFlows) {
      const r = refs[scc[0]];
      r.cacheKey = cacheKeyOf(r);
      const hit = opts.cache.get(r.cacheKey, r.ds.lines.line(r.fn.start));
      if (hit) {
        r.summary = hit.summary;
        r.cached = { findings: hit.findings, analysed: hit.analysed, edges: hit.edges };
        finish(r);
        continue;
      }
    }
    for (let round = 0; round < (recursive ? 3 : 1); round++) {
      let changed = false;
      for (const i of scc) {
        const r = refs[i];
        let flow: FunctionFlow;
        try {
          r.info = r.info ?? load(r);
          flow = analyzeFunction(r.info, r.ds.text, contextOf(r));
        } catch (err) {
          problems.push({ file: r.ds.doc.file, message: `${r.fn.name}(): not analysed: ${(err as Error).message}` });
          continue;
        }
        const sum = computeSummary(flow, r.ds.doc.file, r.ds.lines, r.isFaultHandler);
        applyMemberContracts(sum, r.fn, installedMembers.get(r.fn.name));
        if (!r.summary || JSON.stringify(r.summary) !== JSON.stringify(sum)) changed = true;
        r.summary = sum;
        r.flow = flow;
      }
      if (!changed) break;
    }
    for (const i of scc) finish(refs[i]);
  }

  // ---- locks the fault path takes, learned from handlers -------------------
  for (const r of refs) {
    if (!r.isFaultHandler || !r.summary) continue;
    for (const t of r.summary.takes) {
      if (!t.typeKey || t.cls === 'spinlock' || t.cls === 'page' || t.cls === 'mmap_lock') continue;
      const known = faultPathLocks.get(t.typeKey);
      if (!known) faultPathLocks.set(t.typeKey, { typeKey: t.typeKey, mode: t.mode, handler: r.fn.name, file: t.file, line: t.line });
      else if (known.mode !== t.mode) known.mode = 'write';
    }
  }
  for (const r of deferred) {
    if (r.flow) runChecks(r, r.flow);
    if (!opts.keepFlows) {
      r.flow = undefined;
      r.info = undefined;
    }
  }
  let functionsWithParseErrors = 0;
  for (const r of refs) if (r.hasErrorNode) functionsWithParseErrors++;
  let cycleEdges = new Set<string>();
  if (active.some((c) => c.id === 'lock-order')) {
    const lo = lockOrderFindings(lockGraph);
    cycleEdges = lo.cycleEdges;
    findings.push(...lo.findings.filter((f) => !docs.some((d) => d.file === f.file && d.role === 'header')));
  }
  findings.sort(compareFindings);
  let flowAt: AnalysisResult['flowAt'];
  if (opts.lazyFlows) {
    // the functions' headers and settled summaries stay; trees and states do not
    const memo = new Map<FnRef, FunctionFlow | null>();
    flowAt = (file, offset) => {
      const r = refs.find((x) => x.ds.doc.file === file && x.fn.start <= offset && offset < x.fn.end);
      if (!r) return null;
      if (!memo.has(r)) {
        let flow: FunctionFlow | null = null;
        try {
          flow = analyzeFunction(load(r), r.ds.text, contextOf(r));
        } catch {
          flow = null;
        }
        memo.set(r, flow);
      }
      return memo.get(r) ?? null;
    };
  }
  return {
    findings,
    lockGraph,
    cycleEdges,
    problems,
    flows,
    flowAt,
    functions: new Map(states.map((ds) => [ds.doc.file, ds.functions.map((f) => ({ start: f.header.start, end: f.header.end }))])),
    stats: {
      files: docs.length,
      functions: refs.length,
      functionsAnalysed,
      functionsWithParseErrors,
      quietFunctions,
      ms: Date.now() - t0,
    },
  };
}

/**
 * Phase 2: the function's own text parsed again, offsets kept. A definition
 * parses the same alone as in its file; if the slice does not give it back
 * (a function that only made sense inside a recovered ERROR), the whole file
 * is parsed again and the definition found by its offset.
 */
function loadFunction(parser: CParser, ds: DocState, fn: FunctionHeader): FunctionInfo {
  const slice = parser.parse(ds.text.slice(fn.start, fn.end), fn.start);
  const found = findFunctions(slice.rootNode, ds.text, ds.annotations).find((f) => f.start === fn.start && f.name === fn.name);
  if (found) return found;
  const whole = parser.parse(ds.text);
  const again = findFunctions(whole.rootNode, ds.text, ds.annotations).find((f) => f.start === fn.start && f.name === fn.name);
  if (!again) throw new Error('the definition could not be parsed again');
  return again;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Every name the engine gives meaning to: table rows (calls and ops members) and the fault-contract words. */
function relevantNames(table: KernelTable): Set<string> {
  const out = new Set<string>();
  for (const name of table.rows.keys()) out.add(name.replace(/^->/, ''));
  for (const f of table.fields) out.add(f.field);
  for (const t of table.lockTransferReturns) out.add(t.token);
  for (const t of LOCK_RELEASED_RETURNS) out.add(t.token);
  for (const w of FAULT_IO_WAITS) out.add(w.name.replace(/^->/, ''));
  for (const k of Object.keys(FLAG_TEST_HELPERS)) out.add(k);
  for (const k of Object.keys(ATOMIC_COPY_TWINS)) out.add(k);
  for (const c of MEMBER_CONTRACTS) out.add(c.member);
  for (const m of table.faultHandlerMembers) out.add(m);
  out.delete('');
  return out;
}

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
  return !s.mayFault && !s.mayFaultReleased.length && !s.effects.length && !s.returnsLocked && !s.takes.length && !s.isFaultHandler;
}

/** A function installed as ->read_folio unlocks its folio (at I/O completion), whatever its body shows. */
function applyMemberContracts(sum: FunctionSummary, fn: FunctionHeader, members: string[] | undefined): void {
  if (!members) return;
  for (const c of MEMBER_CONTRACTS) {
    if (!members.includes(c.member) || c.effect !== 'release') continue;
    const param = c.arg < 0 ? fn.params.length + c.arg : c.arg;
    if (param < 0 || param >= fn.params.length) continue;
    if (sum.effects.some((e) => e.param === param && e.suffix === '')) continue;
    sum.effects.push({ effect: 'release', param, suffix: '', cls: c.lock, mode: 'excl' });
  }
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
