// Finds the kernel version of the tree the inputs live in: the top-level
// Makefile upwards from them (the CLI, from each input and --tree; the
// language server, from the workspace folder). Only regular files are read,
// and only their first 64 KiB (VERSION and PATCHLEVEL are its first lines):
// a FIFO or device named Makefile is neither waited on nor read.
import * as fs from 'fs';
import * as path from 'path';
import { parseKernelMakefile } from '../kernel/version';

const HEAD_BYTES = 64 * 1024;

/** The first 64 KiB of a regular file, or null (missing, not a regular file, unreadable). */
export function readFileHead(file: string, max = HEAD_BYTES): string | null {
  let fd: number | null = null;
  try {
    // devices are not even opened; what is opened is checked again (it may have been replaced)
    if (!fs.statSync(file).isFile()) return null;
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; fstat below rejects it
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return null;
    const buf = Buffer.alloc(Math.min(max, st.size));
    let n = 0;
    while (n < buf.length) {
      const got = fs.readSync(fd, buf, n, buf.length - n, n);
      if (got <= 0) break;
      n += got;
    }
    return buf.subarray(0, n).toString('latin1');
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The nearest kernel top-level Makefile at or above `start` (a file or a
 * directory): the first Makefile upwards that sets VERSION and PATCHLEVEL.
 * A Makefile without them (a subdirectory's kbuild file, a project's own) is
 * passed over and the search goes on up to the filesystem root.
 */
export function findKernelMakefile(start: string): { version: string; file: string } | null {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    const file = path.join(dir, 'Makefile');
    const text = readFileHead(file);
    const version = text === null ? null : parseKernelMakefile(text);
    if (version) return { version, file };
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
