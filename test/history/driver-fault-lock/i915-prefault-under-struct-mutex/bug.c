/*
 * commit: 51311d0a5c69
 * subject: drm/i915: Do not hold mutex when faulting in user addresses
 * date: 2010-11
 * family: driver-fault-lock
 *
 * The GEM fault handler takes the device-wide struct_mutex before binding
 * the object into the aperture. pread took struct_mutex first and only
 * then prefaulted the destination buffer with fault_in_pages_writeable(),
 * to make the atomic fast-path copy likely to succeed. If the buffer is a
 * GTT mmap of a GEM object, the prefault enters the driver's own fault
 * handler, which takes struct_mutex again: a recursive mutex lock, the X
 * server hangs (lockdep showed it at once). The fix validates and
 * prefaults the user range before taking the mutex; under the mutex only
 * the copy with page faults disabled remains, and a short copy falls back
 * to a bounce buffer copied out after the unlock.
 */

struct mydrm_device {
	struct mutex struct_mutex;
};

struct mygem_object {
	struct mydrm_device *dev;
	char *vaddr;
	unsigned long pfn;
	size_t size;
};

static vm_fault_t mygem_fault(struct vm_fault *vmf)
{
	struct mygem_object *obj = vmf->vma->vm_private_data;
	struct mydrm_device *dev = obj->dev;
	vm_fault_t ret;

	mutex_lock(&dev->struct_mutex);
	ret = vmf_insert_pfn(vmf->vma, vmf->address, obj->pfn + vmf->pgoff);
	mutex_unlock(&dev->struct_mutex);
	return ret;
}

static const struct vm_operations_struct mygem_vm_ops = {
	.fault = mygem_fault,
};

int mygem_pread(struct mygem_object *obj, char __user *user_data, size_t len)
{
	struct mydrm_device *dev = obj->dev;
	unsigned long unwritten;
	char *bounce;
	int ret;

	ret = mutex_lock_interruptible(&dev->struct_mutex);
	if (ret)
		return ret;

	if (len > obj->size) {
		ret = -EINVAL;
		goto unlock;
	}
	if (fault_in_pages_writeable(user_data, len)) { /* want: fault-under-fault-path-lock */
		ret = -EFAULT;
		goto unlock;
	}

	pagefault_disable();
	unwritten = __copy_to_user_inatomic(user_data, obj->vaddr, len);
	pagefault_enable();
	if (unwritten == 0)
		goto unlock;

	bounce = kmalloc(len, GFP_KERNEL);
	if (!bounce) {
		ret = -ENOMEM;
		goto unlock;
	}
	memcpy(bounce, obj->vaddr, len);
	mutex_unlock(&dev->struct_mutex);
	if (copy_to_user(user_data, bounce, len))
		ret = -EFAULT;
	kfree(bounce);
	return ret;

unlock:
	mutex_unlock(&dev->struct_mutex);
	return ret;
}
