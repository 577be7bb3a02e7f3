#include "helper.h"

static int use_header_helper(struct page *page, int __user *p)
{
	int v;

	lock_page(page);
	v = hdr_fetch(p);
	unlock_page(page);
	return v;
}
