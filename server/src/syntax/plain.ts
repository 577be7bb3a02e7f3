// A tree-sitter tree copied once, with a TreeCursor, into plain JS nodes that
// implement SyntaxNode. Every later walk (CFG, flow, summaries) then reads JS
// objects instead of crossing into the native addon or the wasm heap per
// child access (that crossing was over 40 % of a run over mm/), and nothing
// calls Node.parent (which can throw on deep trees in web-tree-sitter 0.27).
import type { SyntaxNode } from './tree';

/** The cursor members both bindings provide (tree-sitter 0.25 and web-tree-sitter 0.27). */
export interface Cursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldName: string | null;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

const NO_CHILDREN: PlainNode[] = [];

export class PlainNode implements SyntaxNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly field: string | null;
  hasError: boolean;
  children: PlainNode[] = NO_CHILDREN;
  named: PlainNode[] = NO_CHILDREN;

  constructor(c: Cursor, base: number) {
    this.type = c.nodeType;
    this.startIndex = c.startIndex + base;
    this.endIndex = c.endIndex + base;
    this.isNamed = c.nodeIsNamed;
    this.isMissing = c.nodeIsMissing;
    this.field = c.currentFieldName || null;
    this.hasError = this.isMissing || this.type === 'ERROR';
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

/**
 * Copies the tree under the cursor's current node; iterative, so depth costs no stack.
 * With `skipField`, children of the root in that field are copied without their subtrees
 * (a function definition's header without its body).
 */
export function materialize(cursor: Cursor, base = 0, skipField?: string): PlainNode {
  const root = new PlainNode(cursor, base);
  const stack: PlainNode[] = [];
  let node = root;
  for (;;) {
    if (!(skipField && stack.length === 1 && node.field === skipField) && cursor.gotoFirstChild()) {
      stack.push(node);
      node = new PlainNode(cursor, base);
      stack[stack.length - 1].add(node);
      continue;
    }
    // node is finished: move to its next sibling, or finish its ancestors
    for (;;) {
      const parent = stack[stack.length - 1];
      if (!parent) return root;
      if (node.hasError) parent.hasError = true;
      if (cursor.gotoNextSibling()) {
        node = new PlainNode(cursor, base);
        parent.add(node);
        break;
      }
      cursor.gotoParent();
      node = stack.pop() as PlainNode;
    }
  }
}
