// Phase 2 of the analysis for one job: a function (or a recursive group) whose
// callees' summaries are known. Its text is parsed again, the engine runs to
// a fixpoint, the summary is computed, the checks run, and the lock-order
// edges are collected. Pure over its inputs and plain data out, so the same
// code runs in the calling thread (the editor, tests) and in the CLI's worker
// threads.
import type { CheckContext, LearnedLock } from './checks/check';
import { faultingCall, rangeOf } from './checks/check';
import { needsLearnedLocks } from './checks';
import type { Check } from './checks/check';
import { analyzeFunction, AssumedLock, FUNCTION_TIME_BUDGET_MS, FunctionFlow } from './flow/engine';
import { CLASS_NODES, lockNode } from './flow/lockgraph';
import { HELD } from './flow/state';
import { computeSummary, FunctionSummary } from './flow/summary';
import type { Finding } from './findings/finding';
import { MEMBER_CONTRACTS } from './kernel/api';
import type { KernelTable } from './kernel/table';
import { describeFunction, findFunctions, FunctionHeader, FunctionInfo } from './syntax/functions';
import type { KeptTrees } from './phase1';
import { decode } from './syntax/plain';
import type { LineIndex } from './syntax/lines';
import type { Annotation } from './syntax/prepare';
import type { CParser } from './syntax/tree';

/** A document as phase 2 reads it: the prepared text (annotations blanked, offsets kept). */
export interface JobDoc {
  file: string;
  role: 'source' | 'header';
  text: string;
  annotations: Annotation[];
  lines: LineIndex;
  /** Compact trees phase 1 kept: a function found there is not parsed again. */
  trees?: KeptTrees;
}

export interface JobFunction {
  doc: JobDoc;
  fn: FunctionHeader;
  isFaultHandler: boolean;
  installedAs: string[];
  /** Callee name -> its summary (null: none), or the index of another function of this job (recursion). */
  callees: Map<string, FunctionSummary | number | null>;
  assumeHeld?: AssumedLock[];
  assumeFaultsOff?: boolean;
  entryUnknown?: boolean;
}

/** One lock-order edge a function contributes; `line` is 0-based in its file. */
export interface EdgeRecord {
  from: string;
  to: string;
  implicit: boolean;
  line: number;
  viaCallee: boolean;
  /** The call or acquisition, 0-based columns on `line` and where it ends. */
  col?: number;
  endLine?: number;
  endCol?: number;
  /** viaCallee: where the callee (or its callees, `depth` calls down) takes `to`. */
  take?: { fn: string; file: string; line: number; depth: number };
  /** 0-based line where the held lock `from` was taken, when known. */
  heldLine?: number;
}

/** A problem with one function: the message, and the function and its first line (1-based) as data. */
export interface FunctionProblem {
  message: string;
  function: string;
  line?: number;
}

export interface FnResult {
  summary?: FunctionSummary;
  findings: Finding[];
  /** Analysis problems (not analysed, past budget), then check failures in checkProblems. */
  problems: FunctionProblem[];
  checkProblems: string[];
  edges: EdgeRecord[];
  /** Reached its fixpoint within budget. */
  analysed: boolean;
  /** Its checks read the locks learned from every fault handler: run again when those are known. */
  deferred: boolean;
  /** With keepFlows: the states, for hover and patch review. */
  flow?: FunctionFlow;
}

export interface JobSettings {
  table: KernelTable;
  checks: readonly Check[];
  /** Locks the fault path takes; null while they are still being learned (such checks are deferred). */
  learned: Map<string, LearnedLock> | null;
  keepFlows: boolean;
}

const ROUNDS_FOR_RECURSION = 3;

export function runJob(parser: CParser, fns: JobFunction[], recursive: boolean, settings: JobSettings): FnResult[] {
  const summaries: (FunctionSummary | undefined)[] = fns.map(() => undefined);
  const flows: (FunctionFlow | undefined)[] = fns.map(() => undefined);
  const problems: FunctionProblem[][] = fns.map(() => []);
  const infos: (FunctionInfo | undefined)[] = fns.map(() => undefined);
  for (let round = 0; round < (recursive ? ROUNDS_FOR_RECURSION : 1); round++) {
    let changed = false;
    fns.forEach((j, i) => {
      let flow: FunctionFlow;
      try {
        infos[i] = infos[i] ?? loadFunction(parser, j.doc, j.fn);
        flow = analyzeFunction(infos[i] as FunctionInfo, j.doc.text, {
          table: settings.table,
          summaryOf: (name: string): FunctionSummary | null => {
            const c = j.callees.get(name);
            return typeof c === 'number' ? summaries[c] ?? null : c ?? null;
          },
          assumeHeld: j.assumeHeld,
          assumeFaultsOff: j.assumeFaultsOff,
          faultHandler: j.isFaultHandler,
          entryUnknown: j.entryUnknown,
        });
      } catch (err) {
        if (!problems[i].length) problems[i].push({ message: `${j.fn.name}(): not analysed: ${(err as Error).message}`, function: j.fn.name });
        return;
      }
      const sum = computeSummary(flow, j.doc.file, j.doc.lines, j.isFaultHandler);
      applyMemberContracts(sum, j.fn, j.installedAs);
      if (!summaries[i] || JSON.stringify(summaries[i]) !== JSON.stringify(sum)) changed = true;
      summaries[i] = sum;
      flows[i] = flow;
    });
    if (!changed) break;
  }
  return fns.map((j, i) => {
    const flow = flows[i];
    const out: FnResult = { summary: summaries[i], findings: [], problems: problems[i], checkProblems: [], edges: [], analysed: false, deferred: false };
    if (!flow) return out;
    const line = j.doc.lines.line(j.fn.start) + 1;
    out.edges = edgesOf(flow, j.doc.lines, settings.table);
    out.analysed = flow.converged;
    // past its budget a function is said to be not (fully) analysed; everything else goes on
    const at = { function: j.fn.name, line };
    if (flow.timedOut) out.problems.push({ message: `${j.fn.name}() at line ${line}: not analysed: past the ${FUNCTION_TIME_BUDGET_MS / 1000} s budget of a function (${flow.iterations} steps)`, ...at });
    else if (!flow.converged) out.problems.push({ message: `${j.fn.name}() at line ${line}: not analysed: the fixpoint did not settle within ${flow.iterations} steps`, ...at });
    if (flow.cfg.truncated) out.problems.push({ message: `${j.fn.name}() at line ${line}: nesting deeper than the analysis reads: the deepest part is taken as one statement`, ...at });
    if (settings.keepFlows) out.flow = flow;
    if (!settings.learned && needsLearnedLocks(settings.checks, flow)) out.deferred = true;
    else runChecks(j, flow, settings, out);
    return out;
  });
}

function runChecks(j: JobFunction, flow: FunctionFlow, settings: JobSettings, out: FnResult): void {
  if (j.doc.role === 'header') return;
  const ctx: CheckContext = {
    file: j.doc.file,
    src: j.doc.text,
    lines: j.doc.lines,
    flow,
    table: settings.table,
    faultPathLocks: settings.learned ?? new Map(),
    isFaultHandler: j.isFaultHandler,
    installedAs: j.installedAs,
    report: (f) => {
      out.findings.push({
        rule: f.rule,
        severity: f.severity,
        file: j.doc.file,
        range: rangeOf(j.doc.lines, f.start, f.end),
        message: f.message,
        function: j.fn.name,
        notes: f.notes,
        fixes: f.fixes ?? [],
        ...(f.facts ? { facts: f.facts } : {}),
      });
    },
  };
  for (const c of settings.checks) {
    try {
      c.run(ctx);
    } catch (err) {
      out.checkProblems.push(`${j.fn.name}(): check ${c.id} failed: ${(err as Error).message}`);
    }
  }
}

/** Edges of the lock-order graph from one function: nested acquisitions, callees' locks, faulting accesses. */
function edgesOf(flow: FunctionFlow, lines: LineIndex, table: KernelTable): EdgeRecord[] {
  const out: EdgeRecord[] = [];
  const add = (from: string, to: string, implicit: boolean, offset: number, viaCallee = false, end?: number, take?: EdgeRecord['take'], held?: number): void => {
    if (from === to) return;
    const p = lines.position(offset);
    const q = end !== undefined ? lines.position(end) : undefined;
    out.push({
      from, to, implicit, line: p.line, viaCallee, col: p.character,
      ...(q ? { endLine: q.line, endCol: q.character } : {}), ...(take ? { take } : {}), ...(held !== undefined ? { heldLine: lines.line(held) } : {}),
    });
  };
  for (const n of flow.nested) {
    const a = lockNode(n.held, table);
    const b = lockNode(n.taken, table);
    if (a && b) add(a, b, false, n.offset, false, n.end, undefined, n.held.sites[0]);
  }
  for (const e of flow.events) {
    if (e.kind !== 'call' || e.state.locks.size === 0) continue;
    const held = [...e.state.locks.values()].filter((f) => f.paths & HELD && f.scope === undefined);
    if (!held.length) continue;
    if (e.summary) {
      for (const t of e.summary.takes) {
        // callees' locks are edges for the documented order only (lock classes)
        const b = CLASS_NODES[t.cls];
        if (!b) continue;
        for (const h of held) {
          const a = lockNode(h, table);
          if (a && a !== b && !t.without?.includes(a)) add(a, b, false, e.start, true, e.end, { fn: t.fn, file: t.file, line: t.line, depth: t.depth ?? 0 }, h.sites[0]);
        }
      }
    }
    if (faultingCall(e) && e.state.faultsOff.min === 0) {
      for (const h of held) {
        const a = lockNode(h, table);
        if (a && a !== 'mmap_lock') add(a, 'mmap_lock', true, e.start);
      }
      add('mmap_lock', 'invalidate_lock', true, e.start);
      add('invalidate_lock', 'page lock', true, e.start);
    }
  }
  return out;
}

/** How functions were loaded in this thread: rebuilt from kept trees, or parsed again (FAULTPATH_DEBUG). */
export const loadStats = { rebuilt: 0, parsed: 0 };

/**
 * The function's tree: rebuilt from the compact tree phase 1 kept, or else
 * its own text parsed again, offsets kept. A definition parses the same alone
 * as in its file; if the slice does not give it back (a function that only
 * made sense inside a recovered ERROR), the whole file is parsed again and
 * the definition found by its offset.
 */
export function loadFunction(parser: CParser, doc: { text: string; annotations: Annotation[]; trees?: KeptTrees }, fn: FunctionHeader): FunctionInfo {
  const kept = doc.trees?.byStart.get(fn.start);
  if (kept && doc.trees) {
    const f = describeFunction(decode(kept, doc.trees.vocab, fn.start), doc.text, doc.annotations);
    if (f && f.name === fn.name && f.end === fn.end) {
      loadStats.rebuilt++;
      return f;
    }
  }
  loadStats.parsed++;
  const slice = parser.parse(doc.text.slice(fn.start, fn.end), fn.start);
  const found = findFunctions(slice.rootNode, doc.text, doc.annotations).find((f) => f.start === fn.start && f.name === fn.name);
  if (found) return found;
  const whole = parser.parse(doc.text);
  const again = findFunctions(whole.rootNode, doc.text, doc.annotations).find((f) => f.start === fn.start && f.name === fn.name);
  if (!again) throw new Error('the definition could not be parsed again');
  return again;
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
