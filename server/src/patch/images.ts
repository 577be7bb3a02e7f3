// Pre- and post-images of a hunk as C text the analysis can read, with a map
// from every line back to the hunk line (and so to the input document).
//
// Hunks start mid-function. Kernel style makes the shape recoverable: a
// function's closing brace is the only `}` in column 0. The part of the hunk
// before the first such brace is wrapped in the function git names after the
// @@ (with openers for blocks the hunk closes but did not open); the rest is
// top-level code, closed at the end if the hunk stops inside a function.
import type { Hunk, HunkLine } from '../input/patch';

export interface ImageLine {
  line: HunkLine;
  /** 1-based line in the old (pre) or new (post) file, from the hunk header. */
  fileLine: number;
}

/** Stand-in function name for a hunk whose enclosing function the diff does not name. */
export const UNNAMED_PREFIX = '__faultpath_hunk_at_';

export interface Image {
  text: string;
  /** Per line of `text`: the hunk line it shows, or null for a line we added. */
  map: (ImageLine | null)[];
  /** The function the hunk starts inside (its entry state is unknown), or null. */
  wrapped: string | null;
}

/** Net braces and the lowest running depth of a C line, ignoring strings, chars and comments. */
function braces(text: string, inComment: { v: boolean }): { net: number; min: number } {
  let d = 0;
  let min = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inComment.v) {
      if (c === '*' && text[i + 1] === '/') {
        inComment.v = false;
        i++;
      }
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      inComment.v = true;
      i++;
    } else if (c === '/' && text[i + 1] === '/') break;
    else if (c === '"' || c === "'") {
      const q = c;
      for (i++; i < text.length && text[i] !== q; i++) if (text[i] === '\\') i++;
    } else if (c === '{') d++;
    else if (c === '}') {
      d--;
      if (d < min) min = d;
    }
  }
  return { net: d, min };
}

/** A function signature usable as a wrapper, from git's section text. */
export function wrapperSignature(section: string): string | null {
  let s = section.trim();
  if (!s.includes('(') || /^(struct|union|enum)\s+\w+\s*\{?$/.test(s) || /^#/.test(s)) return null;
  s = s.replace(/\{\s*$/, '').trim();
  if (s.endsWith(';')) return null;
  // a signature cut at a line end: close what is open
  let depth = 0;
  for (const c of s) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  if (depth > 0) s = s.replace(/,\s*$/, '') + ')'.repeat(depth);
  if (!/\)\s*$/.test(s)) return null;
  return s;
}

export function functionNameOf(signature: string): string {
  const m = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(signature);
  return m ? m[1] : '';
}

/**
 * The image of hunks[i]. git's section is the nearest line that looks like a
 * function head, which can be a label in column 0 (`warn:`); such a hunk
 * continues the previous hunk's function.
 */
export function hunkImage(hunks: Hunk[], i: number, side: 'pre' | 'post'): Image {
  const h = hunks[i];
  // only a section that names no function at all (a label) defers to the previous hunk's
  const previousSection = i > 0 && !/\(/.test(h.section) ? hunks[i - 1].section : undefined;
  const keep = h.lines.filter((l) => (side === 'pre' ? l.op !== '+' : l.op !== '-'));
  let fileLine = side === 'pre' ? h.oldStart : h.newStart;
  const lines: ImageLine[] = keep.map((l) => ({ line: l, fileLine: fileLine++ }));
  const out: string[] = [];
  const map: (ImageLine | null)[] = [];
  const push = (text: string, m: ImageLine | null): void => {
    out.push(text);
    map.push(m);
  };

  // Inside git's section function unless the hunk opens at column 0 with a
  // definition or declaration of its own (rendered pages also lose indentation).
  const firstCode = lines.find((l) => l.line.text.trim() !== '' && !/^\s*(\/\*|\*|\/\/)/.test(l.line.text));
  const opensTopLevel =
    !!firstCode &&
    /^[A-Za-z_]/.test(firstCode.line.text) &&
    !/^[A-Za-z_]\w*:\s*$/.test(firstCode.line.text) &&
    (/^(static|extern|struct|union|enum|typedef|const|inline|void|int|unsigned|long|bool|char|vm_fault_t|ssize_t|size_t)\b.*[({]\s*$|\)\s*$/.test(firstCode.line.text) ||
      /^(struct|union|enum)\s+\w+\s*\{/.test(firstCode.line.text) ||
      /^(#include|EXPORT_SYMBOL|MODULE_)/.test(firstCode.line.text));
  const startsInside = !!firstCode && !opensTopLevel;
  // `diff -u` without -p names no function: an indented first line is still inside one
  const unnamed = startsInside && !wrapperSignature(h.section) && !!firstCode && (/^\s/.test(firstCode.line.text) || /^[A-Za-z_]\w*:\s*$/.test(h.section));
  const inherited = !wrapperSignature(h.section) && previousSection ? wrapperSignature(previousSection) : null;
  const signature = startsInside
    ? wrapperSignature(h.section) ?? inherited ?? (unnamed ? `static void ${UNNAMED_PREFIX}${h.newStart}(void)` : null)
    : null;
  const end = signature ? lines.findIndex((l) => /^}/.test(l.line.text)) : -1;
  const head = signature ? (end >= 0 ? lines.slice(0, end + 1) : lines) : [];
  const tail = signature ? (end >= 0 ? lines.slice(end + 1) : []) : lines;

  if (signature) {
    // depth of the head without the function's own closing brace
    const cm = { v: false };
    let d = 0;
    let min = 0;
    const inner = end >= 0 ? head.slice(0, -1) : head;
    for (const l of inner) {
      const b = braces(l.line.text, cm);
      if (d + b.min < min) min = d + b.min;
      d += b.net;
    }
    push(signature, null);
    push('{', null);
    for (let i = 0; i < -min; i++) push('{', null);
    for (const l of head) push(l.line.text, l);
    if (end < 0) for (let i = 0; i < d - min + 1; i++) push('}', null);
    else {
      // blocks still open at the function's closing brace: close them just before it
      for (let i = 0; i < d - min; i++) {
        out.splice(out.length - 1, 0, '}');
        map.splice(map.length - 1, 0, null);
      }
    }
  }
  const cm = { v: false };
  let depth = 0;
  for (const l of tail) {
    depth += braces(l.line.text, cm).net;
    push(l.line.text, l);
  }
  for (let i = 0; i < depth; i++) push('}', null);
  return { text: out.join('\n') + '\n', map, wrapped: signature ? functionNameOf(signature) : null };
}

/** The lines of one side of a hunk, with their file lines. */
export function sideLines(h: Hunk, side: 'pre' | 'post'): ImageLine[] {
  let fileLine = side === 'pre' ? h.oldStart : h.newStart;
  const out: ImageLine[] = [];
  for (const l of h.lines) {
    if (side === 'pre' ? l.op === '+' : l.op === '-') continue;
    out.push({ line: l, fileLine: fileLine++ });
  }
  return out;
}

/**
 * A function this hunk opens at its end and does not close (its head, at
 * column 0, after the last function-closing brace): the next hunk continues it.
 */
export function openTail(lines: ImageLine[]): { name: string; from: number } | null {
  let found: { name: string; from: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].line.text;
    if (/^}/.test(t)) found = null;
    else if (/^[A-Za-z_][^;=]*\(/.test(t) && !/;\s*$/.test(t) && !/^(if|for|while|switch|return)\b/.test(t)) {
      const name = functionNameOf(t);
      if (name) found = { name, from: i };
    }
  }
  return found;
}

/**
 * All hunks of one function as one body, for rules that read a whole function
 * (a local copy in one hunk, its uses in another). `lead` is the tail of an
 * earlier hunk that opens the function (its head included); otherwise the
 * function is opened with `signature`. Lines between hunks are not there; flow
 * rules keep to the per-hunk images.
 */
export function mergedImage(lead: ImageLine[] | null, bodies: ImageLine[][], signature: string, name: string): Image {
  const out: string[] = [];
  const map: (ImageLine | null)[] = [];
  const body: ImageLine[] = [...(lead ?? [])];
  for (const b of bodies) {
    for (const l of b) {
      if (/^}/.test(l.line.text)) break; // the function ends here
      body.push(l);
    }
  }
  const cm = { v: false };
  let d = lead ? 0 : 1;
  let min = 0;
  for (const l of body) {
    const b = braces(l.line.text, cm);
    if (d + b.min < min) min = d + b.min;
    d += b.net;
  }
  if (!lead) {
    out.push(signature, '{');
    map.push(null, null);
  }
  for (let i = 0; i < -min; i++) {
    out.push('{');
    map.push(null);
  }
  for (const l of body) {
    out.push(l.line.text);
    map.push(l);
  }
  for (let i = 0; i < d - min; i++) {
    out.push('}');
    map.push(null);
  }
  return { text: out.join('\n') + '\n', map, wrapped: name };
}
