// Documents as reviewers receive them: a plain diff, a `git format-patch`
// mail, an mbox of a series, or a list-archive thread page with diffs quoted
// behind `> ` in replies. This module finds the messages and the diff blocks
// in them, recognised by content, and keeps for every diff line the line of
// the input document it came from (the LineMap of STYLE.md). Parsing the
// diffs themselves is left to jsdiff (input/patch.ts).

export type DocKind = 'c' | 'diff' | 'mail' | 'mbox' | 'thread';

export interface ViewLine {
  /** Text with the quote prefix removed. */
  text: string;
  /** 0-based line of the input document. */
  view: number;
}

export interface Message {
  index: number;
  subject: string;
  /** `[PATCH n/m]` position, when the subject has one. */
  series: { n: number; m: number } | null;
  /** 0-based first line of the message in the document. */
  startLine: number;
  blocks: DiffBlock[];
}

export interface DiffBlock {
  message: number;
  /** Index of the block in its message. */
  index: number;
  /** 0 for the patch itself, n for a diff quoted n levels deep in a reply. */
  quoteDepth: number;
  /** Cleaned unified-diff lines (file headers, @@ headers, hunk lines) with their document lines. */
  lines: ViewLine[];
  /** What had to be repaired: dropped comments, restored context prefixes, truncated hunks. */
  repairs: string[];
  /** Repairs that change what is analysed, said as problems: a hunk read past its header's counts. */
  reported?: string[];
}

export interface ReadDocument {
  kind: DocKind;
  messages: Message[];
  problems: string[];
}

const MBOX_FROM = /^From [^\s@]+(@\S+)? .*\d{4}\s*$|^From [0-9a-f]{40} /;
const THREAD_END = /^\^ permalink raw reply/;
const SERIES = /\[[^\]]*?(\d+)\/(\d+)[^\]]*\]/;

export function classify(text: string): DocKind {
  const head = text.slice(0, 200000);
  if (/^\^ permalink raw reply/m.test(head) || /archive mirror/.test(head.slice(0, 400))) return 'thread';
  const froms = (head.match(/^From \S+ .*\d{4}\s*$/gm) ?? []).length;
  if (froms >= 1 && /^Subject:/m.test(head)) return froms > 1 ? 'mbox' : 'mail';
  if (/^(From|Subject|Date|Message-I[Dd]):/m.test(head.slice(0, 4000)) && /^(diff --git|--- |@@ )/m.test(head)) return 'mail';
  if (/^(diff --git |--- \S|\+\+\+ \S|@@ -\d)/m.test(head)) return 'diff';
  // quoted at any depth and spacing: `> `, `>> `, `> > `, `>  > `
  if (/^(?:>[ \t]{0,2})+(diff --git |--- \S|@@ -\d)/m.test(head)) return 'thread';
  return 'c';
}

/** Splits a document into messages (one for a plain diff). */
export function readDocument(text: string): ReadDocument {
  const kind = classify(text);
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  const bounds: { start: number; end: number }[] = [];
  if (kind === 'mbox' || kind === 'mail') {
    let start = 0;
    for (let i = 1; i < lines.length; i++) {
      if (MBOX_FROM.test(lines[i]) && i > start) {
        bounds.push({ start, end: i });
        start = i;
      }
    }
    bounds.push({ start, end: lines.length });
  } else if (kind === 'thread') {
    let start = 0;
    for (let i = 0; i < lines.length; i++) {
      if (THREAD_END.test(lines[i])) {
        bounds.push({ start, end: i + 1 });
        start = i + 1;
      }
    }
    if (start < lines.length) bounds.push({ start, end: lines.length });
  } else bounds.push({ start: 0, end: lines.length });

  const messages: Message[] = [];
  for (const b of bounds) {
    const subject = subjectOf(lines, b.start, b.end);
    const m = SERIES.exec(subject);
    const msg: Message = {
      index: messages.length,
      subject,
      series: m ? { n: Number(m[1]), m: Number(m[2]) } : null,
      startLine: b.start,
      blocks: [],
    };
    msg.blocks = findBlocks(lines, b.start, b.end, msg.index);
    messages.push(msg);
  }
  if (!messages.some((m) => m.blocks.length)) problems.push('no diff found');
  return { kind, messages, problems };
}

function subjectOf(lines: string[], start: number, end: number): string {
  for (let i = start; i < end && i < start + 80; i++) {
    const l = lines[i];
    const s = /^Subject:\s*(.*)$/.exec(l) ?? /^\* (.*)$/.exec(l);
    if (s) {
      let subj = s[1];
      // folded header lines
      for (let j = i + 1; j < end && /^[ \t]\S/.test(lines[j]) && /^Subject:/.test(l); j++) subj += ' ' + lines[j].trim();
      return subj.trim();
    }
  }
  return '';
}

/** Quote depth and the line with its quote prefix removed (`> > `, `>> `, `>`). */
export function unquote(line: string): { depth: number; text: string } {
  let depth = 0;
  let i = 0;
  for (;;) {
    let j = i;
    while (j < line.length && (line[j] === ' ' || line[j] === '\t') && j - i < 2 && depth > 0) j++;
    if (line[j] === '>') {
      depth++;
      i = j + 1;
      if (line[i] === ' ') i++;
      continue;
    }
    break;
  }
  return depth ? { depth, text: line.slice(i) } : { depth: 0, text: line };
}

const FILE_OLD = /^--- (\S+)/;
const FILE_NEW = /^\+\+\+ (\S+)/;
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** Code-looking text: a context line whose leading space was lost in a rendered page (seed 001). */
function looksLikeCode(t: string): boolean {
  const s = t.trim();
  if (!s) return false;
  if (/^(\/\*|\*|\/\/|#\s*(if|else|endif|define|include))/.test(s)) return true;
  if (/[;{}]\s*$/.test(s)) return true;
  if (/^[A-Za-z_][A-Za-z0-9_]*:\s*$/.test(s)) return true; // label
  if (/^(if|else|for|while|switch|case|return|goto|do)\b/.test(s)) return true;
  if (/^[A-Za-z_][\w\s*]*\(.*\)\s*$/.test(s) && !/\.\s*$/.test(s)) return true;
  if (/[=&|]\s*$/.test(s) || /^[&|]{2}/.test(s)) return true;
  return false;
}

/** Diff blocks of one message, at every quote depth. */
function findBlocks(lines: string[], start: number, end: number, message: number): DiffBlock[] {
  const blocks: DiffBlock[] = [];
  let i = start;
  while (i < end) {
    const { depth, text } = unquote(lines[i]);
    const isFileHeader = FILE_OLD.test(text) && i + 1 < end && FILE_NEW.test(unquote(lines[i + 1]).text) && unquote(lines[i + 1]).depth === depth;
    const isHunk = HUNK.test(text);
    if (!isFileHeader && !isHunk) {
      if (depth > 0 && fragmentAt(lines, i, end, depth)) {
        // hunk lines quoted without their @@ header (the reply snipped it): read them as a
        // hunk whose place in the file is not known (start 0)
        const block: DiffBlock = { message, index: blocks.length, quoteDepth: depth, lines: [], repairs: [] };
        block.lines.push({ text: '--- a/(unknown)', view: i }, { text: '+++ b/(unknown)', view: i });
        block.repairs.push(`line ${i + 1}: hunk lines quoted without their @@ header`);
        const fake = ['', '0', String(HEADERLESS), '0', String(HEADERLESS), ' (quoted without its @@ header)'] as unknown as RegExpExecArray;
        i = readHunk(lines, i - 1, end, depth, block, fake);
        i = readBlock(lines, i, end, depth, block);
        if (block.lines.some((l) => l.text.startsWith('@@ '))) blocks.push(block);
        continue;
      }
      i++;
      continue;
    }
    const block: DiffBlock = { message, index: blocks.length, quoteDepth: depth, lines: [], repairs: [] };
    i = readBlock(lines, i, end, depth, block);
    if (block.lines.some((l) => HUNK.test(l.text))) blocks.push(block);
  }
  return blocks;
}

/** Reads file headers and hunks at one quote depth; returns the index after the block. */
function readBlock(lines: string[], i: number, end: number, depth: number, block: DiffBlock): number {
  let pendingOld: ViewLine | null = null;
  while (i < end) {
    const q = unquote(lines[i]);
    if (q.depth !== depth && !(q.depth === 0 && depth === 0)) {
      // a reply's own text between quoted hunks: skip a short run of it, end the block otherwise
      if (nextAtDepth(lines, i, end, depth, 6) < 0) return i;
      block.repairs.push(`line ${i + 1}: reviewer text inside the quoted diff skipped`);
      i++;
      continue;
    }
    const t = q.text;
    if (/^diff --git /.test(t) || /^index [0-9a-f]+\.\.[0-9a-f]+/.test(t) || /^(new|deleted) file mode/.test(t) || /^(old|new) mode/.test(t) || /^similarity index|^rename (from|to) /.test(t)) {
      i++;
      continue;
    }
    if (FILE_OLD.test(t) && i + 1 < end && FILE_NEW.test(unquote(lines[i + 1]).text)) {
      pendingOld = { text: t, view: i };
      block.lines.push(pendingOld, { text: unquote(lines[i + 1]).text, view: i + 1 });
      i += 2;
      continue;
    }
    const h = HUNK.exec(t);
    if (h) {
      if (!pendingOld && !block.lines.length) {
        // a quoted hunk without its file headers: the file is not named
        block.lines.push({ text: '--- a/(unknown)', view: i }, { text: '+++ b/(unknown)', view: i });
        block.repairs.push(`line ${i + 1}: hunk quoted without its file header`);
      }
      i = readHunk(lines, i, end, depth, block, h);
      continue;
    }
    return i;
  }
  return i;
}

/** Counts for a hunk read without its header: as many lines as look like a diff. */
const HEADERLESS = 1e9;

/** A run of quoted lines that is plainly part of a diff: diff prefixes, code, and a + or - line. */
function fragmentAt(lines: string[], i: number, end: number, depth: number): boolean {
  let changed = 0;
  let n = 0;
  for (let j = i; j < end && j < i + 12; j++) {
    const q = unquote(lines[j]);
    if (q.depth !== depth) break;
    const t = q.text;
    const c = t[0];
    if ((c === '+' || c === '-') && !/^(\+\+\+|---)/.test(t) && looksLikeCode(t.slice(1))) changed++;
    else if (c === ' ' && looksLikeCode(t.slice(1))) {
      /* context */
    } else if (t === '' || t === ' ') {
      /* blank context */
    } else break;
    n++;
  }
  const first = unquote(lines[i]).text;
  return n >= 3 && changed >= 1 && /^[ +-]/.test(first) && looksLikeCode(first.slice(1));
}

/** Does a run of diff lines at `depth` start at i and change something (a + or - line before it ends)? */
function diffTailAt(lines: string[], i: number, end: number, depth: number): boolean {
  for (let j = i; j < end; j++) {
    const q = unquote(lines[j]);
    const t = q.text;
    if (q.depth !== depth || !/^[ +-]/.test(t) || t === '--' || t === '-- ' || /^(--- |\+\+\+ )/.test(t)) return false;
    if (t[0] !== ' ') return true;
  }
  return false;
}

function nextAtDepth(lines: string[], i: number, end: number, depth: number, within: number): number {
  for (let j = i; j < end && j < i + within; j++) {
    const q = unquote(lines[j]);
    if (q.depth === depth && /^([ +\-\\]|@@ )/.test(q.text)) return j;
  }
  return -1;
}

/** One hunk, tolerant of what mail does to diffs; the header's counts are rewritten to what was kept. */
function readHunk(lines: string[], i: number, end: number, depth: number, block: DiffBlock, h: RegExpExecArray): number {
  const oldWant = h[2] === undefined ? 1 : Number(h[2]);
  const newWant = h[4] === undefined ? 1 : Number(h[4]);
  const headerAt = block.lines.length;
  block.lines.push({ text: '', view: i }); // header, rewritten below
  let oldSeen = 0;
  let newSeen = 0;
  let extended = false;
  let j = i + 1;
  for (; j < end; j++) {
    const q = unquote(lines[j]);
    const complete = oldSeen >= oldWant && newSeen >= newWant;
    if (q.depth !== depth) {
      if (complete) break;
      // reviewer comment between quoted hunk lines
      if (nextAtDepth(lines, j, end, depth, 6) < 0) break;
      block.repairs.push(`line ${j + 1}: reviewer text inside a quoted hunk skipped`);
      continue;
    }
    const t = q.text;
    if (HUNK.test(t) || (FILE_OLD.test(t) && j + 1 < end && FILE_NEW.test(unquote(lines[j + 1]).text)) || /^diff --git /.test(t)) break;
    if (t === '-- ' || /^-- $/.test(t)) break; // signature separator
    const c = t[0];
    if (c === '\\') {
      block.lines.push({ text: t, view: j });
      continue;
    }
    // past the header's counts: a miscounted hunk (counts too small, a hand edit) goes on with
    // diff lines that change something; they are read, and the repair below records it
    if (complete && !(extended && /^[ +-]/.test(t) && t !== '--') && !diffTailAt(lines, j, end, depth)) break;
    if (complete) extended = true;
    if (c === ' ' || c === '+' || c === '-') {
      if (c !== '+') oldSeen++;
      if (c !== '-') newSeen++;
      block.lines.push({ text: t, view: j });
      continue;
    }
    if (t === '') {
      // a blank context line whose space was stripped
      if (nextAtDepth(lines, j + 1, end, depth, 3) < 0 && !looksLikeCode(unquote(lines[j + 1] ?? '').text)) break;
      oldSeen++;
      newSeen++;
      block.lines.push({ text: ' ', view: j });
      continue;
    }
    if (looksLikeCode(t)) {
      block.repairs.push(`line ${j + 1}: context line without its leading space`);
      oldSeen++;
      newSeen++;
      block.lines.push({ text: ' ' + t, view: j });
      continue;
    }
    // prose: a reviewer's interleaved comment, or the end of a truncated hunk
    if (nextAtDepth(lines, j + 1, end, depth, 4) < 0) break;
    block.repairs.push(`line ${j + 1}: comment inside a hunk skipped`);
  }
  if (extended) {
    (block.reported ??= []).push(`line ${i + 1}: hunk header counts ${oldWant}/${newWant} lines but ${oldSeen}/${newSeen} follow: all read (miscounted hunk)`);
  }
  if ((oldSeen !== oldWant || newSeen !== newWant) && oldWant !== HEADERLESS) {
    block.repairs.push(`line ${i + 1}: hunk has ${oldSeen}/${newSeen} of ${oldWant}/${newWant} lines (truncated or miscounted)`);
  }
  block.lines[headerAt] = {
    text: `@@ -${h[1]},${oldSeen} +${h[3]},${newSeen} @@${h[5]}`,
    view: Math.max(i, 0),
  };
  return j;
}
