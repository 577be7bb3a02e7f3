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
import { HELD, RELEASED, heldMay, heldMust, LockFact } from '../flow/state';
import { FAULT_ENTRY } from '../flow/engine';
import type { FunctionFlow } from '../flow/engine';
import { Check, CheckContext, HELD_BEFORE_HUNK, acquisitionNotes, callText, chainNotes, faultSites, faultingCall, iterNote, noteAt } from './check';
import { faultChainText } from './wording';
import type { Rule } from './rule';

/** A faulting call with a typed lock held: whether that lock is on the fault path is known once every handler of the run is read. */
function mayNeedLearnedLocks(flow: FunctionFlow): boolean {
  return flow.events.some(
    (e) => e.kind === 'call' && e.state.locks.size > 0 && faultingCall(e) !== null && [...e.state.locks.values()].some((f) => f.typeKey),
  );
}

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'fault-under-fault-path-lock',
  severity: 'error',
  scope: 'function',
  tables: ['rows', 'classes'],
  needs: { learnedLocks: mayNeedLearnedLocks },
  doc: {
    short: 'A user-memory access that can page-fault while holding a lock the fault path takes (mmap_lock for write, invalidate_lock, a lock a ->fault handler takes)',
    full: `The same while holding a lock the fault path takes or that ranks after
mmap_lock in the order at the top of \`mm/rmap.c\`: mmap_lock for write,
\`invalidate_lock\`, \`i_mmap_rwsem\`, \`anon_vma->rwsem\`, filesystem fault locks
(XFS MMAPLOCK, ext4 \`i_mmap_sem\` before 5.15, \`sb_start_pagefault\`). Locks are
also learned from the code: a lock taken (directly or in a callee) by any fault
handler in the run - a \`vm_fault_t\` function taking \`struct vm_fault *\`, or one
installed as \`.fault\`/\`.page_mkwrite\` in a \`vm_operations_struct\` - is a
fault-path lock, identified by struct type and member (\`struct gem_obj::lock\`).
That catches the driver that holds its object mutex across \`copy_from_user()\`
while its own \`->fault\` takes the mutex. \`get_user_pages()\` under mmap_lock is
not reported: that is how it is meant to be called.

mmap_lock held for read on every path around a user access is a warning: the
fault takes it for read again, which deadlocks once a writer queues between
the two (lockdep's \`might_fault()\` asserts it; \`mincore()\` before 2.6.20). Not
for the lock a fault handler is entered with, not for an iov_iter copy that may
be over kernel memory, and not across a helper that drops \`current->mm\`'s lock
before it copies.`,
    example: {
      finds: `static int demo_zap(struct address_space *mapping, char __user *buf)
{
	int ret;

	filemap_invalidate_lock(mapping);
	ret = clear_user(buf, 8);
	demo_truncate(mapping);
	filemap_invalidate_unlock(mapping);
	return ret;
}
`,
      fixed: `static int demo_zap(struct address_space *mapping, char __user *buf)
{
	int ret = clear_user(buf, 8);

	filemap_invalidate_lock(mapping);
	demo_truncate(mapping);
	filemap_invalidate_unlock(mapping);
	return ret;
}
`,
    },
  },
};

export const faultUnderFaultPathLock: Check = {
  ...rule,
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
            if (!(heldMust(f) || takenHereOnSomePaths(f)) || f.via === FAULT_ENTRY || fc.conditional) continue;
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
      notes.push(...chainNotes(e));
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

/**
 * Taken here on some paths and released on none before this point (sys_get_mempolicy()
 * took mmap_lock only for MPOL_F_ADDR, then called put_user() on both): the path that
 * holds it is one a caller can choose. A blocking take, not the caller's hold, not a trylock.
 */
function takenHereOnSomePaths(f: LockFact): boolean {
  return (f.paths & HELD) !== 0 && (f.paths & RELEASED) === 0 && !f.fromCaller && !f.tried && !f.escaped && f.via !== HELD_BEFORE_HUNK;
}
