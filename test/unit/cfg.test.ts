// CFG shape: edges typed next/true/false/goto/return/back/case, conditions split at && || !.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parser } from '../harness';
import { buildCfg } from '../../server/src/cfg/cfg';
import { findFunctions } from '../../server/src/syntax/functions';
import { prepareSource } from '../../server/src/syntax/prepare';

async function cfgOf(body: string) {
  const text = prepareSource(`void f(void)\n{\n${body}\n}\n`).text;
  const p = await parser('native');
  const tree = p.parse(text);
  const fn = findFunctions(tree.rootNode, text, [])[0];
  return buildCfg(fn.body, text);
}

const kinds = (cfg: Awaited<ReturnType<typeof cfgOf>>) => cfg.nodes.flatMap((n) => n.succ.map((e) => e.kind)).sort();

test('if with && splits into two conditions with true/false edges', async () => {
  const cfg = await cfgOf('if (a && !b) x(); y();');
  const conds = cfg.nodes.filter((n) => n.kind === 'cond');
  assert.equal(conds.length, 2);
  for (const c of conds) assert.deepEqual(c.succ.map((e) => e.kind).sort(), ['false', 'true']);
});

test('loops have back edges; do-while(0) has none', async () => {
  assert.ok(kinds(await cfgOf('while (a) x();')).includes('back'));
  assert.ok(kinds(await cfgOf('for (i = 0; i < n; i++) { if (i) continue; x(); }')).includes('back'));
  assert.ok(kinds(await cfgOf('list_for_each_entry(p, &h, l) { x(p); }')).includes('back'));
  assert.ok(kinds(await cfgOf('\tfor_each_possible_cpu(cpu) { x(cpu); }')).includes('back'));
  const dw = await cfgOf('do { x(); } while (0);');
  assert.ok(!kinds(dw).includes('back'));
});

test('goto, labels, return and switch cases', async () => {
  const cfg = await cfgOf('if (a) goto out; switch (b) { case 1: x(); case 2: y(); break; default: z(); } out: return;');
  const k = kinds(cfg);
  assert.ok(k.includes('goto'));
  assert.ok(k.includes('return'));
  assert.equal(k.filter((x) => x === 'case').length, 3);
});

test('an ERROR in the middle does not hide the statements around it', async () => {
  const cfg = await cfgOf('lock_page(p);\n\tFOO BAR BAZ(;\n\tcopy_from_user(a, b, c);');
  const calls = cfg.nodes.filter((n) => n.kind === 'expr').length;
  assert.ok(calls >= 2, `expected the statements around the error, got ${calls}`);
});

test('macro heads: one argument, no braces, heads in a row, scoped_guard scopes', async () => {
  const backs = async (body: string) => (await cfgOf(body)).nodes.flatMap((n) => n.succ).filter((e) => e.kind === 'back').length;
  assert.equal(await backs('\tfor_each_process(p) {\n\t\tif (x(p))\n\t\t\tcontinue;\n\t\ty(p);\n\t}'), 1);
  assert.equal(await backs('\tfor_each_online_cpu(cpu)\n\t\tx(cpu);\n\ty();'), 1);
  assert.equal(await backs('\tfor_each_node(n)\n\t\tfor_each_cpu(c, mask(n))\n\t\t\tx(n, c);'), 2);
  // the loop body is x() alone: y() follows the loop, outside it
  const cfg = await cfgOf('\tfor_each_online_cpu(cpu)\n\t\tx(cpu);\n\ty();');
  const exprs = cfg.nodes.filter((n) => n.kind === 'expr');
  assert.deepEqual(exprs.map((n) => n.pred.map((e) => `${cfg.nodes[e.from].kind}:${e.kind}`)), [['cond:false'], ['cond:true']]);
  // scoped_guard(rcu) opens a scope at its head and closes it where the block ends
  const sg = await cfgOf('\tscoped_guard(rcu) {\n\t\tx();\n\t}\n\ty();');
  const scopes = sg.nodes.filter((n) => n.kind === 'scope' && n.scope !== undefined);
  assert.equal(scopes.filter((n) => (n.scope as number) >= 0).length, 1);
  assert.ok(scopes.some((n) => (n.scope as number) < 0 && n.ast === null));
});

test('a macro head as the body of an if, else or loop takes the next statement as its body', async () => {
  // if (a) list_for_each_entry(...) x(p); y();  -> x() only on the true edge, in a loop
  const cfg = await cfgOf('\tif (a)\n\t\tlist_for_each_entry(p, &h, l)\n\t\t\tx(p);\n\ty();');
  assert.equal(cfg.nodes.flatMap((n) => n.succ).filter((e) => e.kind === 'back').length, 1);
  const y = cfg.nodes.find((n) => n.kind === 'expr' && n.succ.some((e) => e.to === cfg.exit));
  assert.ok(y);
  // y() is reached from the if's false edge and from the loop's exit, not only after x()
  assert.ok(y.pred.some((e) => e.kind === 'false' && cfg.nodes[e.from].ast !== null && cfg.nodes[e.from].ast?.type === 'identifier'));
  const els = await cfgOf('\tif (a)\n\t\tx();\n\telse\n\t\tfor_each_cpu(c) {\n\t\t\ty(c);\n\t\t}\n\tz();');
  assert.equal(els.nodes.flatMap((n) => n.succ).filter((e) => e.kind === 'back').length, 1);
});

test('a macro head after a label is a loop, and a goto to the label enters it', async () => {
  const cfg = await cfgOf('\tif (a)\n\t\tgoto err;\n\treturn;\nerr:\n\tfor_each_possible_cpu(cpu) {\n\t\tx(cpu);\n\t}');
  assert.equal(cfg.nodes.flatMap((n) => n.succ).filter((e) => e.kind === 'back').length, 1);
  const lab = cfg.nodes.find((n) => n.kind === 'label' && n.ast?.type === 'labeled_statement');
  assert.ok(lab && lab.pred.some((e) => e.kind === 'goto'));
});
