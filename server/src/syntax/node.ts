// A syntax node as the analysis reads it: what both tree-sitter backends'
// node classes have in common (tree.ts re-exports it with the parser
// interface; plain.ts and live.ts build their own nodes to it).

export interface Point {
  row: number;
  column: number;
}

export interface SyntaxNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(field: string): SyntaxNode | null;
}
