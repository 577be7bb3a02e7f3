/*
 * commit: unknown (2.6.0-test era, BitKeeper; sent to davem as
 *         ir2609_ircomm_might_sleep-2.diff)
 * subject: [PATCH 2.6 IrDA] IrCOMM might_sleep Oops
 * date: 2003-11-05
 * link: 20031105193953.GB24323@bougret.hpl.hp.com
 * family: atomic
 *
 * The IrCOMM tty write method took the per-channel spinlock with
 * interrupts off to append to the pending transmit skb, and when the data
 * came from user space it filled the skb with copy_from_user() right
 * there.  A fault on the user buffer then sleeps with a spinlock held and
 * interrupts disabled (might_sleep() oopses in 2.6.0-test).  The fix
 * copies the user data into a kmalloc'ed kernel buffer before taking the
 * lock and only memcpy()s under it.  (The posted fix leaked the buffer
 * when copy_from_user() failed; it is freed here.)
 */

struct demo_ircomm_cb {
	spinlock_t spinlock;
	struct sk_buff *tx_skb;
	int tx_data_size;
	int max_data_size;
	int max_header_size;
};

static int demo_tty_write(struct tty_struct *tty, int from_user,
			  const unsigned char __user *ubuf, int count)
{
	struct demo_ircomm_cb *self = tty->driver_data;
	unsigned char *kbuf;
	unsigned long flags;
	struct sk_buff *skb;
	int len = 0;
	int size;

	if (count < 1)
		return 0;

	/* one extra copy, so that no user access happens under the lock */
	if (from_user) {
		kbuf = kmalloc(count, GFP_KERNEL);
		if (!kbuf)
			return -ENOMEM;
		if (copy_from_user(kbuf, ubuf, count)) {
			kfree(kbuf);
			return -EFAULT;
		}
	} else {
		kbuf = (unsigned char *)ubuf;
	}

	spin_lock_irqsave(&self->spinlock, flags);
	skb = self->tx_skb;
	while (count) {
		size = count;
		if (size > self->tx_data_size)
			size = self->tx_data_size;
		if (!skb) {
			skb = dev_alloc_skb(self->max_data_size + self->max_header_size);
			if (!skb) {
				spin_unlock_irqrestore(&self->spinlock, flags);
				if (from_user)
					kfree(kbuf);
				return -ENOBUFS;
			}
			skb_reserve(skb, self->max_header_size);
			self->tx_skb = skb;
		}
		memcpy(skb_put(skb, size), kbuf + len, size);
		count -= size;
		len += size;
	}
	spin_unlock_irqrestore(&self->spinlock, flags);

	if (from_user)
		kfree(kbuf);
	demo_schedule_tx(self);
	return len;
}
