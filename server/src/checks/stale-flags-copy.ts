// stale-flags-copy (hint)
//
// A local copy of the fault flags (`int flags = vmf->flags;`) used beside
// direct reads of vmf->flags in the same function, or read after vmf->flags
// was changed: the two can disagree, and a reader cannot tell which one is
// meant. The review of "mm: drop mmap_sem for page cache read IO submission"
// (seed 002, patch 2/7) asks exactly this of filemap_fault().
import type { SyntaxNode } from '../syntax/tree';
import { namedChildren, textOf } from '../syntax/tree';
import { declaratorName } from '../syntax/functions';
import { Check, CheckContext, noteAt } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'stale-flags-copy',
  severity: 'hint',
  scope: 'function',
  tables: ['faultFlags'],
  needs: { wholeFunction: true },
  doc: {
    short: 'A local copy of vmf->flags used beside direct reads of vmf->flags, or read after vmf->flags changed',
    full: `Hint: a local copy of \`vmf->flags\` used beside direct reads of \`vmf->flags\`
in the same function, or read after \`vmf->flags\` changed (a save/restore is
fine). In patches, all hunks of a function are read together for this.`,
    example: {
      finds: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	int flags = vmf->flags;

	if (flags & FAULT_FLAG_TRIED)
		return 0;
	readahead(vmf->vma, vmf->flags);
	return 0;
}
`,
      fixed: `vm_fault_t demo_fault(struct vm_fault *vmf)
{
	int flags = vmf->flags;

	if (flags & FAULT_FLAG_TRIED)
		return 0;
	readahead(vmf->vma, flags);
	return 0;
}
`,
    },
  },
};

export const staleFlagsCopy: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    const fn = ctx.flow.fn;
    const vmf = fn.params.find((p) => p.type === 'struct vm_fault')?.name;
    if (!vmf) return;
    const src = ctx.src;
    const direct = `${vmf}->flags`;
    const copies: { name: string; at: number; end: number }[] = [];
    const reads: SyntaxNode[] = [];
    const writes: number[] = [];
    const stack: SyntaxNode[] = [fn.body];
    const visit: SyntaxNode[] = [];
    while (stack.length) {
      const n = stack.pop() as SyntaxNode;
      visit.push(n);
      for (const c of namedChildren(n)) stack.push(c);
    }
    visit.sort((a, b) => a.startIndex - b.startIndex);
    const copyValues = new Set<number>();
    for (const n of visit) {
      if (n.type === 'init_declarator' || n.type === 'assignment_expression') {
        const value = n.type === 'init_declarator' ? n.childForFieldName('value') : n.childForFieldName('right');
        const target = n.type === 'init_declarator' ? declaratorName(n.childForFieldName('declarator'), src) : textOf(src, n.childForFieldName('left') as SyntaxNode).trim();
        if (value && textOf(src, value).replace(/\s+/g, '') === direct && /^[A-Za-z_]\w*$/.test(target)) {
          copies.push({ name: target, at: n.startIndex, end: n.endIndex });
          copyValues.add(value.startIndex);
        }
        if (n.type === 'assignment_expression') {
          const left = n.childForFieldName('left');
          if (left && textOf(src, left).replace(/\s+/g, '') === direct) writes.push(n.startIndex);
        }
      }
    }
    if (!copies.length) return;
    for (const n of visit) {
      if (n.type !== 'field_expression' || textOf(src, n).replace(/\s+/g, '') !== direct || copyValues.has(n.startIndex)) continue;
      if (writes.includes(n.startIndex)) continue;
      reads.push(n);
    }
    const copy = copies[0];
    for (const r of reads) {
      if (r.startIndex < copy.at) continue;
      ctx.report({
        rule: 'stale-flags-copy',
        severity: 'hint',
        start: r.startIndex,
        end: r.endIndex,
        message: `reads ${direct} directly while '${copy.name}' holds a copy of it: use one of them throughout`,
        facts: { kind: 'direct-read', subject: direct, other: copy.name },
        notes: [noteAt(ctx, copy.at, copy.end, `'${copy.name}' copied from ${direct} here`)],
      });
    }
    // the copy read after the fault flags were changed, unless it is a save/restore
    // (do_page_mkwrite(): old_flags = vmf->flags; ...; vmf->flags = old_flags)
    const restored = visit.some(
      (n) =>
        n.type === 'assignment_expression' &&
        textOf(src, n.childForFieldName('left') as SyntaxNode).replace(/\s+/g, '') === direct &&
        textOf(src, n.childForFieldName('right') as SyntaxNode).trim() === copy.name,
    );
    const firstWrite = writes.find((w) => w > copy.at);
    if (firstWrite !== undefined && !restored) {
      const n = visit.find((x) => x.type === 'identifier' && x.startIndex > firstWrite && textOf(src, x) === copy.name);
      if (n) {
        ctx.report({
          rule: 'stale-flags-copy',
          severity: 'hint',
          start: n.startIndex,
          end: n.endIndex,
          message: `'${copy.name}' is read after ${direct} was changed: the copy is stale`,
          facts: { kind: 'stale-copy', subject: direct, other: copy.name },
          notes: [noteAt(ctx, firstWrite, firstWrite, `${direct} changed here`)],
        });
      }
    }
  },
};
