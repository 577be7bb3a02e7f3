/*
 * commit: unknown
 * subject: sysfs: fix deadlock
 * date: 2009 (approximate, not confirmed; the fix is cited as "b31ca3f5df (sysfs: fix deadlock)" in a 2013 linux-mm reply)
 * family: driver-fault-lock
 *
 * Binary sysfs attributes (PCI resources, firmware loading, ...) can be
 * read, written and mmapped. Their open file keeps a bounce buffer under
 * a per-file mutex. ->mmap is entered with mmap_sem held by the mm core
 * and takes that mutex: mmap_sem -> bb->mutex. read() and write() took
 * the mutex, filled or drained the buffer with the attribute callback
 * and copied between the buffer and user space with the mutex still
 * held: a fault on the user buffer takes mmap_sem, bb->mutex -> mmap_sem,
 * and lockdep reported the circular dependency. The fix copies the data
 * to a temporary buffer and does the user copy after dropping the mutex
 * (and, for write, copies in before taking it).
 */

struct demo_bin_attr {
	ssize_t (*read)(struct demo_bin_attr *attr, char *buf, loff_t off, size_t count);
	int (*mmap)(struct demo_bin_attr *attr, struct vm_area_struct *vma);
};

static struct demo_bin_attr *demo_file_attr(struct file *file)
{
	return file->f_path.dentry->d_fsdata;
}

struct demo_bin_buffer {
	struct mutex mutex;
	void *buffer;
	int mmapped;
};

static ssize_t demo_fill_read(struct file *file, char *buf, loff_t off, size_t count)
{
	struct demo_bin_attr *attr = demo_file_attr(file);

	return attr->read ? attr->read(attr, buf, off, count) : -EIO;
}

static ssize_t demo_bin_read(struct file *file, char __user *userbuf, size_t bytes, loff_t *off)
{
	struct demo_bin_buffer *bb = file->private_data;
	int count = min_t(size_t, bytes, PAGE_SIZE);
	loff_t offs = *off;
	char *temp;

	temp = kmalloc(count, GFP_KERNEL);
	if (!temp)
		return -ENOMEM;

	mutex_lock(&bb->mutex);
	count = demo_fill_read(file, bb->buffer, offs, count);
	if (count >= 0)
		memcpy(temp, bb->buffer, count);
	mutex_unlock(&bb->mutex);

	if (count >= 0) {
		if (copy_to_user(userbuf, temp, count))
			count = -EFAULT;
		else
			*off = offs + count;
	}
	kfree(temp);
	return count;
}

/* called by the mm core with mmap_sem held for write */
static int demo_bin_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct demo_bin_buffer *bb = file->private_data;
	struct demo_bin_attr *attr = demo_file_attr(file);
	int rc = -EINVAL;

	mutex_lock(&bb->mutex);
	if (attr->mmap)
		rc = attr->mmap(attr, vma);
	if (!rc)
		bb->mmapped = 1;
	mutex_unlock(&bb->mutex);
	return rc;
}

static const struct file_operations demo_bin_fops = {
	.read = demo_bin_read,
	.mmap = demo_bin_mmap,
};
