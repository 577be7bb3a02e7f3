#!/usr/bin/env node
// Findings snapshots, to show an engine change keeps (or moves) every finding.
//
//   node bench/findings.mjs snapshot OUT.json [--version 6.12|6.1] [--dirs mm,fs] [--fixtures]
//   node bench/findings.mjs compare BEFORE.json AFTER.json
//
// `snapshot` runs the built CLI (dist/cli.js) without the cache over the given
// directories of an unpacked Debian linux-source tree (bench/linux-src.sh
// installs and unpacks it) and, with --fixtures, over test/fixtures and
// test/clean; it keeps each finding's rule, severity, place, function,
// message and notes, sorted. `compare` prints what was lost and what is new
// and exits 1 when the two differ, so `compare` is the check for a step that
// must keep every finding identical.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '..');

function usage() {
  console.error('usage: findings.mjs snapshot OUT.json [--version 6.12|6.1] [--dirs mm,fs] [--fixtures]\n       findings.mjs compare BEFORE.json AFTER.json');
  process.exit(2);
}

function key(f) {
  return `${f.file}:${f.line}:${f.column} ${f.severity} [${f.rule}] ${f.function ?? ''}: ${f.message}`;
}

function normalise(findings, base) {
  return findings
    .map((f) => ({
      file: path.relative(base, path.resolve(base, f.file)),
      line: f.line,
      column: f.column,
      severity: f.severity,
      rule: f.rule,
      function: f.function,
      status: f.status,
      message: f.message,
      notes: (f.notes ?? []).map((n) => `${n.file ? path.relative(base, path.resolve(base, n.file)) : ''}:${n.line ?? ''}: ${n.message}`),
    }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function runCli(cwd, args) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', path.join(repo, 'dist/cli.js'), 'check', '--format', 'json', '--fail-on', 'none', '--no-progress', '--no-cache', ...args], {
    cwd,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`findings: faultpath exited ${r.status} in ${cwd} on ${args.join(' ')}\n${r.stderr}`);
    process.exit(1);
  }
  return JSON.parse(r.stdout);
}

function snapshot(out, opts) {
  const result = { findings: [], problems: 0, functions: 0 };
  if (opts.fixtures) {
    // One run per fixture directory, as the fixture test does for *-multi
    // directories; single files of other directories alone would differ
    // only where a fixture relies on another file, which none does.
    // A fixture with a `kernel-version: X.Y` marker runs alone with that
    // --kernel-version, as the fixture test builds its table.
    const versionOf = (file) => /^\s*(?:\/\/|\/\*|\*)\s*kernel-version:\s*(\d+\.\d+)/m.exec(fs.readFileSync(path.join(repo, file), 'utf8'))?.[1];
    const add = (r) => {
      result.findings.push(...normalise(r.findings, repo));
      result.problems += r.problems.length;
      result.functions += r.summary.functions ?? 0;
    };
    for (const dir of ['test/fixtures', 'test/clean']) {
      for (const sub of fs.readdirSync(path.join(repo, dir)).sort()) {
        const p = path.join(dir, sub);
        const files = fs.statSync(path.join(repo, p)).isDirectory() ? fs.readdirSync(path.join(repo, p)).sort().filter((f) => /\.[ch]$/.test(f)).map((f) => path.join(p, f)) : [p];
        const versioned = files.filter((f) => versionOf(f));
        for (const f of versioned) add(runCli(repo, ['--kernel-version', versionOf(f), f]));
        if (versioned.length === 0) add(runCli(repo, [p]));
        else if (versioned.length < files.length) add(runCli(repo, files.filter((f) => !versioned.includes(f))));
      }
    }
  }
  if (opts.dirs.length) {
    const src = spawnSync('bash', [path.join(repo, 'bench/linux-src.sh'), opts.version], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (src.status !== 0) process.exit(1);
    const tree = src.stdout.trim();
    for (const d of opts.dirs) {
      const r = runCli(tree, [d]);
      result.findings.push(...normalise(r.findings, tree).map((f) => ({ ...f, file: `linux-${opts.version}/${f.file}` })));
      result.problems += r.problems.length;
      result.functions += r.summary.functions ?? 0;
    }
  }
  fs.writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
  const by = {};
  for (const f of result.findings) by[`${f.rule} ${f.severity}`] = (by[`${f.rule} ${f.severity}`] ?? 0) + 1;
  console.log(`${result.findings.length} findings, ${result.problems} problems, ${result.functions} functions -> ${out}`);
  for (const k of Object.keys(by).sort()) console.log(`  ${k}: ${by[k]}`);
}

function compare(a, b) {
  const A = JSON.parse(fs.readFileSync(a, 'utf8'));
  const B = JSON.parse(fs.readFileSync(b, 'utf8'));
  const full = (f) => key(f) + ' | ' + f.notes.join(' | ');
  const count = (xs) => {
    const m = new Map();
    for (const x of xs) m.set(full(x), (m.get(full(x)) ?? 0) + 1);
    return m;
  };
  const ca = count(A.findings);
  const cb = count(B.findings);
  const lost = [];
  const added = [];
  for (const [k, n] of ca) for (let i = cb.get(k) ?? 0; i < n; i++) lost.push(k);
  for (const [k, n] of cb) for (let i = ca.get(k) ?? 0; i < n; i++) added.push(k);
  for (const k of lost) console.log(`- ${k}`);
  for (const k of added) console.log(`+ ${k}`);
  console.log(`${A.findings.length} -> ${B.findings.length} findings: ${lost.length} gone, ${added.length} new; problems ${A.problems} -> ${B.problems}`);
  process.exit(lost.length || added.length ? 1 : 0);
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'compare' && rest.length === 2) compare(rest[0], rest[1]);
else if (cmd === 'snapshot' && rest.length >= 1) {
  const opts = { version: '6.12', dirs: [], fixtures: false };
  const out = rest[0];
  for (let i = 1; i < rest.length; i++) {
    if (rest[i] === '--version') opts.version = rest[++i];
    else if (rest[i] === '--dirs') opts.dirs = rest[++i].split(',').filter(Boolean);
    else if (rest[i] === '--fixtures') opts.fixtures = true;
    else usage();
  }
  if (!['6.1', '6.12'].includes(opts.version)) usage();
  snapshot(out, opts);
} else usage();
