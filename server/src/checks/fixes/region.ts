// The code a retry runs again: from the lock's acquisition to the faulting
// access. The rewrite jumps back to before the acquisition, so everything in
// between must be safe to repeat (arithmetic, tests, idempotent flushes,
// branches that leave), and every mapping of the page taken there must be
// released on the way back. Anything else: no edit.
import { PAGE_MAPPINGS, REPEATABLE_CALLS } from '../../kernel/fix-api';
import { FnText, callOn, sideEffectFree, statementEnd } from './source';

export interface Region {
  /** Statements that undo the region's mappings, in the order the retry path runs them. */
  releases: string[];
}

const EXIT = /^\s*(?:return\b[^;]*|break|continue|goto\s+\w+)\s*;\s*$/;

/** The statements between `from` and `to` (exclusive) re-run safely, with their mappings' releases; null if not. */
export function repeatableRegion(fn: FnText, from: number, to: number): Region | null {
  const releases: string[] = [];
  let l = from;
  while (l < to) {
    const code = fn.code[l];
    if (!code.trim()) {
      l++;
      continue;
    }
    if (/^\s*if\s*\(/.test(code)) {
      const next = ifStatement(fn, l, to);
      if (next < 0) return null;
      l = next;
      continue;
    }
    const end = statementEnd(fn, l);
    if (end < 0 || end >= to) return null;
    const stmt = fn.code.slice(l, end + 1).join(' ');
    const mapping = mappingRelease(fn, l, stmt);
    if (mapping === null) return null;
    if (mapping) releases.unshift(mapping);
    l = end + 1;
  }
  return { releases };
}

/**
 * A statement that is a mapping of the page: its release (''), when it is not
 * a mapping but harmless to repeat: '' ; when neither: null.
 */
function mappingRelease(fn: FnText, line: number, stmt: string): string | null {
  for (const [map, how] of Object.entries(PAGE_MAPPINGS)) {
    const call = callOn(fn, line, map);
    if (!call || !call.args.length) continue;
    const m = new RegExp(`^\\s*(?:[\\w\\s*]*?\\b)?([A-Za-z_]\\w*)\\s*=\\s*${map}\\s*\\(`).exec(stmt);
    const bare = new RegExp(`^\\s*${map}\\s*\\(`).test(stmt);
    if (!m && !bare) return null;
    if (how.of === 'page') return `${how.release}(${call.args[0]});`;
    return m ? `${how.release}(${m[1]});` : null;
  }
  return repeatable(stmt) ? '' : null;
}

/** A plain statement that may run twice: a declaration, an assignment or a call with no side effects beyond the table's. */
function repeatable(stmt: string): boolean {
  const s = stmt.trim();
  const assign = /^(?:(?:const|unsigned|signed|struct|union|enum|long|short|int|char|void|bool|size_t|ssize_t|loff_t|pgoff_t|[a-z_]\w*_t)\b[\w\s*]*?)?\b[A-Za-z_][\w.>\-[\]]*\s*=(?!=)\s*(.*);$/s.exec(s);
  if (assign) return sideEffectFree(assign[1], REPEATABLE_CALLS);
  if (/^(?:const\s+|unsigned\s+|struct\s+)*[A-Za-z_]\w*[\s*]+[A-Za-z_]\w*\s*;$/.test(s)) return true;
  const call = /^([A-Za-z_]\w*)\s*\((.*)\)\s*;$/s.exec(s);
  return !!call && REPEATABLE_CALLS.includes(call[1]) && sideEffectFree(call[2], REPEATABLE_CALLS);
}

/**
 * An `if` (no `else`) starting on `line`: its condition must be free of side
 * effects; a body that leaves (its last statement returns, breaks, continues
 * or jumps) may hold anything, another body only statements that may repeat.
 * Returns the line after it, or -1.
 */
function ifStatement(fn: FnText, line: number, to: number): number {
  const cond = callOn(fn, line, 'if');
  if (!cond || cond.args.length !== 1 || !sideEffectFree(cond.args[0], REPEATABLE_CALLS)) return -1;
  const rest = fn.code[cond.endLine].slice(cond.endCol).trim();
  let bodyFrom = cond.endLine;
  let bodyTo: number;
  let body: string[];
  if (rest.startsWith('{')) {
    const depth = fn.depth[cond.endLine];
    bodyTo = -1;
    for (let l = cond.endLine + 1; l < to; l++) {
      if (fn.depth[l + 1] === depth && /^\s*\}\s*$/.test(fn.code[l])) {
        bodyTo = l;
        break;
      }
    }
    if (bodyTo < 0) return -1;
    body = fn.code.slice(bodyFrom + 1, bodyTo);
  } else {
    if (rest) bodyFrom = cond.endLine - 1;
    bodyTo = statementEnd(fn, bodyFrom + 1);
    if (bodyTo < 0 || bodyTo >= to) return -1;
    body = fn.code.slice(bodyFrom + 1, bodyTo + 1);
    if (rest) body = [rest];
  }
  if (/^\s*else\b/.test(fn.code[bodyTo + 1] ?? '')) return -1;
  const stmts = body.filter((s) => s.trim());
  const last = stmts[stmts.length - 1] ?? '';
  if (EXIT.test(last)) return bodyTo + 1;
  if (stmts.every(repeatable)) return bodyTo + 1;
  return -1;
}
