/*
 * A small stand-in for the kernel API the quick-fix goldens use: types and
 * declarations only, written for faultpath's tests (not kernel text). The
 * goldens and their .fixed twins are compiled against it with
 * `gcc -fsyntax-only -include test/kernel-api.h`; the simulation in
 * test/fixes-sim/ defines the functions.
 */
#ifndef FAULTPATH_KERNEL_API_H
#define FAULTPATH_KERNEL_API_H

#include <stddef.h>
#include <string.h>

#define __user
#define NULL_PAGE ((struct page *)0)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b) ((type)(a) > (type)(b) ? (type)(a) : (type)(b))

#define EFAULT 14
#define ENOMEM 12
#define ENOENT 2
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define FGP_WRITEBEGIN 0x1u

typedef _Bool bool;
typedef long ssize_t;
typedef long long loff_t;
typedef unsigned long pgoff_t;
typedef unsigned int u32;
typedef unsigned int gfp_t;

struct page {
	unsigned long flags;
	struct address_space *mapping;
	pgoff_t index;
};
struct folio {
	struct page page;
};
struct iov_iter;
struct address_space;
struct file {
	struct address_space *f_mapping;
};
struct address_space_operations {
	int (*write_begin)(struct file *, struct address_space *, loff_t pos, unsigned int len,
			   struct page **pagep, void **fsdata);
	int (*write_end)(struct file *, struct address_space *, loff_t pos, unsigned int len,
			 unsigned int copied, struct page *page, void *fsdata);
};
struct address_space {
	const struct address_space_operations *a_ops;
};

/* page cache */
struct page *grab_cache_page(struct address_space *mapping, pgoff_t index);
struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index, unsigned int fgp, gfp_t gfp);
gfp_t mapping_gfp_mask(struct address_space *mapping);
void lock_page(struct page *page);
void unlock_page(struct page *page);
void put_page(struct page *page);
void folio_unlock(struct folio *folio);
void folio_put(struct folio *folio);
bool folio_mark_dirty(struct folio *folio);
void SetPageUptodate(struct page *page);
void SetPageDirty(struct page *page);
void flush_dcache_page(struct page *page);
void *page_address(const struct page *page);
#define offset_in_page(p) ((unsigned long)(p) & (PAGE_SIZE - 1))

/* errors in pointers */
bool IS_ERR(const void *ptr);
long PTR_ERR(const void *ptr);

/* mappings */
void *kmap(struct page *page);
void kunmap(struct page *page);
void *kmap_atomic(struct page *page);
void kunmap_atomic(void *addr);
void *kmap_local_page(struct page *page);
void kunmap_local(const void *addr);

/* user memory */
void pagefault_disable(void);
void pagefault_enable(void);
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long __copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long __copy_from_user_inatomic(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long __copy_to_user_inatomic(void __user *to, const void *from, unsigned long n);
size_t fault_in_readable(const char __user *uaddr, size_t size);
size_t fault_in_writeable(char __user *uaddr, size_t size);
int faultpath_get_user(void *x, const void __user *ptr, size_t size);
int faultpath_put_user(const void *x, void __user *ptr, size_t size);
#define get_user(x, ptr) faultpath_get_user(&(x), (ptr), sizeof(*(ptr)) + 0 * sizeof((x) = *(ptr)))
#define put_user(x, ptr) ({ __typeof__(*(ptr)) __pu_val = (x); faultpath_put_user(&__pu_val, (ptr), sizeof(*(ptr))); })
#define __get_user(x, ptr) get_user(x, ptr)
#define __put_user(x, ptr) put_user(x, ptr)

/* iov_iter */
size_t iov_iter_count(const struct iov_iter *i);
void iov_iter_revert(struct iov_iter *i, size_t bytes);
void iov_iter_advance(struct iov_iter *i, size_t bytes);
size_t fault_in_iov_iter_readable(const struct iov_iter *i, size_t bytes);
size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i);
size_t copy_page_from_iter_atomic(struct page *page, size_t offset, size_t bytes, struct iov_iter *i);
size_t copy_folio_from_iter(struct folio *folio, size_t offset, size_t bytes, struct iov_iter *i);
size_t copy_folio_from_iter_atomic(struct folio *folio, size_t offset, size_t bytes, struct iov_iter *i);

/* scheduler */
void cond_resched(void);

#endif
