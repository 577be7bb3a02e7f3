// A tree-sitter tree copied once, with a TreeCursor, into plain JS nodes that
// implement SyntaxNode. Every later walk (CFG, flow, summaries) then reads JS
// objects instead of crossing into the native addon or the wasm heap per
// child access (that crossing was over 40 % of a run over mm/), and nothing
// calls Node.parent (which can throw on deep trees in web-tree-sitter 0.27).
import type { SyntaxNode } from './tree';

/** The cursor members both bindings provide (tree-sitter 0.25 and web-tree-sitter 0.27). */
export interface Cursor {
  readonly nodeTypeId: number;
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldId: number;
  readonly currentFieldName: string | null;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/**
 * The grammar's names behind its numeric ids, read from a cursor the first
 * time an id is seen. Every read crosses into the addon (or the wasm heap);
 * a type and a field name as strings per node were a third of a copy. One
 * per parser (ids belong to its language).
 */
export class Vocab {
  readonly types: string[] = [];
  readonly named: boolean[] = [];
  readonly fields: (string | null)[] = [null];
}

const NO_CHILDREN: PlainNode[] = [];

export class PlainNode implements SyntaxNode {
  hasError: boolean;
  children: PlainNode[] = NO_CHILDREN;
  named: PlainNode[] = NO_CHILDREN;

  constructor(
    readonly type: string,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly field: string | null,
  ) {
    this.hasError = isMissing || type === 'ERROR';
  }

  add(child: PlainNode): void {
    if (this.children === NO_CHILDREN) this.children = [];
    this.children.push(child);
    if (child.isNamed) {
      if (this.named === NO_CHILDREN) this.named = [];
      this.named.push(child);
    }
  }

  get childCount(): number {
    return this.children.length;
  }
  get namedChildCount(): number {
    return this.named.length;
  }
  child(i: number): PlainNode | null {
    return this.children[i] ?? null;
  }
  namedChild(i: number): PlainNode | null {
    return this.named[i] ?? null;
  }
  childForFieldName(field: string): PlainNode | null {
    for (const c of this.children) if (c.field === field) return c;
    return null;
  }
}

/** The cursor's current node as a plain node (no children yet). */
function readNode(c: Cursor, v: Vocab, base: number): PlainNode {
  const id = c.nodeTypeId;
  let type = v.types[id];
  if (type === undefined) {
    type = v.types[id] = c.nodeType;
    v.named[id] = c.nodeIsNamed;
  }
  const start = c.startIndex;
  const end = c.endIndex;
  // only a zero-width node can be MISSING
  const missing = start === end && c.nodeIsMissing;
  const fid = c.currentFieldId;
  let field: string | null = null;
  if (fid) {
    field = v.fields[fid] as string | null;
    if (field === undefined) field = v.fields[fid] = c.currentFieldName;
  }
  return new PlainNode(type, start + base, end + base, v.named[id], missing, field);
}

/**
 * Copies the tree under the cursor's current node; iterative, so depth costs no stack.
 * With `skipField`, children of the root in that field are copied without their subtrees
 * (a function definition's header without its body).
 */
export function materialize(cursor: Cursor, vocab: Vocab, base = 0, skipField?: string): PlainNode {
  const root = readNode(cursor, vocab, base);
  const stack: PlainNode[] = [];
  let node = root;
  for (;;) {
    if (!(skipField && stack.length === 1 && node.field === skipField) && cursor.gotoFirstChild()) {
      stack.push(node);
      node = readNode(cursor, vocab, base);
      stack[stack.length - 1].add(node);
      continue;
    }
    // node is finished: move to its next sibling, or finish its ancestors
    for (;;) {
      const parent = stack[stack.length - 1];
      if (!parent) return root;
      if (node.hasError) parent.hasError = true;
      if (cursor.gotoNextSibling()) {
        node = readNode(cursor, vocab, base);
        parent.add(node);
        break;
      }
      cursor.gotoParent();
      node = stack.pop() as PlainNode;
    }
  }
}

// ---- compact trees ----
//
// A subtree kept between the two phases of a run without keeping the parser's
// tree (about 28 bytes per byte of source, freed only by a collection) or JS
// objects (traced by every collection): four 32-bit words per node in
// pre-order, off the JS heap. Phase 2 rebuilds plain nodes from it in JS,
// instead of parsing the function's text again and copying that tree out of
// the addon node by node.
//   word 0: type id | field id << 16 | named << 24 | missing << 25
//   word 1, 2: start and end, relative to the subtree's start
//   word 3: number of children
const WORDS = 4;
const NAMED_BIT = 1 << 24;
const MISSING_BIT = 1 << 25;
let scratch = new Uint32Array(1 << 16);

/** The subtree under the cursor's current node, compact; offsets relative to its start. */
export function encode(cursor: Cursor, vocab: Vocab): Uint32Array {
  let n = 0;
  const origin = cursor.startIndex;
  // index (in nodes) of each open ancestor, whose child count grows as children are met
  const open: number[] = [];
  const put = (): void => {
    if ((n + 1) * WORDS > scratch.length) {
      const bigger = new Uint32Array(scratch.length * 2);
      bigger.set(scratch);
      scratch = bigger;
    }
    const id = cursor.nodeTypeId;
    if (vocab.types[id] === undefined) {
      vocab.types[id] = cursor.nodeType;
      vocab.named[id] = cursor.nodeIsNamed;
    }
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const missing = start === end && cursor.nodeIsMissing;
    const fid = cursor.currentFieldId;
    if (fid && vocab.fields[fid] === undefined) vocab.fields[fid] = cursor.currentFieldName;
    if (id > 0xffff || fid > 0xff) throw new Error(`grammar ids past the compact encoding (${id}, ${fid})`);
    const at = n * WORDS;
    scratch[at] = id | (fid << 16) | (vocab.named[id] ? NAMED_BIT : 0) | (missing ? MISSING_BIT : 0);
    scratch[at + 1] = start - origin;
    scratch[at + 2] = end - origin;
    scratch[at + 3] = 0;
    if (open.length) scratch[open[open.length - 1] * WORDS + 3]++;
    n++;
  };
  put();
  let depth = 0;
  for (;;) {
    if (cursor.gotoFirstChild()) {
      open.push(n - 1);
      depth++;
      put();
      continue;
    }
    for (;;) {
      if (!depth) return scratch.slice(0, n * WORDS);
      if (cursor.gotoNextSibling()) {
        put();
        break;
      }
      cursor.gotoParent();
      open.pop();
      depth--;
    }
  }
}

/** Plain nodes from a compact subtree; `base` is added to every offset (the subtree's start in its document). */
export function decode(buf: Uint32Array, vocab: Vocab, base: number): PlainNode {
  let i = 0;
  const make = (): PlainNode => {
    const w = buf[i];
    const node = new PlainNode(
      vocab.types[w & 0xffff],
      buf[i + 1] + base,
      buf[i + 2] + base,
      (w & NAMED_BIT) !== 0,
      (w & MISSING_BIT) !== 0,
      (w >>> 16) & 0xff ? (vocab.fields[(w >>> 16) & 0xff] as string) : null,
    );
    i += WORDS;
    return node;
  };
  const root = make();
  const stack: PlainNode[] = [];
  const left: number[] = [];
  let node = root;
  let kids = buf[3];
  for (;;) {
    if (kids > 0) {
      stack.push(node);
      left.push(kids - 1);
      node = make();
      kids = buf[i - WORDS + 3];
      stack[stack.length - 1].add(node);
      continue;
    }
    for (;;) {
      const parent = stack[stack.length - 1];
      if (!parent) return root;
      if (node.hasError) parent.hasError = true;
      const rest = left[left.length - 1];
      if (rest > 0) {
        left[left.length - 1] = rest - 1;
        node = make();
        kids = buf[i - WORDS + 3];
        parent.add(node);
        break;
      }
      left.pop();
      node = stack.pop() as PlainNode;
    }
  }
}
