// The analysis of a tree on worker threads (the CLI's default on directories).
// Documents are indexed by the workers (phase 1), each kept by the worker
// that indexed it; then every SCC of the call graph is handed out as soon as
// all SCCs it calls are settled, to the worker that has its document unless
// that one is far busier. The main thread does the bookkeeping (Run), settles
// quiet functions and cache hits itself, and merges results. A job's inputs
// are its callees' summaries only, so the output does not depend on which
// worker ran what or when: findings are sorted, problems too.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { AnalysisOptions, AnalysisResult, Job, Run, SourceDoc } from '../analysis';
import type { FaultpathConfig } from '../kernel/config';
import { DocIndex, treeBudgetBytes } from '../phase1';
import type { FnResult } from '../phase2';
import type { FromWorker, ToWorker, WireDoc, WireJob, WorkerInit } from './protocol';

export interface ParallelOptions {
  jobs: number;
  config: FaultpathConfig;
  backend: 'native' | 'wasm' | 'auto';
  /** Scheduling knobs (tests turn them down to force steals and one-job messages). */
  batch?: number;
  inFlightPerWorker?: number;
  stealAbove?: number;
}

interface Slot {
  worker: Worker;
  has: Set<number>;
  outstanding: number;
  bytes: number;
}

/** Jobs in one message at most (a batch is answered when all of its jobs are done). */
const BATCH = 64;

/** Jobs a worker is given ahead of its answers (enough batches that it never waits for the main thread). */
const IN_FLIGHT_PER_WORKER = 4 * BATCH;

/** Jobs queued for another worker before an idle one takes some. */
const STEAL_ABOVE = 2 * IN_FLIGHT_PER_WORKER;

interface Queued {
  k: number;
  job: Job;
}

/** A FIFO with O(1) shift. */
class Queue {
  private items: Queued[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(q: Queued): void {
    this.items.push(q);
  }
  shift(): Queued | undefined {
    if (this.head >= this.items.length) return undefined;
    const q = this.items[this.head];
    this.items[this.head++] = undefined as unknown as Queued;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return q;
  }
}

function workerEntry(): { file: string; execArgv?: string[] } {
  // tests that drive the pool from the sources use the built worker (node 20 workers take no --import)
  if (process.env.FAULTPATH_WORKER_JS) return { file: process.env.FAULTPATH_WORKER_JS };
  const built = path.join(__dirname, 'worker.js');
  if (fs.existsSync(built)) return { file: built };
  // running from the sources (tests through tsx)
  return { file: path.join(__dirname, 'worker.ts'), execArgv: ['--import', 'tsx'] };
}

export async function analyzeParallel(docs: SourceDoc[], opts: AnalysisOptions, par: ParallelOptions): Promise<AnalysisResult> {
  const run = new Run(opts);
  const batch = Math.max(1, par.batch ?? BATCH);
  const inFlightPerWorker = Math.max(1, par.inFlightPerWorker ?? IN_FLIGHT_PER_WORKER);
  const stealAbove = par.stealAbove ?? STEAL_ABOVE;
  const entry = workerEntry();
  const init: WorkerInit = { config: par.config, only: opts.only, ignore: opts.ignore, backend: par.backend, treeBudget: Math.floor(treeBudgetBytes() / Math.max(1, par.jobs)) };
  const slots: Slot[] = [];
  const stats = { treeBytes: 0, rebuilt: 0, parsed: 0, messages: 0, resent: 0 };
  const pendingIndex = new Map<number, (m: FromWorker & { kind: 'indexed' }) => void>();
  /** retry: the job sent again with its documents, once (null on the second sending). */
  const pendingJobs = new Map<number, { resolve: (r: FnResult[]) => void; reject: (e: Error) => void; slot: Slot; retry: (() => void) | null }>();
  let failure: Error | null = null;
  // started on first use: a run served from the cache needs none
  const ensureWorkers = (): void => {
    if (slots.length) return;
    for (let i = 0; i < Math.max(1, par.jobs); i++) {
      const worker = new Worker(entry.file, { workerData: init, execArgv: entry.execArgv, resourceLimits: { maxOldGenerationSizeMb: 8192 } });
      const slot: Slot = { worker, has: new Set(), outstanding: 0, bytes: 0 };
      worker.on('message', (m: FromWorker) => {
        if (m.kind === 'indexed') {
          stats.treeBytes += m.treeBytes;
          pendingIndex.get(m.id)?.(m);
        } else {
          stats.rebuilt += m.rebuilt;
          stats.parsed += m.parsed;
          for (const o of m.outcomes) {
            const p = pendingJobs.get(o.job);
            if (!p) continue;
            pendingJobs.delete(o.job);
            p.slot.outstanding--;
            if ('results' in o) p.resolve(o.results);
            else if (o.missing !== undefined && p.retry) {
              // the worker lacks a document we thought it had: send it with the job again (once)
              p.slot.has.delete(o.missing);
              stats.resent++;
              p.retry();
            } else p.reject(new Error(o.error));
          }
        }
      });
      worker.on('error', (err) => {
        failure = err;
        for (const p of pendingJobs.values()) p.reject(err);
        for (const [id, done] of pendingIndex) done({ kind: 'indexed', id, error: `worker failed: ${err.message}`, treeBytes: 0 });
      });
      slots.push(slot);
    }
  };
  try {
    // ---- phase 1, spread by size; results taken in document order ----
    const wire: (WireDoc | null)[] = [];
    const indexed = await Promise.all(
      docs.map((doc, i) => {
        if (run.reject(doc)) {
          wire.push(null);
          return Promise.resolve(null);
        }
        const w: WireDoc = { id: i, file: doc.file, role: doc.role ?? 'source', text: doc.text };
        wire.push(w);
        const known = opts.indexCache?.get(doc.text);
        if (known) return Promise.resolve(known);
        ensureWorkers();
        const slot = slots.reduce((a, b) => (b.bytes < a.bytes ? b : a));
        slot.bytes += doc.text.length;
        slot.has.add(i);
        return new Promise<DocIndex | string>((resolve) => {
          pendingIndex.set(i, (m) => {
            pendingIndex.delete(i);
            opts.onProgress?.(docs.length - pendingIndex.size, docs.length, doc.file);
            if (m.index) opts.indexCache?.set(doc.text, m.index);
            resolve(m.index ?? m.error ?? 'no index');
          });
          slot.worker.postMessage({ kind: 'index', doc: w } satisfies ToWorker);
        });
      }),
    );
    const wireOf: WireDoc[] = [];
    indexed.forEach((ix, i) => {
      if (ix === null) return;
      if (typeof ix === 'string') {
        run.problems.push({ file: docs[i].file, message: `not analysed: ${ix}` });
        return;
      }
      const ds = run.addDocument(docs[i], ix);
      wireOf[ds.id] = wire[i] as WireDoc;
    });
    if (failure) throw failure;

    // ---- phase 2: each SCC as soon as its callees are settled ----
    run.buildGraph();
    const sccs = run.sccs;
    const waiting = new Int32Array(sccs.length);
    const dependents: number[][] = sccs.map(() => []);
    sccs.forEach((_, k) => {
      const callees = run.calleeSccs(k);
      waiting[k] = callees.length;
      for (const c of callees) dependents[c].push(k);
    });
    const ready: number[] = [];
    sccs.forEach((_, k) => waiting[k] === 0 && ready.push(k));
    let nextJob = 0;
    // jobs wait here until the main thread is done with what it is doing, then go as one message a worker
    const outbox = new Map<Slot, { docs: WireDoc[]; jobs: WireJob[] }>();
    let flushing = false;
    const flush = (): void => {
      flushing = false;
      for (const [slot, box] of outbox) {
        for (let i = 0; i < box.jobs.length; i += batch) {
          const jobs = box.jobs.slice(i, i + batch);
          const msg: ToWorker = {
            kind: 'jobs',
            docs: i === 0 ? box.docs : [],
            jobs,
            learned: jobs.some((j) => j.final) ? [...run.learned.values()] : undefined,
          };
          slot.worker.postMessage(msg);
          stats.messages++;
        }
      }
      outbox.clear();
    };
    const queues = new Map<Slot, Queue>();
    const queueOf = (slot: Slot): Queue => {
      let q = queues.get(slot);
      if (!q) queues.set(slot, (q = new Queue()));
      return q;
    };
    // documents no worker indexed (their index came from the cache, or from an identical file) get one here
    const assigned = new Map<number, Slot>();
    /** The worker with the job's document (and its compact trees); one is chosen if none has it yet. */
    const ownerOf = (job: Job): Slot => {
      ensureWorkers();
      const w = wireOf[run.refs[job.refs[0]].ds.id];
      const owner = slots.find((s) => s.has.has(w.id)) ?? assigned.get(w.id);
      if (owner) return owner;
      const least = slots.reduce((a, b) => (b.outstanding + queueOf(b).length < a.outstanding + queueOf(a).length ? b : a));
      assigned.set(w.id, least);
      return least;
    };
    const dispatch = (job: Job, final: boolean, slot: Slot, again = false): Promise<FnResult[]> => {
      const docIds = job.refs.map((i) => run.refs[i].ds.id);
      const send: WireDoc[] = [];
      for (const d of new Set(docIds)) {
        const w = wireOf[d];
        if (!slot.has.has(w.id)) {
          slot.has.add(w.id);
          send.push(w);
        }
      }
      const id = nextJob++;
      const wj: WireJob = {
        job: id,
        recursive: job.recursive,
        final,
        fns: job.refs.map((i, k) => {
          const m = run.jobMeta(i);
          return { doc: wireOf[run.refs[i].ds.id].id, fn: m.fn, isFaultHandler: m.isFaultHandler, installedAs: m.installedAs, callees: job.callees[k] };
        }),
      };
      let box = outbox.get(slot);
      if (!box) outbox.set(slot, (box = { docs: [], jobs: [] }));
      box.docs.push(...send);
      box.jobs.push(wj);
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
      slot.outstanding++;
      return new Promise<FnResult[]>((resolve, reject) => {
        pendingJobs.set(id, { resolve, reject, slot, retry: again ? null : () => dispatch(job, final, slot, true).then(resolve, reject) });
      });
    };
    // Each worker takes the ready jobs on its own documents, a few batches at a
    // time; a worker with none left takes from the longest queue of another
    // (and parses those functions again), so no core idles while work waits.
    let inFlight = 0;
    let next = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = (): void => {
        while (next < ready.length) {
          const k = ready[next++];
          const job = run.settleOrJob(sccs[k]);
          if (!job) {
            settle(k);
            continue;
          }
          queueOf(ownerOf(job)).push({ k, job });
        }
        for (const slot of slots) {
          while (slot.outstanding < inFlightPerWorker) {
            let item = queueOf(slot).shift();
            if (!item) {
              // only from a queue longer than its worker will get to soon: a steal costs a parse
              const longest = slots.map(queueOf).reduce((a, b) => (b.length > a.length ? b : a));
              if (longest.length > stealAbove || inFlight === 0) item = longest.shift();
            }
            if (!item) break;
            const { k, job } = item;
            inFlight++;
            dispatch(job, false, slot).then(
              (results) => {
                inFlight--;
                run.apply(job, results);
                settle(k);
                pump();
              },
              (err: Error) => reject(err),
            );
          }
        }
        if (!inFlight) resolve();
      };
      const settle = (k: number): void => {
        for (const d of dependents[k]) if (--waiting[d] === 0) ready.push(d);
      };
      pump();
    });
    const deferred = run.learn();
    const results = await Promise.all(deferred.map((job) => dispatch(job, true, ownerOf(job))));
    deferred.forEach((job, i) => run.applyDeferred(job, results[i]));
    if (process.env.FAULTPATH_DEBUG)
      process.stderr.write(
        `faultpath: ${slots.length} workers, ${nextJob} jobs in ${stats.messages} messages; kept trees ${(stats.treeBytes / 1048576).toFixed(0)} MiB; functions rebuilt ${stats.rebuilt}, parsed again ${stats.parsed}; documents sent again ${stats.resent}\n`,
      );
    run.problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    return run.result(docs);
  } finally {
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
