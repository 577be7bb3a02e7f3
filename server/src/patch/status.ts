// Patch review's statuses as the CLI uses them: which findings are shown
// (--status), which fail the run (--fail-on counts what a patch introduces),
// and input that holds nothing to review (no C, no diff).
import type { SourceDoc } from '../analysis';
import { Finding, SEVERITY_RANK, Severity } from '../findings/finding';

export type PatchStatus = NonNullable<Finding['status']>;
export const PATCH_STATUSES: readonly PatchStatus[] = ['introduced', 'unchanged', 'fixed'];

/** `--status introduced,unchanged`: the statuses to show; throws an Error naming a word that is not one. */
export function parseStatuses(words: string[]): Set<PatchStatus> | null {
  if (!words.length) return null;
  for (const w of words) if (!(PATCH_STATUSES as readonly string[]).includes(w)) throw new Error(`--status takes ${PATCH_STATUSES.join(', ')}, not '${w}'`);
  return new Set(words as PatchStatus[]);
}

/** The findings to show: patch findings whose status was asked for; findings in C files have no status and stay. */
export function filterByStatus(findings: Finding[], statuses: Set<PatchStatus> | null): Finding[] {
  return statuses ? findings.filter((f) => !f.status || statuses.has(f.status)) : findings;
}

/**
 * Whether the run fails: a finding at or above `failOn` that a patch
 * introduces, or one in a C file. A finding the patch leaves unchanged was
 * there before it, and one it fixes is to its credit: neither fails a review.
 */
export function failsRun(findings: Finding[], failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => (!f.status || f.status === 'introduced') && SEVERITY_RANK[f.severity] >= threshold);
}

export interface ReviewedInput {
  file: string;
  /** Diff blocks found in it. */
  blocks: number;
  problems: string[];
}

/**
 * Why the run has nothing to look at, or null: no input is C by name (an empty
 * `.c` file is still C), the inputs read as C by content hold no function, and
 * no patch input holds a diff. A README or a commit message whose diff was lost
 * is then an input error, never "0/0 functions analysed, 100.0%".
 */
export function nothingToAnalyse(cDocs: SourceDoc[], functions: number, reviewed: ReviewedInput[], rel: (file: string) => string = (f) => f): string | null {
  const sources = cDocs.filter((d) => d.role !== 'header');
  if (sources.some((d) => /\.[ch]$/.test(d.file)) || functions > 0) return null;
  if (reviewed.some((r) => r.blocks > 0)) return null;
  const names = [...sources.map((d) => d.file), ...reviewed.map((r) => r.file)].map(rel);
  if (!names.length) return null;
  const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  // what the patch reader said about each document, on lines of their own
  const said = reviewed.flatMap((r) => r.problems.map((p) => `\n  ${rel(r.file)}: ${p}`));
  return `nothing to analyse: no C function and no diff in ${list} (a patch whose diff was lost, or not kernel code?)${said.join('')}`;
}
