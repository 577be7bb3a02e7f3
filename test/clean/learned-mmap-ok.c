/*
 * Twins of test/fixtures/fault-under-fault-path-lock/learned-mmap.c: the user
 * data copied before the lock is taken, and a fault handler that only tries
 * the lock (a trylock waits for nothing: no fault-path lock is learned).
 */
struct lmc_area {
	struct mutex lock;
	char name[32];
	unsigned long size;
};

struct lmc_obj {
	struct mutex map_lock;
	void *vaddr;
};

static int lmc_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct lmc_area *a = file->private_data;
	int ret = 0;

	mutex_lock(&a->lock);
	if (vma->vm_end - vma->vm_start > a->size)
		ret = -EINVAL;
	mutex_unlock(&a->lock);
	return ret;
}

static const struct file_operations lmc_fops = {
	.mmap = lmc_mmap,
};

static long lmc_set_name(struct lmc_area *a, const char __user *name)
{
	char tmp[32];

	if (copy_from_user(tmp, name, sizeof(tmp)))
		return -EFAULT;
	mutex_lock(&a->lock);
	memcpy(a->name, tmp, sizeof(tmp));
	mutex_unlock(&a->lock);
	return 0;
}

static vm_fault_t lmc_obj_fault(struct vm_fault *vmf)
{
	struct lmc_obj *o = vmf->vma->vm_private_data;

	if (!mutex_trylock(&o->map_lock))
		return VM_FAULT_NOPAGE;
	vmf->page = lmc_obj_page(o, vmf->pgoff);
	mutex_unlock(&o->map_lock);
	return 0;
}

static const struct vm_operations_struct lmc_vm_ops = {
	.fault = lmc_obj_fault,
};

static long lmc_obj_read(struct lmc_obj *o, char __user *buf, size_t n)
{
	long ret = 0;

	mutex_lock(&o->map_lock);
	if (copy_to_user(buf, o->vaddr, n))
		ret = -EFAULT;
	mutex_unlock(&o->map_lock);
	return ret;
}
