// atomic-copy-outside-pagefault-disable
//
// An *_inatomic copy with page faults enabled. "inatomic" only means the copy
// skips might_fault(): the fault handler still runs and can sleep and lock
// the page. Wrap it in pagefault_disable()/pagefault_enable(). Inside an
// atomic context the fault handler bails out on its own (faulthandler_disabled()),
// which is config-dependent and not reported.
import { atomicReasons, heldMust } from '../flow/state';
import { Check, CheckContext, callText, faultsEnabled, noteAt } from './check';
import type { Rule } from './rule';

/** What this rule is, for the registry, the README, `faultpath explain`, SARIF and the editor. */
export const rule: Rule = {
  id: 'atomic-copy-outside-pagefault-disable',
  severity: 'error',
  scope: 'function',
  tables: ['rows'],
  doc: {
    short: 'An *_inatomic user copy with page faults enabled: the fault handler still runs and can sleep',
    full: `An \`*_inatomic\` copy with page faults enabled: "inatomic" only skips
\`might_fault()\`, the fault handler still runs and sleeps. Error when the page
lock is held, warning otherwise; not reported inside an atomic context, where
the fault handler bails out on its own (configuration-dependent).`,
    example: {
      finds: `static size_t demo_copy(struct page *page, const char __user *buf, size_t n)
{
	char *kaddr = kmap(page);
	size_t left;

	lock_page(page);
	left = __copy_from_user_inatomic(kaddr, buf, n);
	unlock_page(page);
	kunmap(page);
	return n - left;
}
`,
      fixed: `static size_t demo_copy(struct page *page, const char __user *buf, size_t n)
{
	char *kaddr = kmap(page);
	size_t left;

	lock_page(page);
	pagefault_disable();
	left = __copy_from_user_inatomic(kaddr, buf, n);
	pagefault_enable();
	unlock_page(page);
	kunmap(page);
	return n - left;
}
`,
    },
  },
};

export const atomicCopyOutsidePagefaultDisable: Check = {
  ...rule,
  run(ctx: CheckContext): void {
    for (const e of ctx.flow.events) {
      if (e.kind !== 'call' || !e.rows.some((r) => r.effect === 'inatomic-copy')) continue;
      const enabled = faultsEnabled(e);
      if (enabled === false) continue;
      if (atomicReasons(e.state).some((r) => r.must && r.kind !== 'rcu')) continue;
      const page = [...e.state.locks.values()].find((f) => f.cls === 'page' && heldMust(f));
      const notes = [noteAt(ctx, e.start, e.end, 'fix: pagefault_disable() before the copy and pagefault_enable() after it; handle the short copy')];
      if (page) notes.unshift(...page.sites.slice(0, 2).map((s) => noteAt(ctx, s, s, `page lock on '${page.expr}' taken here by ${page.via}()`, { kind: 'acquired', lock: { expr: page.expr, cls: page.cls }, via: page.via })));
      ctx.report({
        rule: 'atomic-copy-outside-pagefault-disable',
        severity: page && enabled === true ? 'error' : 'warning',
        start: e.start,
        end: e.end,
        message: `${callText(e)} runs with page faults enabled${enabled === null ? ' on some paths' : ''}: it can still fault and sleep${page ? ` with the page lock on '${page.expr}' held` : ''}`,
        notes,
        facts: { call: e.name, faults: enabled === null ? 'some-paths' : 'enabled', ...(page ? { lock: { expr: page.expr, cls: page.cls } } : {}) },
      });
    }
  },
};
