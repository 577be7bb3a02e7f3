// The native binding and web-tree-sitter must give the same tree (types,
// byte ranges, MISSING flags) for every fixture and for kernel constructs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parser, fixtureFiles } from '../harness';
import { sexp } from '../../server/src/syntax/tree';
import { macroHeads, prepareSource } from '../../server/src/syntax/prepare';
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
	scoped_guard(rcu) {
		qux();
	}
	for_each_possible_cpu(cpu) {
		drain(cpu);
	}
	for_each_online_cpu(cpu)
		drain(cpu);
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
  // Macro heads get their ';' from prepareSource() (the CFG turns head and body into a loop
  // or a scope); no ERROR node and no definition nested in f anywhere.
  const errors: string[] = [];
  const walk = (n: import('../../server/src/syntax/tree').SyntaxNode): void => {
    if (n.type === 'ERROR' || n.type === 'function_definition') errors.push(p.text.slice(n.startIndex, n.endIndex));
    for (let i = 0; i < n.namedChildCount; i++) walk(n.namedChild(i) as import('../../server/src/syntax/tree').SyntaxNode);
  };
  walk(fns[0].body);
  assert.deepEqual(errors, [], 'macro loops, guards, statement expression and #ifdef parse without ERROR');
});

test('macro heads: the blank before the body becomes a ;, inside functions only', () => {
  const heads = (text: string): string => {
    const p = prepareSource(text);
    assert.equal(p.text.length, text.length);
    return p.text;
  };
  // one argument, none, several, a body without braces indented under the head
  assert.equal(heads('void f(void)\n{\n\tfor_each_process(p) {\n\t}\n}\n'), 'void f(void)\n{\n\tfor_each_process(p);{\n\t}\n}\n');
  assert.equal(heads('void f(void)\n{\n\tscoped_guard(rcu) {\n\t}\n}\n'), 'void f(void)\n{\n\tscoped_guard(rcu);{\n\t}\n}\n');
  assert.equal(heads('void f(void)\n{\n\tFOREACH() {\n\t\tx();\n\t}\n}\n'), 'void f(void)\n{\n\tFOREACH();{\n\t\tx();\n\t}\n}\n');
  assert.equal(heads('void f(void)\n{\n\tlist_for_each_entry(p, &h, l)\n\t\tx(p);\n}\n'), 'void f(void)\n{\n\tlist_for_each_entry(p, &h, l)\n\t;x(p);\n}\n');
  assert.equal(heads('void f(void)\n{\n\tif (a) {\n\t} else for_each_cpu(c) {\n\t}\n}\n'), 'void f(void)\n{\n\tif (a) {\n\t} else for_each_cpu(c);{\n\t}\n}\n');
  // not heads: keywords, definitions and top-level macros, calls in expressions,
  // a statement macro and the next statement at its own indentation, compound literals
  for (const text of [
    'void f(void)\n{\n\tif (a) {\n\t}\n\twhile (b) {\n\t}\n\tswitch (c) {\n\t}\n}\n',
    'SYSCALL_DEFINE1(f, int, a)\n{\n}\nstatic int g(int a) {\n}\nDEFINE_X(y) {\n}\n',
    'void f(void)\n{\n\tx = foo(a) ? b : c;\n\tDECLARE_WAITQUEUE(w, current)\n\tfoo();\n\ts = (struct s) { 1 };\n}\n',
    'void f(void)\n{\n\t/* for_each_cpu(c) { */\n\tstr = "for_each_cpu(c) {";\n#define X(c) for_each_cpu(c) {\n}\n',
    'void f(void)\n{\n\tDARRAY(struct x *) keys = { 0 };\n\tGENRADIX(struct y) fa;\n\tstruct { int a; } __aligned(8) p;\n}\n',
    'struct s {\n\tDECLARE_FLEX_ARRAY(int, y)\n\t\t__counted_by(n);\n};\nvoid f(void)\n{\n\tstatic const int t[] = {\n\t\tENTRY(a)\n\t\t\tENTRY(b) { 1 },\n\t};\n}\n',
  ]) assert.deepEqual(macroHeads(text), { semicolons: [], dos: [], groups: [] }, text);
  // #ifdef groups without #else in a function: blanked when their lines are no whole statements
  const groups = (text: string): string[] => macroHeads(text).groups.map(([a, b]) => text.slice(a, b));
  assert.deepEqual(groups('void f(void)\n{\n\tif (a) {\n\t}\n#ifdef CONFIG_J\n\telse if (b) {\n\t}\n#endif\n}\n'), ['#ifdef CONFIG_J', '#endif']);
  assert.deepEqual(groups('void f(void)\n{\n#ifdef C\n\tmode =\n#endif\n\t\tg();\n}\n'), ['#ifdef C', '#endif']);
  assert.deepEqual(groups('void f(void)\n{\n#ifdef GROT\n\tif (a) {\n\t} else {\n#endif\n\t\tx();\n#ifdef GROT\n\t}\n#endif\n}\n'), ['#ifdef GROT', '#endif', '#ifdef GROT', '#endif']);
  for (const text of [
    'void f(void)\n{\n#ifdef C\n\tif (a)\n\t\tb();\n#endif\n#if 0\n\tmode =\n#endif\n#ifdef D\n\tx =\n#else\n\ty =\n#endif\n\t\tg();\n}\n',
    '#ifdef __cplusplus\nextern "C" {\n#endif\n',
  ]) assert.deepEqual(groups(text), [], text);
  // a `do` whose `while` is in a macro is blanked; a plain do-while is kept
  assert.equal(heads('void f(void)\n{\n\tdo {\n\t\tx(t);\n\t} while_each_thread(g, t);\n\tdo {\n\t} while (a);\n}\n'), 'void f(void)\n{\n\t   {\n\t\tx(t);\n\t} while_each_thread(g, t);\n\tdo {\n\t} while (a);\n}\n');
});
