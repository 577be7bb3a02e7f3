// A document's tree kept alive between edits (the editor): each new text is
// diffed against the last one (common prefix and suffix: one edit), the old
// tree is edited and handed to tree-sitter, which re-parses only around the
// change. Callers read the top-level structure through light handles and copy
// into plain nodes only the definitions whose text changed.
import { Cursor, encode, materialize, PlainNode, Vocab } from './plain';
import type { SyntaxNode } from './node';

interface RawPoint {
  row: number;
  column: number;
}

/** What both bindings' nodes offer that this file uses: the plain fields of SyntaxNode, and a cursor. */
export interface RawNode extends Pick<SyntaxNode, 'type' | 'startIndex' | 'endIndex' | 'hasError'> {
  childForFieldName(field: string): RawNode | null;
  descendantsOfType(types: string | string[]): unknown[];
  walk(): unknown;
}

export interface RawTree {
  readonly rootNode: RawNode;
  edit(e: { startIndex: number; oldEndIndex: number; newEndIndex: number; startPosition: RawPoint; oldEndPosition: RawPoint; newEndPosition: RawPoint }): void;
  delete?(): void;
}

/** A top-level definition or declaration of the current tree. */
export interface TopLevelNode {
  readonly type: 'function_definition' | 'declaration';
  readonly start: number;
  readonly end: number;
  /** Directly under the translation unit (declarations elsewhere do not install ops). */
  readonly atRoot: boolean;
  /** Copies the node's subtree into plain nodes (offsets are the document's). */
  materialize(): PlainNode;
  /** A definition's header: the node with its body copied as an empty node. */
  materializeHeader(): PlainNode;
  /** The node's subtree in compact form (plain.ts), offsets relative to its start. */
  encode(): Uint32Array;
  /** ERROR nodes under the definition's body. */
  bodyHasError(): boolean;
}

export interface LiveTree {
  /** Brings the tree up to `text`, reusing what the edit did not touch. */
  update(text: string): void;
  topLevel(): TopLevelNode[];
  /** Characters tree-sitter was told changed by the last update (0 for a fresh parse). */
  readonly lastEditSize: number;
  delete(): void;
}

/** Containers that findFunctions() descends into; the same walk here keeps the two in step. */
export const CONTAINERS = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'ERROR', 'linkage_specification', 'declaration_list']);

export function createLiveTree(parse: (text: string, old?: RawTree) => RawTree, text: string, vocab: Vocab, freeCursor = false): LiveTree {
  let current = text;
  let tree = parse(text);
  const withCursor = <T>(node: RawNode, read: (c: Cursor) => T): T => {
    const cursor = node.walk() as Cursor & { delete?(): void };
    try {
      return read(cursor);
    } finally {
      if (freeCursor) cursor.delete?.();
    }
  };
  const copy = (node: RawNode, skipField?: string): PlainNode => withCursor(node, (c) => materialize(c, vocab, 0, skipField));
  let lastEditSize = 0;
  return {
    get lastEditSize() {
      return lastEditSize;
    },
    update(next: string): void {
      if (next === current) {
        lastEditSize = 0;
        return;
      }
      const e = singleEdit(current, next);
      tree.edit(e);
      const old = tree;
      tree = parse(next, old);
      old.delete?.();
      lastEditSize = Math.max(e.oldEndIndex, e.newEndIndex) - e.startIndex;
      current = next;
    },
    topLevel(): TopLevelNode[] {
      const out: TopLevelNode[] = [];
      // A cursor, not namedChild(i): that walks the children from the first
      // each time, and a register header has 50,000 of them at the top level.
      const cursor = tree.rootNode.walk() as Cursor & { readonly currentNode: RawNode; delete?(): void };
      let depth = 0;
      let more = cursor.gotoFirstChild();
      while (more) {
        const type = vocab.types[vocab.typeId(cursor)];
        if (type === 'function_definition' || type === 'declaration') {
          const node = cursor.currentNode;
          out.push({
            type,
            start: node.startIndex,
            end: node.endIndex,
            atRoot: depth === 0,
            materialize: () => copy(node),
            materializeHeader: () => copy(node, 'body'),
            encode: () => withCursor(node, (c) => encode(c, vocab)),
            bodyHasError: () => {
              // ERROR nodes, not MISSING ones (a macro call without its ';' is not worth counting)
              const body = node.childForFieldName('body');
              return !!body && body.hasError && body.descendantsOfType('ERROR').length > 0;
            },
          });
        } else if (CONTAINERS.has(type) && cursor.gotoFirstChild()) {
          depth++;
          continue;
        }
        more = cursor.gotoNextSibling();
        while (!more && depth > 0) {
          cursor.gotoParent();
          depth--;
          more = cursor.gotoNextSibling();
        }
      }
      if (freeCursor) cursor.delete?.();
      // a depth-first walk of children in order: already in document order
      return out;
    },
    delete(): void {
      tree.delete?.();
    },
  };
}

/** The one edit that turns `a` into `b`: everything between their common prefix and suffix. */
export function singleEdit(a: string, b: string): { startIndex: number; oldEndIndex: number; newEndIndex: number; startPosition: RawPoint; oldEndPosition: RawPoint; newEndPosition: RawPoint } {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let ea = a.length;
  let eb = b.length;
  while (ea > start && eb > start && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) {
    ea--;
    eb--;
  }
  return {
    startIndex: start,
    oldEndIndex: ea,
    newEndIndex: eb,
    startPosition: pointAt(a, start),
    oldEndPosition: pointAt(a, ea),
    newEndPosition: pointAt(b, eb),
  };
}

function pointAt(text: string, index: number): RawPoint {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
