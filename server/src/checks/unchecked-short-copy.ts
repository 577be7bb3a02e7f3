// unchecked-short-copy
//
// An atomic copy (one that fails rather than faults) whose result is thrown
// away or never read. A short copy is normal there: the caller must commit
// only what was copied (nothing, if the page is not uptodate), then fault the
// source in and retry.
import { Check, CheckContext, callText, noteAt } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'unchecked-short-copy',
  severity: 'warning',
  scope: 'function',
  tables: ['rows'],
  doc: {
    short: 'An atomic copy whose result (how much was copied) is discarded or never read',
    full: `An atomic copy (\`copy_page_from_iter_atomic\`, \`__copy_from_user_inatomic\`,
...) whose result is discarded or never read. A short copy is normal with
faults disabled; the caller must commit only what was copied and retry.`,
    example: {
      finds: `static void demo_copy(struct page *page, struct iov_iter *i, size_t off, size_t n)
{
	copy_page_from_iter_atomic(page, off, n, i);
}
`,
      fixed: `static size_t demo_copy(struct page *page, struct iov_iter *i, size_t off, size_t n)
{
	size_t copied = copy_page_from_iter_atomic(page, off, n, i);

	if (unlikely(copied == 0))
		return -EAGAIN;
	return copied;
}
`,
    },
  },
};

export const uncheckedShortCopy: Check = {
  ...rule,
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
