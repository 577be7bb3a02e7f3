/*
 * Twin of test/fixtures/lock-order/mmap-entry.c: mmap_lock taken before the
 * driver lock, as ->mmap and vm_ops->close nest them; and the helper drops the
 * caller's mmap_lock before it takes i_rwsem (holepunch 90ed52ebe481).
 */
struct me_dev {
	struct mutex lock;
	int users;
};

struct me_queue {
	struct mutex qlock;
	int mapped;
};

static int me_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct me_dev *dev = file->private_data;

	mutex_lock(&dev->lock);
	dev->users++;
	mutex_unlock(&dev->lock);
	return 0;
}

static const struct file_operations me_fops = {
	.mmap = me_mmap,
};

static void me_vm_close(struct vm_area_struct *vma)
{
	struct me_queue *q = vma->vm_private_data;

	mutex_lock(&q->qlock);
	q->mapped = 0;
	mutex_unlock(&q->qlock);
}

static const struct vm_operations_struct me_vm_ops = {
	.close = me_vm_close,
};

static int me_pin_locked(unsigned long addr)
{
	return find_vma(current->mm, addr) ? 0 : -EFAULT;
}

static int me_ioctl(struct me_dev *dev, unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	int ret;

	mmap_read_lock(mm);
	mutex_lock(&dev->lock);
	ret = me_pin_locked(addr);
	mutex_unlock(&dev->lock);
	mmap_read_unlock(mm);
	return ret;
}

static int me_qbuf(struct me_queue *q, struct mm_struct *mm)
{
	mmap_read_lock(mm);
	mutex_lock(&q->qlock);
	q->mapped = 1;
	mutex_unlock(&q->qlock);
	mmap_read_unlock(mm);
	return 0;
}

static void me_truncate(struct inode *inode)
{
	inode_lock(inode);
	inode_unlock(inode);
}

/* called with current->mm's mmap_lock held for write: drops it around the truncate */
static void me_remove(struct inode *inode)
{
	struct mm_struct *mm = current->mm;

	mmap_write_unlock(mm);
	me_truncate(inode);
	mmap_write_lock(mm);
}

static void me_madvise(struct inode *inode)
{
	struct mm_struct *mm = current->mm;

	mmap_write_lock(mm);
	me_remove(inode);
	mmap_write_unlock(mm);
}

/* a downgrade waits for no one: no edge from the driver lock to mmap_lock */
static void me_remap(struct me_dev *dev, struct mm_struct *mm)
{
	mmap_write_lock(mm);
	mutex_lock(&dev->lock);
	mmap_write_downgrade(mm);
	dev->users++;
	mutex_unlock(&dev->lock);
	mmap_read_unlock(mm);
}
