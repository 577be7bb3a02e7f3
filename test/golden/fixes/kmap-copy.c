/*
 * The page is mapped after it is locked: the retry path unmaps it before it
 * unlocks and drops the page, as the function's own exit does.
 */
static ssize_t demo_write_kmap(struct address_space *mapping, const char __user *buf,
			       size_t bytes, pgoff_t index, unsigned int offset)
{
	struct page *page;
	char *kaddr;
	size_t left;

	page = grab_cache_page(mapping, index);
	if (!page)
		return -ENOMEM;

	kaddr = kmap(page);
	left = __copy_from_user(kaddr + offset, buf, bytes);
	kunmap(page);

	unlock_page(page);
	put_page(page);
	return bytes - left;
}

static int demo_write_local(struct page *page, unsigned int offset, const void __user *src, size_t n)
{
	void *kaddr;
	int ret = 0;

	lock_page(page);
	kaddr = kmap_local_page(page);
	if (copy_from_user(kaddr + offset, src, n))
		ret = -EFAULT;
	kunmap_local(kaddr);
	SetPageDirty(page);
	unlock_page(page);
	return ret;
}
