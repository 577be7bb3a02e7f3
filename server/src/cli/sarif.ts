// SARIF 2.1.0 output. Rule metadata (descriptions, help, default level) comes
// from the rules' declarations through render/rules.ts, as the README and
// `faultpath explain` do; there is no public documentation site, so no
// helpUri or informationUri: the help text travels in the log. Locations are
// relative to SRCROOT (the working directory) or, with --tree, KERNELTREE (the
// tree the patches apply to); a patch finding has a second location in the
// patched (or, for a fixed finding, the original) file, relative to
// KERNELTREE, which stays undefined without --tree. partialFingerprints are
// the baseline's (cli/baseline.ts): they do not depend on line numbers.
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Problem } from '../analysis';
import { CHECKS } from '../checks';
import type { Finding, Severity } from '../findings/finding';
import type { KernelVersionInfo } from '../kernel/version';
import { sarifRuleMetadata } from '../render/rules';
import { baselineJson, kernelVersionJson } from './format';
import { BaselineUse, FINGERPRINT_KEY } from './baseline';

export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export interface SarifOptions {
  /** --tree: the kernel tree patches were applied to. */
  tree?: string;
  kernelVersion?: KernelVersionInfo;
  /** --baseline: what it held back, said in the run's properties. */
  baseline?: BaselineUse;
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

const encodePath = (p: string): string => p.split(/[\\/]/).map(encodeURIComponent).join('/');

/** A directory as a SARIF base URI: absolute, ending in a slash. */
const baseUri = (dir: string): string => pathToFileURL(path.resolve(dir)).href.replace(/\/?$/, '/');

function under(dir: string, file: string): string | null {
  const r = path.relative(dir, file);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : null;
}

export function formatSarif(findings: Finding[], problems: Problem[], version: string, cwd: string, opts: SarifOptions = {}): string {
  const tree = opts.tree ? path.resolve(cwd, opts.tree) : undefined;
  const artifact = (file: string): ArtifactLocation => {
    if (file === '-' || file === '<stdin>') return { uri: encodeURIComponent(file) };
    const abs = path.resolve(cwd, file);
    const inTree = tree ? under(tree, abs) : null;
    if (inTree) return { uri: encodePath(inTree), uriBaseId: 'KERNELTREE' };
    const inCwd = under(cwd, abs);
    return inCwd ? { uri: encodePath(inCwd), uriBaseId: 'SRCROOT' } : { uri: pathToFileURL(abs).href };
  };
  const loc = (file: string, line: number, col?: number, endLine?: number, endCol?: number): Record<string, unknown> => ({
    physicalLocation: {
      artifactLocation: artifact(file),
      region: { startLine: line, ...(col ? { startColumn: col } : {}), ...(endLine ? { endLine, endColumn: endCol } : {}) },
    },
  });
  const ruleIndex = new Map(CHECKS.map((c, i) => [c.id, i]));
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        ...loc(f.file, f.range.start.line + 1, f.range.start.character + 1, f.range.end.line + 1, f.range.end.character + 1),
        logicalLocations: [{ name: f.function, kind: 'function' }],
      },
      ...(f.target
        ? [{
            physicalLocation: { artifactLocation: { uri: encodePath(f.target.file), uriBaseId: 'KERNELTREE' }, region: { startLine: f.target.line } },
            message: { text: f.status === 'fixed' ? 'in the file before the patch' : 'in the patched file' },
          }]
        : []),
    ],
    // cli/baseline.ts: rule, function, the flagged code and its lock, the occurrence; so a SARIF log is a baseline
    ...(f.fingerprint ? { partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint } } : {}),
    relatedLocations: f.notes.map((n, i) => ({ id: i, message: { text: n.message }, ...loc(n.file, n.range.start.line + 1, n.range.start.character + 1) })),
    ...(f.status ? { baselineState: f.status === 'introduced' ? 'new' : f.status === 'fixed' ? 'absent' : 'unchanged' } : {}),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'faultpath',
            version,
            rules: CHECKS.map((c) => sarifRuleMetadata(c, SARIF_LEVEL[c.severity])),
          },
        },
        originalUriBaseIds: {
          SRCROOT: { uri: baseUri(cwd), description: { text: 'The directory faultpath ran in' } },
          ...(tree ? { KERNELTREE: { uri: baseUri(tree), description: { text: 'The kernel tree the patches were applied to (--tree)' } } } : {}),
        },
        columnKind: 'utf16CodeUnits',
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: problems.map((p) => ({ level: 'warning', message: { text: p.message }, locations: [loc(p.file, 1)] })),
          },
        ],
        ...(opts.kernelVersion || opts.baseline
          ? {
              properties: {
                ...(opts.kernelVersion ? { kernelVersion: kernelVersionJson(opts.kernelVersion, cwd) } : {}),
                ...(opts.baseline ? { baseline: baselineJson(opts.baseline, cwd) } : {}),
              },
            }
          : {}),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
