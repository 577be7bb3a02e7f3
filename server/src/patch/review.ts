// Patch review: every diff block of a document (a patch, or a diff quoted in
// a reply) is analysed as pre-image and post-image, hunk by hunk, and each
// finding is classified: introduced (post only), fixed (pre only, reported as
// info on the removed or context line), unchanged (both). Findings are
// reported on the lines of the input document, with the file and line in the
// patched file as their target.
import { analyzeDocuments, AnalysisOptions, AnalysisResult, AnalysisStats, Problem, SourceDoc } from '../analysis';
import type { AssumedLock } from '../flow/engine';
import { RELEASED } from '../flow/state';
import { HELD_BEFORE_HUNK } from '../checks/check';
import type { Finding, Note, Range } from '../findings/finding';
import { readDocument, DocKind } from '../input/mail';
import { filePatchesOf, FilePatch, Hunk } from '../input/patch';
import type { CParser } from '../syntax/tree';
import { hunkImage, Image } from './images';

export interface ReviewResult {
  kind: DocKind;
  findings: Finding[];
  problems: Problem[];
  stats: AnalysisStats;
  /** Diff blocks read, and how many were quoted in replies. */
  blocks: number;
  quotedBlocks: number;
  hunks: number;
}

interface ImageDoc {
  image: Image;
  fp: FilePatch;
  hunk: Hunk;
  side: 'pre' | 'post';
}

const C_FILE = /\.(c|h)$|\(unknown\)$/;

/** Larger patch documents are skipped with a message (a 50 MB mbox is an archive, not a review). */
export const MAX_PATCH_DOCUMENT = 32 * 1024 * 1024;

export function reviewDocument(parser: CParser, file: string, text: string, opts: AnalysisOptions): ReviewResult {
  const t0 = Date.now();
  const empty = (message: string): ReviewResult => ({
    kind: 'diff',
    findings: [],
    problems: [{ file, message }],
    stats: { files: 1, functions: 0, functionsAnalysed: 0, functionsWithParseErrors: 0, ms: Date.now() - t0 },
    blocks: 0,
    quotedBlocks: 0,
    hunks: 0,
  });
  if (text.length > MAX_PATCH_DOCUMENT) return empty(`skipped: larger than ${MAX_PATCH_DOCUMENT / (1024 * 1024)} MiB; split the mbox or give the patches one by one`);
  if (text.slice(0, 8192).includes('\u0000')) return empty('skipped: binary data, not a patch');
  const doc = readDocument(text);
  const { files, problems: readProblems } = filePatchesOf(doc);
  const problems: Problem[] = readProblems.map((message) => ({ file, message }));
  const docLines = text.split(/\r?\n/);
  nameUnknownFiles(files);

  // one unit per diff block: its hunks are analysed together (helpers the patch adds give summaries)
  const units = new Map<string, FilePatch[]>();
  for (const fp of files) {
    const k = `${fp.message}/${fp.block}`;
    units.set(k, [...(units.get(k) ?? []), fp]);
  }
  const findings: Finding[] = [];
  const stats: AnalysisStats = { files: 0, functions: 0, functionsAnalysed: 0, functionsWithParseErrors: 0, ms: 0 };
  let hunks = 0;
  for (const [unitKey, fps] of units) {
    const images = new Map<string, ImageDoc>();
    const pre: SourceDoc[] = [];
    const post: SourceDoc[] = [];
    fps.forEach((fp, fi) => {
      if (!C_FILE.test(fp.newPath === '/dev/null' ? fp.oldPath : fp.newPath)) return;
      fp.hunks.forEach((h, hi) => {
        hunks++;
        for (const side of ['pre', 'post'] as const) {
          const name = `${file}#${unitKey}/${fi}/${hi}/${side}`;
          const image = hunkImage(h, side);
          images.set(name, { image, fp, hunk: h, side });
          (side === 'pre' ? pre : post).push({ file: name, text: image.text });
        }
      });
    });
    if (!post.length) continue;
    const before = analyzeSide(parser, pre, images, opts);
    const after = analyzeSide(parser, post, images, opts);
    for (const r of [before, after]) {
      stats.functions += r.stats.functions;
      stats.functionsAnalysed += r.stats.functionsAnalysed;
      stats.functionsWithParseErrors += r.stats.functionsWithParseErrors;
    }
    const mapped = (r: typeof before) => r.findings.map((f) => mapFinding(f, images, file, docLines)).filter((f): f is Mapped => !!f);
    findings.push(...verdicts(mapped(before), mapped(after)));
  }
  stats.files = 1;
  stats.ms = Date.now() - t0;
  const blocks = new Set(files.map((f) => `${f.message}/${f.block}`));
  return {
    kind: doc.kind,
    findings,
    problems,
    stats,
    blocks: blocks.size,
    quotedBlocks: new Set(files.filter((f) => f.quoteDepth > 0).map((f) => `${f.message}/${f.block}`)).size,
    hunks,
  };
}

/**
 * A hunk that releases a lock it never takes started with that lock held: a
 * reviewer reads `unlock_page(page)` at the end of a hunk that way, and so does
 * the second pass here (the entry state of a hunk is otherwise unknown).
 */
function analyzeSide(parser: CParser, docs: SourceDoc[], images: Map<string, ImageDoc>, opts: AnalysisOptions): AnalysisResult {
  const first = analyzeDocuments(parser, docs, { ...opts, keepFlows: true });
  const inferred = new Map<string, AssumedLock[]>();
  for (const [docName, flows] of first.flows ?? []) {
    const img = images.get(docName);
    if (!img || !img.image.wrapped) continue;
    for (const fl of flows) {
      if (fl.fn.name !== img.image.wrapped) continue;
      const found = new Map<string, AssumedLock>();
      for (const e of fl.events) {
        if (e.kind !== 'return') continue;
        for (const f of e.state.locks.values()) {
          if (f.fromCaller && f.paths & RELEASED && f.cls !== 'other' && f.via !== '__must_hold' && f.via !== '__releases') {
            found.set(f.key, { key: f.key, cls: f.cls, mode: f.mode === 'mixed' ? 'write' : f.mode, via: HELD_BEFORE_HUNK });
          }
        }
      }
      if (found.size) inferred.set(docName, [...found.values()]);
    }
  }
  if (!inferred.size) return first;
  return analyzeDocuments(parser, docs, {
    ...opts,
    assumeHeld: (file, fn) => (images.get(file)?.image.wrapped === fn ? inferred.get(file) : undefined),
  });
}

/** A quoted hunk without its file header takes the file of the patch hunk with the same header. */
function nameUnknownFiles(files: FilePatch[]): void {
  const known = files.filter((f) => !f.newPath.endsWith('(unknown)'));
  for (const f of files) {
    if (!f.newPath.endsWith('(unknown)')) continue;
    for (const h of f.hunks) {
      const twin = known.find((k) => k.hunks.some((x) => x.oldStart === h.oldStart && x.section === h.section));
      if (twin) {
        f.newPath = twin.newPath;
        f.oldPath = twin.oldPath;
        break;
      }
    }
  }
}

interface Mapped {
  finding: Finding;
  side: 'pre' | 'post';
  op: ' ' | '+' | '-';
  lineText: string;
}

function mapFinding(f: Finding, images: Map<string, ImageDoc>, file: string, docLines: string[]): Mapped | null {
  const img = images.get(f.file);
  if (!img) return null;
  const at = nearestMapped(img.image, f.range.start.line);
  if (!at) return null;
  const path = img.side === 'pre' ? img.fp.oldPath : img.fp.newPath;
  const notes: Note[] = [];
  for (const n of f.notes) {
    const ni = images.get(n.file);
    if (!ni) {
      notes.push(n);
      continue;
    }
    const na = nearestMapped(ni.image, n.range.start.line);
    if (na) notes.push({ ...n, file, range: viewRange(na.line.view, docLines, na.line.text, n.range) });
  }
  if (img.image.wrapped) {
    notes.push({
      file,
      range: viewRange(img.hunk.headerView, docLines, '', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
      message: `hunk-local analysis: the hunk starts inside ${img.image.wrapped}(), so locks taken before it are not known here`,
    });
  }
  return {
    finding: {
      ...f,
      file,
      range: viewRange(at.line.view, docLines, at.line.text, f.range),
      notes,
      target: { file: path, line: at.fileLine },
    },
    side: img.side,
    op: at.line.op,
    lineText: at.line.text.trim(),
  };
}

function nearestMapped(image: Image, line: number): NonNullable<Image['map'][number]> | null {
  for (let d = 0; d < image.map.length; d++) {
    const a = image.map[line + d];
    if (a) return a;
    const b = image.map[line - d];
    if (b) return b;
  }
  return null;
}

/** The range on the document line: columns shift by what precedes the code there (quote prefix, +/-). */
function viewRange(view: number, docLines: string[], code: string, r: Range): Range {
  const docLine = docLines[view] ?? '';
  const prefix = Math.max(0, docLine.length - code.length);
  const width = r.start.line === r.end.line ? r.end.character - r.start.character : code.length - r.start.character;
  const start = { line: view, character: prefix + r.start.character };
  return { start, end: { line: view, character: start.character + Math.max(0, width) } };
}

function keyOf(m: Mapped): string {
  return `${m.finding.rule}|${m.finding.function}|${m.finding.message}|${m.lineText}`;
}

function verdicts(pre: Mapped[], post: Mapped[]): Finding[] {
  const out: Finding[] = [];
  const remaining = new Map<string, Mapped[]>();
  for (const p of pre) remaining.set(keyOf(p), [...(remaining.get(keyOf(p)) ?? []), p]);
  for (const p of post) {
    const twins = remaining.get(keyOf(p));
    if (twins && twins.length) {
      twins.shift();
      out.push({ ...p.finding, status: 'unchanged' });
    } else out.push({ ...p.finding, status: 'introduced' });
  }
  for (const list of remaining.values()) {
    for (const p of list) {
      const where = p.op === '-' ? 'the removed line' : 'this line';
      out.push({
        ...p.finding,
        severity: 'info',
        status: 'fixed',
        message: `fixed by this patch: ${p.finding.message} (${where}, before the patch)`,
      });
    }
  }
  return out;
}
