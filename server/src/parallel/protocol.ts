// Messages between the CLI's main thread and its analysis workers. Everything
// here is plain data (structured clone): documents go to a worker once and
// stay there; jobs name them by id.
import type { DocIndex } from '../phase1';
import type { FnResult } from '../phase2';
import type { FunctionSummary } from '../flow/summary';
import type { FunctionHeader } from '../syntax/functions';
import type { FaultpathConfig } from '../kernel/config';
import type { LearnedLock } from '../checks/check';

export interface WorkerInit {
  config: FaultpathConfig;
  only?: string[];
  ignore?: string[];
  backend: 'native' | 'wasm' | 'auto';
  /** Bytes of compact trees this worker may keep between the phases. */
  treeBudget: number;
}

export interface WireDoc {
  id: number;
  file: string;
  role: 'source' | 'header';
  text: string;
}

export interface WireJob {
  job: number;
  fns: { doc: number; fn: FunctionHeader; isFaultHandler: boolean; installedAs: string[]; callees: Map<string, FunctionSummary | number | null> }[];
  recursive: boolean;
  /** The deferred functions' second run, with the message's `learned`. */
  final: boolean;
}

/**
 * Jobs go in batches (whatever became ready while the main thread was busy)
 * and come back in batches: a message costs tens of microseconds on each
 * side, and a tree has 400,000 jobs.
 */
export type ToWorker =
  | { kind: 'index'; doc: WireDoc }
  | {
      kind: 'jobs';
      /** Documents this worker has not been sent yet. */
      docs: WireDoc[];
      jobs: WireJob[];
      /** For the deferred functions' second run: the fault path's locks. */
      learned?: LearnedLock[];
    };

/** `missing`: the job named a document this worker does not have (the main thread sends it again). */
export type JobOutcome = { job: number; results: FnResult[] } | { job: number; error: string; missing?: number };

export type FromWorker =
  | { kind: 'indexed'; id: number; index?: DocIndex; error?: string; treeBytes: number }
  | { kind: 'done'; outcomes: JobOutcome[]; rebuilt: number; parsed: number };
