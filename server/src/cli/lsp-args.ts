// `faultpath lsp` needs a transport the language server library reads from
// its arguments (vscode-languageserver/node createConnection: --stdio,
// --node-ipc, --socket=PORT, --pipe=NAME); without one the library throws
// with a stack trace, so the CLI says what to give instead (status 2).
const TRANSPORT = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;
const OTHER = /^--clientProcessId=\d+$/;

/** Why the arguments of `faultpath lsp` cannot start a server, or null. */
export function lspTransportError(args: string[]): string | null {
  const unknown = args.filter((a) => !TRANSPORT.test(a) && !OTHER.test(a));
  if (unknown.length) return `lsp: unknown argument '${unknown[0]}'; usage: faultpath lsp --stdio`;
  const transports = args.filter((a) => TRANSPORT.test(a));
  if (transports.length === 0) return 'lsp: say how the editor talks to the server: faultpath lsp --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)';
  if (transports.length > 1) return `lsp: give one transport, not ${transports.join(' and ')}`;
  return null;
}
