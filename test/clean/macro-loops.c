/*
 * Clean twins of test/fixtures/lock-imbalance/macro-loops.c: locks taken and
 * released in, and around, one-argument macro loops (`for_each_online_cpu(cpu) {`,
 * `for_each_possible_cpu(cpu) {`), which tree-sitter-c reads as function
 * definitions nested in the function (issue 13), and in scoped_guard() blocks.
 */

static DEFINE_SPINLOCK(drain_lock);

static int unlock_on_busy(struct z3fold_pool *pool)
{
	int cpu;

	for_each_online_cpu(cpu) {
		spin_lock(&drain_lock);
		if (drain(pool, cpu)) {
			spin_unlock(&drain_lock);
			return -EBUSY;
		}
		spin_unlock(&drain_lock);
	}
	if (pool->pages)
		return -EBUSY;
	return 0;
}

static void around(struct mutex *m)
{
	int cpu;

	mutex_lock(m);
	for_each_possible_cpu(cpu) {
		drain(cpu);
	}
	mutex_unlock(m);
	mutex_lock(m);
	mutex_unlock(m);
}

static int guarded(struct mutex *m, struct mutex *n)
{
	scoped_guard(mutex, m) {
		touch(m);
	}
	mutex_lock(m);
	mutex_unlock(m);
	scoped_cond_guard(mutex_intr, return -EINTR, n) {
		touch(n);
	}
	mutex_lock(n);
	mutex_unlock(n);
	return 0;
}
