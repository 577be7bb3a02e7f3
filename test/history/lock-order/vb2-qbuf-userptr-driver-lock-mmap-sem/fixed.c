/*
 * commit: b037c0fde22b
 * subject: [media] media: vb2: fix potential deadlock in mmap vs. get_userptr handling
 * date: 2011 (3.1/3.2 cycle; approximate)
 * family: lock-order
 *
 * The V4L2 core calls both ioctls and mmap with the driver's serialising
 * mutex held. mmap() is entered with mmap_sem already held by the mm
 * core, so it nests mmap_sem -> driver lock. QBUF of a user-pointer
 * buffer pins the user pages, and videobuf2 took current->mm->mmap_sem
 * for that while the driver lock was held: driver lock -> mmap_sem, the
 * ABBA. The fix releases the driver lock (wait_prepare), takes mmap_sem,
 * takes the driver lock again (wait_finish) and only then pins the pages,
 * so the driver lock always nests inside mmap_sem.
 */

struct mycam {
	struct mutex lock;
	int mapped;
	void *vmem;
	struct list_head queued;
};

struct myvb2_buf {
	unsigned long userptr;
	unsigned long length;
	struct vm_area_struct *vma;
	struct list_head list;
};

static void *cam_buffer_area(struct mycam *cam)
{
	return cam->vmem;
}

static int mycam_queue_buffer(struct mycam *cam, struct myvb2_buf *vb)
{
	if (!vb->vma)
		return -EINVAL;
	list_add_tail(&vb->list, &cam->queued);
	return 0;
}

/* ->mmap: the mm core holds mmap_sem (write) around this */
static int mycam_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mycam *cam = file->private_data;
	int ret;

	mutex_lock(&cam->lock);
	ret = remap_vmalloc_range(vma, cam_buffer_area(cam), 0);
	if (!ret)
		cam->mapped++;
	mutex_unlock(&cam->lock);
	return ret;
}

/* called with current->mm->mmap_sem held for read */
static int myvb2_get_userptr_locked(struct myvb2_buf *vb)
{
	vb->vma = find_vma(current->mm, vb->userptr);
	if (!vb->vma || vb->vma->vm_end < vb->userptr + vb->length)
		return -EFAULT;
	return 0;
}

static long mycam_ioctl_qbuf(struct mycam *cam, struct myvb2_buf *vb, int memory)
{
	struct rw_semaphore *mmap_sem = NULL;
	long ret = 0;

	mutex_lock(&cam->lock);
	if (memory == V4L2_MEMORY_USERPTR) {
		/* mmap_sem ranks outside the driver lock: drop it, take both in order */
		mmap_sem = &current->mm->mmap_sem;
		mutex_unlock(&cam->lock);
		down_read(mmap_sem);
		mutex_lock(&cam->lock);
		ret = myvb2_get_userptr_locked(vb);
	}
	if (!ret)
		ret = mycam_queue_buffer(cam, vb);
	mutex_unlock(&cam->lock);
	if (mmap_sem)
		up_read(mmap_sem);
	return ret;
}

static const struct file_operations mycam_fops = {
	.mmap = mycam_mmap,
};
