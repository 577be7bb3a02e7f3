// The CLI's cache on disk, for repeated runs over the same tree: phase 1
// results by document text, and per-function results (summary, findings,
// lock-order edges) keyed as the in-memory FunctionCache keys them (text,
// callees' summaries, rules, table). One file per (faultpath build, table).
//
// What it trusts, and what it does not (README "The cache"):
// - Its files are its own by name and content: `faultpath-cache-<hex>.bin`
//   starting with MAGIC. Only such files are ever deleted (the oldest beyond
//   KEEP_FILES); anything else in the directory is left alone.
// - A file is restored only when its header and its SHA-256 checksum over the
//   body match, and each entry only when its shape is right
//   (cache-entries.ts); a torn, truncated or edited file is a cold start and
//   is rewritten, a bad entry is a miss. The checksum catches corruption and
//   edits, not a forger with write access to the directory: the directory is
//   the trust boundary, so it must be writable by its owner alone (a new one
//   is made 0700; one writable by group or others is not used) and files
//   are 0600.
// - Files are written whole through a temporary file created exclusively
//   (O_EXCL, O_NOFOLLOW, a random name) and renamed into place, so a crash,
//   a parallel run or a planted symlink never leaves a torn or redirected file.
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import type { DocIndex, IndexCache } from '../analysis';
import { FunctionCache, tableKey } from '../cache';
import { readInput } from '../input/read';
import { isDocIndex, isFunctionEntry } from './cache-entries';

const FORMAT = 2;
const KEEP_FILES = 4;
const MAX_FUNCTIONS = 1_500_000;
/** Larger cache files are not read (1.5M functions take far less). */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
const MAGIC = Buffer.from('faultpath-cache\n', 'latin1');
const HEADER = MAGIC.length + 4 + 32;
const NAME = /^faultpath-cache-[0-9a-f]{20}\.bin$/;
const TEMP = /^\.faultpath-cache-[0-9a-f]{16}\.tmp$/;

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'faultpath');
}

/** Why `dir` cannot hold the cache (not ours, writable by others), or null. */
function unsafeDir(dir: string): string | null {
  const st = fs.statSync(dir);
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return `${dir} belongs to another user`;
  if (st.mode & 0o022) return `${dir} is writable by group or others`;
  return null;
}

/** Does `file` (a name in the cache directory) start with the cache's magic? Regular files only, links not followed. */
function isOurs(file: string): boolean {
  let fd: number | null = null;
  try {
    if (!fs.lstatSync(file).isFile()) return false;
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    const head = Buffer.alloc(MAGIC.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export function encodeCacheFile(payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(FORMAT, MAGIC.length);
  createHash('sha256').update(payload).digest().copy(header, MAGIC.length + 4);
  return Buffer.concat([header, payload]);
}

/** The body of a cache file, or why it is not one this build reads. */
export function decodeCacheFile(raw: Buffer): { payload: Buffer } | { bad: string } {
  if (raw.length < HEADER || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return { bad: 'not a faultpath cache file' };
  if (raw.readUInt32BE(MAGIC.length) !== FORMAT) return { bad: 'another cache format' };
  const payload = raw.subarray(HEADER);
  const sum = createHash('sha256').update(payload).digest();
  if (!sum.equals(raw.subarray(MAGIC.length + 4, HEADER))) return { bad: 'checksum mismatch (torn or edited)' };
  return { payload };
}

export class DiskCache {
  readonly functions = new FunctionCache(MAX_FUNCTIONS);
  /** What went wrong reading the cache (said as problems; the run goes on). */
  readonly notes: string[] = [];
  private index = new Map<string, DocIndex>();
  private usedIndex = new Set<string>();
  private since = 0;
  private readonly file: string;
  private indexWrites = 0;
  /** The file read back was bad in part or whole: write it again even if nothing is new. */
  private rewrite = false;
  private refused = false;

  constructor(private readonly dir: string, table: import('../kernel/table').KernelTable) {
    // this build's code and the table decide what every entry means
    let code = '';
    try {
      code = fs.readFileSync(__filename, 'latin1'); // the bundle itself, not a user path
    } catch {
      code = String(Date.now());
    }
    const salt = createHash('sha1').update(String(FORMAT)).update(code).update(tableKey(table)).digest('hex');
    this.file = path.join(dir, `faultpath-cache-${salt.slice(0, 20)}.bin`);
  }

  load(): void {
    try {
      const why = unsafeDir(this.dir);
      if (why) {
        this.refused = true;
        this.notes.push(`cache not used: ${why}`);
        return;
      }
    } catch {
      return; // no directory yet: a cold start
    }
    const r = readInput(this.file, { binary: true, maxBytes: MAX_FILE_BYTES, within: this.dir });
    if (r.refused !== undefined) {
      if (r.code !== 'ENOENT') {
        this.rewrite = true;
        this.notes.push(`cache file not read (${r.refused}): rebuilt`);
      }
      return;
    }
    const body = decodeCacheFile(r.buffer as Buffer);
    if ('bad' in body) {
      this.rewrite = true;
      this.notes.push(`cache file ignored (${body.bad}): rebuilt`);
      return;
    }
    try {
      const data = v8.deserialize(body.payload) as { index: unknown; functions: unknown };
      if (!Array.isArray(data.index) || !Array.isArray(data.functions)) throw new Error('wrong shape');
      let bad = 0;
      for (const e of data.index as unknown[]) {
        if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isDocIndex(e[1])) this.index.set(e[0], e[1]);
        else bad++;
      }
      bad += this.functions.restore(data.functions as [string, unknown][], isFunctionEntry);
      this.since = this.functions.clockNow;
      if (bad) {
        this.rewrite = true;
        this.notes.push(`cache: ${bad} bad entr${bad === 1 ? 'y' : 'ies'} ignored: rebuilt`);
      }
    } catch {
      // a body of the wrong shape under a right checksum: start cold
      this.index.clear();
      this.functions.clear();
      this.rewrite = true;
      this.notes.push('cache file ignored (wrong shape): rebuilt');
    }
  }

  readonly indexCache: IndexCache = {
    get: (text) => {
      const k = textKey(text);
      const hit = this.index.get(k);
      if (hit) this.usedIndex.add(k);
      return hit;
    },
    set: (text, index) => {
      const k = textKey(text);
      this.index.set(k, index);
      this.usedIndex.add(k);
      this.indexWrites++;
    },
  };

  /** Writes this run's entries (and older ones while there is room); failures only cost the next run. */
  save(): string | null {
    if (this.refused) return null; // said at load
    if (!this.functions.writes && !this.indexWrites && !this.rewrite) return null; // nothing new: the file stands
    let tmp: string | null = null;
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const why = unsafeDir(this.dir);
      if (why) return why;
      const index = [...this.usedIndex].map((k) => [k, this.index.get(k)] as [string, DocIndex]);
      for (const [k, v] of this.index) if (!this.usedIndex.has(k) && index.length < MAX_FUNCTIONS / 10) index.push([k, v]);
      const data = encodeCacheFile(v8.serialize({ index, functions: this.functions.dump(this.since, MAX_FUNCTIONS) }));
      tmp = path.join(this.dir, `.faultpath-cache-${randomBytes(8).toString('hex')}.tmp`);
      const c = fs.constants;
      const fd = fs.openSync(tmp, c.O_WRONLY | c.O_CREAT | c.O_EXCL | (c.O_NOFOLLOW ?? 0), 0o600);
      try {
        fs.fchmodSync(fd, 0o600); // whatever the umask
        fs.writeSync(fd, data);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
      tmp = null;
      this.prune();
      return null;
    } catch (err) {
      return (err as Error).message;
    } finally {
      if (tmp) fs.rmSync(tmp, { force: true });
    }
  }

  /** Keeps the newest few cache files (other builds and tables); deletes only files that are the cache's own. */
  private prune(): void {
    const now = Date.now();
    const files: { f: string; t: number }[] = [];
    for (const f of fs.readdirSync(this.dir)) {
      const full = path.join(this.dir, f);
      if (!(NAME.test(f) || TEMP.test(f)) || !isOurs(full)) continue;
      const t = fs.lstatSync(full).mtimeMs;
      // a temporary file a crashed run left (a running one renames its own within seconds)
      if (TEMP.test(f)) {
        if (now - t > 3600_000) fs.rmSync(full, { force: true });
        continue;
      }
      files.push({ f: full, t });
    }
    files.sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(KEEP_FILES)) if (f !== this.file) fs.rmSync(f, { force: true });
  }
}

function textKey(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
