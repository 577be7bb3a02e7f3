// The native binding and web-tree-sitter must give the same tree (types,
// byte ranges, MISSING flags) for every fixture and for kernel constructs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parser, fixtureFiles } from '../harness';
import { sexp } from '../../server/src/syntax/tree';
import { prepareSource } from '../../server/src/syntax/prepare';
import { findFunctions } from '../../server/src/syntax/functions';

const KERNEL = `
static ssize_t f(struct file *file, const char __user *buf) __acquires(&p->lock)
{
	list_for_each_entry(pos, &head, list) {
		foo(pos);
	}
	do { bar(); } while (0);
	x = ({ int y = 1; y; });
	if (likely(a)) b();
	guard(mutex)(&m);
	scoped_guard(spinlock, &l) { baz(); }
#ifdef CONFIG_X
	q();
#else
	r();
#endif
	return 0;
}
int __init __attribute__((cold)) g(void) { return 1; }
`;

const inputs: { name: string; text: string }[] = [
  { name: 'kernel constructs', text: KERNEL },
  { name: 'non-ASCII and CRLF', text: 'int f(void)\r\n{\r\n\t/* é – ü */ return g("日本");\r\n}\r\n' },
  ...[...fixtureFiles(path.join(__dirname, '..', 'fixtures')), ...fixtureFiles(path.join(__dirname, '..', 'clean'))].map((f) => ({
    name: path.relative(path.join(__dirname, '..'), f),
    text: fs.readFileSync(f, 'utf8'),
  })),
  { name: 'examples/write-deadlock.c', text: fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'write-deadlock.c'), 'utf8') },
];

for (const input of inputs) {
  test(`native and wasm trees agree: ${input.name}`, async () => {
    const native = await parser('native');
    const wasm = await parser('wasm');
    assert.equal(native.backend, 'native');
    assert.equal(wasm.backend, 'wasm');
    const text = prepareSource(input.text).text;
    const a = native.parse(text);
    const b = wasm.parse(text);
    assert.equal(sexp(a.rootNode), sexp(b.rootNode));
    a.delete();
    b.delete();
  });
}

test('annotation macros are blanked with offsets kept, and sparse annotations read', () => {
  const p = prepareSource(KERNEL);
  assert.equal(p.text.length, KERNEL.length);
  assert.ok(!p.text.includes('__user'));
  assert.ok(!p.text.includes('__acquires'));
  assert.deepEqual(p.annotations.map((a) => [a.kind, a.arg]), [['acquires', '&p->lock']]);
});

test('kernel constructs parse usefully: both functions found, annotation attached', async () => {
  const native = await parser('native');
  const p = prepareSource(KERNEL);
  const tree = native.parse(p.text);
  const fns = findFunctions(tree.rootNode, p.text, p.annotations);
  assert.deepEqual(fns.map((f) => f.name), ['f', 'g']);
  assert.equal(fns[0].annotations.length, 1);
  assert.deepEqual(fns[0].params.map((x) => [x.name, x.type]), [['file', 'struct file'], ['buf', 'char']]);
  // The macro loop's head lacks a ';' (a MISSING node the CFG turns into a loop); no ERROR node anywhere.
  const errors: string[] = [];
  const walk = (n: import('../../server/src/syntax/tree').SyntaxNode): void => {
    if (n.type === 'ERROR') errors.push(p.text.slice(n.startIndex, n.endIndex));
    for (let i = 0; i < n.namedChildCount; i++) walk(n.namedChild(i) as import('../../server/src/syntax/tree').SyntaxNode);
  };
  walk(fns[0].body);
  assert.deepEqual(errors, [], 'macro loop, guard, statement expression and #ifdef parse without ERROR');
});
