// Findings become LSP diagnostics here, at the edge (clangd Diagnostics.h):
// code = rule id, codeDescription = the rule's entry in the README that ships
// with the server (generated from the rule's declaration, as SARIF's help
// text is; no link when the README is not beside the bundle), notes as relatedInformation,
// folded into the message when the client cannot show related information.
import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding } from '../findings/finding';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Whether the client shows a diagnostic's relatedInformation. Neovim (0.7 to
 * 0.10, and later as far as known) advertises the capability but never shows
 * it, so where the lock was taken, the fault path and the fix would be lost:
 * for Neovim the notes are folded into the message. The initialization
 * option `foldNotes` (true/false) overrides the guess for any client.
 */
export function showsRelatedInformation(
  capabilities: { textDocument?: { publishDiagnostics?: { relatedInformation?: boolean } } } | null | undefined,
  clientInfo: { name: string; version?: string } | undefined,
  initializationOptions: unknown,
): boolean {
  const fold = (initializationOptions as { foldNotes?: unknown } | null | undefined)?.foldNotes;
  if (fold === true) return false;
  const advertised = !!capabilities?.textDocument?.publishDiagnostics?.relatedInformation;
  if (fold === false) return advertised;
  if (clientInfo && /^n?vim$|neovim/i.test(clientInfo.name)) return false;
  return advertised;
}

const README = path.join(__dirname, '..', 'README.md');
/** The shipped README as a file URI ending in `#`, or undefined. */
export const RULE_DOCS: string | undefined = fs.existsSync(README) ? pathToFileURL(README).href + '#' : undefined;

export function toDiagnostic(f: Finding, docUri: string, docFile: string, relatedInformation: boolean): Diagnostic {
  const uriOf = (file: string): string => (file === docFile ? docUri : pathToFileURL(file).toString());
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    ...(RULE_DOCS ? { codeDescription: { href: RULE_DOCS + f.rule } } : {}),
    source: 'faultpath',
    // patches: the verdict and the place in the patched file
    message: f.status ? `${f.message} [${f.status}${f.target ? `, ${f.target.file}:${f.target.line}` : ''}]` : f.message,
    ...(f.status ? { data: { status: f.status, target: f.target } } : {}),
  };
  if (relatedInformation) {
    d.relatedInformation = f.notes.map(
      (n): DiagnosticRelatedInformation => ({ location: { uri: uriOf(n.file), range: n.range }, message: n.message }),
    );
  } else if (f.notes.length) {
    d.message += '\n' + f.notes.map((n) => `${n.file === docFile ? '' : n.file + ':'}${n.range.start.line + 1}: ${n.message}`).join('\n');
  }
  return d;
}
