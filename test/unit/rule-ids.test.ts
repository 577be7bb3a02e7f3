// No rule id is named outside its own check file and the registry (issue 16):
// orchestrators ask the registry (checks/index.ts) what a rule needs, so
// adding or renaming a rule touches its file and the registry only. This
// scans server/src and client/src for a rule id as a string literal.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tsSources } from '../source-files';
import { CHECKS } from '../../server/src/checks';

const ROOT = path.resolve(__dirname, '../..');


/** Lines of `text` that name one of `ids` as a string literal ('id', "id" or `id`), comments aside. */
export function namedIds(text: string, ids: readonly string[]): { line: number; id: string }[] {
  const out: { line: number; id: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const code = l.replace(/^\s*(\/\/|\*|\/\*).*$/, '').replace(/\s\/\/.*$/, '');
    for (const id of ids) if (new RegExp(`['"\`]${id}['"\`]`).test(code)) out.push({ line: i + 1, id });
  });
  return out;
}

test('the scan catches the rule ids orchestrators named before the registry', () => {
  const ids = ['lock-order', 'stale-flags-copy', 'fault-under-page-lock'];
  for (const l of [
    "    if (this.checks.some((c) => c.id === 'lock-order')) {",
    "    const WHOLE = ['stale-flags-copy'];",
    '  if (f.rule !== "fault-under-page-lock") return null;',
  ]) assert.equal(namedIds(l, ids).length, 1, l);
  for (const l of ['// the lock-order graph of the run', ' * (fault-under-page-lock learns them)', 'const lockOrder = 1;']) assert.deepEqual(namedIds(l, ids), [], l);
});

test('no rule id appears outside its own check file and the registry', () => {
  const ids = CHECKS.map((c) => c.id);
  const found: string[] = [];
  for (const dir of ['server/src', 'client/src']) {
    for (const file of tsSources(path.join(ROOT, dir))) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      if (rel === 'server/src/checks/index.ts') continue;
      const own = /^server\/src\/checks\/([^/]+)\.ts$/.exec(rel)?.[1];
      for (const m of namedIds(fs.readFileSync(file, 'utf8'), ids)) if (m.id !== own) found.push(`${rel}:${m.line}: ${m.id}`);
    }
  }
  assert.deepEqual(found, [], 'ask the registry (server/src/checks/index.ts) what the rule needs instead:\n' + found.join('\n'));
});

test('every rule lives in the file named by its id and declares itself there', () => {
  for (const c of CHECKS) {
    const text = fs.readFileSync(path.join(ROOT, 'server/src/checks', `${c.id}.ts`), 'utf8');
    assert.match(text, new RegExp(`export const rule: Rule = \\{\\n  id: '${c.id}',`), c.id);
  }
});
