// "Copy with faults disabled, then retry" for a user copy or a single user
// access (copy_from_user(), __copy_from_user(), copy_to_user(), get_user(),
// put_user()) under a page lock taken in the same block, as "mm: fix
// pagecache write deadlocks" (2.6.23) and mm/filemap.c:generic_perform_write
// do it:
//
//   retry:                                   a label no other code uses
//     unfaulted = fault_in_readable(src, n);  before the lock, may sleep
//     <the lock, and what came after it>
//     pagefault_disable();
//     left = __copy_from_user_inatomic(dst, src, n);
//     pagefault_enable();
//     if (unlikely(left > unfaulted)) {       stopped short of what was faulted in
//         <release mappings of the page>; unlock; put if looked up;
//         goto retry;
//     }
//     <the original statement, reading `left`>
//
// A copy retries only when it stopped before the first byte the fault-in could
// not reach: the memory was readable and went away again (reclaim or a racing
// munmap), so the next fault-in makes progress. A buffer whose head is mapped
// and whose tail is not stops where the fault-in stopped: no retry, and the
// original statement sees the short count, so the function keeps its own error
// or short-count semantics (a loop commits what was copied; copy_from_user()'s
// zero fill is kept). Everything between the lock and the copy runs again on a
// retry, so it must be repeatable (region.ts); anything else gets no edit.
import type { Finding } from '../../findings/finding';
import { ATOMIC_ACCESSES } from '../../kernel/fix-api';
import type { FixEdit } from './edit';
import { beforeAcquisition, lockSite, releaseCalls, userBytes, withDeclarations } from './lock-site';
import { repeatableRegion } from './region';
import { assignsAny, callOn, freshName, functionAt, identifiers, indentOf, indentStep, labelsIn, sideEffectFree } from './source';

export const COPY_AND_RETRY = 'Copy with faults disabled, then retry';

/** Forms of a statement whose first evaluation is the access: `if (unlikely(`, `x = `, `x = n - `, nothing. */
const PREFIX = /^\s*(?:if\s*\(\s*(?:unlikely\s*\(\s*)?|([A-Za-z_]\w*)\s*=\s*|[A-Za-z_][\w.>[\]-]*\s*[+-]?=\s*(?:[A-Za-z_]\w*\s*-\s*)?)?$/;

export function userAccessRetryFix(f: Finding, lines: string[]): FixEdit | null {
  const name = f.facts?.call ?? '';
  const access = ATOMIC_ACCESSES[name];
  if (!access || f.facts?.fault !== 'access') return null;
  const line = f.range.start.line;
  const fn = functionAt(lines, line);
  if (!fn) return null;
  const call = callOn(fn, line, name);
  if (!call || call.col !== f.range.start.character || call.args.length !== (access.len < 0 ? 2 : 3)) return null;
  const prefix = fn.code[line].slice(0, call.col);
  const pm = PREFIX.exec(prefix);
  if (!pm) return null;
  const after = fn.code[call.endLine].slice(call.endCol);
  const site = lockSite(f, fn);
  if (!site) return null;
  const region = repeatableRegion(fn, site.end + 1, line);
  if (!region) return null;
  // what the fault-in reads must have its value before the lock: not set between, not the page
  const user = call.args[access.user];
  const len = access.len < 0 ? `sizeof(*${/^[A-Za-z_]\w*$/.test(user) ? user : `(${user})`})` : call.args[access.len];
  if (!call.args.every((a) => sideEffectFree(a, ['sizeof', 'page_address', 'folio_address', 'offset_in_page', 'min', 'min_t', 'max', 'max_t']))) return null;
  const reads = [...identifiers(user), ...identifiers(len)];
  if (reads.includes(site.page) || assignsAny(fn, site.line, line - 1, reads)) return null;

  const taken = new Set<string>();
  const label = freshName(fn, ['retry', 'again', 'retry_copy'], taken);
  taken.add(label);
  if (labelsIn(fn).has(label)) return null;
  const simple = pm[1] && /^\s*;\s*$/.test(after) && !/^\s*if/.test(prefix);
  const res = simple ? pm[1] : freshName(fn, access.result === 'left' ? ['left', 'uncopied'] : ['err', 'fault_err'], taken);
  taken.add(res);
  const unfaulted = freshName(fn, ['unfaulted', 'not_faulted_in'], taken);
  const decls = [...(simple ? [] : [`${access.result === 'left' ? 'unsigned long' : 'int'} ${res}`]), `size_t ${unfaulted}`];

  const ind = indentOf(lines[line]);
  const at = beforeAcquisition(fn, site.line);
  const t = indentStep(ind);
  const lockInd = indentOf(lines[site.line]);
  const { unlock, put } = releaseCalls(fn, line, site.page);
  const writes = access.faultIn === 'fault_in_writeable';
  const what = access.len < 0 ? 'user word' : writes ? 'destination' : 'source';
  const faultIn = [
    `${label}:`,
    `${lockInd}/* fault the ${what} in before the page is locked: under the lock it is accessed with page faults disabled */`,
    `${lockInd}${unfaulted} = ${access.faultIn}(${userBytes(fn, user, !writes)}, ${len});`,
  ];
  const stopped = access.result === 'left' ? `${res} > ${unfaulted}` : `${res} && !${unfaulted}`;
  const out = [
    `${ind}pagefault_disable();`,
    `${ind}${res} = ${access.atomic}(${call.args.join(', ')});`,
    `${ind}pagefault_enable();`,
    `${ind}if (unlikely(${stopped})) {`,
    `${ind}${t}/* the ${what} was faulted in but is gone again: unlock, fault it in, retry */`,
    ...region.releases.map((r) => `${ind}${t}${r}`),
    `${ind}${t}${unlock}(${site.page});`,
    ...(site.lookup ? [`${ind}${t}${put}(${site.page});`] : []),
    `${ind}${t}goto ${label};`,
    `${ind}}`,
  ];
  if (access.zeroFills) {
    const dst = /^[A-Za-z_]\w*$/.test(call.args[0]) ? call.args[0] : `(${call.args[0]})`;
    const n = /^[\w.>-]+$/.test(len) ? len : `(${len})`;
    out.push(`${ind}if (unlikely(${res}))`, `${ind}${t}memset((char *)${dst} + ${n} - ${res}, 0, ${res});`);
  }
  if (!simple) {
    const tail = lines[call.endLine].slice(call.endCol);
    if (pm[0].trim() || tail.trim() !== ';') out.push(`${lines[line].slice(0, call.col)}${res}${tail}`);
  }
  const edits = withDeclarations(fn, decls, [
    { start: { line: at, character: 0 }, end: { line: at, character: 0 }, newText: faultIn.join('\n') + '\n' },
    { start: { line, character: 0 }, end: { line: call.endLine, character: lines[call.endLine].length }, newText: out.join('\n') },
  ]);
  return { title: COPY_AND_RETRY, preferred: true, edits };
}
