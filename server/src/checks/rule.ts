// What a rule declares about itself, at the top of its own file: id,
// documentation (the README's rule section, `faultpath explain`, SARIF rule
// metadata and LSP diagnostics all read it), default severity, scope, the
// kernel tables it relies on and the inputs it needs. Orchestrators ask the
// registry (checks/index.ts) for these instead of naming rule ids.
import type { Finding, Severity } from '../findings/finding';
import type { FunctionFlow } from '../flow/engine';
import type { TableName } from '../kernel/vocabulary';
import type { FixEdit } from './fixes';

/**
 * function: runs on one analysed function at a time; run: reads what the
 * whole run saw (the lock-order graph); patch: only in patch review.
 */
export type RuleScope = 'function' | 'run' | 'patch';

export interface RuleDoc {
  /** One line: what it finds. SARIF shortDescription, `faultpath explain` list. */
  short: string;
  /** Markdown paragraphs: the README entry, SARIF fullDescription and help. */
  full: string;
  /** A minimal example of what it finds (C), and the same code fixed. */
  example: { finds: string; fixed: string };
}

export interface RuleInputs {
  /**
   * Reads the locks learned from every fault handler of the run: the
   * function's checks wait for them when this says the flow may need them.
   */
  learnedLocks?: (flow: FunctionFlow) => boolean;
  /** In a patch, reads all hunks of a function at once (merged images) instead of hunk by hunk. */
  wholeFunction?: boolean;
}

/** Quick-fix edits for one of the rule's findings on the document's lines, or null. */
export type QuickFix = (f: Finding, lines: string[]) => FixEdit | null;

export interface Rule {
  /** kebab-case; also the file name, fixture directory, diagnostic code, --ignore value and README anchor. */
  id: string;
  /** The severity of its findings when certain (some paths or a weaker case may report lower). */
  severity: Severity;
  scope: RuleScope;
  doc: RuleDoc;
  /** Kernel tables it reads, beyond the flow's events (kernel/vocabulary.ts). */
  tables: readonly TableName[];
  needs?: RuleInputs;
  /** Quick fixes, the preferred first. */
  quickFixes?: readonly QuickFix[];
}
