/* One user word read and one written under the page lock. */
static int demo_read_word(struct page *page, u32 __user *uaddr, u32 *out)
{
	int ret = 0;
	u32 val = 0;

	lock_page(page);
	if (get_user(val, uaddr))
		ret = -EFAULT;
	*out = val;
	unlock_page(page);
	return ret;
}

static int demo_store_index(struct address_space *mapping, pgoff_t index, unsigned long __user *where)
{
	struct page *page;
	int err;

	page = find_lock_page(mapping, index);
	if (!page)
		return -ENOENT;
	err = put_user(page->index, where);
	unlock_page(page);
	put_page(page);
	return err;
}
