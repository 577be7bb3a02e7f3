// CLI output: checkpatch-like text and JSON (SARIF 2.1.0 in sarif.ts). Positions become 1-based here.
import * as path from 'path';
import type { AnalysisStats, Problem } from '../analysis';
import type { Finding } from '../findings/finding';
import { describeKernelVersion, KernelVersionInfo } from '../kernel/version';
import type { BaselineUse } from './baseline';

export interface Summary extends AnalysisStats {
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** The kernel version the table was built for and where it came from. */
  kernelVersion?: KernelVersionInfo;
  /** The baseline the run was compared with (--baseline) and how many findings it held back. */
  baseline?: BaselineUse;
}

export function summarize(findings: Finding[], stats: AnalysisStats, kernelVersion?: KernelVersionInfo): Summary {
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  return { ...stats, findings: findings.length, errors: count('error'), warnings: count('warning'), infos: count('info'), hints: count('hint'), ...(kernelVersion ? { kernelVersion } : {}) };
}

/** The version as JSON and SARIF carry it: file relative to the working directory, and the text line's words. */
export function kernelVersionJson(k: KernelVersionInfo, cwd: string): Record<string, unknown> {
  return { version: k.version, source: k.source, ...(k.file ? { file: rel(k.file, cwd) } : {}), description: describeKernelVersion(k, (f) => rel(f, cwd)) };
}

function rel(file: string, cwd: string): string {
  if (file === '-' || file === '<stdin>') return file;
  const r = path.relative(cwd, file);
  return r && !r.startsWith('..') ? r : file;
}

/**
 * Control characters (C0, DEL, C1) as `\xNN`: a file name from a patch (`+++ b/\x1b]0;...`)
 * must not drive the terminal the report is read on (git quotes such names too).
 */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatText(findings: Finding[], problems: Problem[], summary: Summary, cwd: string): string {
  const out: string[] = [];
  for (const p of problems) out.push(`${rel(p.file, cwd)}: ${p.message}`);
  for (const f of findings) {
    // patch findings name both places, as checkpatch does: the input line, then file:line in the patched file
    const target = f.target ? ` ${f.target.file}:${f.target.line}:` : '';
    const tag = f.status ? `${f.rule}, ${f.status}` : f.rule;
    out.push(`${rel(f.file, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}:${target} ${f.severity}: ${f.message} [${tag}]`);
    for (const n of f.notes) out.push(`    ${rel(n.file, cwd)}:${n.range.start.line + 1}: note: ${n.message}`);
  }
  const pct = summary.functions ? ((100 * summary.functionsAnalysed) / summary.functions).toFixed(1) : '100.0';
  out.push(
    `${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}` +
      `${summary.infos ? `, ${summary.infos} info` : ''} in ${summary.files} file${summary.files === 1 ? '' : 's'}` +
      ` (${summary.functionsAnalysed}/${summary.functions} functions analysed, ${pct}%, ${summary.ms} ms)` +
      (summary.kernelVersion ? `; ${describeKernelVersion(summary.kernelVersion, (f) => rel(f, cwd))}` : ''),
  );
  if (summary.baseline) out.push(baselineLine(summary.baseline, cwd));
  return out.map(escapeControls).join('\n') + '\n';
}

function baselineLine(b: BaselineUse, cwd: string): string {
  return `${b.suppressed} finding${b.suppressed === 1 ? '' : 's'} suppressed by the baseline ${rel(b.file, cwd)} (${b.entries} entr${b.entries === 1 ? 'y' : 'ies'})`;
}

export function baselineJson(b: BaselineUse, cwd: string): Record<string, unknown> {
  return { file: rel(b.file, cwd), entries: b.entries, suppressed: b.suppressed };
}

export function toJson(f: Finding, cwd: string): Record<string, unknown> {
  const o: Record<string, unknown> = {
    file: rel(f.file, cwd),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    rule: f.rule,
    message: f.message,
    function: f.function,
    notes: f.notes.map((n) => ({ file: rel(n.file, cwd), line: n.range.start.line + 1, column: n.range.start.character + 1, message: n.message })),
  };
  if (f.fixes.length) o.fixes = f.fixes;
  if (f.status) o.status = f.status;
  if (f.target) o.target = f.target;
  if (f.fingerprint) o.fingerprint = f.fingerprint;
  return o;
}

export function formatJson(findings: Finding[], problems: Problem[], summary: Summary, cwd: string): string {
  const sum = {
    ...summary,
    ...(summary.kernelVersion ? { kernelVersion: kernelVersionJson(summary.kernelVersion, cwd) } : {}),
    ...(summary.baseline ? { baseline: baselineJson(summary.baseline, cwd) } : {}),
  };
  return JSON.stringify({ findings: findings.map((f) => toJson(f, cwd)), problems: problems.map((p) => ({ ...p, file: rel(p.file, cwd) })), summary: sum }, null, 2) + '\n';
}
