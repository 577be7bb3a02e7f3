// Editor latency and memory, measured side by side with a bare tree-sitter
// parse of the same file in the same run (machines here are noisy: compare
// the ratios). The server is the bundled one, spawned and driven over stdio.
//
//   npx tsx bench/editor.ts [LINUX_SRC] [RUNS] [FILE]
// FILE is relative to the tree (mm/filemap.c by default; a drivers/ file shows
// what a Kbuild-directory index costs in the largest top-level directory).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, PublishDiagnosticsNotification,
  PublishDiagnosticsParams, HoverRequest, ShutdownRequest, ExitNotification, ExecuteCommandRequest,
} from 'vscode-languageserver-protocol/node';
import { createParser } from '../server/src/syntax/parser';

const root = path.join(__dirname, '..');
const src = process.argv[2] ?? '/tmp/faultpath-linux/linux-source-6.12';
const runs = Number(process.argv[3] ?? 5);
const rel = process.argv[4] ?? path.join('mm', 'filemap.c');
const file = path.join(src, rel);
const dir = path.dirname(file);
if (!fs.existsSync(file)) {
  console.error(`bench/editor: ${file} not found (bash bench/corpus.sh unpacks linux-source-6.12)`);
  process.exit(2);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;

async function main(): Promise<void> {
  const text = fs.readFileSync(file, 'utf8');
  const parser = await createParser('wasm'); // the extension's parser
  const parseMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    parser.parse(text).delete();
    parseMs.push(performance.now() - t);
  }

  const proc = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, FAULTPATH_PARSER: 'wasm' } });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let waiter: ((p: PublishDiagnosticsParams) => void) | null = null;
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => waiter?.(p));
  conn.listen();
  const nextDiagnostics = (uri: string, version: number): Promise<number> =>
    new Promise((resolve) => {
      const t = performance.now();
      waiter = (p) => {
        if (p.uri === uri && (p.version ?? version) >= version) resolve(performance.now() - t);
      };
    });
  // the kernel tree is the workspace: opening mm/filemap.c indexes mm/ (a tree this large is indexed by directory)
  let indexed: (() => void) | null = null;
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('$/progress', (p: { value: { kind: string } }) => {
    if (p.value.kind === 'end') indexed?.();
  });
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(src).toString(),
    workspaceFolders: [{ uri: pathToFileURL(src).toString(), name: 'linux' }],
    capabilities: { window: { workDoneProgress: true } },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  const rssOf = (): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const indexDone = new Promise<void>((resolve) => (indexed = resolve));
  const tIndex = performance.now();
  const firstUri = pathToFileURL(file).toString();
  const firstDiagnostics = nextDiagnostics(firstUri, 1);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: firstUri, languageId: 'c', version: 1, text } });
  const coldOpenMs = await firstDiagnostics;
  await indexDone;
  const indexMs = performance.now() - tIndex;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rssIndexed = rssOf();
  const status = (await conn.sendRequest(ExecuteCommandRequest.type, { command: 'faultpath.indexStatus', arguments: [] })) as { files: number; summaries: number };

  const openMs: number[] = [];
  const editMs: number[] = [];
  const hoverMs: number[] = [];
  const lines = text.split('\n');
  const target = lines.findIndex((l) => /^\s+folio = filemap_get_folio\(mapping, index\);/.test(l));
  const hoverLine = target >= 0 ? target : Math.floor(lines.length / 2);
  for (let i = 0; i < runs; i++) {
    const uri = pathToFileURL(file).toString() + `?run=${i}`;
    let p = nextDiagnostics(uri, 1);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
    openMs.push(await p);
    // one-line edits inside functions, one after another, each waited for
    const edited = [...lines];
    for (let k = 0; k < 5; k++) {
      const at = (hoverLine + k * 97) % lines.length;
      edited[at] = edited[at] + ` /* edit ${k} */`;
      p = nextDiagnostics(uri, 2 + k);
      const tEdit = performance.now();
      await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 + k }, contentChanges: [{ text: edited.join('\n') }] });
      await p;
      editMs.push(performance.now() - tEdit);
    }
    const tHover = performance.now();
    await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: hoverLine, character: 4 } });
    hoverMs.push(performance.now() - tHover);
  }
  // the server's memory with every file of the document's directory open
  const rssOneOpen = rssOf();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.c'))) {
    const uri = pathToFileURL(path.join(dir, f)).toString();
    const p = nextDiagnostics(uri, 1);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(path.join(dir, f), 'utf8') } });
    await p;
  }
  const rss = rssOf();
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  conn.dispose();
  proc.kill();

  const base = median(parseMs);
  const rdir = path.relative(src, dir) + '/';
  console.log(`${rel} (${(text.length / 1024).toFixed(0)} KiB), ${runs} runs, wasm parser in the server as in the extension`);
  console.log(`  bare tree-sitter parse        ${fmt(parseMs)}`);
  console.log(`  first didOpen -> diagnostics  ${coldOpenMs.toFixed(1)} ms = ${(coldOpenMs / base).toFixed(1)}x parse (cold: nothing cached, server just started)`);
  console.log(`  didOpen -> diagnostics        ${fmt(openMs)}  = ${(median(openMs) / base).toFixed(1)}x parse (the same text again: per-function cache warm)`);
  console.log(`  one-line edit -> diagnostics  ${fmt(editMs)}  = ${(median(editMs) / base).toFixed(1)}x parse (${editMs.length} edits; includes the adaptive debounce)`);
  console.log(`  hover                         ${fmt(hoverMs)}  = ${(median(hoverMs) / base).toFixed(1)}x parse`);
  console.log(`  workspace index of ${rdir.padEnd(10)} ${(indexMs / 1000).toFixed(1)} s on a worker thread (${status.files} files, ${status.summaries} summaries); server RSS after it ${rssIndexed.toFixed(0)} MiB`);
  console.log(`  server RSS after the runs      ${rssOneOpen.toFixed(0)} MiB (one document, ${runs} copies of it opened)`);
  console.log(`  server RSS with ${rdir}*.c open ${rss.toFixed(0)} MiB (index kept)`);
}

void main();
