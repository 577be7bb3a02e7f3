// Every fixture under test/fixtures/<rule-id>/ and test/clean/ is analysed on
// its own (a directory named *-multi is one run of all its files, for
// cross-file summaries) and its findings must match its markers exactly.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeTexts, compare, fixtureFiles, readExpectations } from './harness';

const root = path.join(__dirname);

for (const dir of ['fixtures', 'clean']) {
  const files = fixtureFiles(path.join(root, dir));
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const d = path.dirname(f);
    const key = d.endsWith('-multi') ? d : f;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, group] of groups) {
    test(`${dir}: ${path.relative(root, key)}`, async () => {
      const docs = group.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
      const result = await analyzeTexts(docs);
      const problems = docs.flatMap((d) => compare(d.file, d.text, result.findings));
      if (dir === 'clean') {
        for (const d of docs) assert.equal(readExpectations(d.text).length, 0, `${d.file}: clean fixtures carry no want: markers`);
      }
      assert.deepEqual(problems, []);
      assert.equal(result.problems.length, 0, JSON.stringify(result.problems));
      assert.equal(result.stats.functionsAnalysed, result.stats.functions, 'every fixture function reaches a fixpoint');
    });
  }
}

test('harness: a marker without a finding fails', () => {
  const text = 'void f(void)\n{\n\tfoo(); /* want: fault-under-page-lock */\n}\n';
  assert.deepEqual(compare('x.c', text, []), ['x.c:3: expected fault-under-page-lock, got nothing']);
});
