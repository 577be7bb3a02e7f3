// Findings become LSP diagnostics here, at the edge (clangd Diagnostics.h):
// code = rule id, codeDescription = README anchor, notes as relatedInformation,
// folded into the message when the client cannot show related information.
import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import { pathToFileURL } from 'url';
import type { Finding } from '../findings/finding';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const RULE_DOCS = 'https://github.com/faultpath/faultpath#';

export function toDiagnostic(f: Finding, docUri: string, docFile: string, relatedInformation: boolean): Diagnostic {
  const uriOf = (file: string): string => (file === docFile ? docUri : pathToFileURL(file).toString());
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: RULE_DOCS + f.rule },
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
