/*
 * commit: unknown
 * subject: [media] wl128x: do not call copy_to_user() while holding spinlocks
 * date: 2013-05-08 (posted; merged for v3.11)
 * link: 1367963828-7910-1-git-send-email-khoroshilov@ispras.ru
 * family: atomic
 *
 * The FM radio driver hands RDS blocks to read() from a ring buffer that
 * the interrupt path fills.  The reader took the ring's spinlock with
 * interrupts off and then looped, copying each three-byte block straight
 * to the user buffer with copy_to_user() while still holding the lock: a
 * fault on the user buffer sleeps in atomic context.  Found by the Linux
 * Driver Verification project.  The fix takes the lock per block, copies
 * the block to a small stack buffer, drops the lock, and only then copies
 * to user space.
 */

#define DEMO_RDS_BLK_SIZE 3

struct demo_rds {
	u8 *buff;
	u32 buf_size;
	u32 rd_idx;
	u32 wr_idx;
};

struct demo_fmdev {
	spinlock_t rds_buff_lock;
	struct demo_rds rds;
};

static int demo_transfer_rds(struct demo_fmdev *fmdev, u8 __user *buf, size_t count)
{
	u32 block_count = 0;
	unsigned long flags;
	int ret = 0;

	count /= DEMO_RDS_BLK_SIZE;

	spin_lock_irqsave(&fmdev->rds_buff_lock, flags);
	while (block_count < count) {
		if (fmdev->rds.wr_idx == fmdev->rds.rd_idx)
			break;
		if (copy_to_user(buf, &fmdev->rds.buff[fmdev->rds.rd_idx], /* want: fault-in-atomic */
				 DEMO_RDS_BLK_SIZE))
			break;
		fmdev->rds.rd_idx += DEMO_RDS_BLK_SIZE;
		if (fmdev->rds.rd_idx >= fmdev->rds.buf_size)
			fmdev->rds.rd_idx = 0;
		block_count++;
		buf += DEMO_RDS_BLK_SIZE;
		ret += DEMO_RDS_BLK_SIZE;
	}
	spin_unlock_irqrestore(&fmdev->rds_buff_lock, flags);
	return ret;
}
