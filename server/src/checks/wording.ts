// Shared wording: the fault chain in kernel words and the fix, as a reviewer
// writes them. Lock-class facts come from the kernel table.
import type { Fix } from '../findings/finding';
import type { LockClass } from '../kernel/table';
import type { CheckContext } from './check';

export const fixCopyAndRetry: Fix = {
  title: 'Copy with faults disabled, then retry',
  description:
    'fix: fault the source in before locking the page (fault_in_iov_iter_readable()); under the page lock copy with page faults disabled ' +
    '(pagefault_disable() + __copy_from_user_inatomic(), or copy_page_from_iter_atomic()); on a short copy unlock the page, ' +
    'fault the rest in and retry while that makes progress; when it does not, keep what was copied and return the short count or -EFAULT',
};

export function faultChainText(ctx: CheckContext, call: string, access: string, cls: LockClass): string {
  const info = ctx.table.classes.get(cls);
  const steps = info?.faultChain ?? ['mmap_lock(r)'];
  const via = call === access ? `${access}()` : `${call}() -> ${access}()`;
  const tail = cls === 'page' ? ' on the same page when the source buffer maps it (recursive deadlock), or on a page another writer holds while it faults on ours (ABBA)' : '';
  return `fault path: ${via} -> page fault -> ${steps.join(' -> ')}${tail}`;
}
