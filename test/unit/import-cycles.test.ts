// No import cycles between the server's modules, type-only imports included
// (issue 16): each layer imports only from the layers below it. Tarjan's
// strongly connected components over the relative imports of server/src.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tsSources } from '../source-files';

const root = path.join(__dirname, '..', '..', 'server', 'src');


/** Relative imports and re-exports of each file, resolved to files. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'/gm)) {
      const base = path.resolve(path.dirname(f), m[1] ?? m[2]);
      const target = [base + '.ts', path.join(base, 'index.ts')].find((t) => fs.existsSync(t));
      if (target) deps.push(target);
    }
    graph.set(f, deps);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        scc.push(path.relative(root, w));
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('the cycle finder finds a cycle (a.ts -> b.ts -> a.ts)', () => {
  const graph = new Map([['/x/a.ts', ['/x/b.ts']], ['/x/b.ts', ['/x/a.ts']], ['/x/c.ts', ['/x/a.ts']]]);
  assert.equal(cycles(graph).length, 1);
});

test('no import cycles in server/src, type-only imports included', () => {
  const files = tsSources(root);
  assert.ok(files.length > 50, `${files.length} files`);
  assert.deepEqual(cycles(importGraph(files)), []);
});
