// Builds the server options, starts the client, nothing more.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
const LOCK_STATE_SCHEME = 'faultpath-lockstate';
const lockStateReports = new Map<string, string>();
const lockStateChanged = new vscode.EventEmitter<vscode.Uri>();
/** The lock-order graph in the theme's colours; the reported cycle in the error colour. */
const GRAPH_CSS = [
  'body { background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); }',
  'svg line { stroke: var(--vscode-editor-foreground); }',
  'svg line.cycle { stroke: var(--vscode-errorForeground); }',
  'svg text, svg circle, svg marker path { fill: var(--vscode-editor-foreground); }',
].join(' ');

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // settings reach the server at start and on every change (section faultpath)
    initializationOptions: { settings: { faultpath: vscode.workspace.getConfiguration('faultpath') } },
    synchronize: { configurationSection: 'faultpath' },
    documentSelector: [
      { scheme: 'file', language: 'c' },
      { scheme: 'file', language: 'diff' },
      { scheme: 'file', language: 'faultpath-mail' },
    ],
  };
  client = new LanguageClient('faultpath', 'faultpath', serverOptions, clientOptions);
  /** A command that asks the server about the cursor's function and shows the answer. */
  const cursorCommand = (id: string, serverCommand: string, none: string, show: (answer: string) => Promise<void>) =>
    vscode.commands.registerCommand(id, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      const answer = await client.sendRequest<string | null>('workspace/executeCommand', {
        command: serverCommand,
        arguments: [editor.document.uri.toString(), editor.selection.active.line],
      });
      if (!answer) {
        void vscode.window.showInformationMessage(`faultpath: ${none}`);
        return;
      }
      await show(answer);
    });
  context.subscriptions.push(
    // a read-only virtual document: nothing to save, and shown again it is refreshed
    vscode.workspace.registerTextDocumentContentProvider(LOCK_STATE_SCHEME, {
      onDidChange: lockStateChanged.event,
      provideTextDocumentContent: (uri) => lockStateReports.get(uri.toString()) ?? '',
    }),
    cursorCommand('faultpath.showLockState', 'faultpath.lockStateReport', 'no function at the cursor', async (report) => {
      const fn = /^# Lock state: (\w+)/.exec(report)?.[1] ?? 'function';
      const uri = vscode.Uri.from({ scheme: LOCK_STATE_SCHEME, path: `/${fn}.md` });
      lockStateReports.set(uri.toString(), report);
      lockStateChanged.fire(uri);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }),
    cursorCommand('faultpath.showLockGraph', 'faultpath.lockGraph', 'no nested locks in this file', async (svg) => {
      const panel = vscode.window.createWebviewPanel('faultpath.lockGraph', 'Lock order', vscode.ViewColumn.Beside, { enableScripts: false });
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';"><style>${GRAPH_CSS}</style></head><body>${svg}</body></html>`;
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
