// The bundled language server, spawned and driven over stdio by a real
// JSON-RPC client (vscode-languageserver-protocol): no mocked connection.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification, PublishDiagnosticsParams, ShutdownRequest, ExitNotification,
  HoverRequest, InlayHintRequest, MarkupContent, CodeActionRequest, CodeAction, ExecuteCommandRequest,
  DidChangeConfigurationNotification, ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

import { diagnosticsOf, progressOf } from './lsp-client';

const root = path.join(__dirname, '..');

test('diagnostics on open, change and close, through a real client over stdio', async () => {
  const proc = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  conn.listen();
  const next = (): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no diagnostics within 15 s')), 15000);
      const n = published.length;
      waiters.push(() => {
        if (published.length > n) {
          clearTimeout(t);
          resolve(published[published.length - 1]);
        }
      });
    });
  try {
    const init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
      // this session is about one document; the workspace index has its own test
      initializationOptions: { settings: { faultpath: { index: { enabled: false } } } },
    });
    assert.equal(init.serverInfo?.name, 'faultpath');
    await conn.sendNotification(InitializedNotification.type, {});
    const file = path.join(root, 'examples', 'write-deadlock.c');
    const uri = pathToFileURL(file).toString();
    const text = fs.readFileSync(file, 'utf8');
    let p = next();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
    let d = await p;
    assert.equal(d.uri, uri);
    assert.deepEqual(d.diagnostics.map((x) => [x.range.start.line + 1, x.code, x.source]), [
      [22, 'fault-under-page-lock', 'faultpath'],
      [81, 'fault-under-fault-path-lock', 'faultpath'],
    ]);
    assert.ok(d.diagnostics[0].codeDescription?.href.endsWith('#fault-under-page-lock'));
    assert.ok(d.diagnostics[0].relatedInformation?.some((r) => r.message.includes("page lock on 'page' taken here") && r.location.range.start.line === 16));

    // hover: the lock state before the copy (line 22), in kernel-doc Context words
    const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 21, character: 9 } });
    const hv = (hover?.contents as MarkupContent).value;
    assert.match(hv, /Locks held: page lock on 'page' taken at line 17 by __grab_cache_page\(\)/);
    assert.match(hv, /Page faults: enabled/);
    // hover only on code: not on a blank line, a comment, or outside a function
    for (const [line, character] of [[15, 0], [8, 5], [28, 0]]) {
      assert.equal(await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }), null, `hover at ${line + 1}:${character}`);
    }
    // inlay hints in the buggy function only (lines 12-28): only where the state changes, at the
    // end of the line: __grab_cache_page() locks the page (if it returns one); unlock_page() says
    // what it does itself, and the copy changes nothing
    const hints = await conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 11, character: 0 }, end: { line: 27, character: 0 } } });
    assert.deepEqual(hints?.map((h) => [h.position.line + 1, h.position.character, h.label]), [[17, text.split('\n')[16].length, 'page locked on success']]);
    // the fixed function: kmap_atomic() turns faults off (its name does not say so); pagefault_disable() does
    const fixedHints = await conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 29, character: 0 }, end: { line: 60, character: 0 } } });
    assert.deepEqual(fixedHints?.map((h) => [h.position.line + 1, h.label]), [
      [42, 'page locked on success'],
      [47, 'faults off, preempt off'],
      [49, 'faults on, preempt on'],
    ]);

    // "show lock state of this function": every line with the state before it
    const report = (await conn.sendRequest(ExecuteCommandRequest.type, { command: 'faultpath.lockStateReport', arguments: [uri, 21] })) as string;
    assert.match(report, /^# Lock state: demo_write_buggy\(\)/);
    assert.match(report, /\n {3}22 {2}.*__copy_from_user\(kaddr \+ offset, buf, bytes\);   \| page lock on 'page' taken at line 17 by __grab_cache_page\(\)/);

    // the quick fix on the copy: one preferred action rewriting it into the retry shape
    const actions = (await conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 21, character: 0 }, end: { line: 21, character: 0 } },
      context: { diagnostics: d.diagnostics.filter((x) => x.range.start.line === 21) },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Copy with faults disabled, then retry');
    assert.equal(actions[0].isPreferred, true);
    assert.equal(actions[0].diagnostics?.[0].code, 'fault-under-page-lock');
    const edits = actions[0].edit?.changes?.[uri] ?? [];
    assert.ok(edits.some((e) => e.newText.startsWith('retry:\n') && /fault_in_readable\(buf, bytes\);/.test(e.newText) && e.range.start.line === 16), JSON.stringify(edits));
    assert.ok(edits.some((e) => /__copy_from_user_inatomic\(kaddr \+ offset, buf, bytes\)/.test(e.newText)));

    // settings: a rule turned off, another lowered to a warning, inlay hints off
    p = next();
    await conn.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { faultpath: { severity: { 'fault-under-fault-path-lock': 'off', 'fault-under-page-lock': 'warning' }, inlayHints: { enabled: false } } },
    });
    d = await p;
    assert.deepEqual(d.diagnostics.map((x) => [x.code, x.severity]), [['fault-under-page-lock', 2]]);
    const noHints = await conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 90, character: 0 } } });
    assert.deepEqual(noHints, []);
    // hover off
    p = next();
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { faultpath: { hover: { enabled: false } } } });
    assert.equal(await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 21, character: 9 } }), null);
    await p;
    p = next();
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { faultpath: {} } });
    d = await p;
    assert.equal(d.diagnostics.length, 2);

    // an edit that fixes the first bug: copy under pagefault_disable()
    const fixed = text.replace('left = __copy_from_user(kaddr + offset, buf, bytes);', 'pagefault_disable(); left = __copy_from_user_inatomic(kaddr + offset, buf, bytes); pagefault_enable();');
    assert.notEqual(fixed, text);
    p = next();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    d = await p;
    assert.deepEqual(d.diagnostics.map((x) => x.code), ['fault-under-fault-path-lock']);

    p = next();
    await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    d = await p;
    assert.deepEqual(d.diagnostics, []);
    // a patch series, recognised by content: verdicts in the diagnostics, hover on a patch line
    const mbox = path.join(root, 'examples', 'demofs-series.mbox');
    const mboxUri = pathToFileURL(mbox).toString();
    p = next();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: mboxUri, languageId: 'plaintext', version: 1, text: fs.readFileSync(mbox, 'utf8') } });
    d = await p;
    assert.deepEqual(d.diagnostics.map((x) => [x.range.start.line + 1, x.code, x.severity]), [
      [40, 'fault-under-page-lock', 1],
      [81, 'fault-under-page-lock', 3],
    ]);
    assert.match(d.diagnostics[0].message, /\[introduced, fs\/demofs\/file.c:41\]$/);
    const ph = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: mboxUri }, position: { line: 39, character: 6 } });
    assert.match((ph?.contents as MarkupContent).value, /Locks held: page lock on 'page' taken at line 39 by lock_page\(\)/);

    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
  } finally {
    conn.dispose();
    proc.kill();
  }
});

/** Runs a session with a server spawned from `args`; it is shut down (and killed) whatever happens. */
async function withServer(args: string[], session: (conn: ProtocolConnection) => Promise<void>): Promise<void> {
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.listen();
  try {
    await session(conn);
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
  } finally {
    conn.dispose();
    proc.kill();
  }
}

test('the lock-order graph around a function, as SVG for the webview', () =>
  withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification(InitializedNotification.type, {});
    const file = path.join(root, 'test', 'fixtures', 'lock-order', 'basic.c');
    const uri = pathToFileURL(file).toString();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(file, 'utf8') } });
    // around alpha_then_beta() (line 12): the ABBA pair, drawn in red; not the i_rwsem/mmap_lock pair
    const svg = (await conn.sendRequest(ExecuteCommandRequest.type, { command: 'faultpath.lockGraph', arguments: [uri, 11] })) as string;
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /struct alpha::lock -&gt; struct beta::lock/);
    assert.match(svg, /stroke="red"/);
    assert.doesNotMatch(svg, /i_rwsem/);
    const whole = (await conn.sendRequest(ExecuteCommandRequest.type, { command: 'faultpath.lockGraph', arguments: [uri, null] })) as string;
    assert.match(whole, /i_rwsem/);
  }));

test('Neovim advertises relatedInformation but never shows it: the notes are folded into the message; foldNotes overrides', async () => {
  const file = path.join(root, 'examples', 'write-deadlock.c');
  const uri = pathToFileURL(file).toString();
  const text = fs.readFileSync(file, 'utf8');
  const capabilities = { textDocument: { publishDiagnostics: { relatedInformation: true } } };
  const cases: [string, object, boolean][] = [
    ['Neovim', {}, true],
    ['Visual Studio Code', {}, false],
    ['Neovim', { foldNotes: false }, false],
    ['Visual Studio Code', { foldNotes: true }, true],
  ];
  for (const [name, options, folded] of cases) {
    await withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
      const diags = diagnosticsOf(conn);
      await conn.sendRequest(InitializeRequest.type, {
        processId: process.pid, rootUri: null, capabilities, clientInfo: { name, version: '0.10.0' },
        initializationOptions: { ...options, settings: { faultpath: { index: { enabled: false } } } },
      });
      await conn.sendNotification(InitializedNotification.type, {});
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
      const d = (await diags.until((p) => p.uri === uri && p.diagnostics.length > 0)).diagnostics.find((x) => x.code === 'fault-under-page-lock')!;
      const label = `${name} ${JSON.stringify(options)}`;
      if (folded) {
        assert.match(d.message, /\n17: page lock on 'page' taken here/, label);
        assert.equal(d.relatedInformation, undefined, label);
      } else {
        assert.doesNotMatch(d.message, /\n/, label);
        assert.ok(d.relatedInformation?.some((r) => r.location.range.start.line === 16), label);
      }
    });
  }
});

test('faultpath lsp --stdio starts the same server from the CLI', () =>
  withServer([path.join(root, 'dist', 'cli.js'), 'lsp', '--stdio'], async (conn) => {
    const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo?.name, 'faultpath');
    assert.equal(init.capabilities.hoverProvider, true);
  }));

test('workspace index: a helper in a file that is not open is followed once the workspace is indexed, with progress', () =>
  withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
    const ws = fs.mkdtempSync(path.join(require('os').tmpdir(), 'fp-ws-'));
    for (const f of ['caller.c', 'helpers.c']) fs.copyFileSync(path.join(root, 'test', 'fixtures', 'summaries-multi', f), path.join(ws, f));
    const diags = diagnosticsOf(conn);
    const progress = progressOf(conn);
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(ws).toString(),
      workspaceFolders: [{ uri: pathToFileURL(ws).toString(), name: 'ws' }],
      capabilities: { window: { workDoneProgress: true } },
    });
    await conn.sendNotification(InitializedNotification.type, {});
    const uri = pathToFileURL(path.join(ws, 'caller.c')).toString();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(path.join(ws, 'caller.c'), 'utf8') } });
    // alone, caller.c calls two unknown functions; with helpers.c indexed, take_page() locks
    // the page and fetch_user_word() faults: the deadlock at line 8
    const d = await diags.until((p) => p.uri === uri && p.diagnostics.some((x) => x.code === 'fault-under-page-lock'));
    const f = d.diagnostics.find((x) => x.code === 'fault-under-page-lock');
    assert.equal(f?.range.start.line, 7);
    assert.equal(f?.severity, 1);
    assert.equal(diags.seen[0].diagnostics.length, 0, 'before the index: nothing known about the helpers');
    const status = (await conn.sendRequest(ExecuteCommandRequest.type, { command: 'faultpath.indexStatus', arguments: [] })) as { files: number; summaries: number; running: boolean };
    assert.deepEqual({ files: status.files, summaries: status.summaries, running: status.running }, { files: 2, summaries: 2, running: false });
    assert.equal(progress[0], 'begin faultpath: indexing: 2 C files in the workspace');
    assert.equal(progress[progress.length - 1], 'end');
    fs.rmSync(ws, { recursive: true, force: true });
  }));

test('workspace index in a large tree: the Kbuild directory of the document opened, not its top-level directory', () =>
  withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
    // a tree past maxFiles (3): drivers/ has 6 C files, drivers/demo/ (with a Makefile) 2 of them
    const ws = fs.mkdtempSync(path.join(require('os').tmpdir(), 'fp-kbuild-'));
    fs.writeFileSync(path.join(ws, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\n');
    fs.mkdirSync(path.join(ws, 'drivers', 'demo'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'drivers', 'other'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'drivers', 'Makefile'), 'obj-y += demo/ other/\n');
    fs.writeFileSync(path.join(ws, 'drivers', 'demo', 'Makefile'), 'obj-y += caller.o helpers.o\n');
    fs.writeFileSync(path.join(ws, 'drivers', 'other', 'Makefile'), 'obj-y += o1.o o2.o o3.o o4.o\n');
    for (const f of ['caller.c', 'helpers.c']) fs.copyFileSync(path.join(root, 'test', 'fixtures', 'summaries-multi', f), path.join(ws, 'drivers', 'demo', f));
    for (let i = 1; i <= 4; i++) fs.writeFileSync(path.join(ws, 'drivers', 'other', `o${i}.c`), `int o${i}(void) { return ${i}; }\n`);
    const diags = diagnosticsOf(conn);
    const progress = progressOf(conn);
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(ws).toString(),
      workspaceFolders: [{ uri: pathToFileURL(ws).toString(), name: 'ws' }],
      capabilities: { window: { workDoneProgress: true } },
      initializationOptions: { settings: { faultpath: { index: { maxFiles: 3 } } } },
    });
    await conn.sendNotification(InitializedNotification.type, {});
    const file = path.join(ws, 'drivers', 'demo', 'caller.c');
    const uri = pathToFileURL(file).toString();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(file, 'utf8') } });
    // the helper in the same Kbuild directory is followed
    const d = await diags.until((p) => p.uri === uri && p.diagnostics.some((x) => x.code === 'fault-under-page-lock'));
    assert.equal(d.diagnostics.find((x) => x.code === 'fault-under-page-lock')?.range.start.line, 7);
    const status = (await conn.sendRequest(ExecuteCommandRequest.type, { command: 'faultpath.indexStatus', arguments: [] })) as { files: number };
    assert.equal(status.files, 2, 'drivers/demo/ only, not the 6 files of drivers/');
    assert.equal(progress[0], `begin faultpath: indexing: 2 C files in ${path.join('drivers', 'demo')}/`);
    fs.rmSync(ws, { recursive: true, force: true });
  }));

test('workspace as the tree: a patch applies to the workspace file and is read on whole functions', () =>
  withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
    const diags = diagnosticsOf(conn);
    const ws = path.join(root, 'test', 'trees', 'demo');
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(ws).toString(),
      capabilities: {},
      initializationOptions: { settings: { faultpath: { index: { enabled: false } } } },
    });
    await conn.sendNotification(InitializedNotification.type, {});
    const patch = path.join(root, 'test', 'patches', 'fix-pagecache-write-deadlocks-U3.patch');
    const uri = pathToFileURL(patch).toString();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'diff', version: 1, text: fs.readFileSync(patch, 'utf8') } });
    // hunk-local the lock is outside the hunks (nothing to say); on the workspace's file the fix shows
    const d = await diags.until((p) => p.uri === uri);
    assert.deepEqual(d.diagnostics.map((x) => [x.range.start.line + 1, x.code]), [[40, 'fault-under-page-lock']]);
    assert.match(d.diagnostics[0].message, /fixed/);
  }));

test('a large document is analysed in slices: other requests are answered meanwhile, and a newer version stops the older', () =>
  withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
    const diags = diagnosticsOf(conn);
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification(InitializedNotification.type, {});
    // 4,000 functions that each copy from user space under the page lock
    let big = '';
    for (let i = 0; i < 4000; i++) big += `int f${i}(struct page *page, char __user *b, char *k)\n{\n\tlock_page(page);\n\tif (copy_from_user(k, b, ${i}))\n\t\treturn -EFAULT;\n\tunlock_page(page);\n\treturn 0;\n}\n\n`;
    const bigUri = 'file:///big/generated.c';
    const events: string[] = [];
    diags.until((p) => p.uri === bigUri, 120000).then(() => events.push('big diagnostics'), () => undefined);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: bigUri, languageId: 'c', version: 1, text: big } });
    // a newer version right away: version 1 is stopped, never published
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: bigUri, version: 2 }, contentChanges: [{ text: big + '/* v2 */\n' }] });
    const file = path.join(root, 'examples', 'write-deadlock.c');
    const uri = pathToFileURL(file).toString();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(file, 'utf8') } });
    const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 21, character: 9 } });
    events.push('hover');
    assert.match((hover?.contents as MarkupContent).value, /page lock on 'page'/);
    const d = await diags.until((p) => p.uri === bigUri, 120000);
    assert.deepEqual(events, ['hover', 'big diagnostics']);
    assert.equal(d.version, 2);
    assert.equal(d.diagnostics.filter((x) => x.code === 'fault-under-page-lock').length, 4000);
    assert.ok(diags.seen.filter((p) => p.uri === bigUri).every((p) => p.version === 2), 'version 1 was never published');
  }));

test('a function past a budget is shown as information where it starts', () =>
  withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
    const diags = diagnosticsOf(conn);
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification(InitializedNotification.type, {});
    const deep = 'int ok(void)\n{\n\treturn 0;\n}\n\nvoid f(struct page *page, char __user *b)\n{\n\tlock_page(page);\n' + '{'.repeat(10000) + 'copy_from_user(0, b, 1);' + '}'.repeat(10000) + '\n}\n';
    const uri = 'file:///deep/nesting.c';
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: deep } });
    const d = await diags.until((p) => p.uri === uri);
    const info = d.diagnostics.filter((x) => x.code === 'not-analysed');
    assert.equal(info.length, 1, JSON.stringify(d.diagnostics));
    assert.equal(info[0].range.start.line, 5);
    assert.equal(info[0].severity, 3);
    assert.match(info[0].message, /^f\(\) at line 6: nesting deeper than the analysis reads/);
  }));

test('the workspace folder\'s top Makefile sets the kernel version; faultpath.kernelVersion overrides it', async () => {
  const ws = fs.mkdtempSync(path.join(require('os').tmpdir(), 'fp-ws-ver-'));
  try {
    fs.writeFileSync(path.join(ws, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 1\n');
    fs.mkdirSync(path.join(ws, 'mm'));
    const file = path.join(ws, 'mm', 'memory.c');
    // the 6.1 shape: clean with the 6.1 meaning of folio_lock_or_retry(), wrong with the 6.6+ one
    fs.copyFileSync(path.join(root, 'test', 'clean', 'folio-lock-or-retry-6.1.c'), file);
    const uri = pathToFileURL(file).toString();
    for (const [settings, want] of [[{}, 0], [{ kernelVersion: '6.12' }, 4]] as const) {
      await withServer([path.join(root, 'dist', 'server.js'), '--stdio'], async (conn) => {
        const diags = diagnosticsOf(conn);
        const logs: string[] = [];
        conn.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
        await conn.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: pathToFileURL(ws).toString(),
          capabilities: {},
          initializationOptions: { settings: { faultpath: { ...settings, index: { enabled: false } } } },
        });
        await conn.sendNotification(InitializedNotification.type, {});
        await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(file, 'utf8') } });
        const d = await diags.until((p) => p.uri === uri);
        assert.equal(d.diagnostics.length, want, JSON.stringify(d.diagnostics.map((x) => [x.range.start.line + 1, x.code])));
        assert.ok(logs.includes(want ? 'faultpath: Linux 6.12 from faultpath.kernelVersion' : `faultpath: Linux 6.1 from ${path.join(ws, 'Makefile')}`), JSON.stringify(logs));
      });
    }
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
