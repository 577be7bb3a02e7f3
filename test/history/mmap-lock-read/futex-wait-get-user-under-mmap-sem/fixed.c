/*
 * commit: unknown
 * subject: [PATCH/RFC] Futex mmap_sem deadlock
 * date: 2005-02-22 (posted by Olof Johansson; 2.6.11 cycle, before the git history)
 * link: <20050222190646.GA7079@austin.ibm.com>
 * family: mmap-lock-read
 *
 * FUTEX_WAIT queued the waiter with mmap_sem held for read, then read
 * the futex word with get_user(). A fault takes mmap_sem for read again;
 * with a writer (mmap, munmap in another thread) queued in between, the
 * nested reader waits for the writer, which waits for the outer reader.
 * The fix reads the word with faults disabled (inatomic copy under
 * inc_preempt_count()); if that fails it unqueues, drops mmap_sem,
 * faults the word in with get_user() and starts over.
 */

struct demo_futex_q {
	union futex_key key;
	wait_queue_head_t waiters;
	struct list_head list;
};

struct demo_futex_hash_bucket {
	spinlock_t lock;
	struct list_head chain;
};

static struct demo_futex_hash_bucket demo_futex_queues[256];

static struct demo_futex_hash_bucket *demo_hash_futex(union futex_key *key)
{
	return &demo_futex_queues[hash_long(key->private.address, 8)];
}

static int demo_get_futex_key(unsigned long uaddr, union futex_key *key)
{
	if (uaddr & (sizeof(int) - 1) || !find_extend_vma(current->mm, uaddr))
		return -EFAULT;
	key->private.mm = current->mm;
	key->private.address = uaddr;
	return 0;
}

static void demo_queue_me(struct demo_futex_q *q)
{
	struct demo_futex_hash_bucket *bh = demo_hash_futex(&q->key);

	init_waitqueue_head(&q->waiters);
	spin_lock(&bh->lock);
	list_add_tail(&q->list, &bh->chain);
	spin_unlock(&bh->lock);
}

static int demo_unqueue_me(struct demo_futex_q *q)
{
	struct demo_futex_hash_bucket *bh = demo_hash_futex(&q->key);
	int ret = 0;

	spin_lock(&bh->lock);
	if (!list_empty(&q->list)) {
		list_del_init(&q->list);
		ret = 1;
	}
	spin_unlock(&bh->lock);
	return ret;
}

/* read the futex word without faulting: fails instead of sleeping */
static int demo_futex_sleep(struct demo_futex_q *q, unsigned long time)
{
	wait_event_interruptible_timeout(q->waiters, list_empty(&q->list), time);
	return demo_unqueue_me(q) ? -ETIMEDOUT : 0;
}

static int demo_get_futex_value_locked(int *dest, int __user *from)
{
	int ret;

	inc_preempt_count();
	ret = __copy_from_user_inatomic(dest, from, sizeof(int));
	dec_preempt_count();
	return ret ? -EFAULT : 0;
}

int demo_futex_wait(unsigned long uaddr, int val, unsigned long time)
{
	struct demo_futex_q q;
	int ret, curval;

retry:
	down_read(&current->mm->mmap_sem);
	ret = demo_get_futex_key(uaddr, &q.key);
	if (ret != 0) {
		up_read(&current->mm->mmap_sem);
		return ret;
	}
	demo_queue_me(&q);

	ret = demo_get_futex_value_locked(&curval, (int __user *)uaddr);
	if (unlikely(ret)) {
		/* would have faulted: unqueue, drop mmap_sem, fault it in, start over */
		demo_unqueue_me(&q);
		up_read(&current->mm->mmap_sem);
		ret = get_user(curval, (int __user *)uaddr);
		if (!ret)
			goto retry;
		return ret;
	}
	if (curval != val) {
		ret = -EWOULDBLOCK;
		goto out_unqueue;
	}
	up_read(&current->mm->mmap_sem);
	return demo_futex_sleep(&q, time);

out_unqueue:
	demo_unqueue_me(&q);
	up_read(&current->mm->mmap_sem);
	return ret;
}
