/*
 * Userspace simulation of a quick fix's output (test/fixes.test.ts): stand-ins
 * for the kernel calls in test/kernel-api.h, written for faultpath's tests.
 *
 * User memory is an array of simulated pages, each mapped or not and resident
 * or not. A faulting access (copy_from_user(), copy_page_from_iter()) with a
 * page lock held aborts the run: that is the deadlock. With page faults
 * disabled an access stops at the first page that is not resident. A
 * fault-in makes mapped pages resident and stops at the first unmapped one.
 * EVICT (a count) makes the atomic copy after each of the first EVICT
 * fault-ins find its first page gone again (reclaim): the retry path runs.
 *
 * Build: gcc -DFIXED='"x.c.fixed"' -DSCENARIO_x test/fixes-sim/sim.c
 * Run: a.out START MAPPED_PAGES COUNT [EVICT]
 * Output: one line "result=<n> written-ok=<0|1> retries=<n>".
 */
#include "../kernel-api.h"

/* not <stdio.h>/<stdlib.h>: their loff_t is not the header's */
int printf(const char *fmt, ...);
void exit(int status) __attribute__((noreturn));
unsigned long strtoul(const char *s, char **end, int base);

#define UPAGES 4
#define NPAGES 8
#define MAX_CALLS 10000

static char umem[UPAGES * PAGE_SIZE] __attribute__((aligned(4096)));
static int mapped[UPAGES], resident[UPAGES];
static int faults_off, locks_held, evict, evict_armed, retries, calls;

static struct page pages[NPAGES];
static char pagedata[NPAGES][PAGE_SIZE];
static int locked[NPAGES], uptodate[NPAGES];

static void bound(void)
{
	if (++calls > MAX_CALLS) {
		printf("livelock: more than %d calls\n", MAX_CALLS);
		exit(2);
	}
}

static long upage(const void *p)
{
	long o = (const char *)p - umem;

	if (o < 0 || o >= (long)sizeof(umem))
		return -1;
	return o / (long)PAGE_SIZE;
}

static int pidx(const struct page *page) { return (int)(page - pages); }

/* ---- user memory ---- */
static size_t fault_in(const char *p, size_t n)
{
	size_t done = 0;

	bound();
	if (locks_held) {
		printf("fault-in with a page lock held\n");
		exit(3);
	}
	while (done < n) {
		long u = upage(p + done);

		if (u < 0 || !mapped[u])
			break;
		resident[u] = 1;
		done += PAGE_SIZE - ((size_t)(p + done - umem) & (PAGE_SIZE - 1));
	}
	if (evict > 0) {
		evict--;
		evict_armed = 1;
	}
	return done >= n ? 0 : n - done;
}
size_t fault_in_readable(const char __user *uaddr, size_t size) { return fault_in(uaddr, size); }
size_t fault_in_writeable(char __user *uaddr, size_t size) { return fault_in(uaddr, size); }

static unsigned long atomic_copy(char *to, const char *from, unsigned long n)
{
	unsigned long i;

	bound();
	if (!faults_off) {
		printf("atomic copy with page faults enabled\n");
		exit(4);
	}
	if (evict_armed) {
		long u = upage(from);

		evict_armed = 0;
		if (u >= 0)
			resident[u] = 0;
		retries++;
	}
	for (i = 0; i < n; i++) {
		long u = upage(from + i);

		if (u < 0 || !mapped[u] || !resident[u])
			break;
		to[i] = from[i];
	}
	return n - i;
}
unsigned long __copy_from_user_inatomic(void *to, const void __user *from, unsigned long n) { return atomic_copy(to, from, n); }

static unsigned long faulting_copy(void *to, const void *from, unsigned long n)
{
	if (locks_held && !faults_off) {
		printf("faulting copy with a page lock held\n");
		exit(5);
	}
	faults_off++;
	n = atomic_copy(to, from, n);
	faults_off--;
	return n;
}
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n) { return faulting_copy(to, from, n); }
unsigned long __copy_from_user(void *to, const void __user *from, unsigned long n) { return faulting_copy(to, from, n); }

void pagefault_disable(void) { faults_off++; }
void pagefault_enable(void) { faults_off--; }

/* ---- page cache ---- */
static struct page *lookup_locked(pgoff_t index)
{
	bound();
	if (index >= NPAGES)
		return NULL;
	lock_page(&pages[index]);
	return &pages[index];
}
struct page *grab_cache_page(struct address_space *mapping, pgoff_t index) { return lookup_locked(index); }
struct page *find_lock_page(struct address_space *mapping, pgoff_t index) { return lookup_locked(index); }
void lock_page(struct page *page)
{
	if (locked[pidx(page)]) {
		printf("page %d locked twice\n", pidx(page));
		exit(6);
	}
	locked[pidx(page)] = 1;
	locks_held++;
}
void unlock_page(struct page *page)
{
	locked[pidx(page)] = 0;
	locks_held--;
}
void put_page(struct page *page) {}
void SetPageDirty(struct page *page) {}
void SetPageUptodate(struct page *page) { uptodate[pidx(page)] = 1; }
void flush_dcache_page(struct page *page) {}
void *page_address(const struct page *page) { return pagedata[pidx(page)]; }
void *kmap_local_page(struct page *page) { return page_address(page); }
void kunmap_local(const void *addr) {}
void cond_resched(void) {}

/* ---- iov_iter over user memory ---- */
struct iov_iter {
	char *base;
	size_t count;
};
size_t iov_iter_count(const struct iov_iter *i) { return i->count; }
void iov_iter_revert(struct iov_iter *i, size_t bytes) { i->base -= bytes; i->count += bytes; }
void iov_iter_advance(struct iov_iter *i, size_t bytes) { i->base += bytes; i->count -= bytes; }
size_t fault_in_iov_iter_readable(const struct iov_iter *i, size_t bytes)
{
	return fault_in(i->base, bytes < i->count ? bytes : i->count);
}
size_t copy_page_from_iter_atomic(struct page *page, size_t offset, size_t bytes, struct iov_iter *i)
{
	size_t copied;

	if (bytes > i->count)
		bytes = i->count;
	faults_off++;	/* its kmap_atomic() disables page faults (lib/iov_iter.c) */
	copied = bytes - atomic_copy((char *)page_address(page) + offset, i->base, bytes);
	faults_off--;
	iov_iter_advance(i, copied);
	return copied;
}

/* ->write_begin()/->write_end() as fs/libfs.c does them: a short copy into a page that is not uptodate is refused */
static int sim_write_begin(struct file *file, struct address_space *mapping, loff_t pos, unsigned int len,
			   struct page **pagep, void **fsdata)
{
	*pagep = lookup_locked((pgoff_t)(pos >> PAGE_SHIFT));
	return *pagep ? 0 : -ENOMEM;
}
static int sim_write_end(struct file *file, struct address_space *mapping, loff_t pos, unsigned int len,
			 unsigned int copied, struct page *page, void *fsdata)
{
	if (copied < len && !uptodate[pidx(page)])
		copied = 0;
	unlock_page(page);
	put_page(page);
	return (int)copied;
}
static const struct address_space_operations sim_aops = { sim_write_begin, sim_write_end };
static struct address_space sim_mapping = { &sim_aops };
static struct file sim_file __attribute__((unused)) = { &sim_mapping };

#include FIXED

int main(int argc, char **argv)
{
	size_t start = (size_t)strtoul(argv[1], NULL, 0);	/* where the buffer starts in user memory */
	size_t nmapped = (size_t)strtoul(argv[2], NULL, 0);	/* user pages mapped, from the first */
	size_t count = (size_t)strtoul(argv[3], NULL, 0);	/* bytes to write */
	size_t k;
	long result;
	int ok = 1;

	evict = argc > 4 ? (int)strtoul(argv[4], NULL, 0) : 0;
	for (k = 0; k < sizeof(umem); k++)
		umem[k] = (char)(k * 7 + 1);
	for (k = 0; k < UPAGES; k++)
		mapped[k] = k < nmapped;
#if defined(SCENARIO_copy_loop)
	result = demo_perform_write(&sim_mapping, umem + start, count, 0);
#elif defined(SCENARIO_write_begin)
	{
		struct iov_iter it = { umem + start, count };

		result = demo_perform_write(&sim_file, &it, 0);
	}
#else
#error "no scenario"
#endif
	for (k = 0; result > 0 && k < (size_t)result; k++)
		if (pagedata[k / PAGE_SIZE][k % PAGE_SIZE] != umem[start + k])
			ok = 0;
	if (locks_held || faults_off)
		ok = 0;
	printf("result=%ld written-ok=%d retries=%d\n", result, ok, retries);
	return 0;
}
