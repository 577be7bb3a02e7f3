// The rule registry: one module per rule, the id is also the file name, the
// fixture directory, the diagnostic code and the --ignore value.
import type { Check } from './check';
import { faultUnderPageLock } from './fault-under-page-lock';
import { faultUnderFaultPathLock } from './fault-under-fault-path-lock';
import { faultInAtomic } from './fault-in-atomic';
import { atomicCopyOutsidePagefaultDisable } from './atomic-copy-outside-pagefault-disable';
import { uncheckedShortCopy } from './unchecked-short-copy';
import { lockImbalance } from './lock-imbalance';
import { vmaAfterMmapUnlock } from './vma-after-mmap-unlock';
import { retryContract } from './retry-contract';
import { staleFlagsCopy } from './stale-flags-copy';
import { ioUnderMmapLock } from './io-under-mmap-lock';
import { lockOrder } from './lock-order';

export const CHECKS: readonly Check[] = [
  faultUnderPageLock,
  faultUnderFaultPathLock,
  faultInAtomic,
  atomicCopyOutsidePagefaultDisable,
  uncheckedShortCopy,
  lockImbalance,
  vmaAfterMmapUnlock,
  retryContract,
  staleFlagsCopy,
  ioUnderMmapLock,
  lockOrder,
];

export const RULE_IDS: readonly string[] = CHECKS.map((c) => c.id);
