/*
 * A write loop that takes its folio from a helper that returns it locked and
 * commits what was copied itself.
 */
static ssize_t demo_folio_write(struct address_space *mapping, struct iov_iter *from, loff_t pos)
{
	ssize_t written = 0;
	long status = 0;

	while (iov_iter_count(from)) {
		struct folio *folio;
		size_t offset = offset_in_page(pos);
		size_t bytes = min_t(size_t, PAGE_SIZE - offset, iov_iter_count(from));
		size_t copied;

		folio = __filemap_get_folio(mapping, pos >> PAGE_SHIFT, FGP_WRITEBEGIN, mapping_gfp_mask(mapping));
		if (IS_ERR(folio)) {
			status = PTR_ERR(folio);
			break;
		}
		copied = copy_folio_from_iter(folio, offset, bytes, from);
		if (copied)
			folio_mark_dirty(folio);
		folio_unlock(folio);
		folio_put(folio);
		if (!copied) {
			status = -EFAULT;
			break;
		}
		pos += copied;
		written += copied;
	}
	return written ? written : status;
}
