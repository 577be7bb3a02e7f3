// What a summary keeps of the locks a function takes: what lock-order and
// fault-under-fault-path-lock read (the documented lock classes, sleeping
// locks by type), once each; not the spinlocks and untyped locks every
// driver takes, which made up most of a tree's summaries.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeDocuments } from '../../server/src/analysis';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import { MAX_TAKE_DEPTH } from '../../server/src/flow/summary';
import { parser } from '../harness';

const text = `struct foo { spinlock_t lock; struct mutex m; };

void take_all(struct foo *f, struct inode *inode)
{
	spin_lock(&f->lock);
	spin_unlock(&f->lock);
	mutex_lock(&f->m);
	mutex_unlock(&f->m);
	inode_lock(inode);
	inode_unlock(inode);
}

void take_again(struct foo *f, struct foo *g, struct inode *inode)
{
	take_all(f, inode);
	take_all(g, inode);
	mutex_lock(&g->m);
	mutex_unlock(&g->m);
}
`;

test('summaries keep the takes lock-order and the fault path read, once each', async () => {
  const r = analyzeDocuments(await parser('native'), [{ file: 'drivers/foo.c', text }], { table: tableFor(emptyConfig()), exportSummaries: true });
  const sums = r.exported?.summaries;
  assert.ok(sums, 'summaries exported');
  for (const name of ['take_all', 'take_again']) {
    const s = sums.get(name);
    assert.ok(s, name);
    const takes = s.takes.map((t) => `${t.cls} ${t.mode} ${t.typeKey ?? '-'}`).sort();
    assert.deepEqual(takes, ['i_rwsem write -', 'mutex excl struct foo::m'], `${name}: ${JSON.stringify(s.takes)}`);
  }
  // one place each is named: its own before its callees'
  assert.equal(sums.get('take_again')?.takes.find((t) => t.cls === 'mutex')?.fn, 'take_again');
  assert.equal(sums.get('take_again')?.takes.find((t) => t.cls === 'i_rwsem')?.fn, 'take_all');
});

const chain = `struct bar { struct mutex m; };

static void d0(struct bar *b)
{
	mutex_lock(&b->m);
	mutex_unlock(&b->m);
}

static void d1(struct bar *b) { d0(b); note(); }
static void d2(struct bar *b) { d1(b); note(); }
void d3(struct bar *b) { d2(b); note(); }
void d4(struct bar *b) { d3(b); note(); }
`;

test('takes reach MAX_TAKE_DEPTH calls deep, not the whole call graph', async () => {
  assert.equal(MAX_TAKE_DEPTH, 3);
  const r = analyzeDocuments(await parser('native'), [{ file: 'drivers/bar.c', text: chain }], { table: tableFor(emptyConfig()), exportSummaries: true, exhaustive: true });
  const sums = r.exported?.summaries;
  assert.ok(sums);
  assert.deepEqual(sums.get('d3')?.takes.map((t) => [t.typeKey, t.fn, t.depth]), [['struct bar::m', 'd0', 3]]);
  assert.deepEqual(sums.get('d4')?.takes ?? [], []);
});
