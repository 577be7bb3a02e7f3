// faultpath check [options] <files|dirs|->
// Exit status: 0 clean, 1 findings at or above --fail-on, 2 bad usage or unreadable input,
// 3 internal or output error (cli/exit.ts).
import * as fs from 'fs';
import * as os from 'os';
import { analyzeParallel } from '../parallel/pool';
import { DiskCache, defaultCacheDir } from './disk-cache';
import { treeFileReader } from '../patch/tree-files';
import * as path from 'path';
import { parseArgs } from 'util';
import { analyzeDocumentsAsync } from '../analysis';
import { RULE_IDS } from '../checks';
import { explain } from './explain';
import { SEVERITY_RANK, Severity } from '../findings/finding';
import { emptyConfig, FaultpathConfig, parseConfig, tableFor } from '../kernel/config';
import { createParser, Backend } from '../syntax/parser';
import { escapeControls, formatJson, formatText, summarize } from './format';
import { formatSarif } from './sarif';
import { findKernelMakefile } from './kernel-version';
import type { KernelVersionInfo } from '../kernel/version';
import { reviewDocument } from '../patch/review';
import { toDot, toSvg } from '../flow/lockgraph';
import { ownKey, runCli, UsageError } from './exit';
import { findConfig, readCliInputs, readConfigText } from './inputs';
import { lspTransportError } from './lsp-args';
import { applyBaseline, Baseline, BaselineError, BaselineUse, fingerprintFindings, lineReader, loadBaseline, outputPath } from './baseline';
import { failsRun, filterByStatus, nothingToAnalyse, parseStatuses, ReviewedInput } from '../patch/status';

const VERSION = '0.1.0';

const USAGE = `usage: faultpath check [options] <files|dirs|->
       faultpath explain [RULE]    (a rule's documentation, example and fix; the list without RULE)
       faultpath lsp --stdio      (the language server, for Neovim, Emacs, Helix, ...)

Checks Linux kernel C for user-memory accesses that can page-fault under the
page lock or another lock the fault path needs, and related lock misuse.
Inputs are C files, or patches as reviewers receive them (unified diffs,
git format-patch mails, mbox series, list-archive thread pages with quoted
diffs), recognised by content; directories are searched for .c and .h.

options:
  --format text|json|sarif   output format (default text)
  --fail-on LEVEL            exit 1 on findings at or above error|warning|info|hint, or none (default error);
                             in patch review only findings the patch introduces count
  --status LIST              patch review: show findings introduced, unchanged and/or fixed
                             (comma-separated; default all three)
  --baseline FILE            report only findings not in FILE (an earlier --format json or sarif
                             output, or --write-baseline); default: the config's "baseline"
  --write-baseline FILE      write this run's findings to FILE as a baseline
  --only RULES               comma-separated rule ids to run
  --ignore RULES             comma-separated rule ids to skip (repeatable)
  --config FILE              configuration (default: .faultpath.json found upwards from the inputs)
  --include DIR              read headers under DIR for inline helpers' summaries (repeatable)
  --graph FILE               write the run's lock-order graph as Graphviz DOT (.dot) or SVG (.svg)
  --tree DIR                 apply patches to the files under DIR (in memory, with fuzz; a series
                             in order) and analyse whole functions; hunk-local where they do not apply
  --kernel-version X.Y       use only table rows valid for that kernel version
                             (default: the config's kernelVersion, else VERSION and
                             PATCHLEVEL of the tree's top Makefile)
  --parser auto|native|wasm  tree-sitter backend (default auto: native when it loads)
  --jobs N|auto              analysis threads (default auto: one per core for more than 2 MB of C)
  --cache DIR                keep results between runs in DIR (default for directories:
                             $XDG_CACHE_HOME/faultpath or ~/.cache/faultpath)
  --no-cache                 neither read nor write the cache
  --no-progress              no progress line on a terminal
  -h, --help                 this text
  --version                  print the version

rules: ${RULE_IDS.join(', ')}
`;


function splitList(v: string[] | undefined): string[] {
  return (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === 'lsp') {
    const bad = lspTransportError(rest);
    if (bad) {
      process.stderr.write(`faultpath: ${bad}\n`);
      return 2;
    }
    // `faultpath lsp --stdio` (or --node-ipc): the bundled language server, for editors
    // other than VS Code; it reads its transport from the arguments and serves until exit
    const server = path.join(__dirname, 'server.js');
    if (!fs.existsSync(server)) {
      process.stderr.write(`faultpath: the language server bundle is missing (${server}); run npm run build\n`);
      return 2;
    }
    require(server);
    return new Promise<number>(() => undefined);
  }
  if (cmd === 'explain') return explain(rest);
  if (cmd === '--version') {
    process.stdout.write(`faultpath ${VERSION}\n`);
    return 0;
  }
  if (cmd !== 'check') {
    process.stderr.write(`faultpath: unknown command '${cmd}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await check(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof BaselineError) {
      process.stderr.write(`faultpath: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function check(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'error' },
        status: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        only: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        config: { type: 'string' },
        include: { type: 'string', multiple: true },
        tree: { type: 'string' },
        graph: { type: 'string' },
        'kernel-version': { type: 'string' },
        parser: { type: 'string', default: 'auto' },
        jobs: { type: 'string', default: 'auto' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        'no-progress': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = v.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const failOn = v['fail-on'] as string;
  if (failOn !== 'none' && !ownKey(SEVERITY_RANK, failOn)) throw new UsageError(`--fail-on must be error, warning, info, hint or none, not '${failOn}'`);
  const only = splitList(v.only as string[] | undefined);
  const ignore = splitList(v.ignore as string[] | undefined);
  for (const r of [...only, ...ignore]) if (!RULE_IDS.includes(r)) throw new UsageError(`unknown rule '${r}' (rules: ${RULE_IDS.join(', ')})`);
  let statuses: ReturnType<typeof parseStatuses>;
  try {
    statuses = parseStatuses(splitList(v.status as string[] | undefined));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const backend = v.parser as Backend;
  if (!['auto', 'native', 'wasm'].includes(backend)) throw new UsageError(`--parser must be auto, native or wasm`);
  if (parsed.positionals.length === 0) throw new UsageError('no input: give files, directories or - for standard input');
  const jobsArg = v.jobs as string;
  if (jobsArg !== 'auto' && !/^[1-9][0-9]*$/.test(jobsArg)) throw new UsageError(`--jobs must be a positive number or auto`);

  // ---- inputs ----
  const { docs, patches, problems: inputProblems, scansDirectory } = await readCliInputs(parsed.positionals, (v.include as string[] | undefined) ?? []);

  // ---- configuration ----
  let cfg: FaultpathConfig = emptyConfig();
  const cfgPath = (v.config as string | undefined) ?? findConfig(parsed.positionals.find((p) => p !== '-') ?? process.cwd());
  if (cfgPath) {
    const text = readConfigText(cfgPath);
    try {
      cfg = parseConfig(text, cfgPath);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  // the kernel version: --kernel-version, else the config's kernelVersion, else
  // the top Makefile of the tree (--tree, then upwards from each input)
  let kernel: KernelVersionInfo = { version: null, source: 'unknown' };
  if (v['kernel-version']) {
    if (!/^\d+\.\d+/.test(v['kernel-version'] as string)) throw new UsageError(`--kernel-version must look like 6.12`);
    cfg.kernelVersion = v['kernel-version'] as string;
    kernel = { version: cfg.kernelVersion, source: 'option' };
  } else if (cfg.kernelVersion) {
    kernel = { version: cfg.kernelVersion, source: 'config', file: cfgPath ?? undefined };
  } else {
    const starts = [...(v.tree ? [v.tree as string] : []), ...parsed.positionals.filter((p) => p !== '-')];
    if (starts.length === 0) starts.push(process.cwd());
    for (const start of starts) {
      const found = findKernelMakefile(start);
      if (found) {
        kernel = { version: found.version, source: 'makefile', file: found.file };
        cfg.kernelVersion = found.version;
        break;
      }
    }
  }
  for (const r of cfg.ignore) if (!ignore.includes(r)) ignore.push(r);
  // the baseline is read before the run: a bad one is bad usage, never a clean run
  const baselineFile = (v.baseline as string | undefined) ?? (cfg.baseline && cfgPath ? path.resolve(path.dirname(cfgPath), cfg.baseline) : undefined);
  const baseline: Baseline | null = baselineFile ? loadBaseline(baselineFile) : null;

  // ---- run ----
  const started = Date.now();
  const parser = await createParser(backend);
  const progress = scansDirectory && !v['no-progress'] && process.stderr.isTTY;
  const analysisOptions = {
    table: tableFor(cfg),
    only: only.length ? only : undefined,
    ignore,
  };
  const onProgress = progress
    ? (done: number, total: number, file: string) => {
        if (done % 20 === 0 || done === total) process.stderr.write(`\r\x1b[K[${done}/${total}] ${escapeControls(path.relative(process.cwd(), file))}`);
      }
    : undefined;
  // threads pay off on trees, not on a file or two (starting one costs ~50 ms)
  const bytes = docs.reduce((n, d) => n + d.text.length, 0);
  // never more threads than cores (1000 workers took over 4 GB)
  const jobs = Math.min(jobsArg === 'auto' ? (bytes > 2 * 1024 * 1024 ? 8 : 1) : Number(jobsArg), os.availableParallelism());
  // results of unchanged functions come back from the last run over the tree
  const cacheDir = v['no-cache'] ? undefined : (v.cache as string | undefined) ?? (scansDirectory ? defaultCacheDir() : undefined);
  const disk = cacheDir ? new DiskCache(cacheDir, analysisOptions.table) : undefined;
  disk?.load();
  const cacheOptions = disk ? { cache: disk.functions, indexCache: disk.indexCache } : {};
  const result =
    jobs > 1 && docs.length > 1
      ? await analyzeParallel(docs, { ...analysisOptions, ...cacheOptions, onProgress }, { jobs, config: cfg, backend })
      : await analyzeDocumentsAsync(parser, docs, { ...analysisOptions, ...cacheOptions, onProgress }, { sliceMs: 1000, cancelled: () => false });
  result.problems.unshift(...inputProblems);
  const unsaved = disk?.save();
  // a torn, edited or refused cache costs time, not results: said on stderr, not in the report
  for (const note of disk?.notes ?? []) process.stderr.write(`faultpath: ${note}\n`);
  if (unsaved) result.problems.push({ file: cacheDir as string, message: `cache not written: ${unsaved}` });
  if (progress) process.stderr.write('\r\x1b[K');
  const treeDir = v.tree as string | undefined;
  if (treeDir) {
    try {
      if (!fs.statSync(treeDir).isDirectory()) throw new Error('ENOTDIR');
    } catch (err) {
      throw new UsageError(`--tree '${treeDir}' is not a directory`);
    }
  }
  const readTreeFile = treeDir ? treeFileReader(treeDir) : undefined;
  const reviewed: ReviewedInput[] = [];
  for (const p of patches) {
    let r: ReturnType<typeof reviewDocument>;
    try {
      r = reviewDocument(parser, p.file, p.text, { ...analysisOptions, readTreeFile, treeName: treeDir });
    } catch (err) {
      // one document's failure is reported, never the end of the run
      result.problems.push({ file: p.file, message: `not reviewed: internal error: ${(err as Error).message}` });
      continue;
    }
    reviewed.push({ file: p.file, blocks: r.blocks, problems: r.problems.map((x) => x.message) });
    result.findings.push(...r.findings);
    result.problems.push(...r.problems);
    result.stats.files += 1;
    result.stats.functions += r.stats.functions;
    result.stats.functionsAnalysed += r.stats.functionsAnalysed;
    result.stats.functionsWithParseErrors += r.stats.functionsWithParseErrors;
  }
  result.stats.ms = Date.now() - started;
  const cwd = process.cwd();
  const relToCwd = (f: string): string => outputPath(f, cwd);
  const nothing = nothingToAnalyse(docs, result.stats.functions, reviewed, relToCwd);
  if (nothing) throw new UsageError(nothing);
  const graphFile = v.graph as string | undefined;
  if (graphFile) {
    const body = graphFile.endsWith('.svg') ? toSvg(result.lockGraph, result.cycleEdges) : toDot(result.lockGraph, result.cycleEdges);
    try {
      fs.writeFileSync(graphFile, body);
    } catch (err) {
      throw new UsageError(`cannot write --graph '${graphFile}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  // fingerprints over everything found, so --status and the baseline do not shift occurrence indices
  fingerprintFindings(result.findings, lineReader([...docs, ...patches]));
  const shown = filterByStatus(result.findings, statuses);
  const writeTo = v['write-baseline'] as string | undefined;
  if (writeTo) {
    try {
      fs.writeFileSync(writeTo, formatJson(shown, [], summarize(shown, result.stats, kernel), cwd));
    } catch (err) {
      throw new UsageError(`cannot write --write-baseline '${writeTo}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  let findings = shown;
  let baselineUse: BaselineUse | undefined;
  if (baseline) ({ kept: findings, use: baselineUse } = applyBaseline(shown, baseline, relToCwd));
  const summary = { ...summarize(findings, result.stats, kernel), ...(baselineUse ? { baseline: baselineUse } : {}) };
  if (format === 'json') process.stdout.write(formatJson(findings, result.problems, summary, cwd));
  else if (format === 'sarif') process.stdout.write(formatSarif(findings, result.problems, VERSION, cwd, { tree: treeDir, kernelVersion: kernel, baseline: baselineUse }));
  else process.stdout.write(formatText(findings, result.problems, summary, cwd));
  return failsRun(findings, failOn as Severity | 'none') ? 1 : 0;
}

if (require.main === module) runCli(() => main(process.argv.slice(2)));
