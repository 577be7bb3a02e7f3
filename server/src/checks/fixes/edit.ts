// A quick fix as plain data: edits the editor turns into a WorkspaceEdit.

export interface TextEdit {
  /** 0-based line and UTF-16 column, as everywhere inside. */
  start: { line: number; character: number };
  end: { line: number; character: number };
  newText: string;
}

export interface FixEdit {
  title: string;
  preferred: boolean;
  edits: TextEdit[];
}
