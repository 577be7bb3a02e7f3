// SPDX-License-Identifier: MIT
/// Find user-memory accesses (copy_from_user(), get_user(), copy_from_iter(),
/// fault_in_*(), ...) that are reached while a page or folio lock is held:
/// between lock_page()/folio_lock()/trylock_page() (or a helper that returns
/// a locked page, such as find_lock_page() or 2.6.22's __grab_cache_page())
/// and unlock_page()/folio_unlock(). Such an access may take a page fault
/// that needs the same page lock (the pagecache write deadlock fixed by
/// "mm: fix pagecache write deadlocks", 2.6.23).
///
/// This is the baseline that bench/compare.sh runs next to faultpath. It is
/// purely syntactic and intraprocedural: any path from a lock call to a user
/// access that does not pass an unlock call counts (exists), whatever page the
/// unlock is on; callees are not followed; the _inatomic/_atomic/_nofault
/// copies (which cannot sleep in a fault) are not listed; an iov_iter copy is
/// reported even when the iterator is a kernel one (kvec/bvec) and cannot fault.
///
// Confidence: Low
// Options: --no-includes --include-headers
//
// Modes: -D report (one "file:line:col-col: message" line per user access;
// used by bench/compare.sh), -D context (a diff with '-' on the lock and the
// access), -D org (Emacs org links).

virtual context
virtual report
virtual org

@initialize:python depends on report || org@
@@
seen = set()

// ---------------------------------------------------------------- context --
@depends on context exists@
identifier lockfn = {lock_page, lock_page_killable, __lock_page,
	__lock_page_killable, trylock_page, folio_lock, folio_lock_killable,
	__folio_lock, __folio_lock_killable, folio_trylock, find_lock_page,
	find_lock_entry, find_or_create_page, grab_cache_page,
	__grab_cache_page, grab_cache_page_nowait, grab_cache_page_write_begin,
	filemap_lock_folio, filemap_grab_folio};
identifier copyfn = {copy_from_user, copy_to_user, __copy_from_user,
	__copy_to_user, _copy_from_user, _copy_to_user, raw_copy_from_user,
	raw_copy_to_user, copy_in_user, copy_struct_from_user, get_user,
	put_user, __get_user, __put_user, unsafe_get_user, unsafe_put_user,
	strncpy_from_user, strnlen_user, clear_user, __clear_user,
	memdup_user, memdup_user_nul, vmemdup_user, strndup_user,
	copy_from_iter, copy_to_iter, _copy_from_iter, _copy_to_iter,
	copy_from_iter_full, copy_from_iter_nocache, copy_page_from_iter,
	copy_page_to_iter, copy_folio_from_iter, copy_folio_to_iter,
	iov_iter_copy_from_user, filemap_copy_from_user,
	filemap_copy_from_user_iovec, __filemap_copy_from_user_iovec,
	fault_in_readable, fault_in_writeable, fault_in_safe_writeable,
	fault_in_iov_iter_readable, fault_in_iov_iter_writeable,
	fault_in_pages_readable, fault_in_pages_writeable,
	iov_iter_fault_in_readable};
@@

* lockfn(...)
  ... when != unlock_page(...)
      when != folio_unlock(...)
      when any
* copyfn(...)

// --------------------------------------------------------- report and org --
@r depends on report || org exists@
identifier lockfn = {lock_page, lock_page_killable, __lock_page,
	__lock_page_killable, trylock_page, folio_lock, folio_lock_killable,
	__folio_lock, __folio_lock_killable, folio_trylock, find_lock_page,
	find_lock_entry, find_or_create_page, grab_cache_page,
	__grab_cache_page, grab_cache_page_nowait, grab_cache_page_write_begin,
	filemap_lock_folio, filemap_grab_folio};
identifier copyfn = {copy_from_user, copy_to_user, __copy_from_user,
	__copy_to_user, _copy_from_user, _copy_to_user, raw_copy_from_user,
	raw_copy_to_user, copy_in_user, copy_struct_from_user, get_user,
	put_user, __get_user, __put_user, unsafe_get_user, unsafe_put_user,
	strncpy_from_user, strnlen_user, clear_user, __clear_user,
	memdup_user, memdup_user_nul, vmemdup_user, strndup_user,
	copy_from_iter, copy_to_iter, _copy_from_iter, _copy_to_iter,
	copy_from_iter_full, copy_from_iter_nocache, copy_page_from_iter,
	copy_page_to_iter, copy_folio_from_iter, copy_folio_to_iter,
	iov_iter_copy_from_user, filemap_copy_from_user,
	filemap_copy_from_user_iovec, __filemap_copy_from_user_iovec,
	fault_in_readable, fault_in_writeable, fault_in_safe_writeable,
	fault_in_iov_iter_readable, fault_in_iov_iter_writeable,
	fault_in_pages_readable, fault_in_pages_writeable,
	iov_iter_fault_in_readable};
position p1, p2;
@@

lockfn@p1(...)
... when != unlock_page(...)
    when != folio_unlock(...)
    when any
copyfn@p2(...)

// One report per user access (several lock calls may reach the same access).
@script:python depends on report@
p1 << r.p1;
p2 << r.p2;
lockfn << r.lockfn;
copyfn << r.copyfn;
@@
key = (p2[0].file, p2[0].line, p2[0].column)
if key not in seen:
    seen.add(key)
    coccilib.report.print_report(p2[0],
        "%s() may fault while the page lock taken by %s() on line %s is held"
        % (copyfn, lockfn, p1[0].line))

@script:python depends on org@
p1 << r.p1;
p2 << r.p2;
lockfn << r.lockfn;
copyfn << r.copyfn;
@@
key = (p2[0].file, p2[0].line, p2[0].column)
if key not in seen:
    seen.add(key)
    coccilib.org.print_todo(p2[0], "%s() under the page lock" % copyfn)
    coccilib.org.print_link(p1[0], "%s()" % lockfn)
