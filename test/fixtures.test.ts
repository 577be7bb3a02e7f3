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

// Functions that name nothing the analysis follows are not parsed again (their
// summary is the empty one); every fixture must give the same findings,
// problems and stats as when every function is analysed.
test('quiet functions: the shortcut gives what analysing every function gives', async () => {
  const quiet = new Map<string, number>();
  for (const dir of ['fixtures', 'clean']) {
    const files = fixtureFiles(path.join(root, dir));
    const groups = new Map<string, string[]>();
    for (const f of files) groups.set(path.dirname(f), [...(groups.get(path.dirname(f)) ?? []), f]);
    for (const group of groups.values()) {
      const docs = group.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
      const fast = await analyzeTexts(docs);
      const full = await analyzeTexts(docs, { exhaustive: true });
      assert.deepEqual(fast.findings, full.findings, group[0]);
      assert.deepEqual(fast.problems, full.problems, group[0]);
      assert.equal(fast.stats.functionsAnalysed, full.stats.functionsAnalysed, group[0]);
      quiet.set(path.relative(root, path.dirname(group[0])), (quiet.get(path.relative(root, path.dirname(group[0]))) ?? 0) + (fast.stats.quietFunctions ?? 0));
    }
  }
  // clean/quiet-helpers.c: range_len, range_init, range_overlaps, clamp_len (copy_settings copies, set_settings locks)
  const alone = await analyzeTexts([{ file: 'quiet-helpers.c', text: fs.readFileSync(path.join(root, 'clean', 'quiet-helpers.c'), 'utf8') }]);
  assert.equal(alone.stats.quietFunctions, 4);
  assert.ok((quiet.get('clean') ?? 0) >= 4);
});
