/*
 * Clean twins of test/fixtures/fault-in-atomic/macro-scopes.c: the copies
 * follow the macro scope or loop (issue 13), and scopes close where their
 * block ends, also on a `break` or `return` out of them.
 */

static int rcu_scope_after(void __user *ubuf, struct stat *st)
{
	struct stat tmp;

	scoped_guard(rcu) {
		tmp = *st;
	}
	if (copy_to_user(ubuf, &tmp, sizeof(tmp)))
		return -EFAULT;
	return 0;
}

static int irq_scope_after(int __user *p, int *q)
{
	int v = 0;

	scoped_guard(irqsave) {
		v = *q;
	}
	scoped_guard(preempt)
		v += *q;
	get_user(v, p);
	return v;
}

static int spin_scope_after(spinlock_t *l, int __user *p, int *q)
{
	int v = 0;

	scoped_guard(spinlock, l) {
		if (!*q)
			return 0;
		v = *q;
	}
	get_user(v, p);
	return v;
}

static int tasks_after(int __user *p)
{
	struct task_struct *t;
	int n = 0;

	rcu_read_lock();
	for_each_process(t) {
		if (t->flags)
			break;
		n++;
	}
	rcu_read_unlock();
	return put_user(n, p);
}

static void per_cpu_after(spinlock_t *l, int __user *p)
{
	int cpu, v;

	spin_lock(l);
	for_each_online_cpu(cpu)
		for_each_possible_cpu(cpu) {
			v = cpu;
		}
	spin_unlock(l);
	get_user(v, p);
}
