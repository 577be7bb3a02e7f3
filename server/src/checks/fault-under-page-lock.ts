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

export const faultUnderPageLock: Check = {
  id: 'fault-under-page-lock',
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
        ...chainNotes(ctx, e),
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
