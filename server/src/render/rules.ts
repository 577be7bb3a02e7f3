// Rule documentation in words, from the rules' own declarations
// (checks/<id>.ts): the README's rule section, `faultpath explain`, and the
// SARIF rule metadata. The only place that words it.
import type { Rule, RuleScope } from '../checks/rule';
import { KERNEL_TABLES } from '../kernel/vocabulary';

const SCOPE_WORDS: Record<RuleScope, string> = {
  function: 'per function',
  run: 'over the whole run (every file read together)',
  patch: 'in patch review only',
};

/** What the rule reads besides the flow's events, in words. */
function inputsText(r: Rule): string[] {
  const out: string[] = [];
  if (r.needs?.learnedLocks) out.push('waits for the locks every fault handler of the run takes');
  if (r.needs?.wholeFunction) out.push('in a patch, reads all hunks of a function at once');
  return out;
}

/** The facts line under the title: severity, scope, inputs. */
function factsLine(r: Rule): string {
  const inputs = inputsText(r);
  return [`Default severity: ${r.severity}`, `runs ${SCOPE_WORDS[r.scope]}`, ...inputs].join('; ') + '.';
}

/** One rule's README entry (markdown). */
export function ruleMarkdown(r: Rule): string {
  return [
    `### ${r.id}`,
    '',
    `${r.doc.short}. ${factsLine(r)}`,
    '',
    r.doc.full,
    '',
    '<details><summary>Example</summary>',
    '',
    '```c',
    r.doc.example.finds.trimEnd(),
    '```',
    '',
    'Fixed:',
    '',
    '```c',
    r.doc.example.fixed.trimEnd(),
    '```',
    '',
    '</details>',
  ].join('\n');
}

export const README_RULES_BEGIN = '<!-- rules: generated from server/src/checks by `npx tsx bench/rules-readme.ts`; edit the rules, not this -->';
export const README_RULES_END = '<!-- /rules -->';

/** The README's generated rule section, markers included. */
export function rulesReadmeSection(rules: readonly Rule[]): string {
  return [README_RULES_BEGIN, '', ...rules.map((r) => ruleMarkdown(r) + '\n'), README_RULES_END].join('\n');
}

/** `readme` with its rule section replaced by `section`, or null when it has no markers. */
export function withRulesSection(readme: string, section: string): string | null {
  const a = readme.indexOf(README_RULES_BEGIN);
  const b = readme.indexOf(README_RULES_END);
  if (a < 0 || b < a) return null;
  return readme.slice(0, a) + section + readme.slice(b + README_RULES_END.length);
}

const indent = (text: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => (l ? '    ' + l.replace(/\t/g, '        ') : ''))
    .join('\n');

/** `faultpath explain RULE`: the rule's documentation as plain text. */
export function ruleText(r: Rule): string {
  const tables = r.tables.map((t) => `  ${t}: ${KERNEL_TABLES[t].what}`);
  return [
    `${r.id}: ${r.doc.short}`,
    factsLine(r),
    '',
    r.doc.full,
    '',
    'Example:',
    '',
    indent(r.doc.example.finds),
    '',
    'Fixed:',
    '',
    indent(r.doc.example.fixed),
    ...(tables.length ? ['', 'Kernel tables it reads:', ...tables] : []),
    '',
  ].join('\n');
}

/** `faultpath explain`: one line per rule. */
export function ruleListText(rules: readonly Rule[]): string {
  const w = Math.max(...rules.map((r) => r.id.length));
  const sw = Math.max(...rules.map((r) => r.severity.length));
  return (
    rules.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(sw)}  ${r.doc.short}`).join('\n') +
    '\n\nfaultpath explain RULE prints a rule\'s documentation, an example and its fix.\n'
  );
}

/** SARIF 2.1.0 reportingDescriptor fields of a rule (3.49): descriptions, help, default level. */
export function sarifRuleMetadata(r: Rule, level: string): Record<string, unknown> {
  const help = ruleMarkdown(r);
  return {
    id: r.id,
    name: r.id,
    shortDescription: { text: r.doc.short },
    fullDescription: { text: r.doc.full.replace(/\n(?!\n)/g, ' '), markdown: r.doc.full },
    help: { text: ruleText(r), markdown: help },
    defaultConfiguration: { level },
    properties: { scope: r.scope, tables: [...r.tables] },
  };
}
