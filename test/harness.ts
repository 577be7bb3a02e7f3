// Fixture harness: text in, findings out, through the same entry point as the
// CLI. Markers in C comments, on a code line or alone on the line under it:
//   want: <rule-id> [error|warning|info|hint]   a finding of that rule on that line
//   note: <text>                                 one of its notes contains the text
// Every finding needs a marker and every marker a finding (go analysistest).
import * as fs from 'fs';
import * as path from 'path';
import { analyzeDocuments, AnalysisResult, SourceDoc } from '../server/src/analysis';
import { emptyConfig, tableFor } from '../server/src/kernel/config';
import type { Finding } from '../server/src/findings/finding';
import { createParser } from '../server/src/syntax/parser';
import type { CParser } from '../server/src/syntax/tree';

export interface Expectation {
  line: number; // 1-based
  rule: string;
  severity?: string;
  notes: string[];
}

const parsers = new Map<string, Promise<CParser>>();
export function parser(kind: 'native' | 'wasm' = 'native'): Promise<CParser> {
  let p = parsers.get(kind);
  if (!p) {
    p = createParser(kind);
    parsers.set(kind, p);
  }
  return p;
}

export function readExpectations(text: string): Expectation[] {
  const lines = text.split('\n');
  const out: Expectation[] = [];
  let lastCode = 0;
  let last: Expectation | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const markerOnly = /^\s*(\/\/|\/\*|\*)\s*(want|note):/.test(l);
    const target = markerOnly ? lastCode : i + 1;
    const wants = [...l.matchAll(/want:\s*([a-z-]+)(?:\s+(error|warning|info|hint))?/g)];
    for (const w of wants) {
      last = { line: target, rule: w[1], severity: w[2], notes: [] };
      out.push(last);
    }
    const note = /note:\s*(.*?)\s*(\*\/)?\s*$/.exec(l);
    if (note && last && (last.line === target)) last.notes.push(note[1]);
    if (!markerOnly && l.trim() !== '') lastCode = i + 1;
  }
  return out;
}

/** A fixture's `kernel-version: X.Y` marker (in a C comment): the table is built for that version. */
export function readKernelVersion(text: string): string | null {
  const m = /^\s*(?:\/\/|\/\*|\*)\s*kernel-version:\s*(\d+\.\d+)/m.exec(text);
  return m ? m[1] : null;
}

export async function analyzeTexts(docs: SourceDoc[], opts: { kind?: 'native' | 'wasm'; exhaustive?: boolean } = {}): Promise<AnalysisResult> {
  const version = docs.map((d) => readKernelVersion(d.text)).find((v) => v !== null) ?? null;
  return analyzeDocuments(await parser(opts.kind ?? 'native'), docs, { table: tableFor({ ...emptyConfig(), kernelVersion: version }), exhaustive: opts.exhaustive });
}

/** Compares findings with markers; returns a list of human-readable mismatches (empty = pass). */
export function compare(file: string, text: string, findings: Finding[]): string[] {
  const want = readExpectations(text);
  const got = findings.filter((f) => f.file === file);
  const problems: string[] = [];
  const used = new Set<Finding>();
  for (const w of want) {
    const f = got.find((g) => !used.has(g) && g.rule === w.rule && g.range.start.line + 1 === w.line);
    if (!f) {
      problems.push(`${path.basename(file)}:${w.line}: expected ${w.rule}${w.severity ? ' ' + w.severity : ''}, got nothing`);
      continue;
    }
    used.add(f);
    if (w.severity && f.severity !== w.severity) problems.push(`${path.basename(file)}:${w.line}: expected ${w.rule} ${w.severity}, got ${f.severity}: ${f.message}`);
    for (const n of w.notes) {
      if (!f.notes.some((x) => x.message.includes(n))) problems.push(`${path.basename(file)}:${w.line}: no note containing "${n}" in ${JSON.stringify(f.notes.map((x) => x.message))}`);
    }
  }
  for (const g of got) {
    if (!used.has(g)) problems.push(`${path.basename(file)}:${g.range.start.line + 1}: unexpected ${g.severity} ${g.rule}: ${g.message}`);
  }
  return problems;
}

export function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[ch]$/.test(e.name)) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
