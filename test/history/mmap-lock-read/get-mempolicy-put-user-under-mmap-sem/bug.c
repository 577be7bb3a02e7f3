/*
 * commit: unknown
 * subject: [PATCH] fix put_user under mmap_sem in sys_get_mempolicy()
 * date: 2005-01-21 (posted; carried in -mm; merged in the 2.6.11 cycle, before the git history)
 * link: <41F116DB.3BA37CEB@tv-sign.ru>
 * family: mmap-lock-read
 *
 * get_mempolicy(MPOL_F_ADDR) looks up the vma of the address under
 * mmap_sem for read to find its policy, and kept the semaphore until the
 * common exit path: the policy value and the node mask were written to
 * user space with put_user() and copy_to_user() in between. A fault on
 * those user buffers takes mmap_sem for read again; if another thread of
 * the process queued for mmap_sem in write mode meanwhile (mmap, munmap),
 * the nested reader waits behind the writer, which waits for the outer
 * reader: deadlock. The fix computes everything it needs under the lock,
 * releases mmap_sem, and only then copies the results out.
 */

static void demo_get_zonemask(struct mempolicy *pol, unsigned long *nodes)
{
	bitmap_zero(nodes, MAX_NUMNODES);
	if (pol->policy == MPOL_BIND || pol->policy == MPOL_INTERLEAVE)
		bitmap_copy(nodes, pol->v.nodes, MAX_NUMNODES);
	else if (pol->policy == MPOL_PREFERRED && pol->v.preferred_node >= 0)
		__set_bit(pol->v.preferred_node, nodes);
}

static int demo_copy_nodes_to_user(unsigned long __user *mask, unsigned long maxnode,
				   unsigned long *nodes, unsigned int nbytes)
{
	unsigned long copy = ALIGN(maxnode - 1, 64) / 8;

	if (copy > nbytes) {
		if (clear_user((char __user *)mask + nbytes, copy - nbytes))
			return -EFAULT;
		copy = nbytes;
	}
	return copy_to_user(mask, nodes, copy) ? -EFAULT : 0;
}

long demo_sys_get_mempolicy(int __user *policy, unsigned long __user *nmask,
			    unsigned long maxnode, unsigned long addr, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma = NULL;
	struct mempolicy *pol = current->mempolicy;
	DECLARE_BITMAP(nodes, MAX_NUMNODES);
	int err, pval;

	if (flags & MPOL_F_ADDR) {
		down_read(&mm->mmap_sem);
		vma = find_vma_intersection(mm, addr, addr + 1);
		if (!vma) {
			up_read(&mm->mmap_sem);
			return -EFAULT;
		}
		if (vma->vm_ops && vma->vm_ops->get_policy)
			pol = vma->vm_ops->get_policy(vma, addr);
		else
			pol = vma->vm_policy;
	} else if (addr) {
		return -EINVAL;
	}
	if (!pol)
		pol = &default_policy;
	pval = pol->policy;

	err = -EFAULT;
	if (policy && put_user(pval, policy)) /* want: fault-under-fault-path-lock */
		goto out;
	err = 0;
	if (nmask) {
		demo_get_zonemask(pol, nodes);
		err = demo_copy_nodes_to_user(nmask, maxnode, nodes, sizeof(nodes)); /* want: fault-under-fault-path-lock */
	}
out:
	if (vma)
		up_read(&mm->mmap_sem);
	return err;
}
