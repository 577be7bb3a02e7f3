// An analysis worker thread of the CLI: indexes the documents it is given
// (phase 1) and keeps their prepared text; runs phase 2 jobs on them. One
// message at a time, in order; a failure is answered, never thrown.
import { parentPort, workerData } from 'worker_threads';
import { CHECKS } from '../checks';
import { tableFor } from '../kernel/config';
import { TreeBudget, treeBytes } from '../phase1';
import { JobDoc, loadStats, runJob } from '../phase2';
import { LineIndex } from '../syntax/lines';
import { createParser } from '../syntax/parser';
import { releaseTrees, treesPending } from '../syntax/native';
import { prepareSource } from '../syntax/prepare';
import type { FromWorker, JobOutcome, ToWorker, WireDoc, WorkerInit } from './protocol';

const init = workerData as WorkerInit;
const table = tableFor(init.config);
const checks = CHECKS.filter((c) => (!init.only || init.only.includes(c.id)) && !(init.ignore ?? []).includes(c.id));
const docs = new Map<number, JobDoc>();
const parserReady = createParser(init.backend);
// compact trees kept from phase 1 for this worker's jobs, up to a budget
const budget = new TreeBudget(init.treeBudget);
const seen = { rebuilt: 0, parsed: 0 };

function keep(d: WireDoc): JobDoc {
  const prepared = prepareSource(d.text);
  const doc: JobDoc = { file: d.file, role: d.role, text: prepared.text, annotations: prepared.annotations, lines: new LineIndex(d.text) };
  docs.set(d.id, doc);
  return doc;
}

const port = parentPort;
if (!port) throw new Error('faultpath worker: not started as a worker thread');
let queue = Promise.resolve();
port.on('message', (msg: ToWorker) => {
  queue = queue.then(async () => {
    const parser = await parserReady;
    let reply: FromWorker;
    if (msg.kind === 'index') {
      try {
        const doc = keep(msg.doc);
        const got = budget.index(parser, { text: doc.text, annotations: doc.annotations }, table);
        doc.trees = got.trees;
        reply = { kind: 'indexed', id: msg.doc.id, index: got.index, treeBytes: treeBytes(got.trees) };
      } catch (err) {
        reply = { kind: 'indexed', id: msg.doc.id, error: (err as Error).message, treeBytes: 0 };
      }
    } else {
      const learned = msg.learned ? new Map(msg.learned.map((l) => [l.typeKey, l])) : null;
      const outcomes: JobOutcome[] = [];
      for (const d of msg.docs) {
        try {
          keep(d);
        } catch {
          // its jobs say so below
        }
      }
      for (const job of msg.jobs) {
        const missing = job.fns.find((f) => !docs.has(f.doc));
        if (missing) {
          outcomes.push({ job: job.job, error: `document ${missing.doc} was never sent`, missing: missing.doc });
          continue;
        }
        try {
          const fns = job.fns.map((f) => ({ ...f, doc: docs.get(f.doc) as JobDoc }));
          outcomes.push({ job: job.job, results: runJob(parser, fns, job.recursive, { table, checks, learned: job.final ? learned : null, keepFlows: false }) });
        } catch (err) {
          outcomes.push({ job: job.job, error: (err as Error).message });
        }
      }
      reply = { kind: 'done', outcomes, rebuilt: loadStats.rebuilt - seen.rebuilt, parsed: loadStats.parsed - seen.parsed };
      seen.rebuilt = loadStats.rebuilt;
      seen.parsed = loadStats.parsed;
    }
    port.postMessage(reply);
    // native trees are freed only after a collection and a turn of the event loop
    if (treesPending()) await releaseTrees();
  });
});
