// Inlay hints that say what a statement changes: a lock taken or dropped,
// page faults turned off or on, mmap_lock possibly dropped. One hint at the
// end of the statement's line, the most important change first, at most
// HINT_MAX characters; statements that change nothing get none, so a reader
// sees the lock state move rather than the same label before every call.
import type { CallEvent, FunctionFlow } from '../flow/engine';
import { ATOMIC_KINDS, FlowState, HELD, heldMay, heldMust, LockFact, RELEASED } from '../flow/state';

export const HINT_MAX = 40;

/** What one statement (CFG node) changes, most important first. */
export function stateChanges(flow: FunctionFlow, node: number): string[] {
  const before = flow.states[node];
  if (!before) return [];
  const events = flow.events.filter((e): e is CallEvent => e.kind === 'call' && e.node === node);
  // spin_lock(), folio_unlock(), pagefault_disable() say what they do; the hint is for the rest,
  // except a conditional drop: maybe_unlock_mmap_for_io() drops mmap_lock only if it returns non-NULL
  const obvious = events.filter((e) => e.rows.length > 0 || !!e.summary).every((e) => SELF_DESCRIBING.test(e.name));
  const afters = flow.cfg.nodes[node].succ.map((e) => flow.states[e.to]).filter((s): s is FlowState => !!s);
  if (!afters.length) return [];
  // a successor can be a join (a label, a loop head): only changes this statement's calls made count
  const calls = new Set(events.map((e) => e.start));
  const acquiring = events.some((e) => e.rows.some((r) => /acquire/.test(r.effect)) || e.summary?.effects.some((x) => /acquire/.test(x.effect)));
  const releasing = events.some((e) => e.rows.some((r) => r.effect.startsWith('release')) || e.summary?.effects.some((x) => x.effect.startsWith('release')));
  const faulting = events.some((e) => e.rows.some((r) => r.effect === 'faults-on' || r.effect === 'faults-off') || !!e.summary?.faultsNet);
  const mine = (offsets: number[] | undefined, release = false): boolean =>
    release ? releasing && (!offsets?.length || offsets.some((o) => calls.has(o)) || events.some((e) => !!e.summary)) : acquiring && !!offsets && offsets.some((o) => calls.has(o));
  const page: string[] = [];
  const mmap: string[] = [];
  const other: string[] = [];
  const keys = new Set<string>([...before.locks.keys(), ...afters.flatMap((s) => [...s.locks.keys()])]);
  for (const key of keys) {
    const was = before.locks.get(key);
    const now = afters.map((s) => s.locks.get(key));
    const words = changeWords(was, now, mine);
    if (!words) continue;
    const cls = (was ?? now.find((f) => f))!.cls;
    (cls === 'page' ? page : cls === 'mmap_lock' ? mmap : other).push(words);
  }
  // a trylock-like call whose result is tested later (`ret = prepare_pages(..); if (ret) ..`)
  for (const p of afters[0].pending) {
    if (p.action !== 'add' || !p.fact.sites.some((o) => calls.has(o)) || before.locks.get(p.fact.key)?.paths === HELD) continue;
    (p.fact.cls === 'page' ? page : p.fact.cls === 'mmap_lock' ? mmap : other).push(p.fact.cls === 'page' ? 'page locked on success' : `takes ${name(p.fact, HINT_MAX - 17)} on success`);
  }
  const faults: string[] = [];
  const minAfter = Math.min(...afters.map((s) => s.faultsOff.min));
  const maxAfter = Math.max(...afters.map((s) => s.faultsOff.max));
  const faultCall = faulting || afters.some((s) => mine(s.faultsOff.sites));
  if (faultCall && minAfter > before.faultsOff.min) faults.push('faults off');
  else if (faultCall && maxAfter < before.faultsOff.max) faults.push('faults on');
  // spinlocks imply their atomic context: say the lock, not the counter
  const atomic: string[] = [];
  if (!other.length) {
    for (const k of ATOMIC_KINDS) {
      const a = Math.min(...afters.map((s) => s.atomic[k].min));
      const b = Math.max(...afters.map((s) => s.atomic[k].max));
      if (a > before.atomic[k].min) atomic.push(ATOMIC_ON[k]);
      else if (b < before.atomic[k].max) atomic.push(ATOMIC_OFF[k]);
    }
  }
  if (obvious) return mmap.filter((m) => m.includes(' dropped if '));
  return [...page, ...mmap, ...faults, ...other, ...atomic];
}

/** Names that say the lock or fault change they make: the kernel's naming convention for lock primitives. */
const SELF_DESCRIBING = /(^|_)(try)?(un)?lock(_|$)|^(down|up)_(read|write)|^(down|up)$|^(pagefault|preempt)_(disable|enable)|^local_(irq|bh)_|_irq(save|restore)?$/;

const ATOMIC_ON: Record<string, string> = { preempt: 'preempt off', irq: 'irqs off', bh: 'bh off', rcu: 'rcu read lock' };
const ATOMIC_OFF: Record<string, string> = { preempt: 'preempt on', irq: 'irqs on', bh: 'bh on', rcu: 'rcu unlock' };

/** The lock in a hint: as written when it fits in `room` characters, else the member that names it. */
function name(f: LockFact, room = 24): string {
  if (f.cls === 'page') return 'page';
  if (f.cls === 'mmap_lock') return 'mmap_lock';
  const mode = f.mode === 'read' ? '(r)' : f.mode === 'write' ? '(w)' : '';
  const expr = f.expr.replace(/^&/, '');
  const member = expr.split(/->|\./).pop() ?? expr;
  const fit = room - mode.length;
  const short = expr.length <= fit ? expr : member.length > fit ? member.slice(0, fit - 1) + '…' : member;
  return short + mode;
}

/** "page locked", "page unlocked", "takes x->lock", "mmap_lock dropped if 'fpin' set", or null for no change. */
function changeWords(was: LockFact | undefined, now: (LockFact | undefined)[], mine: (offsets: number[] | undefined, release?: boolean) => boolean): string | null {
  const heldBefore = !!was && heldMay(was) && !was.condVar;
  const heldAfter = now.map((f) => !!f && heldMay(f));
  const page = (was ?? now.find((f) => f))!.cls === 'page';
  // mmap_lock dropped on a path (maybe_unlock_mmap_for_io(), a callee's VM_FAULT_RETRY)
  const dropNow = now.find((f) => f && f.cls === 'mmap_lock' && f.droppedIf && (!was || was.droppedIf !== f.droppedIf));
  if (dropNow && mine(dropNow.releaseSites, true)) return `${name(dropNow)} dropped if '${dropNow.droppedIf!.split('&')[0]}' set`;
  if (!heldBefore && heldAfter.some(Boolean)) {
    const f = now.find((x) => x && heldMay(x))!;
    if (!now.some((x) => x && mine(x.sites))) return null;
    const conditional = !!f.condVar || !heldAfter.every(Boolean) || !heldMust(f);
    const what = page ? 'page locked' : `takes ${name(f)}`;
    return conditional ? `${page ? what : `takes ${name(f, HINT_MAX - 17)}`} on success` : what;
  }
  if (!now.some((x) => x && mine(x.releaseSites, true))) return null;
  if (heldBefore && heldAfter.every((h) => !h)) return page ? 'page unlocked' : `drops ${name(was!)}`;
  if (heldBefore && now.some((f) => f && (f.paths & RELEASED) && !(was!.paths & RELEASED))) {
    return page ? 'page unlocked on some paths' : was!.cls === 'mmap_lock' ? 'may drop mmap_lock' : `drops ${name(was!, HINT_MAX - 20)} on some paths`;
  }
  return null;
}

/** The label for a line's changes, most important first, cut at HINT_MAX characters on a word boundary. */
export function hintLabel(changes: string[]): string {
  const unique = [...new Set(changes)];
  let label = '';
  for (const c of unique) {
    const next = label ? `${label}, ${c}` : c;
    if (next.length > HINT_MAX) return label ? (label.length + 3 <= HINT_MAX ? `${label}, …` : label) : c.slice(0, HINT_MAX - 1) + '…';
    label = next;
  }
  return label;
}
