/* an inline helper in a header: read with --include for its summary */
static inline int hdr_fetch(int __user *p)
{
	int v;

	if (get_user(v, p))
		return -EFAULT;
	return v;
}
