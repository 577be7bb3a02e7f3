// The workspace index: summaries of the workspace's C functions, so that a
// document's calls into other files are followed (a helper in mm/util.c that
// faults, a wrapper in fs/ that takes the page lock), and the locks the
// workspace's fault handlers take. Built lazily, when the first document is
// opened, on a worker thread (parallel/pool.ts) so the server keeps
// answering; a progress notification runs meanwhile. Only summaries are
// kept once it is done.
//
// Scope: the whole workspace folder when it holds at most `maxFiles` C files;
// otherwise the Kbuild directory of each document opened (the nearest
// directory up from it with a Makefile or Kbuild file: mm/ for mm/filemap.c,
// drivers/gpu/drm/ttm/ for ttm_bo_vm.c, not the 16,000 files of drivers/),
// at most `maxFiles` files each, growing as documents from other ones open.
import * as fs from 'fs';
import * as path from 'path';
import type { ExternalKnowledge, SourceDoc } from '../analysis';
import type { LearnedLock } from '../checks/check';
import type { FunctionSummary } from '../flow/summary';
import type { FaultpathConfig } from '../kernel/config';
import { tableFor } from '../kernel/config';
import { analyzeParallel } from '../parallel/pool';
import { readInput } from '../input/read';

export interface IndexProgress {
  begin(title: string, message: string): void;
  report(percent: number, message: string): void;
  done(): void;
}

export interface WorkspaceIndexOptions {
  root: string;
  maxFiles: number;
  config: FaultpathConfig;
  progress: () => Promise<IndexProgress>;
  /** Called when a new index is in place (open documents are analysed again). */
  onUpdated: () => void;
  log: (message: string) => void;
}

export class WorkspaceIndex implements ExternalKnowledge {
  private summaries = new Map<string, FunctionSummary>();
  learned: LearnedLock[] = [];
  private scopes = new Set<string>();
  private whole: boolean | null = null;
  private indexed = new Set<string>();
  private running: Promise<void> | null = null;
  private again = false;
  /** Files and functions in the current index, and how long it took. */
  stats = { files: 0, summaries: 0, ms: 0 };

  constructor(private readonly opts: WorkspaceIndexOptions) {}

  summaryOf(name: string): FunctionSummary | null {
    return this.summaries.get(name) ?? null;
  }

  /** A document was opened: index its part of the workspace if that is not done yet. */
  touch(file: string): void {
    const rel = path.relative(this.opts.root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return;
    // a large workspace (a kernel tree) is indexed by the Kbuild directories documents are opened from
    if (this.whole === null) this.whole = countCFiles(this.opts.root, this.opts.maxFiles + 1) <= this.opts.maxFiles;
    if (this.whole) this.scopes.add('.');
    else {
      const dir = kbuildDir(this.opts.root, path.dirname(rel));
      if (dir) this.scopes.add(dir);
    }
    if (!this.scopes.size) return;
    if ([...this.scopes].every((s) => this.indexed.has(s))) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.build().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.touch(file);
      }
    });
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Resolves when no indexing is running (tests, and a request that wants the full picture). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async build(): Promise<void> {
    const scopes = [...this.scopes];
    const t0 = Date.now();
    const files: string[] = [];
    for (const s of scopes) {
      const mine: string[] = [];
      collect(path.join(this.opts.root, s), mine, this.opts.maxFiles);
      files.push(...mine);
    }
    const progress = await this.opts.progress();
    progress.begin('faultpath: indexing', `${files.length} C files in ${scopes.map((s) => (s === '.' ? 'the workspace' : s + '/')).join(', ')}`);
    try {
      const docs: SourceDoc[] = [];
      for (const f of files) {
        // regular files inside the workspace only (a FIFO, a device, a link out of it are named and skipped)
        const r = readInput(f, { within: this.opts.root });
        if (r.refused === undefined) docs.push({ file: f, text: r.text, role: f.endsWith('.h') ? 'header' : 'source' });
        else this.opts.log(`faultpath: not indexed: ${f}: ${r.refused}`);
      }
      const result = await analyzeParallel(
        docs,
        {
          table: tableFor(this.opts.config),
          exportSummaries: true,
          onProgress: (done, total) => {
            if (done % 25 === 0 || done === total) progress.report(Math.round((90 * done) / Math.max(1, total)), `${done}/${total} files`);
          },
        },
        { jobs: 1, config: this.opts.config, backend: 'auto' },
      );
      this.summaries = result.exported?.summaries ?? new Map();
      this.learned = result.exported?.learned ?? [];
      for (const s of scopes) this.indexed.add(s);
      this.stats = { files: docs.length, summaries: this.summaries.size, ms: Date.now() - t0 };
      this.opts.log(`faultpath: indexed ${docs.length} files (${this.summaries.size} summaries) in ${this.stats.ms} ms`);
      this.opts.onUpdated();
    } catch (err) {
      this.opts.log(`faultpath: indexing failed: ${(err as Error).message}`);
    } finally {
      progress.done();
    }
  }
}

/**
 * The directory (relative to root) whose Makefile or Kbuild file builds the
 * files of `relDir`: `relDir` itself or the nearest one up; null at the root
 * (the root's own Makefile builds nothing by itself) or outside it.
 */
export function kbuildDir(root: string, relDir: string): string | null {
  let dir = relDir;
  while (dir && dir !== '.' && !dir.startsWith('..')) {
    const abs = path.join(root, dir);
    if (fs.existsSync(path.join(abs, 'Makefile')) || fs.existsSync(path.join(abs, 'Kbuild'))) return dir;
    dir = path.dirname(dir);
  }
  return null;
}

const SKIP = new Set(['node_modules', 'Documentation', 'tools', 'scripts', 'samples']);

function collect(dir: string, out: string[], max: number): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.length >= max) return;
    if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collect(p, out, max);
    else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
  }
}

function countCFiles(dir: string, limit: number): number {
  const out: string[] = [];
  collect(dir, out, limit);
  return out.length;
}
