/*
 * commit: 23b5ec74943f44378b68c0edd8e210a86318ea5e
 * subject: btrfs: fix readdir deadlock with pagefault
 * date: 2018 (approximate; v4.16 cycle)
 * family: fs-fault-lock
 *
 * btrfs readdir walked the directory's leaves and called dir_emit() for
 * each entry while the leaf was still read-locked in the search path.
 * dir_emit() copies the entry to the getdents buffer in user space and
 * can fault.  The changelog's three-task cycle: readdir holds the tree
 * lock and faults, wanting mmap_sem; a task holding mmap_sem for write
 * runs ->page_mkwrite and waits for ordered extents; the ordered-extent
 * completion needs the leaf readdir holds.  The fix gives each open
 * directory a kernel buffer: entries are copied into it under the tree
 * lock, the path is released, and only then are they emitted.
 */

static int demo_fill_buf(struct btrfs_path *path, struct demo_dir_entry *buf,
			 int max, int *nr)
{
	struct extent_buffer *leaf = path->nodes[0];
	int slot;

	*nr = 0;
	for (slot = path->slots[0]; slot < btrfs_header_nritems(leaf); slot++) {
		if (*nr == max)
			return 1;
		/* kernel memory only while the leaf is locked */
		demo_read_dir_item(leaf, slot, &buf[(*nr)++]);
	}
	return 0;
}

static int demo_emit_buf(struct dir_context *ctx, struct demo_dir_entry *buf, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (!dir_emit(ctx, buf[i].name, buf[i].name_len, buf[i].ino, buf[i].type))
			return 1;
		ctx->pos = buf[i].index + 1;
	}
	return 0;
}

static int demo_readdir(struct file *file, struct dir_context *ctx)
{
	struct btrfs_root *root = BTRFS_I(file_inode(file))->root;
	struct demo_dir_entry *buf = demo_file_private(file)->filldir_buf;
	struct btrfs_path *path;
	int nr, ret;

	path = btrfs_alloc_path();
	if (!path)
		return -ENOMEM;
	for (;;) {
		ret = demo_search_dir_leaf(root, file_inode(file), ctx->pos, path);
		if (ret)
			break;
		btrfs_tree_read_lock(path->nodes[0]);
		demo_fill_buf(path, buf, DEMO_FILLDIR_SLOTS, &nr);
		btrfs_tree_read_unlock(path->nodes[0]);
		btrfs_release_path(path);
		/* the tree is unlocked: a fault here is harmless */
		ret = demo_emit_buf(ctx, buf, nr);
		if (ret)
			break;
	}
	btrfs_free_path(path);
	return ret < 0 ? ret : 0;
}
