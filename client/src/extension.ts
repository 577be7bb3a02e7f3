// Builds the server options, starts the client, nothing more.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

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
  context.subscriptions.push(
    vscode.commands.registerCommand('faultpath.showLockState', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      const report = await client.sendRequest<string | null>('workspace/executeCommand', {
        command: 'faultpath.lockStateReport',
        arguments: [editor.document.uri.toString(), editor.selection.active.line],
      });
      if (!report) {
        void vscode.window.showInformationMessage('faultpath: no function at the cursor');
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('faultpath.showLockGraph', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      const svg = await client.sendRequest<string | null>('workspace/executeCommand', {
        command: 'faultpath.lockGraph',
        arguments: [editor.document.uri.toString(), editor.selection.active.line],
      });
      if (!svg) {
        void vscode.window.showInformationMessage('faultpath: no nested locks in this file');
        return;
      }
      const panel = vscode.window.createWebviewPanel('faultpath.lockGraph', 'Lock order', vscode.ViewColumn.Beside, { enableScripts: false });
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';"></head><body style="background:#fff">${svg}</body></html>`;
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
