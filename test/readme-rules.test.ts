// The README's rule section is generated from the rules' declarations
// (server/src/checks/<id>.ts): this fails while the two disagree. Rewrite the
// section with `npx tsx bench/rules-readme.ts`, never by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../server/src/checks';
import { rulesReadmeSection, withRulesSection } from '../server/src/render/rules';

test('README.md rule section = the registry', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
  const next = withRulesSection(readme, rulesReadmeSection(CHECKS));
  assert.ok(next !== null, 'README.md has lost its rule section markers');
  assert.ok(next === readme, 'README.md and the rules disagree: run `npx tsx bench/rules-readme.ts` and review the diff');
  for (const c of CHECKS) assert.ok(readme.includes(`### ${c.id}\n`), c.id);
});
