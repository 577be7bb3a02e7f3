// Findings are plain data: they become LSP diagnostics in lsp/ and text, JSON
// or SARIF in cli/. Positions are 0-based lines and UTF-16 columns (LSP units).
export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Note {
  file: string;
  range: Range;
  message: string;
}

export interface Fix {
  /** Imperative, names the pattern: "Copy with faults disabled, then retry". */
  title: string;
  description: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  range: Range;
  message: string;
  function: string;
  notes: Note[];
  fixes: Fix[];
  status?: 'introduced' | 'fixed' | 'unchanged';
  /** For findings in a patch: the file and 1-based line in the pre-image (fixed) or post-image. */
  target?: { file: string; line: number };
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  if (a.range.start.character !== b.range.start.character) return a.range.start.character - b.range.start.character;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}
