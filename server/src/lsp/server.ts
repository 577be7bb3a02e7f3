// The language server: capabilities and wiring only. Diagnostics for C
// documents are pushed on open and change (debounced; a newer edit supersedes
// a pending run) and cleared on close. Hover, inlay hints, code actions, patch
// documents and the workspace index arrive with the editor issue (#4).
import { CodeAction, CodeActionKind, createConnection, DiagnosticSeverity, InlayHint, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'url';
import { emptyConfig, parseConfig, tableFor } from '../kernel/config';
import { describeKernelVersion, KernelVersionInfo } from '../kernel/version';
import { findKernelMakefile } from '../cli/kernel-version';
import { Backend, createParser } from '../syntax/parser';
import type { CParser } from '../syntax/tree';
import { showsRelatedInformation, toDiagnostic } from './diagnostics';
import { FunctionCache } from '../cache';
import { IncrementalIndexer } from '../phase1';
import { Cancelled } from '../analysis';
import { WorkspaceIndex } from './workspace';
import { treeFileReader } from '../patch/tree-files';
import { analyzeForEditor, DocumentAnalysis, hoverAt, inlayHints, lockGraphSvg, lockStateReport, quickFixes } from './features';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
// settings (initializationOptions or workspace/didChangeConfiguration, section faultpath)
let table = tableFor(emptyConfig());
let severityOverride: Record<string, string> = {};
let hints = { enabled: true, allCalls: false };
let hoverEnabled = true;
let config = emptyConfig();
let indexing = { enabled: true, maxFiles: 4000 };
let workspaceRoot: string | null = null;
let index: WorkspaceIndex | null = null;

function applySettings(raw: unknown): void {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const cfg = emptyConfig();
  try {
    if (Array.isArray(s.apis) || typeof s.kernelVersion === 'string') {
      const parsed = parseConfig(JSON.stringify({ apis: Array.isArray(s.apis) ? s.apis : [], ...(s.kernelVersion ? { kernelVersion: s.kernelVersion } : {}) }), 'faultpath settings');
      Object.assign(cfg, parsed);
    }
  } catch (err) {
    connection.window.showWarningMessage(`faultpath: ${(err as Error).message}`);
  }
  // faultpath.kernelVersion, else VERSION/PATCHLEVEL of the workspace folder's top Makefile
  const kernel: KernelVersionInfo = cfg.kernelVersion ? { version: cfg.kernelVersion, source: 'settings' } : treeVersion();
  cfg.kernelVersion = kernel.version;
  if (kernel.version !== lastKernelVersion) connection.console.log(`faultpath: ${describeKernelVersion(kernel)}`);
  lastKernelVersion = kernel.version;
  table = tableFor(cfg);
  config = cfg;
  const ix = (s.index ?? {}) as Record<string, unknown>;
  const nextIndexing = { enabled: ix.enabled !== false, maxFiles: typeof ix.maxFiles === 'number' && ix.maxFiles > 0 ? ix.maxFiles : 4000 };
  if (index && (nextIndexing.enabled !== indexing.enabled || nextIndexing.maxFiles !== indexing.maxFiles || JSON.stringify(cfg) !== JSON.stringify(config))) index = null;
  indexing = nextIndexing;
  severityOverride = s.severity && typeof s.severity === 'object' ? (s.severity as Record<string, string>) : {};
  const ih = (s.inlayHints ?? {}) as Record<string, unknown>;
  hints = { enabled: ih.enabled !== false, allCalls: ih.allCalls === true };
  const hv = (s.hover ?? {}) as Record<string, unknown>;
  hoverEnabled = hv.enabled !== false;
  cache.clear();
  analyses.clear();
  generation++;
}
let lastKernelVersion: string | null | undefined;
let treeVersionOf: { root: string | null; info: KernelVersionInfo } | null = null;
/** The workspace folder's kernel version, read once per folder. */
function treeVersion(): KernelVersionInfo {
  if (!treeVersionOf || treeVersionOf.root !== workspaceRoot) {
    const found = workspaceRoot ? findKernelMakefile(workspaceRoot) : null;
    treeVersionOf = { root: workspaceRoot, info: found ? { version: found.version, source: 'makefile', file: found.file } : { version: null, source: 'unknown' } };
  }
  return treeVersionOf.info;
}
let parserReady: Promise<CParser> | null = null;
// the extension ships only the wasm parser; FAULTPATH_PARSER picks one (benchmarks, tests)
const backend: Backend = process.env.FAULTPATH_PARSER === 'wasm' || process.env.FAULTPATH_PARSER === 'native' ? process.env.FAULTPATH_PARSER : 'auto';
let relatedInformation = false;
const timers = new Map<string, NodeJS.Timeout>();
// functions whose text and callees did not change keep their results across edits
const cache = new FunctionCache();
// the last analysis of each open document, by version (hover and inlay hints read it)
const analyses = new Map<string, { version: number; analysis: DocumentAnalysis }>();
const inFlight = new Map<string, { version: number; generation: number; promise: Promise<DocumentAnalysis> }>();
// bumped when settings or the workspace index change: analyses begun before are not kept
let generation = 0;
// Edits wait as long as the document's last analysis took (so a burst of typing
// costs at most one analysis per pause), at most 150 ms; a newer edit restarts
// the wait, and results for a superseded version are never published.
const MAX_DEBOUNCE_MS = 150;
const lastDuration = new Map<string, number>();
// per document: its tree, kept and re-parsed incrementally, and what each definition held
const indexers = new Map<string, IncrementalIndexer>();
/** Arguments: the document URI and a 0-based line inside the function. Returns Markdown or null. */
const LOCK_STATE_COMMAND = 'faultpath.lockStateReport';
/** Arguments: the document URI and a 0-based line (or null for the whole document). Returns SVG or null. */
const LOCK_GRAPH_COMMAND = 'faultpath.lockGraph';
/** No arguments. Returns the workspace index's state: { files, summaries, ms, running }. */
const INDEX_STATUS_COMMAND = 'faultpath.indexStatus';

connection.onInitialize((params) => {
  relatedInformation = showsRelatedInformation(params.capabilities, params.clientInfo, params.initializationOptions);
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  workspaceRoot = folder ? fileOf(folder) : null;
  const init = params.initializationOptions as { settings?: { faultpath?: unknown } } | undefined;
  // with no settings yet, the table still follows the workspace's kernel version
  applySettings(init?.settings?.faultpath ?? {});
  parserReady = createParser(backend);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      inlayHintProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: [LOCK_STATE_COMMAND, LOCK_GRAPH_COMMAND, INDEX_STATUS_COMMAND] },
    },
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
  const parser = await (parserReady ?? (parserReady = createParser(backend)));
  const current = documents.get(doc.uri);
  if (!current || current.version !== doc.version) return; // superseded
  const file = fileOf(doc.uri);
  try {
    const t0 = Date.now();
    const analysis = await analysisOf(parser, doc);
    lastDuration.set(doc.uri, Date.now() - t0);
    const diagnostics = analysis.findings
      .filter((f) => severityOverride[f.rule] !== 'off')
      .map((f) => {
        const sev = severityOverride[f.rule];
        return toDiagnostic(sev === 'error' || sev === 'warning' || sev === 'info' || sev === 'hint' ? { ...f, severity: sev } : f, doc.uri, file, relatedInformation);
      });
    // a function past a budget is said so where it starts (the rest is analysed)
    for (const n of analysis.notAnalysed) {
      diagnostics.push({ range: { start: { line: n.line, character: 0 }, end: { line: n.line, character: 0 } }, severity: DiagnosticSeverity.Information, code: 'not-analysed', source: 'faultpath', message: n.message });
    }
    if (documents.get(doc.uri)?.version === doc.version) connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  } catch (err) {
    if (err instanceof Cancelled) return; // a newer version is on its way
    // never take the server down for one document: log it, answer empty
    connection.console.error(`faultpath: ${doc.uri}: ${(err as Error).stack ?? err}`);
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  }
}

/** One analysis per document version, shared by diagnostics, hover and the rest. */
function analysisOf(parser: CParser, doc: TextDocument): Promise<DocumentAnalysis> {
  const known = analyses.get(doc.uri);
  if (known && known.version === doc.version) return Promise.resolve(known.analysis);
  const running = inFlight.get(doc.uri);
  if (running && running.version === doc.version && running.generation === generation) return running.promise;
  const promise = analyze(parser, doc).finally(() => {
    if (inFlight.get(doc.uri)?.promise === promise) inFlight.delete(doc.uri);
  });
  inFlight.set(doc.uri, { version: doc.version, generation, promise });
  return promise;
}

async function analyze(parser: CParser, doc: TextDocument): Promise<DocumentAnalysis> {
  const gen = generation;
  let indexer = indexers.get(doc.uri);
  if (!indexer) {
    indexer = new IncrementalIndexer(parser, true);
    indexers.set(doc.uri, indexer);
  }
  const root = workspaceRoot;
  const analysis = await analyzeForEditor(parser, fileOf(doc.uri), doc.getText(), table, doc.languageId, cache, indexer, {
    external: index ?? undefined,
    // patches apply to the workspace's files, as --tree does on the command line
    readTreeFile: root ? treeFileReader(root) : undefined,
    treeName: root ? 'the workspace' : undefined,
  }, () => documents.get(doc.uri)?.version !== doc.version);
  if (gen === generation) analyses.set(doc.uri, { version: doc.version, analysis });
  return analysis;
}

function schedule(doc: TextDocument): void {
  const t = timers.get(doc.uri);
  if (t) clearTimeout(t);
  const delay = Math.min(MAX_DEBOUNCE_MS, lastDuration.get(doc.uri) ?? 0);
  timers.set(doc.uri, setTimeout(() => {
    timers.delete(doc.uri);
    void validate(doc);
  }, delay));
}

documents.onDidOpen((e) => {
  schedule(e.document);
  workspaceIndex()?.touch(fileOf(e.document.uri));
});

/** The workspace index, made on first use (none without a workspace folder or when turned off). */
function workspaceIndex(): WorkspaceIndex | null {
  if (!workspaceRoot || !indexing.enabled) return null;
  if (!index) {
    index = new WorkspaceIndex({
      root: workspaceRoot,
      maxFiles: indexing.maxFiles,
      config,
      progress: async () => {
        const reporter = await connection.window.createWorkDoneProgress();
        return {
          begin: (title, message) => reporter.begin(title, 0, message),
          report: (percent, message) => reporter.report(percent, message),
          done: () => reporter.done(),
        };
      },
      onUpdated: () => {
        analyses.clear();
        generation++;
        for (const doc of documents.all()) schedule(doc);
      },
      log: (m) => connection.console.log(m),
    });
  }
  return index;
}
documents.onDidChangeContent((e) => schedule(e.document));
/**
 * The analysis of the document as it is now (started here if an edit is still
 * debounced); if that one is overtaken by a newer edit, the last one finished.
 */
async function current(uri: string): Promise<DocumentAnalysis | null> {
  const doc = documents.get(uri);
  if (!doc) return null;
  const parser = await (parserReady ?? (parserReady = createParser(backend)));
  try {
    return await analysisOf(parser, doc);
  } catch (err) {
    if (err instanceof Cancelled) return analyses.get(uri)?.analysis ?? null;
    throw err;
  }
}

connection.onHover(async (params) => {
  try {
    if (!hoverEnabled) return null;
    const a = await current(params.textDocument.uri);
    const parser = await (parserReady ?? (parserReady = createParser(backend)));
    const text = a ? hoverAt(parser, a, params.position.line, table, params.position.character) : null;
    return text ? { contents: { kind: 'markdown', value: text } } : null;
  } catch (err) {
    connection.console.error(`faultpath: hover ${params.textDocument.uri}: ${(err as Error).message}`);
    return null;
  }
});

connection.languages.inlayHint.on(async (params) => {
  try {
    const a = await current(params.textDocument.uri);
    if (!a || !hints.enabled) return [];
    return inlayHints(a, params.range.start.line, params.range.end.line, table, hints.allCalls).map(
      (h): InlayHint =>
        h.before
          ? { position: { line: h.line, character: h.character }, label: h.label, paddingRight: true }
          : { position: { line: h.line, character: h.character }, label: h.label, paddingLeft: true },
    );
  } catch (err) {
    connection.console.error(`faultpath: inlay hints ${params.textDocument.uri}: ${(err as Error).message}`);
    return [];
  }
});

connection.onCodeAction(async (params) => {
  try {
    const a = await current(params.textDocument.uri);
    if (!a) return [];
    return quickFixes(a, params.range.start.line, params.range.end.line).map(({ finding, fix }): CodeAction => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: fix.preferred,
      diagnostics: params.context.diagnostics.filter((d) => d.code === finding.rule && d.range.start.line === finding.range.start.line),
      edit: { changes: { [params.textDocument.uri]: fix.edits.map((e) => ({ range: { start: e.start, end: e.end }, newText: e.newText })) } },
    }));
  } catch (err) {
    connection.console.error(`faultpath: code actions ${params.textDocument.uri}: ${(err as Error).message}`);
    return [];
  }
});

connection.onExecuteCommand(async (params) => {
  if (params.command === INDEX_STATUS_COMMAND) return index ? { ...index.stats, running: index.isRunning } : null;
  const [uri, line] = (params.arguments ?? []) as [string, number | null];
  const a = typeof uri === 'string' ? await current(uri) : null;
  if (!a) return null;
  if (params.command === LOCK_STATE_COMMAND) return typeof line === 'number' ? lockStateReport(a, line, table) : null;
  if (params.command === LOCK_GRAPH_COMMAND) return lockGraphSvg(a, typeof line === 'number' ? line : null);
  return null;
});

connection.onDidChangeConfiguration((params) => {
  const settings = (params.settings as { faultpath?: unknown } | null)?.faultpath;
  applySettings(settings);
  for (const doc of documents.all()) schedule(doc);
});

documents.onDidClose((e) => {
  analyses.delete(e.document.uri);
  indexers.get(e.document.uri)?.dispose();
  indexers.delete(e.document.uri);
  lastDuration.delete(e.document.uri);
  const t = timers.get(e.document.uri);
  if (t) clearTimeout(t);
  timers.delete(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
