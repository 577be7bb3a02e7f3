/*
 * Twins of test/fixtures/lock-imbalance/error-return.c: every error return
 * unlocks; a function that returns 0 with the lock held and an error without
 * it is a conditional-acquire contract; a lock handed back through an
 * out-parameter or returned is the caller's.
 */

static int ec_read_page(struct page *p)
{
	lock_page(p);
	if (!PageUptodate(p)) {
		unlock_page(p);
		return -EIO;
	}
	ec_use(p);
	unlock_page(p);
	return 0;
}

static int ec_mutex(struct ec_dev *d, int x)
{
	int err;

	mutex_lock(&d->lock);
	err = ec_prepare(d, x);
	if (err)
		goto out;
	ec_finish(d);
out:
	mutex_unlock(&d->lock);
	return err;
}

/* 0 with the mutex held, -EINTR without: the caller unlocks */
static int ec_lock_dev(struct ec_dev *d)
{
	if (ec_dying(d))
		return -ENODEV;
	mutex_lock(&d->lock);
	if (ec_dying(d)) {
		mutex_unlock(&d->lock);
		return -ENODEV;
	}
	return 0;
}

/* the folio goes back locked through *foliop; errors unlock it */
static int ec_get_locked(struct address_space *mapping, pgoff_t index, struct folio **foliop)
{
	struct folio *folio = filemap_lock_folio(mapping, index);

	if (IS_ERR(folio))
		return PTR_ERR(folio);
	if (!folio_test_uptodate(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return -EIO;
	}
	*foliop = folio;
	return 0;
}

static int ec_use_locked(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio;
	int err;

	err = ec_get_locked(mapping, index, &folio);
	if (err)
		return err;
	ec_use_folio(folio);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

/* f2fs_handle_failed_inode() unlocks F2FS_I_SB(inode)'s op lock for its callers */
static void ec_failed_inode(struct inode *inode)
{
	struct ec_sb *sbi = EC_SB(inode);

	ec_mark_bad(sbi, inode);
	mutex_unlock(&sbi->op_lock);
}

static int ec_create(struct inode *dir, struct inode *inode)
{
	struct ec_sb *sbi = EC_SB(dir);
	int err;

	mutex_lock(&sbi->op_lock);
	err = ec_add_link(dir, inode);
	if (err)
		goto out;
	mutex_unlock(&sbi->op_lock);
	return 0;
out:
	ec_failed_inode(inode);
	return err;
}
