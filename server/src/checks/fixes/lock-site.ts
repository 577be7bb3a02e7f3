// Where the page lock of a finding was taken, read from its notes and the
// function's text: the acquisition statement, whether it also looked the page
// up (then the retry drops the reference and looks it up again), how this
// function spells unlock and put, and where new locals are declared.
import type { Finding } from '../../findings/finding';
import { PAGE_PUTS, PAGE_RELEASES, PAGE_UNLOCKS } from '../../kernel/fix-api';
import type { TextEdit } from './edit';
import { FnText, indentStep, statementEnd } from './source';

export interface LockSite {
  /** The acquisition statement's first and last lines. */
  line: number;
  end: number;
  /** The page or folio as written, and the call that locked it. */
  page: string;
  via: string;
  /** The statement assigns the page from the call: a lookup that also took a reference. */
  lookup: boolean;
  /** The variable the statement assigns (the page, or a status for ->write_begin()). */
  target: string | null;
}

/** The page lock's acquisition in the finding's own file, before the finding, in the same block; or null. */
export function lockSite(f: Finding, fn: FnText): LockSite | null {
  let note: { line: number; page: string; via: string } | null = null;
  for (const x of f.notes) {
    const fact = x.fact;
    if (x.file === f.file && fact?.kind === 'acquired' && fact.lock.cls === 'page') {
      if (note) return null; // two acquisitions reach the access: no single place to go back to
      note = { line: x.range.start.line, page: fact.lock.expr, via: fact.via };
    }
  }
  const at = f.range.start.line;
  if (!note || note.line >= at || note.line <= fn.open) return null;
  const m = /^\s*(?:([A-Za-z_][\w.>-]*)\s*=\s*)?([A-Za-z_][\w>.-]*)\s*\(/.exec(fn.code[note.line]);
  if (!m || !m[2].endsWith(note.via.replace(/^->/, ''))) return null;
  const end = statementEnd(fn, note.line);
  if (end < 0 || end >= at) return null;
  // the access is in the acquisition's block, and the block does not close in between
  const d = fn.depth[note.line];
  for (let l = note.line; l <= at; l++) if (fn.depth[l] < d) return null;
  if (fn.depth[at] !== d) return null;
  return { line: note.line, end, page: note.page, via: note.via, lookup: m[1] === note.page, target: m[1] ?? null };
}

/** Unlock and put as the function spells them for this page after `from`, else by the page's class. */
export function releaseCalls(fn: FnText, from: number, page: string): { unlock: string; put: string } {
  const folio = /folio/.test(page);
  const dflt = PAGE_RELEASES[folio ? 'folio' : 'page'];
  const esc = page.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const find = (names: readonly string[]): string | undefined => {
    for (let l = from; l < fn.close; l++) {
      const m = new RegExp(`(?<![\\w>.])(${names.join('|')})\\s*\\(\\s*${esc}\\s*\\)`).exec(fn.code[l]);
      if (m) return m[1];
    }
    return undefined;
  };
  return { unlock: find(PAGE_UNLOCKS) ?? dflt.unlock, put: find(PAGE_PUTS) ?? dflt.put };
}

/** An edit declaring `decls` ("type name") at the top of the function body, kernel style. */
export function declareAtTop(fn: FnText, decls: string[]): TextEdit | null {
  if (!decls.length) return null;
  const first = fn.lines[fn.open + 1] ?? '';
  const ind = /^\s+/.exec(first)?.[0] ?? indentStep('');
  const isDecl = /^\s*(?:(?:const|unsigned|signed|struct|union|enum|static|volatile|long|short)\s+)*[A-Za-z_]\w*[\s*]+[A-Za-z_]\w*\s*(?:[=;,[]|$)/.test(first) && !/^\s*(return|goto)\b/.test(first);
  const text = decls.map((d) => `${ind}${d};\n`).join('') + (isDecl ? '' : '\n');
  const at = { line: fn.open + 1, character: 0 };
  return { start: at, end: at, newText: text };
}

/** `expr` as a `char __user *` for a fault-in helper: bare when the function declares it char or void, else cast. */
export function userBytes(fn: FnText, expr: string, constness: boolean): string {
  const sig = fn.lines.slice(Math.max(0, fn.open - 4), fn.close).join('\n');
  if (/^[A-Za-z_]\w*$/.test(expr) && new RegExp(`\\b(?:char|void)\\s+__user\\s*\\*\\s*${expr}\\b`).test(sig)) return expr;
  const wrapped = /^[A-Za-z_]\w*$/.test(expr) ? expr : `(${expr})`;
  return `(${constness ? 'const ' : ''}char __user *)${wrapped}`;
}

/** `edits` with the declarations in front, merged into an insertion at the same place (one edit per position). */
export function withDeclarations(fn: FnText, decls: string[], edits: TextEdit[]): TextEdit[] {
  const decl = declareAtTop(fn, decls);
  if (!decl) return edits;
  const same = edits.find((e) => e.start.line === decl.start.line && e.start.character === 0 && e.end.line === e.start.line && e.end.character === 0);
  if (same) return edits.map((e) => (e === same ? { ...e, newText: decl.newText + e.newText } : e));
  return [decl, ...edits];
}

/**
 * Where code that must run before the acquisition goes: above it, and above
 * labels right before it, so that a jump to an existing label (a lookup
 * retried after a race) does not run it again.
 */
export function beforeAcquisition(fn: FnText, line: number): number {
  let l = line;
  while (l - 1 > fn.open && /^\s*[A-Za-z_]\w*\s*:\s*$/.test(fn.code[l - 1]) && !/^\s*default\s*:/.test(fn.code[l - 1])) l--;
  return l;
}
