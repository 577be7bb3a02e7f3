// Lock identity: the canonical spelling of a lock expression. `&page->flags`,
// `(page)` and `page` name the same object; `page_folio(page)` and
// `&folio->page` name the same page lock; local aliases (`page = cached_page`,
// `mm = vmf->vma->vm_mm`) are resolved through the flow state.
import { SyntaxNode, textOf } from '../syntax/tree';

/** Wrappers that convert between a page and its folio: the lock is the same. */
const SAME_LOCK_WRAPPERS = new Set(['page_folio', 'compound_head', 'folio_page', 'virt_to_page', 'page_folio_or_null']);

export function canonText(text: string): string {
  let t = text.replace(/\s+/g, '');
  for (let guard = 0; guard < 8; guard++) {
    const before = t;
    // strip one level of outer parentheses
    if (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1);
    // casts: (struct page *)x
    const cast = /^\((?:const)?(?:struct|union)?[A-Za-z_][A-Za-z0-9_]*\*+\)(.+)$/.exec(t);
    if (cast) t = cast[1];
    if (t.startsWith('&')) t = t.slice(1);
    if (t.startsWith('*&')) t = t.slice(2);
    const wrap = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/.exec(t);
    if (wrap && SAME_LOCK_WRAPPERS.has(wrap[1]) && balanced(wrap[2])) {
      const inner = splitTopLevel(wrap[2]);
      t = inner[0];
    }
    // &folio->page, folio->page: the folio's lock is the head page's
    const fp = /^(.+)->page$/.exec(t);
    if (fp && /^[A-Za-z_][A-Za-z0-9_]*$/.test(fp[1])) t = fp[1];
    if (t === before) break;
  }
  return t;
}

export function balanced(t: string): boolean {
  let d = 0;
  for (const ch of t) {
    if (ch === '(') d++;
    else if (ch === ')') {
      d--;
      if (d < 0) return false;
    }
  }
  return d === 0;
}

export function splitTopLevel(t: string): string[] {
  const out: string[] = [];
  let d = 0;
  let cur = '';
  for (const ch of t) {
    if (ch === '(' || ch === '[' || ch === '{') d++;
    else if (ch === ')' || ch === ']' || ch === '}') d--;
    if (ch === ',' && d === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Elements of an array as one lock: `pages[i]`, `pages[0]` -> `pages[]`.
 * A collective lock is "every element taken so far": taking it again or
 * releasing it again is the next element, not a double lock or unlock, and
 * a loop that ran zero times holds nothing (vacuously all of it).
 */
export function collective(key: string): string {
  return key.includes('[') ? key.replace(/\[[^\][]*\]/g, '[]') : key;
}

export function isCollective(key: string): boolean {
  return key.includes('[]');
}

/** The leading identifier of an lvalue chain: `vmf->vma->vm_mm` -> vmf. */
export function rootOf(key: string): string {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(key);
  return m ? m[0] : '';
}

/** Replaces the root identifier through the alias map (one level; aliases are stored resolved). */
export function resolveAliases(key: string, aliases: Map<string, string>): string {
  const root = rootOf(key);
  if (!root) return key;
  const a = aliases.get(root);
  if (!a) return key;
  return a + key.slice(root.length);
}

/** A simple lvalue-ish expression worth remembering as an alias target. */
export function isAliasable(text: string): boolean {
  const t = canonText(text);
  return /^[A-Za-z_][A-Za-z0-9_]*((->|\.)[A-Za-z_][A-Za-z0-9_]*)*$/.test(t);
}

export function calleeName(src: string, call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  if (fn.type === 'identifier') return textOf(src, fn);
  if (fn.type === 'field_expression') {
    const f = fn.childForFieldName('field');
    return f ? '->' + textOf(src, f) : '';
  }
  if (fn.type === 'parenthesized_expression') {
    // (*ops->fault)(vmf) or (fn)(x)
    const inner = textOf(src, fn).replace(/[()*\s]/g, '');
    const m = /->([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
    if (m) return '->' + m[1];
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner) ? inner : '';
  }
  return '';
}

export function callArgs(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  if (!args) return [];
  const out: SyntaxNode[] = [];
  for (let i = 0; i < args.namedChildCount; i++) {
    const c = args.namedChild(i);
    if (c && c.type !== 'comment') out.push(c);
  }
  return out;
}

export function argAt(args: SyntaxNode[], index: number): SyntaxNode | null {
  const i = index < 0 ? args.length + index : index;
  return i >= 0 && i < args.length ? args[i] : null;
}
