// End-to-end: the packaged extension in a real VS Code (code-server's web
// workbench with its real extension host) driven in headless Chromium by
// playwright-core. Opens the bundled patch series, reads the Problems panel
// and a hover from the page, saves screenshots. Exit 0 when every check holds.
//
//   node test/e2e/run.mjs PREFIX faultpath.vsix OUTDIR
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';

const [prefix, vsix, outDir] = process.argv.slice(2);
if (!prefix || !vsix || !outDir) {
  console.error('usage: run.mjs PREFIX VSIX OUTDIR');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(prefix), 'package.json'));
const { chromium } = require('playwright-core');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const TIMEOUT = 90000;
const log = (...a) => console.error('[e2e]', ...a);
fs.mkdirSync(outDir, { recursive: true });

const session = fs.mkdtempSync(path.join(os.tmpdir(), 'faultpath-e2e-'));
const dirs = Object.fromEntries(['user', 'ext', 'chrome', 'xdg-config', 'xdg-data', 'ws'].map((d) => [d, path.join(session, d)]));
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
// the workspace: the bundled series and the C example
for (const f of ['demofs-series.mbox', 'write-deadlock.c']) fs.copyFileSync(path.join(root, 'examples', f), path.join(dirs.ws, f));
const env = { ...process.env, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'] };
const bin = path.join(path.resolve(prefix), 'node_modules', '.bin', 'code-server');
const base = ['--user-data-dir', dirs.user, '--extensions-dir', dirs.ext];

let cs = null;
let ctx = null;
const failures = [];
const check = (ok, what) => {
  log(ok ? 'ok  ' : 'FAIL', what);
  if (!ok) failures.push(what);
};

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function main() {
  const inst = spawnSync(bin, [...base, '--install-extension', path.resolve(vsix), '--force'], { env, encoding: 'utf8' });
  check(/successfully installed/i.test(inst.stdout + inst.stderr), 'the .vsix installs into code-server');
  fs.mkdirSync(path.join(dirs.user, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.user, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'update.mode': 'none',
      'security.workspace.trust.enabled': false,
      'git.enabled': false,
      'chat.disableAIFeatures': true,
      'editor.hover.delay': 150,
      'editor.minimap.enabled': false,
    }),
  );
  const port = await freePort();
  const logFd = fs.openSync(path.join(outDir, 'code-server.log'), 'w');
  cs = spawn(bin, [...base, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', dirs.ws], { env, detached: true, stdio: ['ignore', logFd, logFd] });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (Date.now() - t0 > TIMEOUT) throw new Error('code-server did not start');
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  ctx = await chromium.launchPersistentContext(dirs.chrome, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(`${url}/?folder=${encodeURIComponent(dirs.ws)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT });
  await page.waitForSelector('[id="status.problems"]', { timeout: TIMEOUT });

  // open the series with Quick Open
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget', { state: 'visible', timeout: TIMEOUT });
  await page.keyboard.type('demofs-series.mbox', { delay: 20 });
  await page.waitForFunction(() => [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => (r.getAttribute('aria-label') || '').includes('demofs-series.mbox')), null, { timeout: TIMEOUT });
  await page.keyboard.press('Enter');
  await page.waitForSelector('.editor-group-container.active .monaco-editor .view-line', { timeout: TIMEOUT });

  // diagnostics arrive: the status bar counts the error
  const counted = await page
    .waitForFunction(() => /Errors?:\s*[1-9]|[1-9]\d*\s+errors?/i.test(document.querySelector('[id="status.problems"]')?.getAttribute('aria-label') || ''), null, { timeout: TIMEOUT })
    .then(() => true, () => false);
  check(counted, 'the status bar counts an error in the series');
  await page.screenshot({ path: path.join(outDir, 'editor.png') });

  // the Problems panel
  await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector('.markers-panel', { state: 'visible', timeout: TIMEOUT });
  await page.waitForTimeout(800);
  const rows = await page.$$eval('.markers-panel .monaco-list-row', (els) => els.map((e) => e.getAttribute('aria-label') || e.innerText));
  fs.writeFileSync(path.join(outDir, 'problems.json'), JSON.stringify(rows, null, 2));
  await page.screenshot({ path: path.join(outDir, 'problems.png') });
  check(rows.some((r) => /copy_to_user\(\) may fault while the page lock on 'page' is held \[introduced, fs\/demofs\/file\.c:41\]/.test(r)), 'Problems shows the introduced error');
  check(rows.some((r) => /fixed by this patch: __copy_from_user\(\)/.test(r)), 'Problems shows the fixed finding');

  // a hover on the copy (line 40): the lock state before it
  await page.keyboard.press('Escape');
  await page.click('.editor-group-container.active .monaco-editor .view-lines');
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget', { state: 'visible', timeout: TIMEOUT });
  await page.keyboard.type('40:8', { delay: 20 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = await page
    .waitForFunction(() => {
      const e = document.querySelector('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
      return e && /Locks held/.test(e.innerText) ? e.innerText : null;
    }, null, { timeout: 20000 })
    .then((h) => h.jsonValue(), () => '');
  fs.writeFileSync(path.join(outDir, 'hover.txt'), String(hover));
  await page.screenshot({ path: path.join(outDir, 'hover.png') });
  check(/Locks held: page lock on 'page' taken at line 39 by lock_page\(\)/.test(String(hover)), 'the hover explains the lock state');
}

try {
  await main();
} catch (err) {
  failures.push(String(err && err.stack ? err.stack : err));
  log('error', err);
  try {
    const page = ctx && ctx.pages()[0];
    if (page) await page.screenshot({ path: path.join(outDir, 'failure.png') });
  } catch {
    /* best effort */
  }
} finally {
  if (ctx) await ctx.close().catch(() => undefined);
  if (cs && cs.pid) {
    try {
      process.kill(-cs.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  fs.rmSync(session, { recursive: true, force: true });
}
console.log(`e2e: ${failures.length ? failures.length + " check(s) failed" : "all checks passed"}`);
process.exit(failures.length ? 1 : 0);
