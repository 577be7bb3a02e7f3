// The .vsix holds exactly the allowlist of .vscodeignore, and the server it
// ships starts on the wasm parser alone (the native addon is not packaged).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, ShutdownRequest, ExitNotification,
} from 'vscode-languageserver-protocol/node';

import { diagnosticsOf } from './lsp-client';

const root = path.join(__dirname, '..');

test('vsce would package exactly the allowlist', () => {
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
  assert.deepEqual(files, [
    'LICENSE',
    'README.md',
    'dist/client.js',
    'dist/server.js',
    'dist/worker.js',
    'grammars/PROVENANCE',
    'grammars/tree-sitter-c.wasm',
    'grammars/web-tree-sitter.wasm',
    'package.json',
    'syntaxes/faultpath-mail.tmLanguage.json',
  ]);
});

test('the packaged server runs on web-tree-sitter alone, with no node_modules around it', async () => {
  // the package's layout (dist/server.js beside grammars/), copied where nothing can be resolved
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-vsix-'));
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.mkdirSync(path.join(dir, 'grammars'));
  for (const f of ['server.js', 'worker.js']) fs.copyFileSync(path.join(root, 'dist', f), path.join(dir, 'dist', f));
  for (const w of ['tree-sitter-c.wasm', 'web-tree-sitter.wasm']) fs.copyFileSync(path.join(root, 'grammars', w), path.join(dir, 'grammars', w));
  const proc = spawn(process.execPath, [path.join(dir, 'dist', 'server.js'), '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  // the workspace (caller.c beside helpers.c) is indexed on a worker thread, also wasm-only
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws);
  for (const f of ['caller.c', 'helpers.c']) fs.copyFileSync(path.join(root, 'test', 'fixtures', 'summaries-multi', f), path.join(ws, f));
  const { until } = diagnosticsOf(conn);
  conn.listen();
  try {
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(ws).toString(), capabilities: {} });
    await conn.sendNotification(InitializedNotification.type, {});
    const file = path.join(root, 'examples', 'write-deadlock.c');
    const example = pathToFileURL(file).toString();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: example, languageId: 'c', version: 1, text: fs.readFileSync(file, 'utf8') },
    });
    const d = await until((p) => p.uri === example);
    assert.deepEqual(d.diagnostics.map((x) => x.code), ['fault-under-page-lock', 'fault-under-fault-path-lock']);
    const caller = pathToFileURL(path.join(ws, 'caller.c')).toString();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: caller, languageId: 'c', version: 1, text: fs.readFileSync(path.join(ws, 'caller.c'), 'utf8') },
    });
    const c = await until((p) => p.uri === caller && p.diagnostics.length > 0);
    assert.deepEqual(c.diagnostics.map((x) => [x.range.start.line + 1, x.code]), [[8, 'fault-under-page-lock']]);
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
  } finally {
    conn.dispose();
    proc.kill();
  }
});
