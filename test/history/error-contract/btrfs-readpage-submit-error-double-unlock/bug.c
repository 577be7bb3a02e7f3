/*
 * commit: unknown
 * subject: btrfs: avoid double clean up when submit_one_bio() failed
 * date: 2022-04 (v2 posted 2022-04-12)
 * link: <0b13dccbc4d6e066530587d6c00c54b10c3d00d7.1649766550.git.wqu@suse.com>
 * family: error-contract
 *
 * Reading a page (entered with the page locked) adds each block to a bio;
 * when the next block cannot be merged, the pending bio is submitted
 * first. If the submission hook failed (a checksum lookup hitting a
 * metadata I/O error), the bio was ended with the error, and its
 * completion already unlocked the extent range and the page. The error
 * was also returned up through the add-to-bio helper, and the read loop
 * cleaned up a second time: another extent unlock and another
 * end-of-read that unlocks the page again (with subpage blocks the reader
 * count underflowed and the page stayed locked: generic/475 hung). The
 * fix makes bio submission return nothing: errors are reported only
 * through bio completion, and the caller never cleans up after them.
 */

struct demo_bio_ctrl {
	struct bio *bio;
	struct page *page;
	u64 start;
	u32 len;
};

static void demo_unlock_extent(struct inode *inode, u64 start, u64 end)
{
	clear_extent_bit(demo_io_tree(inode), start, end, EXTENT_LOCKED);
}

static bool demo_bio_can_merge(struct demo_bio_ctrl *ctrl, u64 start)
{
	return ctrl->start + ctrl->len == start;
}

static int demo_submit_data_bio(struct bio *bio)
{
	int ret = demo_lookup_bio_sums(bio);
	if (ret)
		return ret;
	submit_bio(bio);
	return 0;
}

static int demo_bio_add_page(struct demo_bio_ctrl *ctrl, struct page *page, u64 start, u32 len)
{
	if (!ctrl->bio) {
		ctrl->bio = bio_alloc(GFP_NOFS, BIO_MAX_VECS);
		if (!ctrl->bio)
			return -ENOMEM;
		ctrl->start = start;
		ctrl->len = 0;
	}
	ctrl->page = page;
	bio_add_page(ctrl->bio, page, len, offset_in_page(start));
	ctrl->len += len;
	return 0;
}

static void demo_end_page_read(struct page *page, bool uptodate)
{
	if (uptodate)
		SetPageUptodate(page);
	else
		SetPageError(page);
	unlock_page(page);
}

/* bio completion for reads: unlocks the extent range and the page */
static void demo_end_bio_read(struct demo_bio_ctrl *ctrl, int err)
{
	demo_unlock_extent(ctrl->page->mapping->host, ctrl->start, ctrl->start + ctrl->len - 1);
	demo_end_page_read(ctrl->page, err == 0);
}

static int demo_submit_one_bio(struct demo_bio_ctrl *ctrl)
{
	int ret;

	ret = demo_submit_data_bio(ctrl->bio);
	if (ret)
		demo_end_bio_read(ctrl, ret);
	ctrl->bio = NULL;
	return ret;
}

static int demo_submit_extent_page(struct demo_bio_ctrl *ctrl, struct page *page,
				   u64 start, u32 len)
{
	if (ctrl->bio && !demo_bio_can_merge(ctrl, start)) {
		int ret = demo_submit_one_bio(ctrl);

		if (ret)
			return ret;
	}
	return demo_bio_add_page(ctrl, page, start, len);
}

/* ->readpage: the page is locked on entry and unlocked by bio completion */
int demo_do_readpage(struct page *page, struct demo_bio_ctrl *ctrl, u64 start, u64 end)
{
	struct inode *inode = page->mapping->host;
	u64 cur = start;
	int ret = 0;

	while (cur <= end) {
		u32 iosize = i_blocksize(inode);

		ret = demo_submit_extent_page(ctrl, page, cur, iosize);
		if (ret) {
			demo_unlock_extent(inode, cur, cur + iosize - 1);
			demo_end_page_read(page, false); /* want: lock-imbalance */
			break;
		}
		cur += iosize;
	}
	return ret;
}
