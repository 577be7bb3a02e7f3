// Quick-fix edits as plain data (the editor turns them into a WorkspaceEdit).
//
// "Move the fault-in before the lock": a fault-in helper called under the
// page lock (it faults by design) goes to just before the lock is taken,
// where 6.x generic_perform_write() calls fault_in_iov_iter_readable().
//
// "Copy with faults disabled, then retry": the faulting access under the page
// lock becomes the pattern of "mm: fix pagecache write deadlocks" and 6.12
// generic_perform_write(); fixes/copy-retry.ts (user copies and get_user()/
// put_user()) and fixes/iter-retry.ts (iov_iter copies in a write loop) say
// how, and offer no edit where the function's shape is not one they can
// rewrite correctly (the finding's fix note still explains).
import type { Finding } from '../findings/finding';
import { userAccessRetryFix } from './fixes/copy-retry';
import { iterCopyRetryFix } from './fixes/iter-retry';
import type { FixEdit, TextEdit } from './fixes/edit';

/** The page lock's acquisition in the finding's own file (a note's fact): its line, the page, and the call that took it. */
function pageLockNote(f: Finding): { line: number; page: string; call: string } | null {
  for (const x of f.notes) {
    const fact = x.fact;
    if (x.file === f.file && fact?.kind === 'acquired' && fact.lock.cls === 'page') return { line: x.range.start.line, page: fact.lock.expr, call: fact.via };
  }
  return null;
}

export type { FixEdit, TextEdit } from './fixes/edit';

/** "Copy with faults disabled, then retry" for the finding's access, or null when no correct rewrite is known. */
export function copyAndRetryFix(f: Finding, lines: string[]): FixEdit | null {
  return userAccessRetryFix(f, lines) ?? iterCopyRetryFix(f, lines);
}

/**
 * Edits that move a fault-in statement found under the page lock to just
 * before the lock's acquisition, at its indentation: `fault_in_x(...);`,
 * `x = fault_in_x(...);`, or `if (fault_in_x(...))` with a one-line body.
 */
export function moveFaultInFix(f: Finding, lines: string[]): FixEdit | null {
  if (f.facts?.fault !== 'fault-in') return null;
  const line = f.range.start.line;
  const text = lines[line];
  if (text === undefined) return null;
  const lock = pageLockNote(f);
  if (!lock) return null;
  const lockLine = lock.line;
  if (lockLine >= line) return null;
  let count = 1;
  if (/^\s*if\s*\(.*\)\s*$/.test(text)) {
    const next = lines[line + 1] ?? '';
    if (!/^\s*[^{}\s].*;\s*$/.test(next) || /^\s*(if|for|while)\b/.test(next)) return null;
    count = 2;
  } else if (!/^\s*(?:[A-Za-z_]\w*\s*=\s*)?[A-Za-z_]\w*\s*\(.*\)\s*;\s*$/.test(text)) return null;
  const from = /^\s*/.exec(text)?.[0] ?? '';
  const to = /^\s*/.exec(lines[lockLine])?.[0] ?? '';
  const moved = lines.slice(line, line + count).map((l) => (l.startsWith(from) ? to + l.slice(from.length) : l));
  return {
    title: 'Move the fault-in before the page is locked',
    preferred: true,
    edits: [
      { start: { line: lockLine, character: 0 }, end: { line: lockLine, character: 0 }, newText: moved.join('\n') + '\n' },
      { start: { line, character: 0 }, end: { line: line + count, character: 0 }, newText: '' },
    ],
  };
}

/** Applies edits (non-overlapping) to a text: what the golden tests compare. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => {
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.start) - offset(a.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.start)) + e.newText + out.slice(offset(e.end));
  return out;
}
