// The CLI's cache on disk, for repeated runs over the same tree: phase 1
// results by document text, and per-function results (summary, findings,
// lock-order edges) keyed as the in-memory FunctionCache keys them (text,
// callees' summaries, rules, table). One file per (faultpath build, table),
// written whole with a rename at the end of a run, so a crash or a parallel
// run never leaves a torn file; an unreadable file is a cold start, never an
// error. The few newest files are kept.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import type { DocIndex, IndexCache } from '../analysis';
import { FunctionCache, tableKey } from '../cache';
import type { KernelTable } from '../kernel/table';

const FORMAT = 1;
const KEEP_FILES = 4;
const MAX_FUNCTIONS = 1_500_000;

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'faultpath');
}

export class DiskCache {
  readonly functions = new FunctionCache(MAX_FUNCTIONS);
  private index = new Map<string, DocIndex>();
  private usedIndex = new Set<string>();
  private since = 0;
  private readonly file: string;
  private indexWrites = 0;

  constructor(private readonly dir: string, table: KernelTable) {
    // this build's code and the table decide what every entry means
    let code = '';
    try {
      code = fs.readFileSync(__filename, 'latin1');
    } catch {
      code = String(Date.now());
    }
    const salt = createHash('sha1').update(String(FORMAT)).update(code).update(tableKey(table)).digest('hex');
    this.file = path.join(dir, `${salt.slice(0, 20)}.bin`);
  }

  load(): void {
    let raw: Buffer;
    try {
      raw = fs.readFileSync(this.file);
    } catch {
      return;
    }
    try {
      const data = v8.deserialize(raw) as { format: number; index: [string, DocIndex][]; functions: [string, unknown][] };
      if (data.format !== FORMAT) return;
      this.index = new Map(data.index);
      this.functions.restore(data.functions);
      this.since = this.functions.clockNow;
    } catch {
      // a torn or foreign file: start cold
      this.index.clear();
      this.functions.clear();
    }
  }

  readonly indexCache: IndexCache = {
    get: (text) => {
      const k = textKey(text);
      const hit = this.index.get(k);
      if (hit) this.usedIndex.add(k);
      return hit;
    },
    set: (text, index) => {
      const k = textKey(text);
      this.index.set(k, index);
      this.usedIndex.add(k);
      this.indexWrites++;
    },
  };

  /** Writes this run's entries (and older ones while there is room); failures only cost the next run. */
  save(): string | null {
    if (!this.functions.writes && !this.indexWrites) return null; // nothing new: the file stands
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const index = [...this.usedIndex].map((k) => [k, this.index.get(k)] as [string, DocIndex]);
      for (const [k, v] of this.index) if (!this.usedIndex.has(k) && index.length < MAX_FUNCTIONS / 10) index.push([k, v]);
      const data = v8.serialize({ format: FORMAT, index, functions: this.functions.dump(this.since, MAX_FUNCTIONS) });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, this.file);
      // keep the newest few files (other builds and tables)
      const files = fs
        .readdirSync(this.dir)
        .filter((f) => f.endsWith('.bin'))
        .map((f) => ({ f, t: fs.statSync(path.join(this.dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of files.slice(KEEP_FILES)) fs.rmSync(path.join(this.dir, f), { force: true });
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }
}

function textKey(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
