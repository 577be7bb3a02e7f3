// Nothing reads facts back out of a message (issue 16). Findings, notes and
// problems carry their facts as data (`Finding.facts`, `Note.fact`,
// `Problem.function`/`line`); a regular expression, `.includes`,
// `.startsWith` or `.split` over a `.message` means a rewording can silently
// break a quick fix, a hover or a patch verdict. This scans the sources.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tsSources } from '../source-files';

const SRC = path.resolve(__dirname, '../../server/src');

/**
 * Files that may take a message apart: the code that words messages (a
 * render/ module, when there is one). Each entry says why.
 */
const ALLOWED: Record<string, string> = {};

/** `re.test(x.message)`, `re.exec(x.message)`, `x.message.match(...)`, `x.message.includes(...)`, ... */
const PARSES = [
  /\.(?:test|exec)\(\s*[\w.$?!()[\]]*\.message\s*\)/,
  /\.message\s*\??\.\s*(?:match|matchAll|includes|startsWith|endsWith|split|replace|replaceAll|search|indexOf|lastIndexOf)\s*\(/,
];

/** The lines of `text` that parse a message. */
export function messageParsing(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  text.split('\n').forEach((l, i) => {
    // comments aside, and an Error's message is not a finding's
    const code = l.replace(/\/\/.*$/, '').replace(/\(\s*(?:err|error|e)\s+as\s+Error\s*\)\.message|\b(?:err|error)\.message/g, 'errorText');
    if (PARSES.some((p) => p.test(code))) out.push({ line: i + 1, text: l.trim() });
  });
  return out;
}


test('the scan catches the message parsing issue 16 removed', () => {
  // what checks/fixes.ts, lsp/features.ts did before findings carried facts
  const before = [
    "    const m = x.file === f.file ? PAGE_LOCK_NOTE.exec(x.message) : null;",
    "  if (f.rule !== 'fault-under-page-lock' || !/ faults user pages in /.test(f.message)) return null;",
    "        const m = /^\\S+\\(\\) at line (\\d+): (.*)$/.exec(p.message);",
    "  if (n.message.startsWith('page lock')) return n;",
    "  const [what] = f.message.split(' while ');",
    "  return notes.some((x) => x.message.includes('taken here'));",
  ];
  for (const l of before) assert.equal(messageParsing(l).length, 1, l);
  // wording a message, and an Error's message, are fine
  for (const l of [
    "      message: `fixed by this patch: ${p.finding.message} (${where}, before the patch)`,",
    "      out.checkProblems.push(`${j.fn.name}(): check ${c.id} failed: ${(err as Error).message}`);",
    "    if (f.facts?.fault !== 'fault-in') return null;",
  ]) assert.deepEqual(messageParsing(l), [], l);
});

test('no source under server/src reads a finding, note or problem message back', () => {
  const root = process.env.FAULTPATH_SCAN_ROOT ? path.resolve(process.env.FAULTPATH_SCAN_ROOT) : SRC;
  const found: string[] = [];
  for (const file of tsSources(root)) {
    const rel = path.relative(root, file);
    if (rel in ALLOWED || rel.startsWith('render' + path.sep)) continue;
    for (const m of messageParsing(fs.readFileSync(file, 'utf8'))) found.push(`${rel}:${m.line}: ${m.text}`);
  }
  assert.deepEqual(found, [], 'read the typed facts (Finding.facts, Note.fact, Problem.function/line) instead:\n' + found.join('\n'));
});
