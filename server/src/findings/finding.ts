// Findings are plain data: they become LSP diagnostics in lsp/ and text, JSON
// or SARIF in cli/. Positions are 0-based lines and UTF-16 columns (LSP units).
export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * A lock as facts name it: the expression as written and its class (page,
 * mmap_lock, spinlock, ...); a lock-order graph node (a class or a
 * `struct foo::lock` type key) has its name only.
 */
export interface LockRef {
  expr: string;
  cls?: string;
}

/**
 * What a note says, as data. The message is its wording for people; code that
 * needs the note (a quick fix, a verdict) reads this, never the message.
 */
export type NoteFact =
  /** The lock was taken here by `via()` (held only when `condVar` is not NULL, for a lookup that returns it locked). */
  | { kind: 'acquired'; lock: LockRef; via: string; condVar?: string }
  /** Patch review: the hunk releases the lock without taking it, so it is taken as held when the hunk starts. */
  | { kind: 'held-before-hunk'; lock: LockRef }
  /** One step of a callee chain down to the faulting access: `fn()` calls `call()` here. */
  | { kind: 'calls'; fn: string; call: string; faults: 'enabled' | 'some-paths' }
  /** The fault path from the call to the lock it needs again. */
  | { kind: 'fault-path'; call: string; access: string }
  /** The fix, in words. */
  | { kind: 'fix' };

export interface Note {
  file: string;
  range: Range;
  message: string;
  fact?: NoteFact;
}

/**
 * What a finding says, as data: every value its message words, and nothing
 * positional (sites are its notes' ranges). Patch review matches pre- and
 * post-image findings by rule, function and these facts; quick fixes read them.
 */
export interface FindingFacts {
  /** Which of the rule's findings this is, where a rule reports more than one kind. */
  kind?: string;
  /** The call the finding is at, as written (`->read_iter` for an ops member). */
  call?: string;
  /** How that call reaches a page fault: a user access, a fault-in helper, get_user_pages(), or a callee that faults. */
  fault?: 'access' | 'fault-in' | 'gup' | 'callee';
  /** The lock the message names (mode only where the message words it). */
  lock?: LockRef & { mode?: string };
  /** The lock held while `lock` is taken (lock-order). */
  held?: LockRef;
  /** The atomic context the call runs in (spinlock, preempt, irq, bh, rcu). */
  context?: string;
  /** The lock held, dropped or context entered on every path, or only on some. */
  paths?: 'all' | 'some';
  /** Page faults enabled at the call on every path, or only on some. */
  faults?: 'enabled' | 'some-paths';
  /** Code the message quotes: a variable, an expression, a return value, a flag. */
  subject?: string;
  /** A second quoted name: the local copy, the condition the lock is dropped under. */
  other?: string;
  /** Another function the message names (the other side of an ABBA pair). */
  fn?: string;
}

export interface Fix {
  /** Imperative, names the pattern: "Copy with faults disabled, then retry". */
  title: string;
  description: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  range: Range;
  message: string;
  function: string;
  notes: Note[];
  fixes: Fix[];
  /** The facts the message words (absent for rules that do not give them yet). */
  facts?: FindingFacts;
  status?: 'introduced' | 'fixed' | 'unchanged';
  /** For findings in a patch: the file and 1-based line in the pre-image (fixed) or post-image. */
  target?: { file: string; line: number };
  /** What a baseline matches the finding by (set by the CLI, cli/baseline.ts); survives line moves. */
  fingerprint?: string;
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  if (a.range.start.character !== b.range.start.character) return a.range.start.character - b.range.start.character;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

/** Facts as a string that does not depend on key order: what patch review matches findings by. */
export function factsKey(facts: FindingFacts): string {
  const canon = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, canon((v as Record<string, unknown>)[k])]))
      : v;
  return JSON.stringify(canon(facts));
}
