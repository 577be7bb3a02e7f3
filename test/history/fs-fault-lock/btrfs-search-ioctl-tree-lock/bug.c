/*
 * commit: a48b73eca4ceb9b8a4b97f290a065335dbcd8a04
 * subject: btrfs: fix potential deadlock in the search ioctl
 * date: 2020-08 (posted 2020-08-20)
 * link: c9483afd0153dd70755282895ce395fbd310fc8b.1597936173.git.josef@toxicpanda.com
 * family: fs-fault-lock
 *
 * BTRFS_IOC_TREE_SEARCH(_V2) walks a btree and copies each matching
 * item header and item body to the user's buffer while the leaf found by
 * the search is still read-locked in the path.  A fault on that buffer
 * enters btrfs' fault handlers, which reserve space and search trees
 * themselves, taking tree locks (and mmap_lock ranks above them): lockdep
 * reported the inversion, and with a writer waiting on the leaf it is a
 * deadlock.  The fix prefaults the remaining user buffer before each
 * search and copies with copy_to_user_nofault() under the tree lock; a
 * failed copy just ends the batch, the path is released and the loop
 * faults in and searches again.
 */

static int demo_search_forward(struct btrfs_root *root, struct btrfs_key *key,
			       struct btrfs_path *path)
{
	struct extent_buffer *eb = demo_find_leaf(root, key);

	if (!eb)
		return 1;
	btrfs_tree_read_lock(eb);
	path->nodes[0] = eb;
	path->locks[0] = BTRFS_READ_LOCK;
	return 0;
}

static void demo_release_path(struct btrfs_path *path)
{
	if (path->locks[0])
		btrfs_tree_read_unlock(path->nodes[0]);
	path->locks[0] = 0;
	path->nodes[0] = NULL;
}

static int demo_copy_to_sk(struct btrfs_path *path, struct btrfs_key *key,
			   size_t buf_size, char __user *ubuf,
			   unsigned long *sk_offset, int *num_found)
{
	struct extent_buffer *leaf = path->nodes[0];
	int nritems = btrfs_header_nritems(leaf);
	int i;

	for (i = path->slots[0]; i < nritems; i++) {
		struct btrfs_ioctl_search_header sh;
		unsigned long item_off = btrfs_item_ptr_offset(leaf, i);
		int item_len = btrfs_item_size_nr(leaf, i);

		if (*sk_offset + sizeof(sh) + item_len > buf_size)
			return 1;
		demo_fill_header(leaf, i, &sh);
		if (copy_to_user(ubuf + *sk_offset, &sh, sizeof(sh)))
			return -EFAULT;
		*sk_offset += sizeof(sh);
		if (read_extent_buffer_to_user(leaf, ubuf + *sk_offset, item_off, item_len))
			return -EFAULT;
		*sk_offset += item_len;
		(*num_found)++;
		btrfs_item_key_to_cpu(leaf, key, i);
	}
	return demo_advance_key(key);
}

static int demo_search_ioctl(struct btrfs_root *root, struct btrfs_key *key,
			     size_t buf_size, char __user *ubuf)
{
	struct btrfs_path *path = btrfs_alloc_path();
	unsigned long sk_offset = 0;
	int num_found = 0;
	int ret;

	if (!path)
		return -ENOMEM;
	while (1) {
		ret = demo_search_forward(root, key, path);
		if (ret != 0) {
			if (ret > 0)
				ret = 0;
			break;
		}
		ret = demo_copy_to_sk(path, key, buf_size, ubuf, &sk_offset, &num_found); /* want: fault-under-fault-path-lock */
		demo_release_path(path);
		if (ret)
			break;
	}
	btrfs_free_path(path);
	return ret > 0 ? 0 : ret;
}
