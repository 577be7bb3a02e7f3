// SARIF output validated against the SARIF 2.1.0 JSON schema (draft-04, so
// ajv-draft-04 with ajv-formats for uri, uri-reference and date-time), for a
// C file and for a patch series applied with --tree; and what consumers rely
// on beyond the schema: rule metadata from the rules' declarations, no
// placeholder URLs, uriBaseIds on every location, fingerprints that do not
// move with lines.
//
// test/sarif-schema-2.1.0-rtm.5.json is the schema as the npm package
// @microsoft/jest-sarif 1.0.0-beta.0 (MIT) ships it (lib/schemas/), unchanged:
// the 2.1.0 release candidate 5 of the OASIS schema. No npm or Debian package
// found ships the final errata01 file (oasis-tcs/sarif-spec
// Schemata/sarif-schema-2.1.0.json).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { CHECKS } from '../server/src/checks';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');

function sarif(args: string[], cwd = root): { log: any; text: string } {
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'sarif', '--fail-on', 'none', '--no-cache', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { log: JSON.parse(r.stdout), text: r.stdout };
}

// the schema's language pattern ('...[a-zA-Z]{2}]?$') is valid only without the u flag
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, 'sarif-schema-2.1.0-rtm.5.json'), 'utf8')));

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
}

/** Every artifactLocation in the log, wherever it is. */
function artifactLocations(v: unknown, out: Record<string, string>[] = []): Record<string, string>[] {
  if (Array.isArray(v)) for (const x of v) artifactLocations(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'artifactLocation') out.push(x as Record<string, string>);
      else artifactLocations(x, out);
    }
  }
  return out;
}

test('the validator rejects what the schema forbids', () => {
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false);
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b<c>' } } }] }] }] }), false);
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }), true);
});

test('SARIF for a C file validates; rules carry their declared metadata', () => {
  const { log, text } = sarif(['examples/write-deadlock.c']);
  assertValid(log);
  assert.ok(!text.includes('example.invalid'), 'no placeholder URLs');
  const run = log.runs[0];
  const rules = run.tool.driver.rules;
  assert.deepEqual(rules.map((r: { id: string }) => r.id), CHECKS.map((c) => c.id));
  const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;
  CHECKS.forEach((c, i) => {
    assert.equal(rules[i].shortDescription.text, c.doc.short);
    assert.equal(rules[i].fullDescription.markdown, c.doc.full);
    assert.ok(rules[i].help.text.includes(c.doc.example.finds.split('\n')[0]), 'help carries the example');
    assert.ok(rules[i].help.markdown.startsWith(`### ${c.id}\n`), 'help markdown is the README entry');
    assert.equal(rules[i].defaultConfiguration.level, LEVEL[c.severity]);
    assert.equal(rules[i].helpUri, undefined);
  });
  assert.equal(run.tool.driver.informationUri, undefined);
  assert.equal(run.results.length, 2);
  for (const r of run.results) {
    assert.equal(rules[r.ruleIndex].id, r.ruleId);
    assert.match(r.partialFingerprints['faultpath/v1'], /^[0-9a-f]{16}:\d+$/);
  }
  const locs = artifactLocations(run.results);
  assert.ok(locs.length > 2);
  for (const l of locs) assert.deepEqual(l, { uri: 'examples/write-deadlock.c', uriBaseId: 'SRCROOT' });
  assert.equal(run.originalUriBaseIds.SRCROOT.uri, `file://${root}/`);
  assert.equal(run.columnKind, 'utf16CodeUnits');
});

test('SARIF for a patch series with --tree validates; the patched file is a second location under KERNELTREE', () => {
  const { log } = sarif(['--tree', 'examples/demofs-tree', 'examples/demofs-series.mbox']);
  assertValid(log);
  const run = log.runs[0];
  assert.equal(run.originalUriBaseIds.KERNELTREE.uri, `file://${root}/examples/demofs-tree/`);
  const introduced = run.results.find((r: { baselineState?: string }) => r.baselineState === 'new');
  assert.ok(introduced, JSON.stringify(run.results.map((r: { baselineState?: string }) => r.baselineState)));
  assert.deepEqual(introduced.locations[0].physicalLocation.artifactLocation, { uri: 'examples/demofs-series.mbox', uriBaseId: 'SRCROOT' });
  assert.deepEqual(introduced.locations[1].physicalLocation, { artifactLocation: { uri: 'fs/demofs/file.c', uriBaseId: 'KERNELTREE' }, region: { startLine: 41 } });
  assert.equal(introduced.locations[1].message.text, 'in the patched file');
  const fixed = run.results.find((r: { baselineState?: string }) => r.baselineState === 'absent');
  assert.ok(fixed);
  assert.equal(fixed.locations[1].message.text, 'in the file before the patch');
  for (const l of artifactLocations(run)) assert.ok(l.uriBaseId === 'SRCROOT' || l.uriBaseId === 'KERNELTREE', JSON.stringify(l));
  // a plain diff without --tree: the patched file's base is left to the consumer, and the log still validates
  const plain = sarif(['test/patches/plain-diff-u.diff']).log;
  assertValid(plain);
  assert.equal(plain.runs[0].originalUriBaseIds.KERNELTREE, undefined);
  assert.deepEqual(plain.runs[0].results[0].locations[1].physicalLocation.artifactLocation, { uri: 'file.c', uriBaseId: 'KERNELTREE' });
});

test('partialFingerprints do not move when lines move, and tell equal findings apart by occurrence', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-sarif-'));
  try {
    const text = fs.readFileSync(path.join(root, 'examples/write-deadlock.c'), 'utf8');
    fs.writeFileSync(path.join(dir, 'x.c'), text);
    const before = sarif(['x.c'], dir).log.runs[0].results;
    fs.writeFileSync(path.join(dir, 'x.c'), '/* moved */\n\n\n' + text);
    const after = sarif(['x.c'], dir).log.runs[0].results;
    assert.equal(after.length, before.length);
    after.forEach((r: any, i: number) => {
      assert.equal(r.locations[0].physicalLocation.region.startLine, before[i].locations[0].physicalLocation.region.startLine + 3);
      assert.deepEqual(r.partialFingerprints, before[i].partialFingerprints);
    });
    // the same bug twice in one function: two fingerprints
    fs.writeFileSync(
      path.join(dir, 'y.c'),
      'static void f(struct page *page, char __user *p, char *k)\n{\n\tlock_page(page);\n\tcopy_from_user(k, p, 1);\n\tcopy_from_user(k, p, 1);\n\tunlock_page(page);\n}\n',
    );
    const twice = sarif(['y.c'], dir).log.runs[0].results.map((r: any) => r.partialFingerprints['faultpath/v1']);
    assert.equal(twice.length, 2);
    assert.notEqual(twice[0], twice[1]);
    assert.equal(twice[0].split(':')[0], twice[1].split(':')[0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
