// `faultpath explain`: the rule list and each rule's documentation, from the
// rules' declarations, through the built CLI.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CHECKS } from '../server/src/checks';

const root = path.join(__dirname, '..');
const run = (args: string[]) => spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { cwd: root, encoding: 'utf8' });

test('faultpath explain lists every rule with its default severity and one line', () => {
  const r = run(['explain']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').slice(0, CHECKS.length);
  CHECKS.forEach((c, i) => assert.match(lines[i], new RegExp(`^${c.id} +${c.severity} +${c.doc.short.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
});

test('faultpath explain RULE prints its documentation, example and fix', () => {
  const r = run(['explain', 'retry-contract']);
  assert.equal(r.status, 0, r.stderr);
  const c = CHECKS.find((x) => x.id === 'retry-contract');
  assert.ok(c);
  assert.ok(r.stdout.startsWith(`retry-contract: ${c.doc.short}\nDefault severity: error; runs per function.\n`), r.stdout);
  assert.ok(r.stdout.includes(c.doc.full), 'the full text');
  assert.match(r.stdout, /\nExample:\n\n    vm_fault_t demo_fault\(struct vm_fault \*vmf\)\n/);
  assert.match(r.stdout, /\nFixed:\n\n[\s\S]*return VM_FAULT_RETRY;/);
  assert.match(r.stdout, /\n  lockReleasedReturns: fault results that mean mmap_lock was released/);
});

test('faultpath explain of an unknown rule: exit 2 and the rule list', () => {
  const r = run(['explain', 'no-such-rule']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /no rule 'no-such-rule'; the rules are: fault-under-page-lock, /);
});
