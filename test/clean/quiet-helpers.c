/*
 * Helpers that name nothing the analysis follows (pure arithmetic, struct
 * set-up, calls to each other) beside callers that do lock and copy: the
 * quiet ones are not parsed again, and nothing here is a finding.
 */
struct range { unsigned long start, end; };

static unsigned long range_len(const struct range *r)
{
	return r->end - r->start;
}

static void range_init(struct range *r, unsigned long start, unsigned long len)
{
	r->start = start;
	r->end = start + len;
}

static int range_overlaps(const struct range *a, const struct range *b)
{
	if (range_len(a) == 0 || range_len(b) == 0)
		return 0;
	return a->start < b->end && b->start < a->end;
}

static unsigned long clamp_len(unsigned long len, unsigned long max)
{
	struct range r;

	range_init(&r, 0, len);
	return range_len(&r) > max ? max : range_len(&r);
}

static int copy_settings(void *dst, const void __user *src, unsigned long len)
{
	/* not quiet: it copies from user space */
	if (copy_from_user(dst, src, clamp_len(len, 64)))
		return -EFAULT;
	return 0;
}

int set_settings(struct page *page, void *dst, const void __user *src, unsigned long len)
{
	int err = copy_settings(dst, src, len);

	if (err)
		return err;
	lock_page(page);
	if (range_overlaps((struct range *)dst, (struct range *)dst))
		err = -EINVAL;
	unlock_page(page);
	return err;
}
