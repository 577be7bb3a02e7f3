// `npm run history`: recall of the history corpus per family (markers found in
// the buggy versions), false alarms (findings in fixed versions, unmarked
// findings in buggy ones) and patch-review verdicts. UPDATE_HISTORY=1 rewrites
// the known misses in expect.json, keeping each case's reason.
import * as fs from 'fs';
import { caseDirs, EXPECT_FILE, markerId, readExpect, runCase, CaseResult } from './history-cases';

(async () => {
  const results: CaseResult[] = [];
  for (const d of caseDirs()) results.push(await runCase(d));
  const fam = new Map<string, { cases: number; markers: number; found: number; fixedFlagged: number; unmarked: number; patch: number }>();
  for (const r of results) {
    const f = fam.get(r.family) ?? { cases: 0, markers: 0, found: 0, fixedFlagged: 0, unmarked: 0, patch: 0 };
    f.cases++;
    f.markers += r.markers.length;
    f.found += r.markers.filter((m) => m.found).length;
    f.fixedFlagged += r.fixedFlagged.length ? 1 : 0;
    f.unmarked += r.unmarked.length;
    f.patch += r.notFixedInPatch.length;
    fam.set(r.family, f);
  }
  const pct = (a: number, b: number): string => (b ? ((100 * a) / b).toFixed(0) + ' %' : '-');
  console.log('family'.padEnd(20), 'cases', 'markers', 'found', 'recall', 'fixed-flagged', 'unmarked', 'patch-not-fixed');
  let T = { cases: 0, markers: 0, found: 0, fixedFlagged: 0, unmarked: 0, patch: 0 };
  for (const [k, f] of [...fam].sort()) {
    console.log(k.padEnd(20), String(f.cases).padStart(5), String(f.markers).padStart(7), String(f.found).padStart(5), pct(f.found, f.markers).padStart(6), String(f.fixedFlagged).padStart(13), String(f.unmarked).padStart(8), String(f.patch).padStart(15));
    T = { cases: T.cases + f.cases, markers: T.markers + f.markers, found: T.found + f.found, fixedFlagged: T.fixedFlagged + f.fixedFlagged, unmarked: T.unmarked + f.unmarked, patch: T.patch + f.patch };
  }
  console.log('total'.padEnd(20), String(T.cases).padStart(5), String(T.markers).padStart(7), String(T.found).padStart(5), pct(T.found, T.markers).padStart(6), String(T.fixedFlagged).padStart(13), String(T.unmarked).padStart(8), String(T.patch).padStart(15));
  if (process.argv.includes('-v') || process.env.VERBOSE) {
    for (const r of results) {
      const miss = r.markers.filter((m) => !m.found).map(markerId);
      if (!miss.length && !r.unmarked.length && !r.fixedFlagged.length && !r.notFixedInPatch.length && !r.problems.length) continue;
      console.log(`\n${r.id} (${r.header.commit} ${r.header.subject})`);
      for (const m of miss) console.log(`  missed ${m}`);
      for (const u of r.unmarked) console.log(`  unmarked ${u}`);
      for (const u of r.fixedFlagged) console.log(`  fixed.c ${u}`);
      for (const u of r.notFixedInPatch) console.log(`  patch ${u}`);
      for (const u of r.problems) console.log(`  problem ${u}`);
    }
  }
  if (process.env.UPDATE_HISTORY) {
    const old = readExpect();
    const missed: Record<string, { markers: string[]; why: string }> = {};
    const falseAlarms: Record<string, { findings: string[]; why: string }> = {};
    for (const r of results) {
      const m = r.markers.filter((x) => !x.found).map(markerId);
      if (m.length) missed[r.id] = { markers: m, why: old.missed[r.id]?.why ?? 'TODO: say why' };
      const a = [...r.unmarked.map((u) => `bug.c:${u}`), ...r.fixedFlagged.map((u) => `fixed.c:${u}`)];
      if (a.length) falseAlarms[r.id] = { findings: a, why: old.falseAlarms?.[r.id]?.why ?? 'TODO: say why' };
    }
    fs.writeFileSync(EXPECT_FILE, JSON.stringify({ missed, falseAlarms }, null, 2) + '\n');
    console.log(`\nwrote ${EXPECT_FILE}`);
  }
})();
