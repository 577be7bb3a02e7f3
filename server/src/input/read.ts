// The one way an input is read (CLI files, standard input, --config, the
// implicit .faultpath.json, --include headers, files a patch names under
// --tree, the editor's workspace files, the cache file): open, fstat, accept
// only a regular file within a size limit in bytes, read at most that much.
// A FIFO is opened without waiting for a writer (O_NONBLOCK) and refused by
// fstat; a symlink to /dev/zero is a character device and refused before it
// is opened; a file that grows past the limit while read is refused. Inside a
// tree (--tree, the workspace folder) the real path must lie inside the
// tree's real path: a symlink out of it (`x.c -> /proc/self/environ`) is
// refused as `../` is. Nothing here throws: a refusal is a reason (an errno code, or
// words such as "a FIFO, not a regular file") for the caller to report.
import * as fs from 'fs';
import * as path from 'path';

/** Inputs larger than this are refused unread (the largest document the analysis takes is 32 MiB). */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export type InputRead = { text: string; bytes: number; refused?: undefined } | { refused: string; code?: string; text?: undefined };

export interface ReadOptions {
  /** Largest accepted size in bytes (default MAX_INPUT_BYTES). */
  maxBytes?: number;
  /** A directory the file's real path must lie inside (--tree, the workspace). */
  within?: string;
  /** Bytes, not text (the cache file). */
  binary?: boolean;
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function mib(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((10 * n) / (1024 * 1024)) / 10} MiB` : `${n} bytes`;
}

function errText(err: unknown): { refused: string; code?: string } {
  const e = err as NodeJS.ErrnoException;
  return { refused: e.code ?? e.message, code: e.code };
}

/** Is `inner` (a real path) inside the directory `top` (a real path)? */
export function isInside(top: string, inner: string): boolean {
  if (inner === top) return false;
  const t = top.endsWith(path.sep) ? top : top + path.sep;
  return inner.startsWith(t);
}

/** The real path of a tree's top, or null when it does not resolve. */
export function realDir(dir: string): string | null {
  try {
    return fs.realpathSync(dir);
  } catch {
    return null;
  }
}

/** Reads `file` as one input; see the head of this file. */
export function readInput(file: string, opts: ReadOptions = {}): InputRead & { buffer?: Buffer } {
  const max = opts.maxBytes ?? MAX_INPUT_BYTES;
  let target = file;
  if (opts.within !== undefined) {
    const top = realDir(opts.within);
    if (top === null) return { refused: `the tree ${opts.within} does not resolve` };
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch (err) {
      return errText(err);
    }
    if (!isInside(top, real)) return { refused: `resolves to ${real}, outside ${opts.within}` };
    target = real;
  }
  let fd: number | null = null;
  try {
    // devices are not even opened (opening some has effects); what is opened is checked again
    const pre = fs.statSync(target);
    if (!pre.isFile()) return { refused: `${kindOf(pre)}, not a regular file` };
    if (pre.size > max) return { refused: `larger than ${mib(max)}` };
    // O_NONBLOCK: a FIFO swapped in after the stat opens without waiting for a writer
    const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0) | (opts.within !== undefined ? fs.constants.O_NOFOLLOW ?? 0 : 0);
    fd = fs.openSync(target, flags);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { refused: `${kindOf(st)}, not a regular file` };
    if (st.size > max) return { refused: `larger than ${mib(max)}` };
    const buf = readBounded(fd, max, st.size);
    if (buf === null) return { refused: `larger than ${mib(max)}` };
    return opts.binary ? { text: '', bytes: buf.length, buffer: buf } : { text: buf.toString('utf8'), bytes: buf.length };
  } catch (err) {
    return errText(err);
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** At most `max` bytes from fd, or null when there are more (a file that grew while read). */
function readBounded(fd: number, max: number, hint: number): Buffer | null {
  let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(hint + 1, 64 * 1024)));
  let n = 0;
  for (;;) {
    if (n === buf.length) {
      if (buf.length > max) return null;
      const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    const got = fs.readSync(fd, buf, n, buf.length - n, null);
    if (got <= 0) break;
    n += got;
    if (n > max) return null;
  }
  return buf.subarray(0, n);
}

/** Standard input, at most `max` bytes: more is refused, not waited out (`< /dev/zero`). */
export function readStdin(max = MAX_INPUT_BYTES): Promise<InputRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let done = false;
    const finish = (r: InputRead): void => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const input = process.stdin;
    input.on('data', (c: Buffer) => {
      if (done) return;
      n += c.length;
      if (n > max) {
        input.destroy();
        finish({ refused: `larger than ${mib(max)}` });
        return;
      }
      chunks.push(c);
    });
    input.on('end', () => {
      const buf = Buffer.concat(chunks);
      finish({ text: buf.toString('utf8'), bytes: buf.length });
    });
    input.on('error', (err) => finish(errText(err)));
  });
}
