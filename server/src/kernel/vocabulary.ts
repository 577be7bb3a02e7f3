// The kernel tables by name: what a rule declares it relies on (checks/rule.ts)
// and what the flow engine reads whatever rules run. Each table says which
// identifiers it gives meaning to: phase 1 settles a function whose text names
// none of them (nor a VM_FAULT_ or FAULT_FLAG_ word) without analysing it, so a
// table a rule needs contributes its names through the rule's declaration.
// Tables that only word a finding or silence one (the lock classes, the rmap
// order, the per-VMA lock calls) give no names: a function they matter to
// names a row already.
import { ATOMIC_COPY_TWINS, FAULT_FLAGS, FAULT_IO_WAITS, FLAG_TEST_HELPERS, LOCK_RELEASED_RETURNS, MEMBER_CONTRACTS } from './api';
import type { KernelTable } from './table';

export interface KernelTableInfo {
  /** What it holds, for `faultpath explain`. */
  what: string;
  /** Identifiers a function must name for the table to matter to it. */
  names(table: KernelTable): Iterable<string>;
}

const none = (): string[] => [];
const member = (name: string): string => name.replace(/^->/, '');

export const KERNEL_TABLES = {
  rows: { what: 'API rows (kernel/api.ts): one per kernel function or ops member, with its effect', names: (t: KernelTable) => [...t.rows.keys()].map(member) },
  fields: { what: 'lock fields by struct member (kernel/api.ts)', names: (t: KernelTable) => t.fields.map((f) => f.field) },
  classes: { what: 'lock classes: their words, fault chain and place on the fault path (kernel/api.ts)', names: none },
  flagWords: { what: 'flags a row tests (FGP_LOCK) and the macros that include them', names: (t: KernelTable) => t.flagWords },
  faultHandlerMembers: { what: 'ops members that make a function a fault handler (.fault, .page_mkwrite, ...)', names: (t: KernelTable) => t.faultHandlerMembers },
  memberContracts: { what: 'ops members whose slot has a lock contract (MEMBER_CONTRACTS)', names: () => MEMBER_CONTRACTS.map((c) => c.member) },
  flagTestHelpers: { what: 'helpers that test a fault flag (FLAG_TEST_HELPERS)', names: () => Object.keys(FLAG_TEST_HELPERS) },
  faultFlags: { what: 'the fault flags and results of the retry contract (FAULT_FLAGS)', names: () => Object.values(FAULT_FLAGS) },
  lockTransferReturns: { what: 'return values that hand a lock to the caller', names: (t: KernelTable) => t.lockTransferReturns.map((x) => x.token) },
  lockReleasedReturns: { what: 'fault results that mean mmap_lock was released (LOCK_RELEASED_RETURNS)', names: () => LOCK_RELEASED_RETURNS.map((x) => x.token) },
  faultIoWaits: { what: 'blocking I/O and page waits of a fault handler (FAULT_IO_WAITS)', names: () => FAULT_IO_WAITS.map((w) => member(w.name)) },
  atomicCopyTwins: { what: 'the *_inatomic twin and fault-in helper of each faulting copy (ATOMIC_COPY_TWINS)', names: () => Object.keys(ATOMIC_COPY_TWINS) },
  rmapLockOrder: { what: 'the lock order documented at the top of mm/rmap.c (RMAP_LOCK_ORDER)', names: none },
  perVmaLockNames: { what: 'calls of the per-VMA lock regime (PER_VMA_LOCK_NAMES)', names: none },
} satisfies Record<string, KernelTableInfo>;

export type TableName = keyof typeof KERNEL_TABLES;

/** The tables the flow engine reads, whatever rules run. */
export const ENGINE_TABLES: readonly TableName[] = ['rows', 'fields', 'classes', 'flagWords', 'faultHandlerMembers', 'memberContracts', 'flagTestHelpers', 'faultFlags'];
