static int myfs_write(struct page *page, const char __user *buf, char *k)
{
	int ret;

	my_fs_lock_page(page);
	ret = copy_from_user(k, buf, 1);
	my_fs_unlock_page(page);
	return ret;
}

/* called only under pagefault_disable(), as the futex atomic ops are */
static int myfs_atomic_op_inuser(int __user *uaddr)
{
	int v;

	preempt_disable();
	get_user(v, uaddr);
	preempt_enable();
	return v;
}
