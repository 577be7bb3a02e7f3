/*
 * commit: unknown
 * subject: staging: android: ashmem: Fix possible deadlock in ashmem_ioctl
 * date: 2018-02 (syzbot report; in 4.x stable updates of spring 2018)
 * family: driver-fault-lock
 *
 * ashmem serialises everything with one global mutex. Its ->mmap runs
 * with mmap_sem held by the mm core and takes ashmem_mutex: mmap_sem ->
 * ashmem_mutex. ASHMEM_SET_NAME took ashmem_mutex and then copied the
 * name from user space with copy_from_user(); a fault on that buffer
 * takes mmap_sem: ashmem_mutex -> mmap_sem, an ABBA deadlock against a
 * concurrent mmap() of an ashmem region (lockdep and syzbot reported it).
 * The fix copies the name into a local buffer before taking the mutex
 * and only checks and installs it under the lock.
 */

#define DEMO_NAME_LEN 256

struct demo_ashmem_area {
	char name[DEMO_NAME_LEN];
	struct file *file;
	size_t size;
	unsigned long prot_mask;
};

static DEFINE_MUTEX(demo_ashmem_mutex);

static int demo_ashmem_setup_backing(struct demo_ashmem_area *asma, struct vm_area_struct *vma)
{
	if (!asma->file) {
		asma->file = shmem_file_setup(asma->name, asma->size, vma->vm_flags);
		if (IS_ERR(asma->file)) {
			int ret = PTR_ERR(asma->file);

			asma->file = NULL;
			return ret;
		}
	}
	vma_set_file(vma, asma->file);
	return 0;
}

static int demo_ashmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct demo_ashmem_area *asma = file->private_data;
	int ret = 0;

	mutex_lock(&demo_ashmem_mutex);
	if (!asma->size || vma->vm_end - vma->vm_start > PAGE_ALIGN(asma->size))
		ret = -EINVAL;
	else
		ret = demo_ashmem_setup_backing(asma, vma);
	mutex_unlock(&demo_ashmem_mutex);
	return ret;
}

static int demo_set_name(struct demo_ashmem_area *asma, void __user *name)
{
	char local_name[DEMO_NAME_LEN];
	int ret = 0;

	/*
	 * Copy in before taking the mutex: ->mmap takes it under mmap_sem,
	 * and a fault here would take mmap_sem under it.
	 */
	if (copy_from_user(local_name, name, DEMO_NAME_LEN))
		return -EFAULT;
	local_name[DEMO_NAME_LEN - 1] = '\0';

	mutex_lock(&demo_ashmem_mutex);
	/* cannot change an existing mapping's name */
	if (unlikely(asma->file))
		ret = -EINVAL;
	else
		strcpy(asma->name, local_name);
	mutex_unlock(&demo_ashmem_mutex);
	return ret;
}

static long demo_ashmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct demo_ashmem_area *asma = file->private_data;

	switch (cmd) {
	case ASHMEM_SET_NAME:
		return demo_set_name(asma, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations demo_ashmem_fops = {
	.mmap = demo_ashmem_mmap,
	.unlocked_ioctl = demo_ashmem_ioctl,
};
