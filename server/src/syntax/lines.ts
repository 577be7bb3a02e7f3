// Offsets to 0-based line/UTF-16 column (the LSP unit). Tree-sitter indices over
// a JS string are UTF-16 code units, so a column is offset minus line start.
export class LineIndex {
  private starts: number[];
  constructor(text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.starts = starts;
  }
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  line(offset: number): number {
    return this.position(offset).line;
  }
  get lineCount(): number {
    return this.starts.length;
  }
}
