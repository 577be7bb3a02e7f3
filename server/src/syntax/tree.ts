// The small parser interface shared by the two tree-sitter backends: the native
// binding (CLI, benchmarks) and web-tree-sitter with the grammar wasm (the
// extension). Only what the analysis reads is here, so both node classes fit it
// structurally and nothing above syntax/ knows which backend produced a tree.

import type { LiveTree } from './live';
import type { Vocab } from './plain';
import type { SyntaxNode } from './node';

export type { Point, SyntaxNode } from './node';

export interface SyntaxTree {
  readonly rootNode: SyntaxNode;
  /** Frees the tree (web-tree-sitter needs it; the native binding ignores it). */
  delete(): void;
}

export interface CParser {
  readonly backend: 'native' | 'wasm';
  /** The grammar's names by id, for trees copied or kept compact (plain.ts). */
  readonly vocab: Vocab;
  /**
   * Never throws on odd input: tree-sitter returns ERROR nodes instead.
   * `base` is added to every offset (a function re-parsed from its slice of the file).
   */
  parse(text: string, base?: number): SyntaxTree;
  /** A tree kept between edits and re-parsed incrementally (the editor). */
  openLive(text: string): LiveTree;
}

export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const n = node.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = node.namedChild(i);
    if (c) out.push(c);
  }
  return out;
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const n = node.childCount;
  for (let i = 0; i < n; i++) {
    const c = node.child(i);
    if (c) out.push(c);
  }
  return out;
}

/** Text of a node, read from the document (nodes do not keep the source). */
export function textOf(src: string, node: SyntaxNode): string {
  return src.slice(node.startIndex, node.endIndex);
}

/** An S-expression with field names left out: what the backend-equivalence test compares. */
export function sexp(node: SyntaxNode): string {
  const parts: string[] = [];
  const walk = (n: SyntaxNode): void => {
    parts.push('(' + n.type + (n.isMissing ? '!' : '') + ` ${n.startIndex}-${n.endIndex}`);
    for (const c of namedChildren(n)) walk(c);
    parts.push(')');
  };
  walk(node);
  return parts.join('');
}
