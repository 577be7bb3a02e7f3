// SPDX-License-Identifier: GPL-2.0
/*
 * demofs: a toy filesystem used by the faultpath README example.
 */
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/uaccess.h>

static ssize_t demofs_write_one(struct address_space *mapping, const char __user *buf,
				size_t bytes, pgoff_t index, unsigned int offset)
{
	struct page *page;
	size_t left;
	char *kaddr;

	page = grab_cache_page(mapping, index);
	if (!page)
		return -ENOMEM;

	kaddr = kmap(page);
	left = __copy_from_user(kaddr + offset, buf, bytes);
	kunmap(page);
	flush_dcache_page(page);

	SetPageUptodate(page);
	unlock_page(page);
	put_page(page);
	return bytes - left;
}

static int demofs_read_header(struct address_space *mapping, char __user *ubuf)
{
	struct page *page;
	int ret = 0;

	page = read_mapping_page(mapping, 0, NULL);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (copy_to_user(ubuf, page_address(page), 64))
		ret = -EFAULT;
	put_page(page);
	return ret;
}
