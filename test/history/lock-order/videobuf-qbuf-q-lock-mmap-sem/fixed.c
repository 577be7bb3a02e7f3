/*
 * commit: 9900132f3437
 * subject: V4L/DVB (6268): V4L: Fix a lock inversion in generic videobuf code
 * date: 2007-10 (2.6.24 merge window; approximate)
 * family: lock-order
 *
 * videobuf's QBUF took the queue mutex and then prepared the buffer; for
 * a user-pointer buffer the prepare step pins the user pages, taking
 * current->mm->mmap_sem for read inside the queue mutex. munmap() of a
 * videobuf mapping runs the vma's ->close with mmap_sem held for write,
 * and that close handler takes the queue mutex: mmap_sem -> q->lock on
 * one side, q->lock -> mmap_sem on the other, an ABBA deadlock. The fix
 * takes mmap_sem in QBUF before the queue mutex and makes the pinning
 * helper expect it held, so mmap_sem is always the outer lock.
 */

struct myvb_queue {
	struct mutex lock;
	int streaming;
	int mapped;
};

struct myvb_buffer {
	unsigned long baddr;
	unsigned long size;
	struct page **pages;
	int nr_pages;
};

static void myvb_vm_close(struct vm_area_struct *vma)
{
	struct myvb_queue *q = vma->vm_private_data;

	mutex_lock(&q->lock);
	q->mapped = 0;
	mutex_unlock(&q->lock);
}

static const struct vm_operations_struct myvb_vm_ops = {
	.close = myvb_vm_close,
};

/* caller holds current->mm->mmap_sem for read */
static int myvb_dma_init_user_locked(struct myvb_buffer *vb)
{
	int got;

	got = get_user_pages(vb->baddr, vb->nr_pages, FOLL_WRITE, vb->pages, NULL);
	return got == vb->nr_pages ? 0 : -EFAULT;
}

int myvb_qbuf(struct myvb_queue *q, struct myvb_buffer *vb, int memory)
{
	int ret = 0;

	if (memory == V4L2_MEMORY_USERPTR)
		down_read(&current->mm->mmap_sem);
	mutex_lock(&q->lock);
	if (!q->streaming && memory == V4L2_MEMORY_USERPTR)
		ret = myvb_dma_init_user_locked(vb);
	if (!ret)
		q->streaming = 1;
	mutex_unlock(&q->lock);
	if (memory == V4L2_MEMORY_USERPTR)
		up_read(&current->mm->mmap_sem);
	return ret;
}
