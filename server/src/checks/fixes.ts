// Quick-fix edits as plain data (the editor turns them into a WorkspaceEdit).
//
// "Move the fault-in before the lock": a fault-in helper called under the
// page lock (it faults by design) goes to just before the lock is taken,
// where 6.x generic_perform_write() calls fault_in_iov_iter_readable().
//
// "Copy with faults disabled, then retry": the faulting copy under the page
// lock becomes the pattern of "mm: fix pagecache write deadlocks" and 6.x
// generic_perform_write(): a retry label before the page is locked; under the
// lock pagefault_disable(), the matching *_inatomic copy, pagefault_enable();
// on a short copy unlock the page, fault the source in (outside the lock) and
// go back, giving up with -EFAULT only when the fault-in fails.
import type { Finding } from '../findings/finding';
import { ATOMIC_COPY_TWINS } from '../kernel/api';

/** The page lock's acquisition in the finding's own file (a note's fact): its line, the page, and the call that took it. */
function pageLockNote(f: Finding): { line: number; page: string; call: string } | null {
  for (const x of f.notes) {
    const fact = x.fact;
    if (x.file === f.file && fact?.kind === 'acquired' && fact.lock.cls === 'page') return { line: x.range.start.line, page: fact.lock.expr, call: fact.via };
  }
  return null;
}

export interface TextEdit {
  /** 0-based line and UTF-16 column, as everywhere inside. */
  start: { line: number; character: number };
  end: { line: number; character: number };
  newText: string;
}

export interface FixEdit {
  title: string;
  preferred: boolean;
  edits: TextEdit[];
}

/** Splits `f(a, b(c, d), e)` at top-level commas. */
function args(text: string): string[] {
  const out: string[] = [];
  let d = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') d++;
    if (ch === ')' || ch === ']') d--;
    if (ch === ',' && d === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * Edits for a finding under the page lock on `lines` (the document), or null
 * when the statement is not one of the shapes the rewrite understands:
 * `if (copy(d, s, n)) ...;`, `x = copy(d, s, n);`, `copy(d, s, n);`.
 */
export function copyAndRetryFix(f: Finding, lines: string[]): FixEdit | null {
  const line = f.range.start.line;
  const text = lines[line];
  if (text === undefined) return null;
  const m = /^(\s*)(?:(if\s*\(\s*)|([A-Za-z_]\w*)\s*=\s*)?([A-Za-z_]\w*)\s*\(/.exec(text);
  if (!m) return null;
  const [head, indent, isIf, assignTo, fn] = m;
  // the call's own arguments, by balanced parentheses; then only `)` (if) and `;` may follow
  let depth = 1;
  let close = -1;
  for (let i = head.length; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return null;
  const rest = text.slice(close + 1).trim();
  if (isIf ? rest !== ')' : rest !== ';') return null;
  const argText = text.slice(head.length, close);
  const twin = ATOMIC_COPY_TWINS[fn];
  if (!twin) return null;
  const a = args(argText);
  if (a.length !== 3) return null;
  const [dst, src, n] = a;
  // the page lock's acquisition, from the finding's notes: where the retry label goes
  const lock = pageLockNote(f);
  if (!lock) return null;
  const page = lock.page;
  const lockLine = lock.line;
  if (lockLine >= line) return null;
  const isFolio = /folio/.test(lock.call) || /^folio/.test(page);
  const unlock = isFolio ? 'folio_unlock' : 'unlock_page';
  // a page the function looked up (and so holds a reference to) is released before the retry
  const put = /grab|find|get|lock_folio|pagecache/.test(lock.call) ? (isFolio ? 'folio_put' : 'put_page') : null;
  const t = indent.includes('\t') ? '\t' : '    ';
  // an if whose body is one statement on the next line: the rewrite replaces both (a copy
  // that comes up short is retried now; only a failed fault-in fails)
  let bodyLines = 0;
  if (isIf) {
    const next = lines[line + 1] ?? '';
    if (/^\s*[^{}\s].*;\s*$/.test(next) && !/^\s*(if|for|while)\b/.test(next)) bodyLines = 1;
    else return null;
  }
  const left = assignTo ?? 'left';
  const out: string[] = [];
  const declare = !assignTo;
  if (declare) out.push(`${indent}{`);
  const inner = declare ? indent + t : indent;
  if (declare) out.push(`${inner}unsigned long ${left};`, '');
  out.push(
    `${inner}pagefault_disable();`,
    `${inner}${left} = ${twin.copy}(${dst}, ${src}, ${n});`,
    `${inner}pagefault_enable();`,
    `${inner}if (unlikely(${left})) {`,
    `${inner}${t}/* short copy with page faults disabled: unlock, fault the source in, retry */`,
    `${inner}${t}${unlock}(${page});`,
    ...(put ? [`${inner}${t}${put}(${page});`] : []),
    `${inner}${t}if (${twin.faultIn}(${src}, ${n}) == ${n})`,
    `${inner}${t}${t}return -EFAULT;`,
    `${inner}${t}goto retry;`,
    `${inner}}`,
  );
  if (declare) out.push(`${indent}}`);
  const lockIndentLabel = 'retry:';
  return {
    title: 'Copy with faults disabled, then retry',
    preferred: true,
    edits: [
      { start: { line: lockLine, character: 0 }, end: { line: lockLine, character: 0 }, newText: `${lockIndentLabel}\n` },
      {
        start: { line, character: 0 },
        end: { line: line + bodyLines, character: (lines[line + bodyLines] ?? '').length },
        newText: out.join('\n'),
      },
    ],
  };
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
