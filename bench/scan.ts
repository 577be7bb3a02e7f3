// Whole-tree speed, side by side in one run (these machines are noisy: read
// the ratios). For each directory of Linux 6.12 (default mm, fs and the whole
// tree), each run does, in turn:
//   1. a bare tree-sitter parse of the same .c and .h files, native binding,
//      one thread, in this process: our physical limit;
//   2. `faultpath check` as users run it (the built CLI, a child process), a
//      first run with an empty cache and the default threads (one per core);
//   3. a second run over the unchanged tree, reading what the first stored;
//   4. with --one-thread: the first run again with --jobs 1 --no-cache.
// Printed: median and min-max of each, files/s and MB/s, the child's peak RSS,
// and the ratios (2/1, 3/2, 4/1) taken within each run.
//
//   npm run bench:scan -- [--runs N] [--dirs mm,fs,.] [--one-thread] [--out bench/results/scan.json]
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { releaseTrees } from '../server/src/syntax/native';

const root = path.join(__dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'one-thread': { type: 'boolean', default: false },
    dirs: { type: 'string', default: 'mm,fs,.' },
    out: { type: 'string', default: path.join(root, 'bench', 'results', 'scan.json') },
  },
});
const runs = Number(values.runs);
const dirs = (values.dirs as string).split(',').filter(Boolean);

const src = spawnSync('bash', [path.join(root, 'bench', 'linux-src.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).stdout.trim();
if (!src || !fs.existsSync(path.join(src, 'mm'))) {
  console.error('bench/scan: no Linux tree (bench/linux-src.sh failed)');
  process.exit(2);
}

function collect(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collect(p, out);
    else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
  }
}

interface Sample {
  ms: number;
  rssMiB: number;
}

// The binding frees a tree only after a collection and a turn of the event loop
// (see server/src/syntax/native.ts): a bare parse of the whole tree in one
// synchronous loop kept every tree and ran this machine out of memory. The bare
// parse lets trees go every 16 MB as faultpath does.
async function bareParse(files: string[]): Promise<Sample> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Parser = require('tree-sitter');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const C = require('tree-sitter-c');
  const p = new Parser();
  p.setLanguage(C);
  const t = performance.now();
  let pending = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (text.length > 16 * 1024 * 1024 || text.slice(0, 8192).includes('\u0000')) continue; // what the CLI skips
    p.parse(text, undefined, { bufferSize: text.length * 2 + 2 });
    pending += text.length;
    if (pending >= 16 * 1024 * 1024) {
      pending = 0;
      await releaseTrees();
    }
  }
  return { ms: performance.now() - t, rssMiB: process.memoryUsage().rss / 1048576 };
}

function faultpath(dir: string, extra: string[], cacheHome: string): Promise<Sample & { summary: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['--max-old-space-size=16384', path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', '--fail-on', 'none', '--no-progress', ...extra, dir], {
      cwd: src,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    });
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        peak = Math.max(peak, kb);
      } catch {
        /* gone */
      }
    }, 200);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = performance.now() - t;
      if (code !== 0) return reject(new Error(`faultpath exited ${code} on ${dir}`));
      const out = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      resolve({ ms, rssMiB: peak / 1024, summary: out.summary });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs: number[], f: (x: number) => string): string => `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const x = (r: number): string => `${r.toFixed(2)}x`;

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
  const report: Record<string, unknown> = { machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`, node: process.version, runs, src };
  console.log(`Linux 6.12 at ${src}; ${runs} runs; ${os.cpus().length} CPUs; ratios taken within each run`);
  for (const dir of dirs) {
    const files: string[] = [];
    collect(path.join(src, dir), files);
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    const mb = bytes / 1e6;
    const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-scan-'));
    const parse: number[] = [];
    const cold: number[] = [];
    const one: number[] = [];
    const warm: number[] = [];
    const rss: number[] = [];
    const rssOne: number[] = [];
    const rssWarm: number[] = [];
    let summary: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
      fs.rmSync(path.join(cacheHome, 'faultpath'), { recursive: true, force: true });
      parse.push((await bareParse(files)).ms);
      process.stderr.write(`  ${dir} run ${i + 1}/${runs}: parse ${sec(parse[i])}\n`);
      const c = await faultpath(dir, [], cacheHome); // an empty cache: everything analysed, then stored
      cold.push(c.ms);
      rss.push(c.rssMiB);
      summary = c.summary;
      const w = await faultpath(dir, [], cacheHome);
      warm.push(w.ms);
      rssWarm.push(w.rssMiB);
      if (values['one-thread']) {
        const o = await faultpath(dir, ['--no-cache', '--jobs', '1'], cacheHome);
        one.push(o.ms);
        rssOne.push(o.rssMiB);
      }
      process.stderr.write(`  ${dir} run ${i + 1}/${runs}: parse ${sec(parse[i])}, faultpath ${sec(cold[i])}, cached ${sec(warm[i])}${one.length ? `, --jobs 1 ${sec(one[i])}` : ''}\n`);
    }
    fs.rmSync(cacheHome, { recursive: true, force: true });
    const ratio = (a: number[], b: number[]): number[] => a.map((v, i) => v / b[i]);
    const label = dir === '.' ? 'whole tree' : `${dir}/`;
    console.log(`${label}: ${files.length} files, ${mb.toFixed(1)} MB, ${summary.functions} functions (${summary.functionsAnalysed} analysed, ${summary.quietFunctions} quiet), ${summary.findings} findings`);
    console.log(`  bare parse, 1 thread        ${range(parse, sec)}   ${(files.length / (median(parse) / 1000)).toFixed(0)} files/s, ${(mb / (median(parse) / 1000)).toFixed(1)} MB/s`);
    console.log(`  faultpath, ${os.availableParallelism()} threads, first ${range(cold, sec)}   = ${range(ratio(cold, parse), x)} parse   ${(files.length / (median(cold) / 1000)).toFixed(0)} files/s, ${(mb / (median(cold) / 1000)).toFixed(1)} MB/s, peak RSS ${median(rss).toFixed(0)} MiB`);
    if (one.length) console.log(`  faultpath, --jobs 1         ${range(one, sec)}   = ${range(ratio(one, parse), x)} parse   peak RSS ${median(rssOne).toFixed(0)} MiB`);
    console.log(`  second run (cache)          ${range(warm, sec)}   = ${range(ratio(warm, cold), x)} the first   peak RSS ${median(rssWarm).toFixed(0)} MiB`);
    report[label] = { files: files.length, bytes, summary, parseMs: parse, coldMs: cold, oneThreadMs: one, cachedMs: warm, peakRssMiB: rss, peakRssOneThreadMiB: rssOne, peakRssCachedMiB: rssWarm };
  }
  fs.mkdirSync(path.dirname(values.out as string), { recursive: true });
  fs.writeFileSync(values.out as string, JSON.stringify(report, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), values.out as string)}`);
}

main().catch((err) => {
  console.error(`bench/scan: ${(err as Error).message}`);
  process.exit(1);
});
