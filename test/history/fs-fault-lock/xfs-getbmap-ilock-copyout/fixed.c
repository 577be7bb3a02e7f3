/*
 * commit: 6321e3ed2acf3ee9643cdd403e1c88605d7944ba
 * subject: xfs: fix getbmap vs mmap deadlock
 * date: 2009 (approximate, 2.6.31 cycle)
 * family: fs-fault-lock
 *
 * The XFS_IOC_GETBMAP(X) ioctl walked the extent map with the inode's
 * ilock held and, for every mapping, called a "formatter" callback that
 * copied one struct getbmapx out to the user buffer.  A user buffer that
 * is an mmap of the same file faults in the copy, and the write fault
 * path (->page_mkwrite -> block allocation) takes the same inode's ilock
 * exclusively: the task waits for a lock it holds shared.  The bug had
 * been in bugzilla for a while and then showed up in lockdep.  The fix
 * formats the mappings into a kernel buffer while the locks are held,
 * drops them, and only then runs the formatter over the buffer.
 */

typedef int (*demo_formatter_t)(void **ap, struct getbmapx *bmv, int *full);

static int demo_getbmap_format(void **ap, struct getbmapx *bmv, int *full)
{
	struct getbmap __user *base = *ap;

	if (copy_to_user(base, bmv, sizeof(struct getbmap)))
		return -EFAULT;
	*ap += sizeof(struct getbmap);
	return 0;
}

static int demo_getbmap(struct xfs_inode *ip, struct getbmapx *bmv,
			demo_formatter_t formatter, void *arg)
{
	struct xfs_bmbt_irec map[16];
	struct getbmapx *out;
	int nmap, i, full = 0;
	int cur_ext = 0;
	int error = 0;

	out = kmem_zalloc(bmv->bmv_count * sizeof(struct getbmapx), KM_MAYFAIL);
	if (!out)
		return -ENOMEM;

	xfs_ilock(ip, XFS_IOLOCK_SHARED);
	xfs_ilock(ip, XFS_ILOCK_SHARED);

	do {
		nmap = 16;
		error = demo_bmapi_read(ip, bmv->bmv_offset, bmv->bmv_length, map, &nmap);
		if (error)
			break;
		for (i = 0; i < nmap && bmv->bmv_length && cur_ext < bmv->bmv_count; i++) {
			/* kernel memory only while the inode is locked */
			demo_map_to_getbmapx(&map[i], &out[cur_ext]);
			bmv->bmv_offset = out[cur_ext].bmv_offset + out[cur_ext].bmv_length;
			bmv->bmv_length -= out[cur_ext].bmv_length;
			cur_ext++;
		}
	} while (nmap && bmv->bmv_length && cur_ext < bmv->bmv_count);

	xfs_iunlock(ip, XFS_ILOCK_SHARED);
	xfs_iunlock(ip, XFS_IOLOCK_SHARED);

	for (i = 0; i < cur_ext && !error; i++) {
		error = formatter(&arg, &out[i], &full);
		if (full)
			break;
	}

	kmem_free(out);
	return error;
}

static int demo_ioc_getbmap(struct xfs_inode *ip, struct getbmapx *bmv, void __user *arg)
{
	return demo_getbmap(ip, bmv, demo_getbmap_format, arg + sizeof(struct getbmap));
}

static vm_fault_t demo_page_mkwrite(struct vm_fault *vmf)
{
	struct xfs_inode *ip = XFS_I(file_inode(vmf->vma->vm_file));
	int error;

	xfs_ilock(ip, XFS_ILOCK_EXCL);
	error = demo_alloc_delalloc_blocks(ip, vmf->page);
	xfs_iunlock(ip, XFS_ILOCK_EXCL);
	return error ? VM_FAULT_SIGBUS : VM_FAULT_NOPAGE;
}

static const struct vm_operations_struct demo_vm_ops = {
	.fault = filemap_fault,
	.page_mkwrite = demo_page_mkwrite,
};
