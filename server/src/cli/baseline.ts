// Baselines: a team's reviewed findings, kept in an earlier JSON or SARIF output
// of faultpath (kernel trees cannot carry tool comments). Each finding gets a
// fingerprint that survives line moves: a hash of its rule, function, status,
// kind, the locks it names and the normalised text of the line it flags, with
// an occurrence index among findings of the same file that hash alike. A run
// with a baseline reports only findings the baseline does not hold.
import { createHash } from 'crypto';
import * as path from 'path';
import type { Finding } from '../findings/finding';
import { readInput } from '../input/read';

/** The key under which SARIF results carry the fingerprint (partialFingerprints). */
export const FINGERPRINT_KEY = 'faultpath/v1';

/** One finding of a baseline file: what it is matched by. */
export interface BaselineEntry {
  rule: string;
  function: string;
  fingerprint: string;
  /** The file, relative as the output wrote it; null for patch findings (their fingerprint names the patched file). */
  file: string | null;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

/** How many findings a baseline held back, for the summary of each output format. */
export interface BaselineUse {
  file: string;
  entries: number;
  suppressed: number;
}

/** A baseline that cannot be used: the CLI reports it as bad usage (exit 2), never as a clean run. */
export class BaselineError extends Error {}

const FINGERPRINT = /^[0-9a-f]{16}:\d+$/;

/** The code of a flagged line, as the fingerprint reads it: no quote prefix or diff op (patches), whitespace collapsed. */
export function normaliseLine(text: string, inPatch: boolean): string {
  let t = text;
  if (inPatch) t = t.replace(/^(?:[ \t]*>)+ ?/, '').replace(/^[-+ ]/, '');
  return t.trim().replace(/\s+/g, ' ');
}

/**
 * The locks a finding names, from its facts. A rule without facts yet
 * (lock-imbalance, TODO #16) is matched by its whole message, as patch review
 * matches it; its messages name the lock and no line.
 */
function locksOf(f: Finding): string {
  return f.facts ? [f.facts.lock?.expr, f.facts.held?.expr].filter((x): x is string => !!x).join(',') : `message:${f.message}`;
}

/**
 * Sets `fingerprint` on every finding. `lineOf(file, line)` gives the text of a
 * 0-based line of an input document ('' when unknown). Occurrence indices count
 * in position order, so the same findings give the same fingerprints whatever
 * order the analysis produced them in.
 */
export function fingerprintFindings(findings: Finding[], lineOf: (file: string, line: number) => string): void {
  const ordered = [...findings].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  const seen = new Map<string, number>();
  for (const f of ordered) {
    const inPatch = !!f.status;
    const parts = [
      f.rule,
      f.function,
      f.status ?? '',
      f.facts?.kind ?? '',
      // a patch finding is placed by the file it patches, never by the patch's file name
      inPatch ? f.target?.file ?? '' : '',
      locksOf(f),
      normaliseLine(lineOf(f.file, f.range.start.line), inPatch),
    ];
    const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
    const group = `${f.file}\u0000${hash}`;
    const n = seen.get(group) ?? 0;
    seen.set(group, n + 1);
    f.fingerprint = `${hash}:${n}`;
  }
}

/** A file name as outputs write it (relative to the working directory, '/' separators). */
function slashes(file: string): string {
  return file.split(path.sep).join('/').replace(/^\.\//, '');
}

/** The same file written from two working directories: equal, or one a path suffix of the other. */
function sameFile(a: string, b: string): boolean {
  const x = slashes(a);
  const y = slashes(b);
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** Reads a baseline: the JSON output (`{"findings": [...]}`) or SARIF output of faultpath. */
export function parseBaseline(text: string, file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(`baseline '${file}' is not valid JSON (${(err as Error).message}); give an earlier --format json or --format sarif output, or one written by --write-baseline`);
  }
  const o = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  if (o && Array.isArray(o.findings)) return { file, entries: o.findings.map((f, i) => jsonEntry(f, `${file}: findings[${i}]`)) };
  if (o && Array.isArray(o.runs)) return { file, entries: sarifEntries(o.runs, file) };
  throw new BaselineError(`baseline '${file}' is neither faultpath JSON output (no "findings" array) nor SARIF (no "runs" array)`);
}

function needFingerprint(fp: unknown, where: string): string {
  if (fp === undefined) throw new BaselineError(`${where} has no fingerprint: the baseline was written by an older faultpath; write it again with --write-baseline`);
  if (typeof fp !== 'string' || !FINGERPRINT.test(fp)) throw new BaselineError(`${where}: fingerprint ${JSON.stringify(fp)} is not one faultpath writes`);
  return fp;
}

function jsonEntry(f: unknown, where: string): BaselineEntry {
  if (!f || typeof f !== 'object') throw new BaselineError(`${where}: expected a finding object`);
  const o = f as Record<string, unknown>;
  if (typeof o.rule !== 'string' || typeof o.function !== 'string') throw new BaselineError(`${where}: a finding needs "rule" and "function"`);
  const fingerprint = needFingerprint(o.fingerprint, where);
  const patch = typeof o.status === 'string';
  if (!patch && typeof o.file !== 'string') throw new BaselineError(`${where}: a finding needs "file"`);
  return { rule: o.rule, function: o.function, fingerprint, file: patch ? null : (o.file as string) };
}

function sarifEntries(runs: unknown[], file: string): BaselineEntry[] {
  const out: BaselineEntry[] = [];
  runs.forEach((run, ri) => {
    const r = run as { tool?: { driver?: { name?: unknown } }; results?: unknown };
    const name = r?.tool?.driver?.name;
    if (name !== 'faultpath') throw new BaselineError(`baseline '${file}': runs[${ri}] is from ${typeof name === 'string' ? `'${name}'` : 'an unnamed tool'}, not faultpath`);
    if (!Array.isArray(r.results)) throw new BaselineError(`baseline '${file}': runs[${ri}] has no "results" array`);
    r.results.forEach((res, i) => {
      const where = `${file}: runs[${ri}].results[${i}]`;
      const x = res as {
        ruleId?: unknown;
        partialFingerprints?: Record<string, unknown>;
        baselineState?: unknown;
        locations?: { physicalLocation?: { artifactLocation?: { uri?: unknown } }; logicalLocations?: { name?: unknown }[] }[];
      };
      if (!x || typeof x.ruleId !== 'string') throw new BaselineError(`${where}: a result needs "ruleId"`);
      const loc = x.locations?.[0];
      const fn = loc?.logicalLocations?.[0]?.name;
      if (typeof fn !== 'string') throw new BaselineError(`${where}: no function (locations[0].logicalLocations[0].name): the baseline was written by an older faultpath; write it again with --write-baseline`);
      const fingerprint = needFingerprint(x.partialFingerprints?.[FINGERPRINT_KEY], where);
      const uri = loc?.physicalLocation?.artifactLocation?.uri;
      const patch = x.baselineState !== undefined;
      if (!patch && typeof uri !== 'string') throw new BaselineError(`${where}: no file (locations[0].physicalLocation.artifactLocation.uri)`);
      out.push({ rule: x.ruleId, function: fn, fingerprint, file: patch ? null : decodeURI(uri as string) });
    });
  });
  return out;
}

/**
 * The findings the baseline does not hold (each baseline entry holds back one
 * finding), and how many it held back. `rel` writes a finding's file as the
 * outputs do. Findings must carry fingerprints (fingerprintFindings).
 */
export function applyBaseline(findings: Finding[], baseline: Baseline, rel: (file: string) => string): { kept: Finding[]; use: BaselineUse } {
  const pool = new Map<string, BaselineEntry[]>();
  for (const e of baseline.entries) {
    const k = `${e.rule}\u0000${e.function}\u0000${e.fingerprint}`;
    pool.set(k, [...(pool.get(k) ?? []), e]);
  }
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    const list = pool.get(`${f.rule}\u0000${f.function}\u0000${f.fingerprint ?? ''}`);
    const i = list ? list.findIndex((e) => e.file === null || !!f.status || sameFile(e.file, rel(f.file))) : -1;
    if (list && i >= 0) {
      list.splice(i, 1);
      suppressed++;
    } else kept.push(f);
  }
  return { kept, use: { file: baseline.file, entries: baseline.entries.length, suppressed } };
}

/** Reads and checks the baseline file before the run, so a bad one costs no analysis time. */
export function loadBaseline(file: string): Baseline {
  // through the one input reader: a FIFO or a link to /dev/zero is refused, not waited on or read
  const r = readInput(file, { maxBytes: 256 * 1024 * 1024 });
  if (r.refused !== undefined) throw new BaselineError(`cannot read baseline '${file}': ${r.refused}`);
  return parseBaseline(r.text, file);
}

/** Line text of the run's input documents, for fingerprints: split once per document, on demand. */
export function lineReader(docs: { file: string; text: string }[]): (file: string, line: number) => string {
  const texts = new Map(docs.map((d) => [d.file, d.text]));
  const split = new Map<string, string[]>();
  return (file, line) => {
    let lines = split.get(file);
    if (!lines) {
      lines = (texts.get(file) ?? '').split(/\r?\n/);
      split.set(file, lines);
    }
    return lines[line] ?? '';
  };
}

/** A file as the outputs name it: relative to the working directory when inside it, else as given. */
export function outputPath(file: string, cwd: string): string {
  if (file === '-' || file === '<stdin>') return file;
  const r = path.relative(cwd, file);
  return r && !r.startsWith('..') ? r : file;
}
