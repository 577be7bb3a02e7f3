// The lock-order graph of everything one run sees: an edge A -> B where B is
// taken while A is held, explicitly, or implicitly by a faulting access made
// while A is held (A -> mmap_lock -> invalidate_lock -> page lock). Nodes are
// lock classes (page lock, mmap_lock, ...) or, for generic locks, the struct
// type and member (`struct gem_obj::lock`) or a global's name.
import type { KernelTable } from '../kernel/table';
import type { LockFact } from './state';
import { HELD } from './state';

export interface EdgeSite {
  file: string;
  /** 0-based. */
  line: number;
  fn: string;
  /** Where the held lock was taken, when known. */
  heldLine?: number;
  /** 0-based columns of the call or acquisition, and where it ends. */
  col?: number;
  endLine?: number;
  endCol?: number;
  /** Through a callee: where `to` is taken, `depth` calls below the callee. */
  take?: { fn: string; file: string; line: number; depth: number };
  /** Through the entry state of a method the mm core calls with mmap_lock held: why. */
  entry?: string;
}

export interface LockEdge {
  from: string;
  to: string;
  implicit: boolean;
  /** Through a callee's summary (the callee takes `to` while the caller holds `from`). */
  viaCallee?: boolean;
  /** `from` is mmap_lock held by the mm core around the method that takes `to` (->mmap). */
  viaEntry?: boolean;
  sites: EdgeSite[];
}

export class LockGraph {
  readonly edges = new Map<string, LockEdge>();

  add(from: string, to: string, implicit: boolean, site: EdgeSite, viaCallee = false, viaEntry = false): void {
    if (from === to) return;
    const k = `${from}\u0000${to}\u0000${implicit ? 1 : 0}\u0000${viaCallee ? 1 : 0}\u0000${viaEntry ? 1 : 0}`;
    let e = this.edges.get(k);
    if (!e) {
      e = { from, to, implicit, viaCallee, ...(viaEntry ? { viaEntry } : {}), sites: [] };
      this.edges.set(k, e);
    }
    // the first sites by place, not by arrival: a finding names the same site whatever order a run analysed in
    const s = e.sites;
    if (s.length === 8 && compareSites(site, s[7]) >= 0) return;
    let i = s.length;
    while (i > 0 && compareSites(site, s[i - 1]) < 0) i--;
    s.splice(i, 0, site);
    if (s.length > 8) s.pop();
  }

  nodes(): string[] {
    const s = new Set<string>();
    for (const e of this.edges.values()) {
      s.add(e.from);
      s.add(e.to);
    }
    return [...s].sort();
  }
}

function compareSites(a: EdgeSite, b: EdgeSite): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.fn < b.fn ? -1 : a.fn > b.fn ? 1 : 0);
}

/** Graph nodes of the table's lock classes (callee summaries name classes, not facts). */
export const CLASS_NODES: Record<string, string> = {
  page: 'page lock',
  mmap_lock: 'mmap_lock',
  invalidate_lock: 'invalidate_lock',
  i_mmap_rwsem: 'i_mmap_rwsem',
  anon_vma: 'anon_vma->rwsem',
  i_rwsem: 'i_rwsem',
  fs_fault_lock: 'fs fault lock',
  sb_pagefaults: 'sb_start_pagefault',
};

/** The graph node a lock belongs to, or null when it has no identity beyond its function. */
export function lockNode(f: LockFact, table: KernelTable | null): string | null {
  void table;
  const c = CLASS_NODES[f.cls];
  if (c) return c;
  if (f.atomic && f.cls !== 'spinlock') return null;
  // a struct member or a global: `struct gem_obj::lock`, `hugetlb_lock`; not deep paths
  // (`struct folio::mapping->i_private_lock` names another object's lock)
  if (f.typeKey && !/->|\[/.test(f.typeKey.split('::').slice(1).join('::'))) return f.typeKey.replace(/^global::/, '');
  return null;
}

/** A summary's take, as a graph node: a lock class, or a struct member / global by type. */
export function takeNode(t: { cls: string; typeKey?: string }): string | null {
  const c = CLASS_NODES[t.cls];
  if (c) return c;
  if (t.cls === 'spinlock' || !t.typeKey) return null;
  if (/->|\[/.test(t.typeKey.split('::').slice(1).join('::'))) return null;
  return t.typeKey.replace(/^global::/, '');
}

/**
 * The caller's locks a function has let go of at a point, as graph nodes: a lock it
 * takes there makes no edge from those (holepunch 90ed52ebe481: madvise_remove() drops
 * mmap_lock before vmtruncate_range() takes i_mutex).
 */
export function withoutOf(s: { locks: Map<string, LockFact> }): { without?: string[] } {
  let out: string[] | undefined;
  for (const f of s.locks.values()) {
    if (!f.fromCaller || f.paths & HELD) continue;
    // (spinlocks too: do_wp_page() -> wp_page_shared() drops vmf->ptl before it locks the folio)
    const n = lockNode(f, null);
    if (n && !(out ??= []).includes(n)) out.push(n);
  }
  return out ? { without: out } : {};
}

/** The implicit chain a faulting access takes, outer first (mm/rmap.c). */
export const FAULT_CHAIN_NODES = ['mmap_lock', 'invalidate_lock', 'page lock'];

export function toDot(g: LockGraph, cycleEdges: Set<string>): string {
  const q = (s: string): string => JSON.stringify(s);
  const out = ['digraph lock_order {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  for (const n of g.nodes()) out.push(`  ${q(n)};`);
  for (const e of g.edges.values()) {
    const s = e.sites[0];
    const attrs = [`label=${q(`${s.fn}() ${s.file.split('/').slice(-2).join('/')}:${s.line + 1}${e.sites.length > 1 ? ` +${e.sites.length - 1}` : ''}`)}`];
    if (e.implicit) attrs.push('style=dashed');
    if (cycleEdges.has(`${e.from}\u0000${e.to}`)) attrs.push('color=red', 'penwidth=2');
    out.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** A plain SVG rendering (nodes on a circle), so --graph x.svg needs no Graphviz. */
export function toSvg(g: LockGraph, cycleEdges: Set<string>): string {
  const nodes = g.nodes();
  const n = Math.max(nodes.length, 1);
  const r = Math.max(120, n * 28);
  const cx = r + 160;
  const cy = r + 60;
  const pos = new Map<string, [number, number]>();
  nodes.forEach((name, i) => pos.set(name, [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)]));
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * cx}" height="${2 * cy}" font-family="monospace" font-size="12">`,
    '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>',
  ];
  for (const e of g.edges.values()) {
    const [x1, y1] = pos.get(e.from) as [number, number];
    const [x2, y2] = pos.get(e.to) as [number, number];
    const red = cycleEdges.has(`${e.from}\u0000${e.to}`);
    out.push(
      `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${red ? 'red' : 'black'}"${red ? ' class="cycle" stroke-width="2"' : ''}${e.implicit ? ' stroke-dasharray="4 3"' : ''} marker-end="url(#a)"><title>${esc(`${e.from} -> ${e.to}: ${e.sites[0].fn}() ${e.sites[0].file}:${e.sites[0].line + 1}`)}</title></line>`,
    );
  }
  for (const [name, [x, y]] of pos) {
    out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="5"/><text x="${(x + 8).toFixed(1)}" y="${(y - 8).toFixed(1)}">${esc(name)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
