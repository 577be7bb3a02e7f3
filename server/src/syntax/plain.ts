// A tree-sitter tree copied once, with a TreeCursor, into plain JS nodes that
// implement SyntaxNode. Every later walk (CFG, flow, summaries) then reads JS
// objects instead of crossing into the native addon or the wasm heap per
// child access (that crossing was over 40 % of a run over mm/), and nothing
// calls Node.parent (which can throw on deep trees in web-tree-sitter 0.27).
import type { SyntaxNode } from './node';

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

  /** The type id of the cursor's node, its name and named flag learned on first sight. */
  typeId(c: Cursor): number {
    const id = c.nodeTypeId;
    if (this.types[id] === undefined) {
      this.types[id] = c.nodeType;
      this.named[id] = c.nodeIsNamed;
    }
    return id;
  }

  /** The field id of the cursor's node (0: none), its name learned on first sight. */
  fieldId(c: Cursor): number {
    const fid = c.currentFieldId;
    if (fid && this.fields[fid] === undefined) this.fields[fid] = c.currentFieldName;
    return fid;
  }
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
  const id = v.typeId(c);
  const start = c.startIndex;
  const end = c.endIndex;
  // only a zero-width node can be MISSING
  const missing = start === end && c.nodeIsMissing;
  const fid = v.fieldId(c);
  return new PlainNode(v.types[id], start + base, end + base, v.named[id], missing, fid ? v.fields[fid] : null);
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
//   word 3: number of descendants (the next sibling is that many nodes on)
const WORDS = 4;
const NAMED_BIT = 1 << 24;
const MISSING_BIT = 1 << 25;
let scratch = new Uint32Array(1 << 16);

/** The subtree under the cursor's current node, compact; offsets relative to its start. */
export function encode(cursor: Cursor, vocab: Vocab): Uint32Array {
  let n = 0;
  const origin = cursor.startIndex;
  const put = (): number => {
    if ((n + 1) * WORDS > scratch.length) {
      const bigger = new Uint32Array(scratch.length * 2);
      bigger.set(scratch);
      scratch = bigger;
    }
    const id = vocab.typeId(cursor);
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const missing = start === end && cursor.nodeIsMissing;
    const fid = vocab.fieldId(cursor);
    if (id > 0xffff || fid > 0xff) throw new Error(`grammar ids past the compact encoding (${id}, ${fid})`);
    const at = n * WORDS;
    scratch[at] = id | (fid << 16) | (vocab.named[id] ? NAMED_BIT : 0) | (missing ? MISSING_BIT : 0);
    scratch[at + 1] = start - origin;
    scratch[at + 2] = end - origin;
    return n++;
  };
  // the node at each depth of the walk; a node's descendants are counted when it is left
  const path = [put()];
  for (;;) {
    if (cursor.gotoFirstChild()) {
      path.push(put());
      continue;
    }
    for (;;) {
      const done = path.pop() as number;
      scratch[done * WORDS + 3] = n - done - 1;
      if (!path.length) return scratch.slice(0, n * WORDS);
      if (cursor.gotoNextSibling()) {
        path.push(put());
        break;
      }
      cursor.gotoParent();
    }
  }
}

/** A cursor over a compact subtree: what materialize() copies from, as from the parser's. */
class CompactCursor implements Cursor {
  private at = 0;
  private readonly parents: number[] = [];
  /** One past the last node of each parent's subtree. */
  private readonly ends: number[] = [];

  constructor(
    private readonly buf: Uint32Array,
    private readonly vocab: Vocab,
  ) {}

  get nodeTypeId(): number {
    return this.buf[this.at * WORDS] & 0xffff;
  }
  get nodeType(): string {
    return this.vocab.types[this.nodeTypeId];
  }
  get nodeIsNamed(): boolean {
    return (this.buf[this.at * WORDS] & NAMED_BIT) !== 0;
  }
  get nodeIsMissing(): boolean {
    return (this.buf[this.at * WORDS] & MISSING_BIT) !== 0;
  }
  get startIndex(): number {
    return this.buf[this.at * WORDS + 1];
  }
  get endIndex(): number {
    return this.buf[this.at * WORDS + 2];
  }
  get currentFieldId(): number {
    return (this.buf[this.at * WORDS] >>> 16) & 0xff;
  }
  get currentFieldName(): string | null {
    const f = this.currentFieldId;
    return f ? (this.vocab.fields[f] ?? null) : null;
  }
  gotoFirstChild(): boolean {
    const below = this.buf[this.at * WORDS + 3];
    if (!below) return false;
    this.parents.push(this.at);
    this.ends.push(this.at + 1 + below);
    this.at++;
    return true;
  }
  gotoNextSibling(): boolean {
    if (!this.ends.length) return false;
    const next = this.at + 1 + this.buf[this.at * WORDS + 3];
    if (next >= this.ends[this.ends.length - 1]) return false;
    this.at = next;
    return true;
  }
  gotoParent(): boolean {
    const p = this.parents.pop();
    if (p === undefined) return false;
    this.ends.pop();
    this.at = p;
    return true;
  }
}

/** Plain nodes from a compact subtree; `base` is added to every offset (the subtree's start in its document). */
export function decode(buf: Uint32Array, vocab: Vocab, base: number): PlainNode {
  return materialize(new CompactCursor(buf, vocab), vocab, base);
}
