// An analysis worker thread of the CLI: indexes the documents it is given
// (phase 1) and keeps their prepared text; runs phase 2 jobs on them. One
// message at a time, in order; a failure is answered, never thrown.
import { parentPort, workerData } from 'worker_threads';
import { CHECKS } from '../checks';
import { tableFor } from '../kernel/config';
import { indexPrepared, indexWithTrees, treeBytes } from '../phase1';
import { JobDoc, runJob } from '../phase2';
import { LineIndex } from '../syntax/lines';
import { createParser } from '../syntax/parser';
import { releaseTrees, treesPending } from '../syntax/native';
import { prepareSource } from '../syntax/prepare';
import type { FromWorker, ToWorker, WireDoc, WorkerInit } from './protocol';

const init = workerData as WorkerInit;
const table = tableFor(init.config);
const checks = CHECKS.filter((c) => (!init.only || init.only.includes(c.id)) && !(init.ignore ?? []).includes(c.id));
const docs = new Map<number, JobDoc>();
const parserReady = createParser(init.backend);
// compact trees kept from phase 1 for this worker's jobs, up to a budget
let treeRoom = init.treeBudget;

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
        const prepared = { text: doc.text, annotations: doc.annotations };
        if (treeRoom > 0) {
          const got = indexWithTrees(parser, prepared, table);
          doc.trees = got.trees;
          treeRoom -= treeBytes(got.trees);
          reply = { kind: 'indexed', id: msg.doc.id, index: got.index };
        } else reply = { kind: 'indexed', id: msg.doc.id, index: indexPrepared(parser, prepared, table) };
      } catch (err) {
        reply = { kind: 'indexed', id: msg.doc.id, error: (err as Error).message };
      }
    } else {
      try {
        for (const d of msg.docs) keep(d);
        const fns = msg.fns.map((f) => ({ ...f, doc: docs.get(f.doc) as JobDoc }));
        const learned = msg.learned ? new Map(msg.learned.map((l) => [l.typeKey, l])) : null;
        reply = { kind: 'done', job: msg.job, results: runJob(parser, fns, msg.recursive, { table, checks, learned, keepFlows: false }) };
      } catch (err) {
        reply = { kind: 'failed', job: msg.job, error: (err as Error).message };
      }
    }
    port.postMessage(reply);
    // native trees are freed only after a collection and a turn of the event loop
    if (treesPending()) await releaseTrees();
  });
});
