// Where a position is in a function's flow: the state before the statement at
// an offset (hover, "show lock state"), and the offset of a line. The words
// for a state are in render/lock-state.ts.
import type { FunctionFlow } from './engine';
import type { FlowState } from './state';

/** The state just before the innermost statement or condition covering `offset`, or null if unreachable. */
export function stateAt(flow: FunctionFlow, offset: number): FlowState | null {
  let best = -1;
  let bestLen = Infinity;
  for (const n of flow.cfg.nodes) {
    if (!n.ast) continue;
    if (n.ast.startIndex <= offset && offset < n.ast.endIndex && n.ast.endIndex - n.ast.startIndex < bestLen) {
      best = n.id;
      bestLen = n.ast.endIndex - n.ast.startIndex;
    }
  }
  if (best < 0) {
    // a line with no statement of its own: the next statement after it
    let next = -1;
    let nextStart = Infinity;
    for (const n of flow.cfg.nodes) {
      if (n.ast && n.ast.startIndex >= offset && n.ast.startIndex < nextStart) {
        next = n.id;
        nextStart = n.ast.startIndex;
      }
    }
    best = next;
  }
  return best >= 0 ? flow.states[best] : null;
}

export function offsetOfLine(text: string, line: number): number {
  let off = 0;
  for (let i = 0; i < line && off >= 0; i++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  // first non-blank character of the line
  while (off < text.length && (text[off] === ' ' || text[off] === '\t')) off++;
  return off;
}
