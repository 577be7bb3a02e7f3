/*
 * The callers of helpers that release their argument when they return an
 * error (test/fixtures/lock-imbalance/release-on-error.c), written right: the
 * result is tested before the lock is released again.
 */

static int roe_prepare(struct page *page)
{
	int ret = roe_read(page);

	if (ret) {
		unlock_page(page);
		return ret;
	}
	return 0;
}

static int roe_write_one(struct page *page)
{
	int err;

	lock_page(page);
	err = roe_prepare(page);
	if (err)
		return err;
	unlock_page(page);
	return 0;
}

static int roe_write_two(struct page *page)
{
	int err;

	lock_page(page);
	err = roe_prepare(page);
	roe_account(err);
	if (!err)
		unlock_page(page);
	return err;
}

static int roe_two(struct page **pages, int n)
{
	int err = 0;
	int i;

	for (i = 0; i < n; i++) {
		pages[i] = find_lock_page(roe_mapping, i);
		if (!pages[i])
			return -ENOMEM;
		if (i == 0)
			err = roe_prepare(pages[i]);
		if (!err && i == n - 1)
			err = roe_prepare(pages[i]);
		if (err)
			return err;
	}
	return 0;
}

static void roe_map(struct roe_svm *svm)
{
	svm->mapped = true;
}

static int roe_fault_range(struct roe_svm *svm)
{
	int ret = roe_register(svm);

	if (ret) {
		mmap_read_unlock(svm->mm);
		return ret;
	}
	if (!roe_valid(svm)) {
		mmap_read_unlock(svm->mm);
		return -EBUSY;
	}
	return 0;
}

void roe_fault(struct roe_svm *svm)
{
	int ret;

	mmap_read_lock(svm->mm);
	ret = roe_fault_range(svm);
	if (ret == 0) {
		roe_map(svm);
		mmap_read_unlock(svm->mm);
	}
}
