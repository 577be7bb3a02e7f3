// The CLI's inputs: files and directories named on the command line,
// standard input, --include headers and the configuration file, all read
// through input/read.ts (regular files within the size limit; nothing waits
// on a FIFO or reads /dev/zero). A path named on the command line that cannot
// be read is a usage error (status 2); what a directory scan finds and cannot
// read (a file, a subdirectory) is a problem and the scan goes on. A file
// given twice (`x.c ./x.c`, or a file and its directory) is analysed once. A
// document with CR-only line endings is read with them as line ends.
import * as fs from 'fs';
import * as path from 'path';
import type { Problem, SourceDoc } from '../analysis';
import { classify } from '../input/mail';
import { readInput, readStdin } from '../input/read';
import { UsageError } from './exit';

export interface CliInputs {
  /** C documents (sources, and --include headers). */
  docs: SourceDoc[];
  /** Patches, mails, mboxes and thread pages, recognised by content. */
  patches: SourceDoc[];
  problems: Problem[];
  scansDirectory: boolean;
}

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** The files under `p` whose names match `exts` (a file named directly is taken as it is). */
export function collectFiles(p: string, exts: RegExp, out: string[], seen: Set<string>, problems: Problem[]): void {
  const st = fs.statSync(p);
  if (!st.isDirectory()) {
    out.push(p);
    return;
  }
  let real: string;
  let entries: fs.Dirent[];
  try {
    real = fs.realpathSync(p);
    if (seen.has(real)) return;
    seen.add(real);
    entries = fs.readdirSync(p, { withFileTypes: true });
  } catch (err) {
    // one unreadable subdirectory is named, the rest of the scan goes on
    problems.push({ file: p, message: `directory not read: ${reason(err)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(p, e.name);
    if (e.isDirectory()) collectFiles(full, exts, out, seen, problems);
    else if (e.isFile() && exts.test(e.name)) out.push(full);
    // symbolic links are not followed in a scan (as before); a FIFO, device or socket is named
    else if (!e.isSymbolicLink() && exts.test(e.name)) problems.push({ file: full, message: `not read: ${e.isFIFO() ? 'a FIFO' : e.isSocket() ? 'a socket' : 'a device'}, not a regular file` });
  }
}

export async function readCliInputs(positionals: string[], includes: string[]): Promise<CliInputs> {
  const docs: SourceDoc[] = [];
  const patches: SourceDoc[] = [];
  const problems: Problem[] = [];
  let scansDirectory = false;
  const addByContent = (file: string, raw: string): void => {
    // CR-only line endings (classic Mac, some mail exports): lines as an editor shows them
    const text = raw.includes('\r') && !raw.includes('\n') ? raw.replace(/\r/g, '\n') : raw;
    if (/\.[ch]$/.test(file) || classify(text) === 'c') docs.push({ file, text });
    else patches.push({ file, text });
  };
  const named = new Set<string>();
  const found: string[] = [];
  const seenDirs = new Set<string>();
  let stdinRead = false;
  for (const p of positionals) {
    if (p === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      const r = await readStdin();
      if (r.refused !== undefined) throw new UsageError(`cannot read standard input: ${r.refused}`);
      addByContent('<stdin>', r.text);
      continue;
    }
    try {
      if (fs.statSync(p).isDirectory()) scansDirectory = true;
      else named.add(path.resolve(p));
      collectFiles(p, /\.[ch]$/, found, seenDirs, problems);
    } catch (err) {
      throw new UsageError(`cannot read '${p}': ${reason(err)}`);
    }
  }
  const seenFiles = new Set<string>();
  for (const f of found) {
    const abs = path.resolve(f);
    let real = abs;
    try {
      real = fs.realpathSync(f);
    } catch {
      /* read below says why */
    }
    if (seenFiles.has(real)) continue; // given twice: analysed once
    seenFiles.add(real);
    const r = readInput(f);
    if (r.refused !== undefined) {
      if (named.has(abs)) throw new UsageError(`cannot read '${f}': ${r.refused}`);
      problems.push({ file: abs, message: `not read: ${r.refused}` });
      continue;
    }
    addByContent(abs, r.text);
  }
  for (const dir of includes) {
    const hs: string[] = [];
    try {
      collectFiles(dir, /\.h$/, hs, new Set(), problems);
    } catch (err) {
      throw new UsageError(`cannot read --include '${dir}': ${reason(err)}`);
    }
    for (const h of hs) {
      const abs = path.resolve(h);
      if (docs.some((d) => d.file === abs)) continue;
      const r = readInput(h);
      // an unreadable header only loses its summaries, and says so
      if (r.refused !== undefined) problems.push({ file: abs, message: `header not read: ${r.refused}` });
      else docs.push({ file: abs, text: r.text, role: 'header' });
    }
  }
  return { docs, patches, problems, scansDirectory };
}

/** The configuration file's text; a file that cannot be read is a usage error naming it. */
export function readConfigText(file: string): string {
  const r = readInput(file, { maxBytes: 4 * 1024 * 1024 });
  if (r.refused !== undefined) throw new UsageError(`cannot read config '${file}': ${r.refused}`);
  return r.text;
}

/** The nearest .faultpath.json at or above `start`. */
export function findConfig(start: string): string | null {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    return null;
  }
  for (;;) {
    const c = path.join(dir, '.faultpath.json');
    if (fs.existsSync(c)) return c;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

