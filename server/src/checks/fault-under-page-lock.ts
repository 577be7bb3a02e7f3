// fault-under-page-lock
//
// A user-memory access that can take a page fault, a fault-in helper, or a
// call of a function that may fault, while a page or folio lock is held: the
// pagecache write deadlock ("mm: fix pagecache write deadlocks", 2.6.23).
// The fault handler takes mmap_lock(r) and then locks the faulting page in
// filemap_fault(): if the source buffer maps the page we hold, it waits for
// us (recursive deadlock); otherwise two writers can each hold one page and
// fault on the other's (ABBA), or munmap holding mmap_lock(w) can wait for
// our page while we wait for mmap_lock (ABBA page/mmap_lock).
// Error when the page is locked on every path, warning on some paths.
import { heldMay, heldMust } from '../flow/state';
import { Check, CheckContext, HELD_BEFORE_HUNK, acquisitionNotes, callText, chainNotes, faultSites, iterNote, lockRef, noteAt } from './check';
import { fixCopyAndRetry, faultChainText } from './wording';
import type { Rule } from './rule';
import { copyAndRetryFix, moveFaultInFix } from './fixes';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'fault-under-page-lock',
  severity: 'error',
  scope: 'function',
  tables: ['rows', 'classes', 'atomicCopyTwins'],
  quickFixes: [moveFaultInFix, copyAndRetryFix],
  doc: {
    short: 'A user-memory access that can page-fault while a page or folio lock is held (the pagecache write deadlock)',
    full: `A faulting user access (\`copy_from_user\`, \`get_user\`, \`copy_page_from_iter\`,
...), a fault-in helper (\`fault_in_pages_readable\`, \`fault_in_iov_iter_readable\`)
or a call of a function that may fault (computed bottom-up, e.g. 2.6.22's
\`filemap_copy_from_user\` with its sleeping fallback) while a page or folio lock
is held. The fault handler takes mmap_lock(r) and locks the faulting page in
\`filemap_fault()\`: the recursive deadlock when the source maps the page we hold,
ABBA against another writer or against munmap holding mmap_lock(w). Error when
the page is locked on every path, warning on some. Fix: prefault before
locking, copy with page faults disabled, on a short copy unlock, fault in and
retry.

Locks handed back are followed: a helper that returns a page or folio locked
(\`return __filemap_get_folio(.., fgp, ..)\`), stores it through an out-parameter
(\`*foliop = folio; return 0;\`, as \`iomap_write_begin()\` does) or locks pages
into an array (\`pages[i] = pagecache_get_page(..)\` in a loop, btrfs
\`prepare_pages()\`) says so in its summary, with the return value that means
success. An array is one collective lock, \`pages[]\`: "every element taken so
far", so a loop that took or released none holds or released all of none, and
taking the next element is no double lock. Flags that decide whether a call
locks (\`FGP_LOCK\`) are followed through local variables, helpers that return
them and macros that include them (\`FGP_WRITEBEGIN\`). A page a helper only
trylocked before returning it makes no lock-order edge at the caller. A copy through an
iov_iter the function set up over kernel memory (\`iov_iter_bvec()\`,
\`iov_iter_kvec()\`, ...), directly or in a callee it is passed to, cannot fault
and is not reported.`,
    example: {
      finds: `static ssize_t demo_write(struct page *page, const char __user *buf, size_t n)
{
	char *kaddr = kmap(page);

	lock_page(page);
	if (copy_from_user(kaddr, buf, n))
		n = 0;
	unlock_page(page);
	kunmap(page);
	return n;
}
`,
      fixed: `static ssize_t demo_write(struct page *page, const char __user *buf, size_t n)
{
	char *kaddr = kmap(page);
	size_t left;

again:
	if (fault_in_readable(buf, n))
		return -EFAULT;
	lock_page(page);
	pagefault_disable();
	left = __copy_from_user_inatomic(kaddr, buf, n);
	pagefault_enable();
	unlock_page(page);
	if (left)
		goto again;
	kunmap(page);
	return n;
}
`,
    },
  },
};

export const faultUnderPageLock: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    for (const { e, fc, enabled, released } of faultSites(ctx)) {
      const pages = [...e.state.locks.values()].filter((f) => f.cls === 'page' && heldMay(f) && !released.has(f.key));
      if (!pages.length) continue;
      // a lock only inferred held at a hunk's start (patch review) makes a warning, not an error
      const must = !fc.conditional && pages.some((p) => heldMust(p) && p.via !== HELD_BEFORE_HUNK) && enabled === true;
      const f = pages.find(heldMust) ?? pages[0];
      const what = fc.kind === 'fault-in' ? `${callText(e)} faults user pages in` : `${callText(e)} may fault`;
      const held = heldMust(f) ? 'is held' : 'is held on some paths';
      const faultsNote = enabled === null ? ' (page faults are disabled on only some paths here)' : '';
      const notes = [
        ...pages.flatMap((p) => acquisitionNotes(ctx, p, `page lock on '${p.expr}'`)),
        ...chainNotes(e),
        ...iterNote(ctx, e, fc),
        noteAt(ctx, e.start, e.end, faultChainText(ctx, e.name, fc.access, 'page'), { kind: 'fault-path', call: e.name, access: fc.access }),
        noteAt(ctx, e.start, e.end, fc.kind === 'fault-in'
          ? 'fix: fault the source in before the page is locked; under the lock copy with page faults disabled and retry on a short copy'
          : fixCopyAndRetry.description, { kind: 'fix' }),
      ];
      ctx.report({
        rule: 'fault-under-page-lock',
        severity: must ? 'error' : 'warning',
        start: e.start,
        end: e.end,
        message: `${what} while the page lock on '${f.expr}' ${held}${faultsNote}`,
        notes,
        fixes: [fixCopyAndRetry],
        facts: { call: e.name, fault: fc.kind, lock: lockRef(f), paths: heldMust(f) ? 'all' : 'some', faults: enabled === null ? 'some-paths' : 'enabled' },
      });
    }
  },
};
