// unchecked-short-copy
//
// An atomic copy (one that fails rather than faults) whose result is thrown
// away or never read. A short copy is normal there: the caller must commit
// only what was copied (nothing, if the page is not uptodate), then fault the
// source in and retry.
import { Check, CheckContext, callText, noteAt } from './check';

export const uncheckedShortCopy: Check = {
  id: 'unchecked-short-copy',
  run(ctx: CheckContext): void {
    const body = ctx.src.slice(ctx.flow.fn.body.startIndex, ctx.flow.fn.body.endIndex);
    for (const e of ctx.flow.events) {
      if (e.kind !== 'call' || !e.rows.some((r) => (r.effect === 'atomic-copy' || r.effect === 'inatomic-copy') && !r.resultOptional)) continue;
      let why: string | null = null;
      let kind = '';
      let unread = '';
      if (e.discarded) {
        why = 'its result is discarded';
        kind = 'discarded';
      } else if (e.assignedTo && !isRead(body, e.assignedTo)) {
        why = `'${e.assignedTo}' is never read`;
        kind = 'unread';
        unread = e.assignedTo;
      }
      if (!why) continue;
      ctx.report({
        rule: 'unchecked-short-copy',
        severity: 'warning',
        start: e.start,
        end: e.end,
        message: `${callText(e)} can copy less than asked, and ${why}`,
        notes: [noteAt(ctx, e.start, e.end, 'a short copy is normal with page faults disabled: commit only what was copied (nothing if the page is not uptodate), then fault the source in and retry')],
        facts: { kind, call: e.name, ...(unread ? { subject: unread } : {}) },
      });
    }
  },
};

function isRead(body: string, v: string): boolean {
  const re = new RegExp('\\b' + v.replace(/[^A-Za-z0-9_]/g, '') + '\\b(?!\\s*=[^=])', 'g');
  let n = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const before = body.slice(Math.max(0, m.index - 8), m.index);
    if (/(?:struct|int|long|size_t|unsigned)\s*$/.test(before)) continue;
    n++;
  }
  return n > 0;
}
