// The language server: capabilities and wiring only. Diagnostics for C
// documents are pushed on open and change (debounced; a newer edit supersedes
// a pending run) and cleared on close. Hover, inlay hints, code actions, patch
// documents and the workspace index arrive with the editor issue (#4).
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'url';
import { analyzeDocuments } from '../analysis';
import { emptyConfig, tableFor } from '../kernel/config';
import { createParser } from '../syntax/parser';
import type { CParser } from '../syntax/tree';
import { toDiagnostic } from './diagnostics';
import { FunctionCache } from '../cache';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const table = tableFor(emptyConfig());
let parserReady: Promise<CParser> | null = null;
let relatedInformation = false;
const timers = new Map<string, NodeJS.Timeout>();
// functions whose text and callees did not change keep their results across edits
const cache = new FunctionCache();
const DEBOUNCE_MS = 150;

connection.onInitialize((params) => {
  relatedInformation = !!params.capabilities.textDocument?.publishDiagnostics?.relatedInformation;
  parserReady = createParser('auto');
  return {
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'faultpath', version: '0.1.0' },
  };
});

function fileOf(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

async function validate(doc: TextDocument): Promise<void> {
  const parser = await (parserReady ?? (parserReady = createParser('auto')));
  const current = documents.get(doc.uri);
  if (!current || current.version !== doc.version) return; // superseded
  const file = fileOf(doc.uri);
  try {
    const result = analyzeDocuments(parser, [{ file, text: doc.getText() }], { table, cache });
    for (const p of result.problems) connection.console.log(`faultpath: ${p.file}: ${p.message}`);
    const diagnostics = result.findings.filter((f) => f.file === file).map((f) => toDiagnostic(f, doc.uri, file, relatedInformation));
    if (documents.get(doc.uri)?.version === doc.version) connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  } catch (err) {
    // never take the server down for one document: log it, answer empty
    connection.console.error(`faultpath: ${doc.uri}: ${(err as Error).stack ?? err}`);
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  }
}

function schedule(doc: TextDocument): void {
  const t = timers.get(doc.uri);
  if (t) clearTimeout(t);
  timers.set(doc.uri, setTimeout(() => {
    timers.delete(doc.uri);
    void validate(doc);
  }, DEBOUNCE_MS));
}

documents.onDidOpen((e) => schedule(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  const t = timers.get(e.document.uri);
  if (t) clearTimeout(t);
  timers.delete(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
