// Calls across files resolve as one kernel build would: a caller under
// arch/<a>/ never reaches another architecture's definition; generic code
// reaching several architectures' definitions is read as built for x86.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { archOf } from '../../server/src/analysis';
import { analyzeTexts } from '../harness';

const caller = `void notify(struct pt_regs *regs)
{
	preempt_disable();
	do_signal(regs);
	preempt_enable();
}
`;
const faulting = `void do_signal(struct pt_regs *regs)
{
	int v;

	if (get_user(v, (int __user *)regs->sp))
		return;
}
`;
const quiet = `void do_signal(struct pt_regs *regs)
{
	regs->sp = 0;
}
`;

const rules = (r: Awaited<ReturnType<typeof analyzeTexts>>) => r.findings.map((f) => `${f.file}:${f.range.start.line + 1} ${f.rule}`);

test('archOf reads arch/<name>/ from a path', () => {
  assert.equal(archOf('/src/linux/arch/arm64/kernel/signal.c'), 'arm64');
  assert.equal(archOf('arch\\x86\\mm\\fault.c'), 'x86');
  assert.equal(archOf('kernel/signal.c'), null);
  assert.equal(archOf('/src/linux/archive/x.c'), null);
});

test('a caller in arch/arm64 does not reach arch/arc code', async () => {
  const r = await analyzeTexts([
    { file: 'arch/arm64/kernel/entry.c', text: caller },
    { file: 'arch/arc/kernel/signal.c', text: faulting },
  ]);
  assert.deepEqual(rules(r), []);
});

test('a caller in arch/arm64 reaches arch/arm64 code', async () => {
  const r = await analyzeTexts([
    { file: 'arch/arc/kernel/signal.c', text: quiet },
    { file: 'arch/arm64/kernel/entry.c', text: caller },
    { file: 'arch/arm64/kernel/signal.c', text: faulting },
  ]);
  assert.deepEqual(rules(r), ['arch/arm64/kernel/entry.c:4 fault-in-atomic']);
});

test('generic code reaching several architectures is read as x86', async () => {
  const quietOnX86 = await analyzeTexts([
    { file: 'kernel/entry.c', text: caller },
    { file: 'arch/arc/kernel/signal.c', text: faulting },
    { file: 'arch/x86/kernel/signal.c', text: quiet },
  ]);
  assert.deepEqual(rules(quietOnX86), []);
  const faultsOnX86 = await analyzeTexts([
    { file: 'kernel/entry.c', text: caller },
    { file: 'arch/arc/kernel/signal.c', text: quiet },
    { file: 'arch/x86/kernel/signal.c', text: faulting },
  ]);
  assert.deepEqual(rules(faultsOnX86), ['kernel/entry.c:4 fault-in-atomic']);
});
