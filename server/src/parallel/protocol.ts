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

export type ToWorker =
  | { kind: 'index'; doc: WireDoc }
  | {
      kind: 'job';
      job: number;
      /** Documents this worker has not been sent yet. */
      docs: WireDoc[];
      fns: { doc: number; fn: FunctionHeader; isFaultHandler: boolean; installedAs: string[]; callees: Map<string, FunctionSummary | number | null> }[];
      recursive: boolean;
      /** For the deferred functions' second run: the fault path's locks. */
      learned?: LearnedLock[];
    };

export type FromWorker =
  | { kind: 'indexed'; id: number; index?: DocIndex; error?: string }
  | { kind: 'done'; job: number; results: FnResult[] }
  | { kind: 'failed'; job: number; error: string };
