// Diff blocks parsed with jsdiff (the maintained parser), mapped back line by
// line to the input document.
import { parsePatch } from 'diff';
import type { DiffBlock, ReadDocument } from './mail';

export interface HunkLine {
  op: ' ' | '+' | '-';
  text: string;
  /** 0-based line of the input document. */
  view: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** What git printed after the @@: the enclosing function, usually. */
  section: string;
  /** 0-based document line of the @@ header. */
  headerView: number;
  lines: HunkLine[];
}

export interface FilePatch {
  oldPath: string;
  newPath: string;
  hunks: Hunk[];
  message: number;
  /** Diff block within the message (a reply can quote several). */
  block: number;
  quoteDepth: number;
  repairs: string[];
}

function stripPrefix(p: string | undefined): string {
  if (!p) return '';
  const t = p.split('\t')[0].trim();
  if (t === '/dev/null') return t;
  return t.replace(/^[ab]\//, '').replace(/^linux-[^/]*\//, '');
}

export function parseBlock(block: DiffBlock): { files: FilePatch[]; problems: string[] } {
  const problems: string[] = [];
  const text = block.lines.map((l) => l.text).join('\n') + '\n';
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(text);
  } catch (err) {
    problems.push(`line ${block.lines[0].view + 1}: diff not parsed: ${(err as Error).message}`);
    return { files: [], problems };
  }
  const files: FilePatch[] = [];
  let cursor = 0;
  for (const p of parsed) {
    if (!p.hunks.length) continue;
    const fp: FilePatch = {
      oldPath: stripPrefix(p.oldFileName),
      newPath: stripPrefix(p.newFileName),
      hunks: [],
      message: block.message,
      block: block.index,
      quoteDepth: block.quoteDepth,
      repairs: block.repairs,
    };
    for (const h of p.hunks) {
      while (cursor < block.lines.length && !block.lines[cursor].text.startsWith('@@ ')) cursor++;
      if (cursor >= block.lines.length) break;
      const header = block.lines[cursor];
      const section = (/^@@ [^@]*@@ ?(.*)$/.exec(header.text)?.[1] ?? '').trim();
      const hunk: Hunk = {
        oldStart: h.oldStart,
        oldLines: h.oldLines,
        newStart: h.newStart,
        newLines: h.newLines,
        section,
        headerView: header.view,
        lines: [],
      };
      cursor++;
      for (const l of h.lines) {
        const src = block.lines[cursor++];
        if (!src) break;
        const op = l[0];
        if (op === ' ' || op === '+' || op === '-') hunk.lines.push({ op, text: l.slice(1), view: src.view });
      }
      fp.hunks.push(hunk);
    }
    files.push(fp);
  }
  return { files, problems };
}

export function filePatchesOf(doc: ReadDocument): { files: FilePatch[]; problems: string[] } {
  const files: FilePatch[] = [];
  const problems = [...doc.problems];
  for (const m of doc.messages) {
    for (const b of m.blocks) {
      problems.push(...(b.reported ?? []));
      const r = parseBlock(b);
      files.push(...r.files);
      problems.push(...r.problems);
    }
  }
  return { files, problems };
}
