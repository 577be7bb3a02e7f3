/*
 * commit: unknown
 * subject: nouveau: unlock mmap_sem on all errors from nouveau_range_fault
 * date: 2019-07 (posted 2019-07-03 and 2019-07-22 in the hmm cleanup series)
 * link: <20190703184502.16234-5-hch@lst.de>
 * family: error-contract
 *
 * The SVM fault handler takes mmap_sem for read, asks the range-fault
 * helper to fault the range in, maps it and releases mmap_sem. The helper
 * dropped mmap_sem itself on some failures: when waiting for the range to
 * become valid timed out, when hmm_range_fault() returned -EBUSY or 0,
 * and hmm_range_fault() had already dropped it when it returned -EAGAIN.
 * The caller did not know and always called up_read() afterwards, a
 * second release of a lock it no longer held. The fix makes the helper's
 * contract uniform (mmap_sem released on every non-zero return, held on
 * success) and moves the caller's up_read() into the success branch.
 */

struct mysvm {
	struct mm_struct *mm;
	struct mutex mutex;
};

struct myrange {
	unsigned long start, end;
	unsigned long *pfns;
	bool valid;
};

static DECLARE_WAIT_QUEUE_HEAD(myrange_wq);

static bool myrange_wait_until_valid(struct myrange *range, unsigned long timeout_ms)
{
	return wait_event_timeout(myrange_wq, range->valid, msecs_to_jiffies(timeout_ms)) != 0;
}

static void myrange_unregister(struct myrange *range)
{
	range->valid = false;
}

static void mysvm_map_range(struct mysvm *svmm, struct myrange *range)
{
	myvmm_map_pfns(svmm, range->start, range->end, range->pfns);
}

static int myrange_register(struct mysvm *svmm, struct myrange *range)
{
	return range->start < range->end ? 0 : -EINVAL;
}

/*
 * Called with mmap_sem held for read. Returns 0 with mmap_sem still held,
 * or an error with mmap_sem released.
 */
static int mysvm_range_fault(struct mysvm *svmm, struct myrange *range)
{
	long ret;

	ret = myrange_register(svmm, range);
	if (ret) {
		up_read(&svmm->mm->mmap_sem);
		return ret;
	}

	if (!myrange_wait_until_valid(range, 1000)) {
		up_read(&svmm->mm->mmap_sem);
		return -EBUSY;
	}

	ret = hmm_range_fault(range, true);
	if (ret <= 0) {
		if (ret == 0)
			ret = -EBUSY;
		/* on -EAGAIN, hmm_range_fault() has dropped mmap_sem itself */
		if (ret != -EAGAIN)
			up_read(&svmm->mm->mmap_sem);
		myrange_unregister(range);
		return ret;
	}
	return 0;
}

void mysvm_fault(struct mysvm *svmm, struct myrange *range)
{
	int ret;

	down_read(&svmm->mm->mmap_sem);
	ret = mysvm_range_fault(svmm, range);
	if (ret == 0) {
		mutex_lock(&svmm->mutex);
		if (range->valid)
			mysvm_map_range(svmm, range);
		mutex_unlock(&svmm->mutex);
		up_read(&svmm->mm->mmap_sem);
	}
}
