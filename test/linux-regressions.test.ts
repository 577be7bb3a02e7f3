// The deadlock this tool exists for, brought back where Linux fixed it: in
// Linux 6.12 (Debian's linux-source-6.12, installed and unpacked by
// bench/linux-src.sh; no kernel code is committed), each write loop's atomic
// copy is turned into its faulting twin, as a `diff -up` patch built here, and
// reviewed with --tree: the copy must be reported as introduced at the patched
// line. The untouched file must not be reported there.
//   generic_perform_write()  mm/filemap.c              copy_folio_from_iter_atomic()
//   iomap_write_iter()       fs/iomap/buffered-io.c    copy_folio_from_iter_atomic(), the folio from
//                            iomap_write_begin() -> __iomap_get_folio() -> __filemap_get_folio(fgp)
//   btrfs_buffered_write()   fs/btrfs/file.c           copy_page_from_iter_atomic() in btrfs_copy_from_user(),
//                            the pages locked into an array by prepare_pages()
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');

function linuxTree(version: string): string {
  const r = spawnSync('bash', [path.join(root, 'bench', 'linux-src.sh'), version], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60 * 1000 });
  assert.equal(r.status, 0, `bench/linux-src.sh ${version} failed`);
  return r.stdout.trim();
}

const cases = [
  { name: 'generic_perform_write', file: 'mm/filemap.c', from: 'copy_folio_from_iter_atomic(folio, offset, bytes, i)', to: 'copy_folio_from_iter(folio, offset, bytes, i)', fn: 'generic_perform_write' },
  { name: 'iomap_write_iter', file: 'fs/iomap/buffered-io.c', from: 'copy_folio_from_iter_atomic(folio, offset, bytes, i)', to: 'copy_folio_from_iter(folio, offset, bytes, i)', fn: 'iomap_write_iter' },
  // reported where the write loop calls the helper that now faults, with the pages locked
  { name: 'btrfs_copy_from_user', file: 'fs/btrfs/file.c', from: 'copy_page_from_iter_atomic(page, offset, count, i)', to: 'copy_page_from_iter(page, offset, count, i)', fn: 'btrfs_buffered_write', at: 'btrfs_copy_from_user(pos, write_bytes, pages, i)' },
] as { name: string; file: string; from: string; to: string; fn: string; at?: string }[];

test('Linux 6.12: the pagecache write deadlock brought back in three write loops is reported as introduced', { timeout: 20 * 60 * 1000 }, () => {
  const tree = linuxTree('6.12');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-regress-'));
  try {
    for (const c of cases) {
      const text = fs.readFileSync(path.join(tree, c.file), 'utf8');
      assert.equal(text.split(c.from).length, 2, `${c.file}: '${c.from}' occurs once`);
      const patched = text.replace(c.from, c.to);
      const at = c.at ?? c.from;
      assert.equal(text.split(at).length, 2, `${c.file}: '${at}' occurs once`);
      const line = text.slice(0, text.indexOf(at)).split('\n').length;
      const patch = createTwoFilesPatch(`a/${c.file}`, `b/${c.file}`, text, patched, '', '', { context: 3 });
      const pfile = path.join(tmp, `${c.name}.patch`);
      fs.writeFileSync(pfile, patch);
      const r = spawnSync(process.execPath, [cli, 'check', '--tree', tree, '--format', 'json', '--fail-on', 'none', '--no-cache', pfile], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      const hit = j.findings.find((f: { rule: string; status?: string; target?: { file: string; line: number }; function: string }) =>
        f.rule === 'fault-under-page-lock' && f.status === 'introduced' && f.target?.file === c.file && f.target?.line === line && f.function === c.fn);
      assert.ok(hit, `${c.name}: no introduced fault-under-page-lock at ${c.file}:${line}; got ${JSON.stringify(j.findings.map((f: { rule: string; status?: string; target?: unknown; message: string }) => [f.rule, f.status, f.target, f.message]))}`);
      // the file as Linux has it: nothing at that line
      const o = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--fail-on', 'none', '--no-cache', c.file], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(o.status, 0, o.stderr);
      const before = JSON.parse(o.stdout).findings.filter((f: { rule: string; line: number }) => f.rule === 'fault-under-page-lock' && f.line === line);
      assert.deepEqual(before, [], `${c.file}:${line} is reported before the change`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
