// Patch review: every diff block of a document (a patch, or a diff quoted in
// a reply) is analysed as pre-image and post-image, hunk by hunk, and each
// finding is classified: introduced (post only), fixed (pre only, reported as
// info on the removed or context line), unchanged (both). Findings are
// reported on the lines of the input document, with the file and line in the
// patched file as their target.
import { analyzeDocuments, AnalysisOptions, AnalysisResult, AnalysisStats, Problem, SourceDoc } from '../analysis';
import type { AssumedLock } from '../flow/engine';
import { HELD, RELEASED } from '../flow/state';
import { HELD_BEFORE_HUNK } from '../checks/check';
import { wholeFunctionRules } from '../checks';
import { offsetOfLine, stateAt } from '../flow/describe';
import { lockStateFacts } from '../findings/lock-state';
import { lockStateLines } from '../render/lock-state';
import { LineIndex } from '../syntax/lines';
import { factsKey, Finding, Note, Range } from '../findings/finding';
import { readDocument, DocKind } from '../input/mail';
import { filePatchesOf, FilePatch, Hunk } from '../input/patch';
import { applyPatch } from 'diff';
import type { CParser } from '../syntax/tree';
import { hunkImage, Image, ImageLine, mergedImage, openTail, sideLines, UNNAMED_PREFIX, wrapperSignature } from './images';
import type { TreeFile } from './tree-files';

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

export interface ReviewOptions extends AnalysisOptions {
  /**
   * Reads a file of the tree the patches apply to (`--tree DIR`), by its path in
   * the patch; null when it is not there. With it, each patch of the document is
   * applied in memory on top of the ones before it and whole functions are analysed.
   */
  readTreeFile?: (path: string) => TreeFile;
  /** How the tree is named in notes. */
  treeName?: string;
}

export function reviewDocument(parser: CParser, file: string, text: string, opts: ReviewOptions): ReviewResult {
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
  const overlay = new Map<string, string>();
  const treeUnits = opts.readTreeFile ? seriesOrder(units, doc) : [];
  const handledByTree = new Set<string>();
  for (const unitKey of treeUnits) {
    const fps = units.get(unitKey) ?? [];
    const hunkLocal: FilePatch[] = [];
    for (const fp of fps) {
      const path = fp.newPath === '/dev/null' ? fp.oldPath : fp.newPath;
      if (!C_FILE.test(path)) continue;
      const r = reviewAgainstTree(parser, file, fp, docLines, overlay, opts);
      if (r.applied) {
        hunks += fp.hunks.length;
        findings.push(...r.findings);
        for (const s of [r.pre, r.post]) {
          stats.functions += s.functions;
          stats.functionsAnalysed += s.functionsAnalysed;
          stats.functionsWithParseErrors += s.functionsWithParseErrors;
        }
      } else {
        problems.push({ file, message: r.why });
        hunkLocal.push(fp);
      }
    }
    // what did not apply is still read hunk by hunk below
    if (hunkLocal.length) units.set(unitKey, hunkLocal);
    else handledByTree.add(unitKey);
  }
  for (const [unitKey, fps] of units) {
    if (handledByTree.has(unitKey)) continue;
    const images = new Map<string, ImageDoc>();
    const pre: SourceDoc[] = [];
    const post: SourceDoc[] = [];
    fps.forEach((fp, fi) => {
      if (!C_FILE.test(fp.newPath === '/dev/null' ? fp.oldPath : fp.newPath)) return;
      fp.hunks.forEach((h, hi) => {
        hunks++;
        for (const side of ['pre', 'post'] as const) {
          const name = `${file}#${unitKey}/${fi}/${hi}/${side}`;
          const image = hunkImage(fp.hunks, hi, side);
          images.set(name, { image, fp, hunk: h, side });
          (side === 'pre' ? pre : post).push({ file: name, text: image.text });
        }
      });
    });
    if (!post.length) continue;
    // whole-function syntactic rules read all hunks of a function at once (merged images)
    const WHOLE = wholeFunctionRules();
    const wholeRules = WHOLE.filter((r) => (!opts.only || opts.only.includes(r)) && !(opts.ignore ?? []).includes(r));
    const entryUnknown = (doc: string, fn: string): boolean => images.get(doc)?.image.wrapped === fn;
    const perHunk: AnalysisOptions = { ...opts, ignore: [...(opts.ignore ?? []), ...WHOLE], entryUnknown };
    const mergedPre: SourceDoc[] = [];
    const mergedPost: SourceDoc[] = [];
    fps.forEach((fp, fi) => {
      for (const side of ['pre', 'post'] as const) {
        // hunks grouped by the function they are in; a group may start at the tail of the
        // hunk before it, which opens the function (filemap_fault()'s head and locals)
        const groups = new Map<string, { signature: string; lead: ImageLine[] | null; bodies: ImageLine[][]; first: Hunk }>();
        fp.hunks.forEach((h, hi) => {
          const img = images.get(`${file}#${unitKey}/${fi}/${hi}/${side}`);
          if (!img || !img.image.wrapped || !C_FILE.test(fp.newPath)) return;
          const name = img.image.wrapped;
          const sig = wrapperSignature(h.section) ?? (hi > 0 ? wrapperSignature(fp.hunks[hi - 1].section) : null) ?? `static void ${name}(void)`;
          let g = groups.get(name);
          if (!g) {
            let lead: ImageLine[] | null = null;
            if (hi > 0) {
              const prev = sideLines(fp.hunks[hi - 1], side);
              const tail = openTail(prev);
              if (tail && tail.name === name) lead = prev.slice(tail.from);
            }
            g = { signature: sig, lead, bodies: [], first: h };
            groups.set(name, g);
          }
          g.bodies.push(sideLines(h, side));
        });
        for (const [name, g] of groups) {
          const docName = `${file}#${unitKey}/${fi}/merged/${name}/${side}`;
          const image = mergedImage(g.lead, g.bodies, g.signature, name);
          images.set(docName, { image, fp, hunk: g.first, side });
          (side === 'pre' ? mergedPre : mergedPost).push({ file: docName, text: image.text });
        }
      }
    });
    const before = analyzeSide(parser, pre, images, perHunk);
    const after = analyzeSide(parser, post, images, perHunk);
    if (wholeRules.length && mergedPost.length) {
      const only = { ...opts, only: wholeRules, entryUnknown };
      before.findings.push(...analyzeDocuments(parser, mergedPre, only).findings);
      after.findings.push(...analyzeDocuments(parser, mergedPost, only).findings);
    }
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
  // per hunk image: what it implies about its own start, and what it leaves behind at its end
  interface Ends {
    doc: string;
    order: number;
    group: string;
    released: Map<string, AssumedLock>;
    enablesFaults: boolean;
    heldAtEnd: Map<string, AssumedLock>;
    faultsOffAtEnd: boolean;
  }
  const ends: Ends[] = [];
  for (const [docName, flows] of first.flows ?? []) {
    const img = images.get(docName);
    if (!img || !img.image.wrapped) continue;
    for (const fl of flows) {
      if (fl.fn.name !== img.image.wrapped) continue;
      const e: Ends = {
        doc: docName,
        order: img.hunk.oldStart,
        group: `${img.fp.message}/${img.fp.block}/${img.fp.newPath}/${img.image.wrapped}`,
        released: new Map(),
        enablesFaults: false,
        heldAtEnd: new Map(),
        faultsOffAtEnd: false,
      };
      for (const ev of fl.events) {
        // pagefault_enable() with nothing to enable: faults were off when the hunk started
        if (ev.kind === 'call' && ev.state.faultsOff.max === 0 && ev.rows.some((r) => r.effect === 'faults-on')) e.enablesFaults = true;
        if (ev.kind !== 'return') continue;
        for (const f of ev.state.locks.values()) {
          if (f.fromCaller && f.paths & RELEASED && f.cls !== 'other' && f.via !== '__must_hold' && f.via !== '__releases') {
            e.released.set(f.key, { key: f.key, cls: f.cls, mode: f.mode === 'mixed' ? 'write' : f.mode, via: HELD_BEFORE_HUNK });
          }
        }
      }
      const exit = fl.exitState;
      if (exit) {
        for (const f of exit.locks.values()) {
          if (f.paths === HELD && !f.fromCaller && f.cls !== 'other' && f.scope === undefined) {
            e.heldAtEnd.set(f.key, { key: f.key, cls: f.cls, mode: f.mode === 'mixed' ? 'write' : f.mode, via: HELD_BEFORE_HUNK });
          }
        }
        e.faultsOffAtEnd = exit.faultsOff.min > 0;
      }
      ends.push(e);
    }
  }
  // A hunk that releases what it never took started with it held; so does every hunk of the
  // same function between one that takes it (and keeps it) and one that releases it.
  const inferred = new Map<string, AssumedLock[]>();
  const faultsOff = new Set<string>();
  const groups = new Map<string, Ends[]>();
  for (const e of ends) groups.set(e.group, [...(groups.get(e.group) ?? []), e]);
  for (const list of groups.values()) {
    list.sort((a, b) => a.order - b.order);
    list.forEach((e, i) => {
      const locks = new Map(e.released);
      let off = e.enablesFaults;
      for (let j = 0; j < i; j++) {
        for (const [k, l] of list[j].heldAtEnd) if (list.slice(i).some((x) => x.released.has(k))) locks.set(k, l);
        if (list[j].faultsOffAtEnd && list.slice(i).some((x) => x.enablesFaults)) off = true;
      }
      if (locks.size) inferred.set(e.doc, [...locks.values()]);
      if (off) faultsOff.add(e.doc);
    });
  }
  if (!inferred.size && !faultsOff.size) return first;
  return analyzeDocuments(parser, docs, {
    ...opts,
    assumeHeld: (file, fn) => (images.get(file)?.image.wrapped === fn ? inferred.get(file) : undefined),
    assumeFaultsOff: (file, fn) => images.get(file)?.image.wrapped === fn && faultsOff.has(file),
  });
}

/** Top-level patches (not quoted in replies), in series order ([PATCH n/m]) or document order. */
function seriesOrder(units: Map<string, FilePatch[]>, doc: { messages: { index: number; series: { n: number } | null }[] }): string[] {
  const keys = [...units.keys()].filter((k) => (units.get(k) ?? []).every((fp) => fp.quoteDepth === 0));
  const n = (k: string): number => {
    const m = doc.messages[Number(k.split('/')[0])];
    return m && m.series ? m.series.n : Number(k.split('/')[0]);
  };
  return keys.sort((a, b) => n(a) - n(b) || Number(a.split('/')[0]) - Number(b.split('/')[0]) || Number(a.split('/')[1]) - Number(b.split('/')[1]));
}

/** Where a hunk's lines of one side stand in a file: exact, then without the outer context lines (fuzz). */
function locate(fileLines: string[], seq: string[], expected: number): number {
  const tryFind = (s: string[], exp: number): number => {
    if (!s.length) return -1;
    for (let d = 0; d < fileLines.length; d++) {
      for (const at of d ? [exp + d, exp - d] : [exp]) {
        if (at < 0 || at + s.length > fileLines.length) continue;
        let ok = true;
        for (let i = 0; i < s.length && ok; i++) ok = fileLines[at + i] === s[i];
        if (ok) return at;
      }
    }
    return -1;
  };
  const exact = tryFind(seq, expected);
  if (exact >= 0 || seq.length < 3) return exact;
  const inner = tryFind(seq.slice(1, -1), expected + 1);
  return inner >= 0 ? inner - 1 : -1;
}

interface TreeReview {
  applied: boolean;
  why: string;
  findings: Finding[];
  pre: AnalysisStats;
  post: AnalysisStats;
}

/**
 * The file patch applied in memory to the tree (on top of the earlier patches
 * of the series, kept in `overlay`), both whole files analysed, and findings
 * mapped back to the document through where each hunk landed.
 */
function reviewAgainstTree(parser: CParser, file: string, fp: FilePatch, docLines: string[], overlay: Map<string, string>, opts: ReviewOptions): TreeReview {
  const zero: AnalysisStats = { files: 0, functions: 0, functionsAnalysed: 0, functionsWithParseErrors: 0, ms: 0 };
  const fail = (why: string): TreeReview => ({ applied: false, why, findings: [], pre: zero, post: zero });
  const oldPath = fp.oldPath === '/dev/null' ? fp.newPath : fp.oldPath;
  const newPath = fp.newPath === '/dev/null' ? fp.oldPath : fp.newPath;
  const read = fp.oldPath === '/dev/null' ? '' : overlay.get(oldPath) ?? opts.readTreeFile?.(oldPath) ?? null;
  const tree = opts.treeName ?? 'the tree';
  // a symlink out of the tree, a FIFO, a device or an oversized file is named, never read
  if (read !== null && typeof read === 'object') return fail(`${oldPath}: not read from ${tree} (${read.refused}): hunk-local analysis`);
  const base = read;
  if (base === null) return fail(`${oldPath}: not in ${tree}: hunk-local analysis`);
  const patch = {
    oldFileName: oldPath,
    newFileName: newPath,
    oldHeader: '',
    newHeader: '',
    hunks: fp.hunks.map((h) => ({
      oldStart: h.oldStart,
      oldLines: h.lines.filter((l) => l.op !== '+').length,
      newStart: h.newStart,
      newLines: h.lines.filter((l) => l.op !== '-').length,
      lines: h.lines.map((l) => l.op + l.text),
    })),
  };
  let result: string | false;
  try {
    result = applyPatch(base, patch, { fuzzFactor: 2 });
  } catch {
    result = false;
  }
  if (result === false) return fail(`${newPath}: the patch does not apply to ${tree}: hunk-local analysis`);
  overlay.set(newPath, result);

  // where every hunk line landed, on both sides
  const baseLines = base.split('\n');
  const resultLines = result.split('\n');
  const preMap = new Map<number, { view: number; op: ' ' | '+' | '-'; text: string }>();
  const postMap = new Map<number, { view: number; op: ' ' | '+' | '-'; text: string }>();
  for (const h of fp.hunks) {
    const preSeq = h.lines.filter((l) => l.op !== '+');
    const postSeq = h.lines.filter((l) => l.op !== '-');
    const a = locate(baseLines, preSeq.map((l) => l.text), h.oldStart - 1);
    const b = locate(resultLines, postSeq.map((l) => l.text), h.newStart - 1);
    if (a >= 0) preSeq.forEach((l, i) => preMap.set(a + i, l));
    if (b >= 0) postSeq.forEach((l, i) => postMap.set(b + i, l));
  }
  const preName = `${file}#tree/${oldPath}/pre`;
  const postName = `${file}#tree/${newPath}/post`;
  const before = analyzeDocuments(parser, [{ file: preName, text: base }], opts);
  const after = analyzeDocuments(parser, [{ file: postName, text: result }], opts);
  const note = (side: 'pre' | 'post', f: Finding): Note => ({
    file,
    range: f.range,
    message: `whole-function analysis on ${side === 'pre' ? oldPath : newPath} from ${tree}${side === 'post' ? ' with this patch (and the earlier ones of the series) applied' : ' before this patch'}`,
  });
  const mapOne = (f: Finding, side: 'pre' | 'post'): Mapped | null => {
    const map = side === 'pre' ? preMap : postMap;
    const lines = side === 'pre' ? baseLines : resultLines;
    const line = f.range.start.line;
    let at = map.get(line);
    let outside = false;
    if (!at) {
      // outside the lines the patch shows: the nearest shown line carries it
      let best = -1;
      for (const k of map.keys()) if (best < 0 || Math.abs(k - line) < Math.abs(best - line)) best = k;
      if (best < 0) return null;
      at = map.get(best);
      outside = true;
    }
    if (!at) return null;
    const path = side === 'pre' ? oldPath : newPath;
    const notes: Note[] = f.notes
      .map((n): Note | null => {
        if (n.file !== preName && n.file !== postName) return n;
        const m = (n.file === preName ? preMap : postMap).get(n.range.start.line);
        if (m) return { ...n, file, range: viewRange(m.view, docLines, m.text, n.range) };
        return { ...n, file: path, message: n.message };
      })
      .filter((n): n is Note => !!n);
    const range = viewRange(at.view, docLines, at.text, outside ? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } : f.range);
    const mapped: Finding = { ...f, file, range, notes, target: { file: path, line: line + 1 } };
    mapped.notes.push(note(side, mapped));
    if (outside) mapped.notes.push({ file, range, message: `the call is at ${path}:${line + 1}, outside the lines this patch shows` });
    return { finding: mapped, side, op: at.op, lineText: (lines[line] ?? '').trim(), outside };
  };
  const pre = before.findings.map((f) => mapOne(f, 'pre')).filter((m): m is Mapped => !!m);
  const post = after.findings.map((f) => mapOne(f, 'post')).filter((m): m is Mapped => !!m);
  // a finding the patch does not change, on lines it does not show, is not this patch's business
  const findings = verdicts(pre, post).filter((f) => !(f.status === 'unchanged' && (f as Finding & { outside?: boolean }).outside));
  return { applied: true, why: '', findings: findings.map(stripOutside), pre: before.stats, post: after.stats };
}

function stripOutside(f: Finding): Finding {
  const { outside: _o, ...rest } = f as Finding & { outside?: boolean };
  void _o;
  return rest;
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
  /** Whole-file mode: the finding's line is not among the lines the patch shows. */
  outside?: boolean;
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
    const inside = img.image.wrapped.startsWith(UNNAMED_PREFIX)
      ? 'a function the diff does not name (made without -p)'
      : `${img.image.wrapped}()`;
    notes.push({
      file,
      range: viewRange(img.hunk.headerView, docLines, '', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
      message: `hunk-local analysis: the hunk starts inside ${inside}, so locks taken before it are not known here`,
    });
  }
  return {
    finding: {
      ...f,
      file,
      range: viewRange(at.line.view, docLines, at.line.text, f.range),
      notes,
      // a hunk quoted without its @@ header has no known place in the file
      ...(img.hunk.oldStart === 0 && img.hunk.newStart === 0 ? {} : { target: { file: path, line: at.fileLine } }),
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

/**
 * Pre- and post-image findings are the same finding when rule, function, facts
 * (the lock, the call, how it faults, on which paths) and the code line agree;
 * the wording plays no part.
 */
function keyOf(m: Mapped): string {
  // TODO #16: lock-imbalance gives no facts yet; its findings match by message until it does
  const facts = m.finding.facts ? factsKey(m.finding.facts) : `message:${m.finding.message}`;
  return `${m.finding.rule}|${m.finding.function}|${facts}|${m.lineText}`;
}

function verdicts(pre: Mapped[], post: Mapped[]): Finding[] {
  const out: Finding[] = [];
  const remaining = new Map<string, Mapped[]>();
  for (const p of pre) remaining.set(keyOf(p), [...(remaining.get(keyOf(p)) ?? []), p]);
  for (const p of post) {
    const twins = remaining.get(keyOf(p));
    if (twins && twins.length) {
      twins.shift();
      out.push({ ...p.finding, status: 'unchanged', ...(p.outside ? { outside: true } : {}) } as Finding);
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

/**
 * The lock state before the statement on a 0-based line of a patch document:
 * the post-image for added and context lines, the pre-image for removed ones,
 * with the same entry-state inference as the review. Null off the hunks.
 */
export function describeDocumentLine(parser: CParser, file: string, text: string, line: number, opts: AnalysisOptions): string[] | null {
  const doc = readDocument(text);
  const { files } = filePatchesOf(doc);
  nameUnknownFiles(files);
  for (const fp of files) {
    for (let hi = 0; hi < fp.hunks.length; hi++) {
      const hl = fp.hunks[hi].lines.find((l) => l.view === line);
      if (!hl) continue;
      const side = hl.op === '-' ? 'pre' : 'post';
      // the block's hunks on that side, as the review builds them
      const images = new Map<string, ImageDoc>();
      const docs: SourceDoc[] = [];
      let target = '';
      const block = files.filter((f) => f.message === fp.message && f.block === fp.block);
      block.forEach((bf, fi) =>
        bf.hunks.forEach((h, hj) => {
          const name = `${file}#describe/${fi}/${hj}/${side}`;
          const image = hunkImage(bf.hunks, hj, side);
          images.set(name, { image, fp: bf, hunk: h, side });
          docs.push({ file: name, text: image.text });
          if (bf === fp && hj === hi) target = name;
        }),
      );
      const img = images.get(target);
      if (!img) return null;
      const entryUnknown = (d: string, fn: string): boolean => images.get(d)?.image.wrapped === fn;
      const result = analyzeSide(parser, docs, images, { ...opts, keepFlows: true, entryUnknown });
      const at = img.image.map.findIndex((m) => m?.line === hl);
      if (at < 0) return null;
      const imageLines = new LineIndex(img.image.text);
      const offset = offsetOfLine(img.image.text, at);
      const flow = (result.flows?.get(target) ?? []).find((f) => f.fn.start <= offset && offset < f.fn.end);
      if (!flow) return null;
      const st = stateAt(flow, offset);
      if (!st) return ['(unreachable)'];
      const lineOf = (o: number): number => (nearestMapped(img.image, imageLines.line(o))?.line.view ?? line) + 1;
      const out = lockStateLines(lockStateFacts(st, lineOf), opts.table);
      if (img.image.wrapped) out.push(`Entry state: unknown (the hunk starts inside ${img.image.wrapped}())`);
      return out;
    }
  }
  return null;
}
