// The history corpus (test/history/<family>/<slug>/{bug,fixed}.c): real
// fault-path bugs of kernel history re-created as our own code. Each case is
// analysed three ways: the buggy version (every marker must be found, nothing
// unmarked reported), the fixed version (silent), and the fix as a patch
// (`diff -up`, built here) reviewed against the buggy file as its tree: every
// marker found in the buggy version must come out `fixed`.
import * as fs from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { emptyConfig, tableFor } from '../server/src/kernel/config';
import { reviewDocument } from '../server/src/patch/review';
import { analyzeTexts, parser, readExpectations } from './harness';

export const HISTORY_DIR = path.join(__dirname, 'history');

export interface CaseHeader {
  commit: string;
  subject: string;
  date: string;
  family: string;
}

export interface CaseResult {
  /** `<family>/<slug>` */
  id: string;
  family: string;
  header: CaseHeader;
  /** Markers of bug.c, each `line:rule`, and whether a finding matched it. */
  markers: { line: number; rule: string; found: boolean }[];
  /** Findings in bug.c that no marker asks for: false alarms. */
  unmarked: string[];
  /** Findings in fixed.c: false alarms. */
  fixedFlagged: string[];
  /** Markers found in bug.c that the patch review did not report as `fixed`. */
  notFixedInPatch: string[];
  /** Parse or analysis problems of either version (a case must parse cleanly). */
  problems: string[];
}

export function caseDirs(): string[] {
  const out: string[] = [];
  if (!fs.existsSync(HISTORY_DIR)) return out;
  for (const fam of fs.readdirSync(HISTORY_DIR).sort()) {
    const fd = path.join(HISTORY_DIR, fam);
    if (!fs.statSync(fd).isDirectory()) continue;
    for (const slug of fs.readdirSync(fd).sort()) {
      const d = path.join(fd, slug);
      if (fs.statSync(d).isDirectory() && fs.existsSync(path.join(d, 'bug.c'))) out.push(d);
    }
  }
  return out;
}

export function readHeader(text: string): CaseHeader {
  const field = (k: string): string => new RegExp(`^\\s*\\*\\s*${k}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1] ?? '';
  return { commit: field('commit'), subject: field('subject'), date: field('date'), family: field('family') };
}

export async function runCase(dir: string): Promise<CaseResult> {
  const id = path.relative(HISTORY_DIR, dir);
  const family = id.split(path.sep)[0];
  const bugFile = path.join(dir, 'bug.c');
  const fixedFile = path.join(dir, 'fixed.c');
  const bug = fs.readFileSync(bugFile, 'utf8');
  const fixed = fs.existsSync(fixedFile) ? fs.readFileSync(fixedFile, 'utf8') : null;
  const say = (f: { range: { start: { line: number } }; severity: string; rule: string; message: string }): string =>
    `${f.range.start.line + 1}: ${f.severity} [${f.rule}] ${f.message}`;
  const problems: string[] = [];
  const want = readExpectations(bug);
  const rb = await analyzeTexts([{ file: bugFile, text: bug }]);
  problems.push(...rb.problems.map((p) => `bug.c: ${p.message}`));
  if (rb.stats.functionsAnalysed !== rb.stats.functions) problems.push(`bug.c: ${rb.stats.functions - rb.stats.functionsAnalysed} functions not analysed`);
  const used = new Set<number>();
  const markers = want.map((w) => {
    const i = rb.findings.findIndex((f, k) => !used.has(k) && f.rule === w.rule && f.range.start.line + 1 === w.line);
    if (i >= 0) used.add(i);
    return { line: w.line, rule: w.rule, found: i >= 0 };
  });
  const unmarked = rb.findings.filter((_, k) => !used.has(k)).map(say);
  let fixedFlagged: string[] = [];
  const notFixedInPatch: string[] = [];
  if (fixed === null) problems.push('no fixed.c');
  else {
    if (readExpectations(fixed).length) problems.push('fixed.c carries want: markers');
    const rf = await analyzeTexts([{ file: fixedFile, text: fixed }]);
    problems.push(...rf.problems.map((p) => `fixed.c: ${p.message}`));
    fixedFlagged = rf.findings.map(say);
    // the fix as a patch, reviewed with the buggy file as the tree
    const rel = `${id.split(path.sep).join('/')}.c`;
    const patch = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, bug, fixed, '', '', { context: 3 });
    const review = reviewDocument(await parser(), `${id}.patch`, patch, {
      table: tableFor(emptyConfig()),
      readTreeFile: (p) => (p === rel ? bug : null),
      treeName: 'history',
    });
    for (const m of markers) {
      if (!m.found) continue;
      const hit = review.findings.some((f) => f.rule === m.rule && f.status === 'fixed' && f.target?.line === m.line);
      if (!hit) notFixedInPatch.push(`${m.line}: [${m.rule}] not reported fixed by the patch`);
    }
  }
  return { id, family, header: readHeader(bug), markers, unmarked, fixedFlagged, notFixedInPatch, problems };
}

/** The expectations file: markers known to be missed today, each with its reason. */
export interface Expectations {
  missed: Record<string, { markers: string[]; why: string }>;
  /** Findings known to be false today (in fixed.c, or unmarked in bug.c), each with the reason. */
  falseAlarms?: Record<string, { findings: string[]; why: string }>;
}

export const EXPECT_FILE = path.join(HISTORY_DIR, 'expect.json');

export function readExpect(): Expectations {
  if (!fs.existsSync(EXPECT_FILE)) return { missed: {} };
  return JSON.parse(fs.readFileSync(EXPECT_FILE, 'utf8')) as Expectations;
}

export function markerId(m: { line: number; rule: string }): string {
  return `${m.line}:${m.rule}`;
}
