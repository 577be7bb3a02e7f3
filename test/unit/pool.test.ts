// The worker pool's scheduling must never change the result: with every knob
// turned down (one job a message, one in flight, an idle worker stealing at
// once) jobs move between workers that never indexed their documents, and
// identical files share one index. The findings must equal one thread's.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeDocuments } from '../../server/src/analysis';
import { analyzeParallel } from '../../server/src/parallel/pool';
import { emptyConfig, tableFor } from '../../server/src/kernel/config';
import type { DocIndex } from '../../server/src/phase1';
import { fixtureFiles, parser } from '../harness';

const root = path.join(__dirname, '..');
// the built worker (npm test builds first); the main thread here runs from the sources
process.env.FAULTPATH_WORKER_JS = path.join(root, '..', 'dist', 'worker.js');
const files = [...fixtureFiles(path.join(root, 'fixtures')), ...fixtureFiles(path.join(root, 'clean'))];
const docs = files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
// twins: the same text under other names (an identical header in two drivers)
const twins = docs.slice(0, 6).map((d) => ({ file: d.file.replace(/\.c$/, '-twin.c'), text: d.text }));

for (const knobs of [
  { name: 'defaults', par: {} },
  { name: 'one job a message, steal at once', par: { batch: 1, inFlightPerWorker: 1, stealAbove: 0 } },
  { name: 'big batches, never steal', par: { batch: 1000, inFlightPerWorker: 1000, stealAbove: 1e9 } },
]) {
  test(`two workers give what one thread gives: ${knobs.name}`, async () => {
    const config = emptyConfig();
    const table = tableFor(config);
    const all = [...docs, ...twins];
    const one = analyzeDocuments(await parser('native'), all, { table });
    // an index cache that already knows some texts: those documents were indexed by no worker
    const known = new Map<string, DocIndex>();
    const warm = analyzeDocuments(await parser('native'), twins, { table, indexCache: { get: (t) => known.get(t), set: (t, ix) => known.set(t, ix) } });
    assert.ok(warm.stats.files === twins.length && known.size > 0);
    const two = await analyzeParallel(all, { table, indexCache: { get: (t) => known.get(t), set: (t, ix) => known.set(t, ix) } }, { jobs: 2, config, backend: 'native', ...knobs.par });
    assert.ok(one.findings.length > 50);
    assert.deepEqual(two.findings, one.findings);
    assert.deepEqual(two.problems, one.problems);
  });
}
