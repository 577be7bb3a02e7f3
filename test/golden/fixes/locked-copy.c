static int locked_copy(struct page *page, void *dst, const void __user *src, size_t n)
{
	int ret = 0;

	lock_page(page);
	if (copy_from_user(dst, src, n))
		ret = -EFAULT;
	SetPageUptodate(page);
	unlock_page(page);
	return ret;
}

static ssize_t grab_and_copy(struct address_space *mapping, const char __user *buf, size_t bytes)
{
	struct page *page;
	size_t left;

	page = grab_cache_page(mapping, 0);
	if (!page)
		return -ENOMEM;
	left = __copy_from_user(page_address(page), buf, bytes);
	unlock_page(page);
	put_page(page);
	return bytes - left;
}
