// fault-under-fault-path-lock
//
// A faulting access while holding a lock the page-fault path itself takes, or
// one ranked after mmap_lock in the order at the top of mm/rmap.c
// (mmap_lock(w), invalidate_lock, i_mmap_rwsem, anon_vma, filesystem fault
// locks such as the XFS MMAPLOCK or ext4 i_mmap_sem before 5.15). Locks are also
// learned from the code: a lock taken in any ->fault/->page_mkwrite handler in
// the run (the classic driver deadlock: object mutex held across
// copy_from_user() while the driver's own ->fault takes that mutex), and
// mmap_lock held for read on every path around a user access (warning: the
// fault takes it for read again, a deadlock once a writer queues between).
import { heldMay, heldMust, LockFact } from '../flow/state';
import { FAULT_ENTRY } from '../flow/engine';
import { Check, CheckContext, HELD_BEFORE_HUNK, acquisitionNotes, callText, chainNotes, faultSites, iterNote, noteAt } from './check';
import { faultChainText } from './wording';

export const faultUnderFaultPathLock: Check = {
  id: 'fault-under-fault-path-lock',
  run(ctx: CheckContext): void {
    for (const { e, fc, enabled, released } of faultSites(ctx)) {
      const held: { f: LockFact; why: 'class' | 'learned' | 'read' }[] = [];
      // a getdents buffer is never a mapping of the directory whose per-inode locks are held
      const notOwnInode = (ctx.table.rows.get(fc.access) ?? []).some((r) => r.notOwnInode);
      for (const f of e.state.locks.values()) {
        if (!heldMay(f) || f.cls === 'page' || released.has(f.key)) continue;
        if (notOwnInode && f.cls === 'fs_inode_lock') continue;
        const info = ctx.table.classes.get(f.cls);
        if (info && info.faultPath) {
          // get_user_pages() and handle_mm_fault() are called with mmap_lock held
          // by design (they fault without taking it again). A user access
          // under mmap_lock(w) self-deadlocks in do_user_addr_fault(); under
          // mmap_lock(r) only with a queued writer: only write mode counts.
          if (f.cls === 'mmap_lock' && fc.effect === 'gup') continue;
          if (f.cls === 'mmap_lock' && f.mode !== 'write' && f.mode !== 'mixed') {
            // mmap_lock(r) on every path around a user access (mincore() before 2.6.20, the
            // get_mempolicy() put_user()): the fault takes it for read again, which deadlocks
            // once a writer queues between (might_fault() asserts it under lockdep). Not for the
            // lock a fault handler is entered with, nor an iterator that may be kernel memory, nor a
            // callee that disables page faults on some paths (copy_huge_page_from_user(.., false)).
            if (!heldMust(f) || f.via === FAULT_ENTRY || fc.conditional) continue;
            held.push({ f, why: 'read' });
            continue;
          }
          held.push({ f, why: 'class' });
        } else if (f.typeKey && ctx.faultPathLocks.has(f.typeKey) && !ctx.isFaultHandler && !notOwnInode) {
          // (a learned lock deadlocks when the buffer maps the handler's object: never the directory read)
          held.push({ f, why: 'learned' });
        }
      }
      if (!held.length) continue;
      const first = held.find((h) => heldMust(h.f)) ?? held[0];
      const learned = first.why === 'learned' ? ctx.faultPathLocks.get(first.f.typeKey as string) : undefined;
      // a read lock held here and taken for read by the handler deadlocks only with a writer queued between
      const readRead = (!!learned && learned.mode === 'read' && first.f.mode === 'read') || first.why === 'read';
      const must = !fc.conditional && heldMust(first.f) && enabled === true && first.f.mode !== 'mixed' && !readRead && first.f.via !== HELD_BEFORE_HUNK;
      const words =
        first.f.cls === 'mmap_lock'
          ? first.f.mode === 'mixed' ? 'mmap_lock (for write on some paths)' : first.why === 'read' ? 'mmap_lock(r)' : 'mmap_lock(w)'
          : ctx.table.classes.get(first.f.cls)?.words ?? 'a lock';
      const lockName = first.why === 'learned' ? `'${first.f.expr}'` : `${words} ('${first.f.expr}')`;
      const notes = held.flatMap((h) => acquisitionNotes(ctx, h.f, `'${h.f.expr}'`));
      notes.push(...chainNotes(ctx, e));
      notes.push(...iterNote(ctx, e, fc));
      if (readRead) notes.push(noteAt(ctx, e.start, e.end, 'both take it for read: this deadlocks when a writer queues on it between the two (rwsems are fair to writers)'));
      if (first.why === 'learned') {
        const l = ctx.faultPathLocks.get(first.f.typeKey as string);
        if (l) {
          const pos = { line: l.line, character: 0 };
          notes.push({
            file: l.file,
            range: { start: pos, end: pos },
            message: l.mmap
              ? `${l.handler}(), an ->mmap method called with mmap_lock held for write, takes the same lock (${l.typeKey}) here`
              : `the fault handler ${l.handler}() takes the same lock (${l.typeKey}) here`,
          });
        }
        notes.push(
          noteAt(ctx, e.start, e.end, l?.mmap
            ? `fault path: ${callText(e)} -> page fault -> mmap_lock(r), while mmap() holds mmap_lock(w) in ${l.handler}() and waits for this lock: ABBA deadlock`
            : `fault path: ${callText(e)} -> page fault -> mmap_lock(r) -> ${l ? l.handler + '()' : 'the fault handler'} -> the same lock: deadlock when the user buffer is a mapping of this object`),
        );
      } else {
        notes.push(noteAt(ctx, e.start, e.end, faultChainText(ctx, e.name, fc.access, first.f.cls)));
      }
      notes.push(noteAt(ctx, e.start, e.end, 'fix: copy the user data before taking the lock (or into a kernel buffer), or copy with page faults disabled and retry outside the lock'));
      ctx.report({
        rule: 'fault-under-fault-path-lock',
        severity: must ? 'error' : 'warning',
        start: e.start,
        end: e.end,
        message: `${callText(e)} may fault while ${lockName} is held${heldMust(first.f) ? '' : ' on some paths'}, and the page-fault path takes it`,
        notes,
        facts: {
          kind: first.why,
          call: e.name,
          fault: fc.kind,
          lock: { expr: first.f.expr, cls: first.f.cls, ...(first.f.cls === 'mmap_lock' ? { mode: first.f.mode === 'mixed' ? 'mixed' : 'write' } : {}) },
          paths: heldMust(first.f) ? 'all' : 'some',
        },
      });
    }
  },
};
