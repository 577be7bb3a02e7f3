// Writes the README's rule section from the rules' declarations
// (server/src/checks/<id>.ts, through server/src/render/rules.ts).
// test/readme-rules.test.ts fails while README.md and the registry disagree.
//   npx tsx bench/rules-readme.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../server/src/checks';
import { rulesReadmeSection, withRulesSection } from '../server/src/render/rules';

const readme = path.resolve(__dirname, '..', 'README.md');
const next = withRulesSection(fs.readFileSync(readme, 'utf8'), rulesReadmeSection(CHECKS));
if (next === null) {
  console.error('README.md has no rule section markers');
  process.exit(1);
}
fs.writeFileSync(readme, next);
console.log(`README.md: ${CHECKS.length} rules`);
