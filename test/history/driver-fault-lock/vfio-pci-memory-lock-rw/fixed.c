/*
 * commit: bc93b9ae0151
 * subject: vfio-pci: Avoid recursive read-lock usage
 * date: 2020-06
 * fixes: abafbc551fdd ("vfio-pci: Invalidate mmaps and block MMIO access on disabled memory")
 * family: driver-fault-lock
 *
 * The device's memory_lock rwsem guards MMIO BAR access against the guest
 * disabling memory decode. The mmap fault handler takes it for read before
 * inserting the BAR pfns. The read()/write() path took it for read once
 * for the whole transfer and kept it across copy_from_user()/
 * copy_to_user(); when the user buffer is itself an mmap of the device
 * BAR, the copy faults into the handler, which takes memory_lock for read
 * again: a recursive read lock that deadlocks as soon as a writer (a
 * config write disabling memory) queues between the two. The fix takes
 * the lock around each single ioread/iowrite only, after the copy in and
 * before the copy out.
 */

struct mydev_pci {
	struct rw_semaphore memory_lock;
	void __iomem *bar;
	unsigned long bar_pfn;
	bool mem_enabled;
};

static vm_fault_t mydev_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mydev_pci *vdev = vma->vm_private_data;
	vm_fault_t ret = VM_FAULT_NOPAGE;

	down_read(&vdev->memory_lock);
	if (!vdev->mem_enabled)
		ret = VM_FAULT_SIGBUS;
	else if (io_remap_pfn_range(vma, vma->vm_start, vdev->bar_pfn,
				    vma->vm_end - vma->vm_start, vma->vm_page_prot))
		ret = VM_FAULT_SIGBUS;
	up_read(&vdev->memory_lock);
	return ret;
}

static const struct vm_operations_struct mydev_mmap_ops = {
	.fault = mydev_mmap_fault,
};

static int mydev_iowrite32(struct mydev_pci *vdev, u32 val, void __iomem *io)
{
	down_read(&vdev->memory_lock);
	if (!vdev->mem_enabled) {
		up_read(&vdev->memory_lock);
		return -EIO;
	}
	iowrite32(val, io);
	up_read(&vdev->memory_lock);
	return 0;
}

static int mydev_ioread32(struct mydev_pci *vdev, u32 *val, void __iomem *io)
{
	down_read(&vdev->memory_lock);
	if (!vdev->mem_enabled) {
		up_read(&vdev->memory_lock);
		return -EIO;
	}
	*val = ioread32(io);
	up_read(&vdev->memory_lock);
	return 0;
}

static ssize_t mydev_do_io_rw(struct mydev_pci *vdev, char __user *buf, size_t count,
			      loff_t off, bool iswrite)
{
	ssize_t done = 0;
	u32 val;

	while (count >= 4) {
		if (iswrite) {
			if (copy_from_user(&val, buf, 4))
				return -EFAULT;
			if (mydev_iowrite32(vdev, val, vdev->bar + off))
				return -EIO;
		} else {
			if (mydev_ioread32(vdev, &val, vdev->bar + off))
				return -EIO;
			if (copy_to_user(buf, &val, 4))
				return -EFAULT;
		}
		count -= 4;
		done += 4;
		buf += 4;
		off += 4;
	}
	return done;
}

ssize_t mydev_bar_rw(struct mydev_pci *vdev, char __user *buf, size_t count,
		     loff_t pos, bool iswrite)
{
	return mydev_do_io_rw(vdev, buf, count, pos, iswrite);
}
