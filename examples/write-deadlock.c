/*
 * A small buffered-write path in the style of 2.6.22's
 * generic_file_buffered_write(), with the bug "mm: fix pagecache write
 * deadlocks" (2.6.23) removed, next to the fixed version.
 */
#include <linux/pagemap.h>
#include <linux/uaccess.h>

/* Before the fix: copies from user space with the destination page locked. */
static ssize_t demo_write_buggy(struct address_space *mapping, const char __user *buf,
				size_t bytes, pgoff_t index, unsigned offset)
{
	struct page *page;
	char *kaddr;
	size_t left;

	page = __grab_cache_page(mapping, index);
	if (!page)
		return -ENOMEM;

	kaddr = kmap(page);
	left = __copy_from_user(kaddr + offset, buf, bytes);
	kunmap(page);

	unlock_page(page);
	page_cache_release(page);
	return bytes - left;
}

/* After the fix: prefault, atomic copy with faults disabled, retry on a short copy. */
static ssize_t demo_write_fixed(struct address_space *mapping, const char __user *buf,
				size_t bytes, pgoff_t index, unsigned offset)
{
	struct page *page;
	char *kaddr;
	size_t copied;

again:
	if (fault_in_pages_readable(buf, bytes))
		return -EFAULT;

	page = __grab_cache_page(mapping, index);
	if (!page)
		return -ENOMEM;

	pagefault_disable();
	kaddr = kmap_atomic(page);
	copied = bytes - __copy_from_user_inatomic(kaddr + offset, buf, bytes);
	kunmap_atomic(kaddr);
	pagefault_enable();

	unlock_page(page);
	page_cache_release(page);
	if (copied == 0)
		goto again;
	return copied;
}

/* A driver that holds its object lock across a user copy while its ->fault takes it. */
struct demo_obj {
	struct mutex lock;
	void *vaddr;
};

static vm_fault_t demo_fault(struct vm_fault *vmf)
{
	struct demo_obj *obj = vmf->vma->vm_private_data;

	mutex_lock(&obj->lock);
	vmf->page = virt_to_page(obj->vaddr);
	get_page(vmf->page);
	mutex_unlock(&obj->lock);
	return 0;
}

static long demo_ioctl_write(struct demo_obj *obj, const void __user *ubuf, size_t len)
{
	long ret = 0;

	mutex_lock(&obj->lock);
	if (copy_from_user(obj->vaddr, ubuf, len))
		ret = -EFAULT;
	mutex_unlock(&obj->lock);
	return ret;
}

static const struct vm_operations_struct demo_vm_ops = {
	.fault = demo_fault,
};
