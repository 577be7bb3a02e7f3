/*
 * commit: 8678b1060ae2
 * subject: drm/amdgpu: fix deadlock while reading mqd from debugfs
 * date: 2024-03 (6.9-rc; stable 6.6.24 on 2024-04-01)
 * fixes: 445d85e3c1df ("drm/amdgpu: add debugfs interface for reading MQDs")
 * family: driver-fault-lock
 *
 * The debugfs file that dumps a ring's memory queue descriptor reserved
 * the buffer object (its dma_resv ww_mutex), mapped it, and then stored
 * the words one by one with put_user() before unreserving. The GPU
 * driver's fault handler (TTM) reserves buffer objects with mmap_lock
 * held, so the established order is mmap_lock -> reservation; a fault on
 * the user buffer under the reservation takes them the other way round
 * (lockdep reported it when a backup tool read debugfs). The fix copies
 * the descriptor into a kmalloc'ed buffer under the reservation, drops
 * it, and only then writes to user space.
 */

struct demo_bo {
	struct dma_resv *resv;
	struct page **pages;
	void *vaddr;
};

static vm_fault_t demo_bo_vm_fault(struct vm_fault *vmf)
{
	struct demo_bo *bo = vmf->vma->vm_private_data;
	vm_fault_t ret;

	if (dma_resv_lock_interruptible(bo->resv, NULL))
		return VM_FAULT_NOPAGE;
	ret = vmf_insert_page(vmf->vma, vmf->address, bo->pages[vmf->pgoff]);
	dma_resv_unlock(bo->resv);
	return ret;
}

static const struct vm_operations_struct demo_bo_vm_ops = {
	.fault = demo_bo_vm_fault,
};

static ssize_t demo_debugfs_mqd_read(struct demo_bo *mqd_obj, size_t mqd_size,
				     char __user *buf, size_t size, loff_t *pos)
{
	volatile u32 *mqd;
	ssize_t result = 0;
	u32 *kbuf;
	size_t i;
	int r;

	if (*pos & 3 || size & 3)
		return -EINVAL;

	kbuf = kmalloc(mqd_size, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;

	r = dma_resv_lock_interruptible(mqd_obj->resv, NULL);
	if (r)
		goto out_free;
	/* bounce through a kernel buffer: no put_user() under the reservation */
	mqd = mqd_obj->vaddr;
	for (i = 0; i < mqd_size / sizeof(u32); i++)
		kbuf[i] = mqd[i];
	dma_resv_unlock(mqd_obj->resv);

	while (size) {
		if (*pos >= mqd_size)
			break;
		r = put_user(kbuf[*pos / 4], (u32 __user *)buf);
		if (r)
			break;
		buf += 4;
		result += 4;
		size -= 4;
		*pos += 4;
	}
out_free:
	kfree(kbuf);
	return r ? r : result;
}
