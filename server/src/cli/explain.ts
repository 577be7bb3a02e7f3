// faultpath explain [RULE]: the rule's documentation from its declaration
// (checks/<id>.ts), or the list of rules. Exit 2 for an unknown rule.
import { CHECKS, ruleById } from '../checks';
import { ruleListText, ruleText } from '../render/rules';

export function explain(args: string[]): number {
  if (!args.length) {
    process.stdout.write(ruleListText(CHECKS));
    return 0;
  }
  let status = 0;
  args.forEach((id, i) => {
    const r = ruleById(id);
    if (!r) {
      process.stderr.write(`faultpath: no rule '${id}'; the rules are: ${CHECKS.map((c) => c.id).join(', ')}\n`);
      status = 2;
      return;
    }
    process.stdout.write((i ? '\n' : '') + ruleText(r));
  });
  return status;
}
