/*
 * The function already has a `retry:` label (for the lookup race), so the
 * rewrite must choose another one.
 */
static ssize_t demo_fill(struct address_space *mapping, pgoff_t index, const char __user *buf, size_t len)
{
	struct page *page;
	size_t left;

retry:
	page = find_lock_page(mapping, index);
	if (!page)
		return -ENOENT;
	if (unlikely(page->mapping != mapping)) {
		unlock_page(page);
		put_page(page);
		goto retry;
	}
	left = copy_from_user(page_address(page), buf, len);
	SetPageUptodate(page);
	unlock_page(page);
	put_page(page);
	return left ? -EFAULT : len;
}
