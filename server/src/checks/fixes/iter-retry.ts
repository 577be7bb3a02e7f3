// "Copy with faults disabled, then retry" for an iov_iter copy into a page in
// a write loop (copy_page_from_iter(), copy_folio_from_iter()), the page from
// ->write_begin() or a helper that returns it locked. The loop becomes Linux
// 6.12 mm/filemap.c:generic_perform_write in its own words:
//
//   - before the lock, fault_in_iov_iter_readable(i, bytes); when it cannot
//     fault in a single byte the loop ends with -EFAULT in its status variable
//     (the function's `return written ? written : status` keeps what was
//     written);
//   - the copy is the _atomic twin (no fault; it advances the iterator by what
//     it copied);
//   - after ->write_end(): what it did not take goes back to the iterator, and
//     when it took nothing of a short copy the loop retries the same position
//     with the length that could be copied (the label goes before the
//     fault-in). A copy of nothing falls through to the loop's own next
//     iteration, whose fault-in at the same position ends it.
//
// With a helper instead of ->write_begin() the loop commits `copied` itself:
// the fault-in before the lock and the atomic copy are the whole change.
// A loop that moves the iterator itself (iov_iter_advance()/_revert()), an
// access not directly in the loop body, or code between the lock and the copy
// that must not run twice gets no edit.
import type { Finding } from '../../findings/finding';
import { ATOMIC_ITER_COPIES, ITER_FAULT_IN, ITER_MOVERS, ITER_REVERT } from '../../kernel/fix-api';
import type { FixEdit, TextEdit } from './edit';
import { COPY_AND_RETRY } from './copy-retry';
import { beforeAcquisition, lockSite } from './lock-site';
import { repeatableRegion } from './region';
import { FnText, assignsAny, blockOpener, callNames, callOn, codeOf, freshName, functionAt, indentOf, indentStep, statementEnd } from './source';

export function iterCopyRetryFix(f: Finding, lines: string[]): FixEdit | null {
  const name = f.facts?.call ?? '';
  const twin = ATOMIC_ITER_COPIES[name];
  if (!twin || f.facts?.fault !== 'access') return null;
  const line = f.range.start.line;
  const fn = functionAt(lines, line);
  if (!fn) return null;
  const call = callOn(fn, line, name);
  if (!call || call.col !== f.range.start.character || call.args.length !== 4) return null;
  const m = /^\s*([A-Za-z_]\w*)\s*=\s*$/.exec(fn.code[line].slice(0, call.col));
  if (!m || fn.code[call.endLine].slice(call.endCol).trim() !== ';') return null;
  const copied = m[1];
  const [, , bytes, iter] = call.args;
  if (!/^[A-Za-z_]\w*$/.test(bytes) || !/^&?[A-Za-z_][\w.>-]*$/.test(iter)) return null;
  const site = lockSite(f, fn);
  if (!site || !repeatableRegion(fn, site.end + 1, line)) return null;
  const loop = loopBody(fn, site.line);
  if (!loop) return null;
  const body = codeOf(fn, loop.from, loop.to);
  if (callNames(body).some((n) => ITER_MOVERS.includes(n))) return null;
  // the length the fault-in reads is set in the loop before the lock
  if (!assignsAny(fn, loop.from, site.line - 1, [bytes])) return null;
  const status = statusVariable(fn, site, loop);
  if (!status) return null;
  const end = writeEnd(fn, call.endLine + 1, loop.to, copied);
  if (end === undefined) return null;

  const ind = indentOf(lines[site.line]);
  const at = beforeAcquisition(fn, site.line);
  const t = indentStep(ind);
  const label = end ? freshName(fn, ['retry', 'again', 'retry_copy']) : null;
  const prefaulted = callNames(codeOf(fn, loop.from, site.line - 1)).includes(ITER_FAULT_IN);
  const before = [
    ...(label ? [`${label}:`] : []),
    ...(prefaulted
      ? []
      : [
          `${ind}/* fault the source in before the page is locked: under the lock it is copied with page faults disabled */`,
          `${ind}if (unlikely(${ITER_FAULT_IN}(${iter}, ${bytes}) == ${bytes})) {`,
          `${ind}${t}${status} = -EFAULT;`,
          `${ind}${t}break;`,
          `${ind}}`,
        ]),
  ];
  const edits: TextEdit[] = [];
  if (before.length) edits.push({ start: { line: at, character: 0 }, end: { line: at, character: 0 }, newText: before.join('\n') + '\n' });
  edits.push({ start: { line, character: call.col }, end: { line, character: call.col + name.length }, newText: twin.atomic });
  if (end && label) {
    const wi = indentOf(lines[end.line]);
    const after = [
      `${wi}if (unlikely(${end.status} != ${copied})) {`,
      `${wi}${t}/* give back to the iterator what ->write_end() did not take */`,
      `${wi}${t}${ITER_REVERT}(${iter}, ${copied} - max_t(ssize_t, ${end.status}, 0));`,
      `${wi}${t}if (${end.status} == 0 && ${copied}) {`,
      `${wi}${t}${t}/* it took nothing of a short copy: retry with what could be copied */`,
      `${wi}${t}${t}${bytes} = ${copied};`,
      `${wi}${t}${t}goto ${label};`,
      `${wi}${t}}`,
      `${wi}}`,
    ];
    edits.push({ start: { line: end.end + 1, character: 0 }, end: { line: end.end + 1, character: 0 }, newText: after.join('\n') + '\n' });
  }
  return { title: COPY_AND_RETRY, preferred: true, edits };
}

/** The body of the loop whose block holds `line` directly (do, while, for): its first and last lines. */
function loopBody(fn: FnText, line: number): { from: number; to: number } | null {
  const opener = blockOpener(fn, line);
  if (opener < 0 || !/^\s*(?:do\b|while\s*\(|for\s*\()/.test(fn.code[opener])) return null;
  const d = fn.depth[line];
  for (let l = line; l < fn.close; l++) if (fn.depth[l + 1] < d) return { from: opener + 1, to: l };
  return null;
}

/** The loop's error variable: what ->write_begin() returns into, else what the loop sets to PTR_ERR() or -E... before a break. */
function statusVariable(fn: FnText, site: { via: string; target: string | null }, loop: { from: number; to: number }): string | null {
  if (site.via.endsWith('write_begin')) return site.target && /^[A-Za-z_]\w*$/.test(site.target) ? site.target : null;
  const body = codeOf(fn, loop.from, loop.to);
  const m = /(?<![\w.>])([A-Za-z_]\w*)\s*=\s*(?:PTR_ERR\s*\(|-E[A-Z]+\s*;)/.exec(body);
  return m ? m[1] : null;
}

/**
 * The ->write_end() call that commits `copied`: its variable and lines; null
 * when the loop commits without one (a helper's page), undefined when the
 * shape between the copy and it is not one the rewrite knows.
 */
function writeEnd(fn: FnText, from: number, to: number, copied: string): { status: string; line: number; end: number } | null | undefined {
  for (let l = from; l <= to; l++) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*[\w>.-]*write_end\s*\(/.exec(fn.code[l]);
    if (!m) continue;
    const call = callOn(fn, l, m[0].replace(/^.*?=\s*/, '').replace(/\s*\($/, ''));
    const end = statementEnd(fn, l);
    if (!call || end < 0 || !call.args.includes(copied) || !repeatableRegion(fn, from, l)) return undefined;
    return { status: m[1], line: l, end };
  }
  return codeOf(fn, from, to).includes('write_end') ? undefined : null;
}
