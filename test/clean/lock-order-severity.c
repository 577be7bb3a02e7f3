/*
 * Twin of test/fixtures/lock-order/severity.c: the same locks in the documented
 * order and in one order throughout: no lock-order finding.
 */
struct sv_obj {
	struct mutex a;
	struct mutex b;
};

static void sv_page_then_rmap(struct page *page, struct address_space *mapping)
{
	lock_page(page);
	i_mmap_lock_write(mapping);
	i_mmap_unlock_write(mapping);
	unlock_page(page);
}

static void sv_one_order(struct sv_obj *o)
{
	mutex_lock(&o->a);
	mutex_lock(&o->b);
	mutex_unlock(&o->b);
	mutex_unlock(&o->a);
	mutex_lock(&o->a);
	mutex_lock(&o->b);
	mutex_unlock(&o->b);
	mutex_unlock(&o->a);
}
