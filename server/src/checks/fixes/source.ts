// Reading one function's text for a rewrite: its span, code without comments
// and literals, block depth per line, labels and names in use, calls with
// their arguments, and where a statement ends. Line based and conservative:
// whatever it cannot read makes the caller offer no edit.

export interface FnText {
  /** Lines of the document. */
  lines: string[];
  /** The function's `{` and `}` lines (kernel style: both at column 0). */
  open: number;
  close: number;
  /** Each line's code with comments, strings and character literals blanked. */
  code: string[];
  /** Block depth at the start of each line (the body's first line is 1). */
  depth: number[];
}

/** The function around `line`, or null when its braces are not at column 0 or do not balance. */
export function functionAt(lines: string[], line: number): FnText | null {
  let open = -1;
  for (let l = line; l >= 0; l--) {
    if (/^\{\s*$/.test(lines[l])) {
      open = l;
      break;
    }
    if (l < line && /^\}/.test(lines[l])) return null;
  }
  if (open < 0) return null;
  const code = blankComments(lines);
  const depth: number[] = [];
  let d = 0;
  for (let l = open; l < lines.length; l++) {
    depth[l] = d;
    for (const ch of code[l]) {
      if (ch === '{') d++;
      else if (ch === '}') d--;
    }
    if (d === 0) return l >= line ? { lines, open, close: l, code, depth } : null;
    if (d < 0) return null;
  }
  return null;
}

/** Comments, string and character literals replaced by spaces, line by line (columns kept). */
function blankComments(lines: string[]): string[] {
  let inComment = false;
  return lines.map((text) => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (inComment) {
        if (text.startsWith('*/', i)) {
          inComment = false;
          out += '  ';
          i++;
        } else out += ' ';
        continue;
      }
      if (text.startsWith('/*', i)) {
        inComment = true;
        out += '  ';
        i++;
        continue;
      }
      if (text.startsWith('//', i)) return out + ' '.repeat(text.length - i);
      const q = text[i];
      if (q === '"' || q === "'") {
        let j = i + 1;
        while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
        out += q + ' '.repeat(Math.max(0, Math.min(j, text.length) - i - 1)) + (j < text.length ? q : '');
        i = j;
        continue;
      }
      out += q;
    }
    return out;
  });
}

/** The function's code between two lines (inclusive), joined by newlines. */
export function codeOf(fn: FnText, from: number, to: number): string {
  return fn.code.slice(from, to + 1).join('\n');
}

/** Labels defined in the function (`name:` at a statement start; not `case`/`default`). */
export function labelsIn(fn: FnText): Set<string> {
  const out = new Set<string>();
  for (let l = fn.open + 1; l < fn.close; l++) {
    const m = /^\s*([A-Za-z_]\w*)\s*:(?!:)/.exec(fn.code[l]);
    if (m && m[1] !== 'default' && !/\?/.test(fn.code[l])) out.add(m[1]);
  }
  return out;
}

/** The first of `wanted` (then `wanted[0]` with a number) that the function does not use as a label or a name. */
export function freshName(fn: FnText, wanted: readonly string[], taken: ReadonlySet<string> = new Set()): string {
  const body = codeOf(fn, fn.open, fn.close);
  const signature = fn.lines.slice(Math.max(0, fn.open - 4), fn.open).join('\n');
  const free = (n: string): boolean => !taken.has(n) && !new RegExp(`\\b${n}\\b`).test(body) && !new RegExp(`\\b${n}\\b`).test(signature);
  for (const n of wanted) if (free(n)) return n;
  for (let i = 2; ; i++) if (free(`${wanted[0]}${i}`)) return `${wanted[0]}${i}`;
}

export interface CallText {
  name: string;
  /** Line and column of the name, and of the character after the closing parenthesis. */
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** The arguments as written (top-level commas), trimmed. */
  args: string[];
}

/** The first call of `name` on `line` (by code, not comments), with its arguments across lines. */
export function callOn(fn: FnText, line: number, name: string): CallText | null {
  const re = new RegExp(`(?<![\\w>.])${name.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&')}\\s*\\(`);
  const m = re.exec(fn.code[line]);
  if (!m) return null;
  let l = line;
  let c = m.index + m[0].length;
  let depth = 1;
  let cur = '';
  const args: string[] = [];
  while (l <= fn.close) {
    const text = fn.code[l];
    for (; c < text.length; c++) {
      const ch = text[c];
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      if (ch === ')' || ch === ']' || ch === '}') depth--;
      if (depth === 0) {
        if (cur.trim()) args.push(cur.trim());
        return { name, line, col: m.index, endLine: l, endCol: c + 1, args };
      }
      if (ch === ',' && depth === 1) {
        args.push(cur.trim());
        cur = '';
      } else cur += fn.lines[l][c];
    }
    cur += ' ';
    l++;
    c = 0;
  }
  return null;
}

/** The line where the statement starting on `line` ends (its `;` outside parentheses), or -1. */
export function statementEnd(fn: FnText, line: number): number {
  let depth = 0;
  for (let l = line; l < fn.close; l++) {
    for (const ch of fn.code[l]) {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (ch === ';' && depth === 0) return l;
      else if ((ch === '{' || ch === '}') && depth === 0) return -1;
    }
  }
  return -1;
}

/** Names of the calls in a piece of code. */
export function callNames(code: string): string[] {
  return [...code.matchAll(/(?<![\w.>])([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]).filter((n) => !['if', 'while', 'for', 'switch', 'return', 'sizeof'].includes(n));
}

/** The identifiers of an expression (not member names after `.`/`->`, not called names). */
export function identifiers(expr: string): string[] {
  return [...expr.matchAll(/(?<![\w.>])([A-Za-z_]\w*)\b(?!\s*\()/g)].map((m) => m[1]);
}

/** `expr` has no side effects a rewrite could repeat or reorder: no assignment, increment or call outside `allowed`. */
export function sideEffectFree(expr: string, allowed: readonly string[]): boolean {
  if (/\+\+|--|[^=!<>]=[^=]|^=/.test(expr)) return false;
  return callNames(expr).every((n) => allowed.includes(n));
}

/** Some line in [from, to] assigns one of `names` (or declares it). */
export function assignsAny(fn: FnText, from: number, to: number, names: readonly string[]): boolean {
  const text = codeOf(fn, from, to);
  return names.some((n) => new RegExp(`(?<![\\w.>])${n}\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|(?<![\\w.>])${n}\\s*(?:\\+\\+|--)|(?:\\+\\+|--)\\s*${n}\\b|&\\s*${n}\\b`).test(text));
}

/** The line that opens the block `line` is in (its `{` line), or -1. */
export function blockOpener(fn: FnText, line: number): number {
  const d = fn.depth[line];
  for (let l = line - 1; l >= fn.open; l--) if (fn.depth[l] < d) return fn.code[l].includes('{') ? l : -1;
  return -1;
}

/** Leading whitespace of a line, and one indentation step in the file's style. */
export function indentOf(text: string): string {
  return /^\s*/.exec(text)?.[0] ?? '';
}
export function indentStep(indent: string): string {
  return indent.includes('\t') || indent === '' ? '\t' : '    ';
}
