// What the editor asks about one document: analysis results kept per document
// version, hover text and inlay hints from them. Pure over (uri, text): the
// server file only wires requests to these.
import type { AnalysisResult, ExternalKnowledge } from '../analysis';
import { analyzeDocumentsAsync } from '../analysis';
import type { FunctionCache } from '../cache';
import { faultingCall } from '../checks/check';
import { fixesFor } from '../checks';
import type { FixEdit } from '../checks/fixes';
import type { CallEvent, FunctionFlow } from '../flow/engine';
import { offsetOfLine, stateAt } from '../flow/describe';
import { lockStateFacts } from '../findings/lock-state';
import { lockStateBrief, lockStateLines } from '../render/lock-state';
import { heldMay, heldMust, RELEASED } from '../flow/state';
import type { Finding } from '../findings/finding';
import { classify } from '../input/mail';
import type { KernelTable } from '../kernel/table';
import { describeDocumentLine, reviewDocument } from '../patch/review';
import { LineIndex } from '../syntax/lines';
import { hintLabel, stateChanges } from './hints';
import { LockGraph, toSvg } from '../flow/lockgraph';
import type { CParser } from '../syntax/tree';
import type { IncrementalIndexer } from '../phase1';
import type { TreeFile } from '../patch/tree-files';

export interface DocumentAnalysis {
  kind: 'c' | 'patch';
  /** The document's lock-order graph (C documents) and the edges lock-order reported. */
  lockGraph?: LockGraph;
  cycleEdges?: Set<string>;
  findings: Finding[];
  /** C documents: the flow (per-node states) of the function at an offset, analysed again on first use. */
  flowAt(offset: number): FunctionFlow | null;
  /** Functions past a budget (nesting, steps, time): shown as information at their first line. */
  notAnalysed: { line: number; message: string }[];
  /** C documents: functions (start and end offsets) in document order. */
  functions: { start: number; end: number }[];
  lines: LineIndex;
  text: string;
  file: string;
}

export async function analyzeForEditor(
  parser: CParser,
  file: string,
  text: string,
  table: KernelTable,
  languageId: string,
  cache?: FunctionCache,
  indexer?: IncrementalIndexer,
  workspace: { external?: ExternalKnowledge; readTreeFile?: (path: string) => TreeFile; treeName?: string } = {},
  cancelled: () => boolean = () => false,
): Promise<DocumentAnalysis> {
  const lines = new LineIndex(text);
  const isPatch = languageId === 'diff' || languageId === 'faultpath-mail' || (languageId !== 'c' && classify(text) !== 'c');
  if (isPatch) {
    const r = reviewDocument(parser, file, text, { table, readTreeFile: workspace.readTreeFile, treeName: workspace.treeName });
    return { kind: 'patch', findings: r.findings.filter((f) => f.file === file), flowAt: () => null, functions: [], notAnalysed: [], lines, text, file };
  }
  // Findings come from the per-function cache where a function and its callees
  // did not change; states for hover are computed per function when asked.
  // in slices: the server answers other requests meanwhile, and a newer version stops it
  const r: AnalysisResult = await analyzeDocumentsAsync(
    parser,
    [{ file, text }],
    {
      table,
      lazyFlows: true,
      cache,
      external: workspace.external,
      index: indexer ? (_doc, prepared) => ({ index: indexer.index(prepared, table), trees: indexer.trees }) : undefined,
    },
    { sliceMs: 15, cancelled },
  );
  return {
    kind: 'c',
    findings: r.findings.filter((f) => f.file === file),
    flowAt: (offset) => r.flowAt?.(file, offset) ?? null,
    notAnalysed: r.problems
      .filter((p) => p.file === file)
      .flatMap((p) => (p.function !== undefined && p.line !== undefined ? [{ line: p.line - 1, message: p.message }] : [])),
    functions: r.functions?.get(file) ?? [],
    lines,
    text,
    file,
    lockGraph: r.lockGraph,
    cycleEdges: r.cycleEdges,
  };
}

/** Hover at a 0-based line: the lock state before the statement there, as kernel-doc Context lines. */
export function hoverAt(parser: CParser, a: DocumentAnalysis, line: number, table: KernelTable, character?: number): string | null {
  let state: string[] | null;
  if (a.kind === 'patch') state = describeDocumentLine(parser, a.file, a.text, line, { table });
  else {
    const offset = offsetOfLine(a.text, line);
    // only on code: not on blank lines, comments, or outside function bodies (clangd answers there)
    if (character !== undefined && !onCode(a, offset, character)) return null;
    const flow = a.flowAt(offset);
    if (!flow) return null;
    const st = stateAt(flow, offset);
    state = st ? lockStateLines(lockStateFacts(st, (o) => a.lines.line(o) + 1), table) : ['(unreachable)'];
  }
  if (!state) return null;
  return ['**faultpath** lock state before this line', '', '```', ...state, '```'].join('\n');
}

/** The position is on code inside a function: not blank, not in a comment. */
function onCode(a: DocumentAnalysis, lineOffset: number, character: number): boolean {
  const nl = a.text.indexOf('\n', lineOffset);
  const lineText = a.text.slice(lineOffset, nl < 0 ? a.text.length : nl);
  if (!lineText.trim()) return false;
  // in the indentation or past the end of the line: the line's code
  const firstCode = lineText.search(/\S/);
  const lastCode = lineText.replace(/\s+$/, '').length - 1;
  const at = lineOffset + Math.max(firstCode, Math.min(character, lastCode));
  const fn = a.functions.find((f) => f.start <= at && at < f.end);
  if (!fn) return false;
  return !inComment(a.text, fn.start, at);
}

/** Whether `offset` lies in a comment, scanning C from `from` (a function start, outside comments and strings). */
export function inComment(text: string, from: number, offset: number): boolean {
  let i = from;
  while (i < offset) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0 || offset < end + 2) return true;
      i = end + 2;
    } else if (c === '/' && d === '/') {
      const end = text.indexOf('\n', i);
      if (end < 0 || offset < end) return true;
      i = end + 1;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < offset && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else i++;
  }
  return false;
}

export interface Hint {
  line: number;
  character: number;
  label: string;
  /** Placed before a call (the `allCalls` state label) rather than at the end of the line. */
  before?: boolean;
}

/**
 * Inlay hints within [from, to] lines (C documents): at the end of each line
 * whose statement changes the lock state (lsp/hints.ts). With `allCalls`, also
 * the state before every call that locks or may fault, at the call.
 */
export function inlayHints(a: DocumentAnalysis, from: number, to: number, table: KernelTable, allCalls = false): Hint[] {
  const out: Hint[] = [];
  const first = offsetOfLine(a.text, from);
  const last = offsetOfLine(a.text, to + 1);
  const textLines = a.text.split('\n');
  for (const fn of a.functions) {
    if (fn.end < first || fn.start > last) continue;
    const flow = a.flowAt(fn.start);
    if (!flow) continue;
    const byLine = new Map<number, string[]>();
    const seen = new Set<number>();
    for (const e of flow.events) {
      if (e.kind !== 'call') continue;
      const pos = a.lines.position(e.start);
      if (pos.line < from || pos.line > to) continue;
      const relevant = !!faultingCall(e) || e.rows.some((r) => LOCKING.has(r.effect)) || !!e.summary?.effects.length;
      if (!relevant) continue;
      if (allCalls) {
        const label = stateLabel(e, table);
        if (label) out.push({ line: pos.line, character: pos.character, label, before: true });
      }
      if (seen.has(e.node)) continue;
      seen.add(e.node);
      const changes = stateChanges(flow, e.node);
      if (changes.length) byLine.set(pos.line, [...(byLine.get(pos.line) ?? []), ...changes]);
    }
    for (const [line, changes] of byLine) {
      out.push({ line, character: (textLines[line] ?? '').replace(/\s+$/, '').length, label: hintLabel(changes) });
    }
  }
  return out.sort((x, y) => x.line - y.line || x.character - y.character);
}

const LOCKING = new Set(['acquire', 'release', 'try-acquire', 'acquire-ret', 'acquire-out', 'release-ret', 'faults-off', 'faults-on']);

/** The state before a call in a few words (the `allCalls` hints). */
function stateLabel(e: CallEvent, table: KernelTable): string {
  void table;
  const parts: string[] = [];
  for (const f of e.state.locks.values()) {
    if (f.cls === 'mmap_lock') {
      if (f.paths & RELEASED) parts.push(f.droppedIf ? `mmap_lock dropped if ${f.droppedIf.split('&')[0]}` : 'mmap_lock dropped?');
      else if (heldMay(f)) parts.push(`mmap_lock(${f.mode === 'write' ? 'w' : 'r'})`);
      continue;
    }
    if (!heldMay(f)) continue;
    const what = f.cls === 'page' ? 'page locked' : f.cls === 'spinlock' ? `${f.expr} (spin)` : f.expr;
    parts.push(heldMust(f) ? what : `${what}?`);
  }
  if (e.state.faultsOff.min > 0) parts.push('faults off');
  return hintLabel(parts);
}

/** Quick fixes for findings on the given lines (C documents: the edits are in the document itself). */
export function quickFixes(a: DocumentAnalysis, fromLine: number, toLine: number): { finding: Finding; fix: FixEdit }[] {
  if (a.kind !== 'c') return [];
  const lines = a.text.split('\n');
  const out: { finding: Finding; fix: FixEdit }[] = [];
  for (const f of a.findings) {
    if (f.range.start.line < fromLine || f.range.start.line > toLine) continue;
    for (const fix of fixesFor(f, lines)) out.push({ finding: f, fix });
  }
  return out;
}

/**
 * "Show lock state of this function": every line of the function at `line`, with the
 * state before it in a few words (the inlay-hint vocabulary), as a Markdown report.
 */
export function lockStateReport(a: DocumentAnalysis, line: number, table: KernelTable): string | null {
  if (a.kind !== 'c') return null;
  const flow = a.flowAt(offsetOfLine(a.text, line));
  if (!flow) return null;
  const first = a.lines.line(flow.fn.start);
  const last = a.lines.line(flow.fn.end);
  const lines = a.text.split('\n');
  const out = [`# Lock state: ${flow.fn.name}()`, '', '```'];
  const bodyLine = a.lines.line(flow.fn.body.startIndex);
  for (let l = first; l <= last; l++) {
    const code = (lines[l] ?? '').replace(/\t/g, '    ');
    const st = stateAt(flow, offsetOfLine(a.text, l));
    let summary = '';
    if (l > bodyLine && st && code.trim() && !/^\s*(\/\*|\*|\/\/|[{}]\s*$)/.test(code)) {
      summary = lockStateBrief(lockStateFacts(st, (o) => a.lines.line(o) + 1), table).join('; ');
    }
    const shown = summary ? `   | ${summary}` : '';
    out.push(`${String(l + 1).padStart(5)}  ${code}${shown}`);
  }
  out.push('```');
  return out.join('\n');
}

/**
 * The lock-order graph as SVG: the part around the function at `line` (edges
 * seen in it, and every edge touching their locks), or the whole document's.
 */
export function lockGraphSvg(a: DocumentAnalysis, line: number | null): string | null {
  if (!a.lockGraph || !a.lockGraph.edges.size) return null;
  let graph = a.lockGraph;
  if (line !== null) {
    const flow = a.flowAt(offsetOfLine(a.text, line));
    if (flow) {
      const mine = [...a.lockGraph.edges.values()].filter((e) => e.sites.some((s) => s.fn === flow.fn.name));
      const nodes = new Set(mine.flatMap((e) => [e.from, e.to]));
      if (nodes.size) {
        graph = new LockGraph();
        for (const e of a.lockGraph.edges.values()) {
          if (nodes.has(e.from) || nodes.has(e.to)) for (const s of e.sites) graph.add(e.from, e.to, e.implicit, s, e.viaCallee);
        }
      }
    }
  }
  return toSvg(graph, a.cycleEdges ?? new Set());
}
