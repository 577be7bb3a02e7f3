// What the stdio LSP tests share: publishDiagnostics collected as they come,
// and a wait for the first one that satisfies a predicate.
import type { ProtocolConnection, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { PublishDiagnosticsNotification } from 'vscode-languageserver-protocol/node';

export function diagnosticsOf(conn: ProtocolConnection) {
  const seen: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    seen.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  return {
    seen,
    until: (pred: (p: PublishDiagnosticsParams) => boolean, ms = 30000): Promise<PublishDiagnosticsParams> =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no such diagnostics within ${ms} ms: ${JSON.stringify(seen.map((s) => [s.uri, s.diagnostics.map((d) => [d.range.start.line + 1, d.code])]))}`)), ms);
        const check = (): void => {
          const hit = seen.find(pred);
          if (hit) {
            clearTimeout(t);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      }),
  };
}

/** `$/progress` notifications as "kind title: message" lines (work-done progress accepted). */
export function progressOf(conn: ProtocolConnection): string[] {
  const progress: string[] = [];
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('$/progress', (p: { value: { kind: string; title?: string; message?: string } }) =>
    progress.push(`${p.value.kind}${p.value.title ? ' ' + p.value.title : ''}${p.value.message ? ': ' + p.value.message : ''}`),
  );
  return progress;
}
