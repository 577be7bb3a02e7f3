// One control-flow graph per function body. Built backwards (each statement is
// built knowing its successor), so straight-line code needs no patching; only
// gotos to labels not seen yet are resolved at the end.
//
// Nodes are single evaluation points (an expression statement, a declaration,
// one atomic branch condition, a return), not basic blocks: the flow engine is
// cheap per node and hover/inlay hints want a state per statement anyway.
// Conditions are split at &&, || and ! so that `if (!page || !trylock_page(page))`
// refines the lock state on each edge (smatch does the same).
import { SyntaxNode, namedChildren, textOf } from '../syntax/tree';
import { isHeadEnd } from '../syntax/prepare';

export type EdgeKind = 'next' | 'true' | 'false' | 'goto' | 'return' | 'back' | 'case';
export type NodeKind = 'entry' | 'exit' | 'expr' | 'decl' | 'cond' | 'return' | 'label' | 'join' | 'jump' | 'scope';

export interface Edge {
  from: number;
  to: number;
  kind: EdgeKind;
  /** Scopes (compound statements) left along this edge: guard() locks taken in them are released. */
  exits?: number[];
}

export interface CfgNode {
  id: number;
  kind: NodeKind;
  ast: SyntaxNode | null;
  /** Scope that a `scope` node opens (scoped_guard) or closes (block end). */
  scope?: number;
  /** Innermost enclosing scopes, outermost first. */
  scopes: number[];
  succ: Edge[];
  pred: Edge[];
}

export interface Cfg {
  nodes: CfgNode[];
  entry: number;
  exit: number;
  /** Statements the builder could only treat as opaque (ERROR recovery). */
  recovered: number;
  /** True when nesting went past the depth budget and a subtree was treated as one node. */
  truncated: boolean;
}

const MAX_DEPTH = 400;


interface LoopTargets {
  brk: number;
  cont: number;
  scopes: number[];
}

/**
 * `labelsFromEntry`: the text is part of a function (a hunk), so any label may be
 * the target of a goto from code that is not shown: each gets an edge from entry.
 */
export function buildCfg(body: SyntaxNode, src: string, labelsFromEntry = false): Cfg {
  const nodes: CfgNode[] = [];
  const labels = new Map<string, number>();
  const pendingJumps: { node: number; scopes: number[]; label: string }[] = [];
  let recovered = 0;
  let truncated = false;
  let scopeStack: number[] = [];

  const add = (kind: NodeKind, ast: SyntaxNode | null): number => {
    const id = nodes.length;
    nodes.push({ id, kind, ast, scopes: scopeStack.slice(), succ: [], pred: [] });
    return id;
  };
  const link = (from: number, to: number, kind: EdgeKind, exits?: number[]): void => {
    const e: Edge = { from, to, kind };
    if (exits && exits.length) e.exits = exits;
    nodes[from].succ.push(e);
    nodes[to].pred.push(e);
  };
  const exitsBetween = (fromScopes: number[], toScopes: number[]): number[] => {
    const out: number[] = [];
    for (let i = fromScopes.length - 1; i >= 0; i--) if (!toScopes.includes(fromScopes[i])) out.push(fromScopes[i]);
    return out;
  };

  const entry = add('entry', null);
  const exit = add('exit', null);

  const label = (name: string): number => {
    let id = labels.get(name);
    if (id === undefined) {
      id = add('label', null);
      labels.set(name, id);
    }
    return id;
  };

  /** A jump node: goto/break/continue/return leaving scopes on its way. */
  const jump = (ast: SyntaxNode, to: number, kind: EdgeKind, toScopes: number[]): number => {
    const id = add(ast.type === 'return_statement' ? 'return' : 'jump', ast);
    link(id, to, kind, exitsBetween(scopeStack, toScopes));
    return id;
  };

  // ---- conditions -------------------------------------------------------
  const unwrap = (n: SyntaxNode): SyntaxNode => {
    for (;;) {
      if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) {
        const c = n.namedChild(0);
        if (!c) return n;
        n = c;
        continue;
      }
      if (n.type === 'call_expression') {
        const fn = n.childForFieldName('function');
        const args = n.childForFieldName('arguments');
        if (fn && args && args.namedChildCount === 1 && fn.type === 'identifier') {
          const name = textOf(src, fn);
          if (name === 'likely' || name === 'unlikely' || name === 'likely_result' || name === 'unlikely_result') {
            const a = args.namedChild(0);
            if (a) {
              n = a;
              continue;
            }
          }
        }
      }
      return n;
    }
  };

  const buildCond = (expr: SyntaxNode, t: number, f: number, depth: number): number => {
    const e = unwrap(expr);
    if (depth < MAX_DEPTH) {
      if (e.type === 'unary_expression' && e.child(0) && textOf(src, e.child(0) as SyntaxNode) === '!') {
        const arg = e.childForFieldName('argument');
        if (arg) return buildCond(arg, f, t, depth + 1);
      }
      if (e.type === 'binary_expression') {
        const op = e.childForFieldName('operator');
        const l = e.childForFieldName('left');
        const r = e.childForFieldName('right');
        const ops = op ? textOf(src, op) : '';
        if (l && r && ops === '&&') return buildCond(l, buildCond(r, t, f, depth + 1), f, depth + 1);
        if (l && r && ops === '||') return buildCond(l, t, buildCond(r, t, f, depth + 1), depth + 1);
      }
      if (e.type === 'number_literal') {
        // do { } while (0), while (1), for (;;) with a constant: one edge only.
        const v = Number.parseInt(textOf(src, e), 0);
        if (!Number.isNaN(v)) {
          const id = add('cond', e);
          link(id, v ? t : f, v ? 'true' : 'false');
          return id;
        }
      }
    }
    const id = add('cond', e);
    link(id, t, 'true');
    link(id, f, 'false');
    return id;
  };

  // ---- statements -------------------------------------------------------
  const seq = (stmts: SyntaxNode[], succ: number, loop: LoopTargets | null, depth: number): number => {
    // Macro loops and scoped guards, `list_for_each_entry(p, h, m) { ... }`,
    // `for_each_possible_cpu(cpu) { ... }`, `scoped_guard(rcu) { ... }`, or a
    // body without braces, parse as a call statement followed by its body
    // (isHeadEnd() in syntax/prepare.ts). A body may itself be headed:
    // `for_each_node(n) for_each_cpu(c) x();` is one group of two heads. A
    // head that is the body of an if, else or loop, `if (a) for_each_cpu(c) {`,
    // or follows a label,
    // takes the statement after that one as its own body (6.12 mm/vma.c
    // dup_anon_vma(): `if (vma->anon_vma) list_for_each_entry(...) x;`).
    const groups: { heads: SyntaxNode[]; body: SyntaxNode; host?: SyntaxNode }[] = [];
    for (let i = 0; i < stmts.length; ) {
      const heads: SyntaxNode[] = [];
      const tail = i + 1 < stmts.length && !isMacroHead(stmts[i], stmts[i + 1]) ? trailingHead(stmts[i], 0) : null;
      const host = tail && isMacroHead(tail, stmts[i + 1]) ? stmts[i++] : undefined;
      if (host && tail) heads.push(tail);
      while (i + 1 < stmts.length && isMacroHead(stmts[i], stmts[i + 1])) heads.push(stmts[i++]);
      groups.push({ heads, body: stmts[i++], host });
    }
    let next = succ;
    for (let g = groups.length - 1; g >= 0; g--) {
      const { heads, body, host } = groups[g];
      if (host) {
        adopted.set(heads[0].startIndex, { heads, body });
        next = stmt(host, next, loop, depth);
      } else next = heads.length ? macroBlock(heads, 0, body, next, loop, depth) : stmt(body, next, loop, depth);
    }
    return next;
  };

  /** Heads that took the statement after their if, else or loop as body. */
  const adopted = new Map<number, { heads: SyntaxNode[]; body: SyntaxNode }>();

  /** The statement that ends `s` when it is the body of an if, else or loop in `s`. */
  const trailingHead = (s: SyntaxNode, d: number): SyntaxNode | null => {
    if (d > 16) return null;
    switch (s.type) {
      case 'expression_statement':
        return d > 0 ? s : null;
      case 'if_statement': {
        const alt = s.childForFieldName('alternative');
        const last = alt ? (alt.type === 'else_clause' ? alt.namedChild(0) : alt) : s.childForFieldName('consequence');
        return last ? trailingHead(last, d + 1) : null;
      }
      case 'for_statement':
      case 'while_statement': {
        const body = s.childForFieldName('body');
        return body ? trailingHead(body, d + 1) : null;
      }
      case 'labeled_statement': {
        // `err: for_each_possible_cpu(cpu) {` (6.12 mm/percpu-vm.c pcpu_map_pages())
        const inner = s.namedChild(s.namedChildCount - 1);
        return inner && inner.type !== 'statement_identifier' ? trailingHead(inner, d + 1) : null;
      }
      default:
        return null;
    }
  };

  const isMacroHead = (n: SyntaxNode, next: SyntaxNode): boolean => {
    if (n.type !== 'expression_statement') return false;
    const last = n.child(n.childCount - 1);
    if (!last || !isHeadEnd(src, last, next)) return false;
    const e = n.namedChild(0);
    return !!e && e.type === 'call_expression';
  };

  /** The loop or scope of heads[k], its body the rest of the group. */
  const macroBlock = (heads: SyntaxNode[], k: number, body: SyntaxNode, succ: number, loop: LoopTargets | null, depth: number): number => {
    const call = heads[k].namedChild(0) as SyntaxNode;
    const fn = call.childForFieldName('function');
    const name = fn ? textOf(src, fn) : '';
    const inner = (to: number, targets: LoopTargets | null, block: boolean): number => {
      if (depth > MAX_DEPTH) return stmt(body, to, targets, depth + 1);
      if (k + 1 < heads.length) return macroBlock(heads, k + 1, body, to, targets, depth + 1);
      // a scope's own block: its statements, the scope being the guard's
      return block && body.type === 'compound_statement' ? seq(namedChildren(body), to, targets, depth + 1) : stmt(body, to, targets, depth + 1);
    };
    if (/^scoped_(cond_)?guard$/.test(name)) {
      // The lock is taken at the head and released on every exit from the block.
      const sid = k + 1 < heads.length ? heads[k + 1].startIndex : body.startIndex;
      const open = add('scope', call);
      nodes[open].scope = sid;
      const outer = scopeStack;
      scopeStack = outer.concat([sid]);
      const close = add('scope', null);
      nodes[close].scope = -sid - 1; // negative: releases scope sid
      link(close, succ, 'next');
      const bodyEntry = inner(close, loop, true);
      scopeStack = outer;
      nodes[open].scopes = outer.slice();
      nodes[close].scopes = outer.concat([sid]);
      link(open, bodyEntry, 'next');
      return open;
    }
    // Any other macro followed by a body: a loop with an unknown condition.
    return loopStmt(call, (to, targets) => inner(to, targets, false), null, succ, depth);
  };

  const loopStmt = (
    cond: SyntaxNode | null,
    body: ((succ: number, targets: LoopTargets) => number) | SyntaxNode | null,
    update: SyntaxNode | null,
    succ: number,
    depth: number,
  ): number => {
    const head = add('join', null);
    const cont = add('join', null);
    const targets: LoopTargets = { brk: succ, cont, scopes: scopeStack.slice() };
    const bodyEntry = !body ? cont : typeof body === 'function' ? body(cont, targets) : stmt(body, cont, targets, depth + 1);
    if (update) {
      const u = add('expr', update);
      link(u, head, 'back');
      link(cont, u, 'next');
    } else {
      link(cont, head, 'back');
    }
    const c = cond ? buildCond(cond, bodyEntry, succ, depth) : bodyEntry;
    link(head, c, 'next');
    return head;
  };

  const stmt = (s: SyntaxNode, succ: number, loop: LoopTargets | null, depth: number): number => {
    if (depth > MAX_DEPTH) {
      truncated = true;
      const id = add('expr', s);
      link(id, succ, 'next');
      return id;
    }
    switch (s.type) {
      case 'compound_statement': {
        const sid = s.startIndex;
        const outer = scopeStack;
        scopeStack = outer.concat([sid]);
        const close = add('scope', null);
        nodes[close].scope = -sid - 1;
        link(close, succ, 'next');
        const e = seq(namedChildren(s), close, loop, depth + 1);
        scopeStack = outer;
        return e;
      }
      case 'expression_statement': {
        const own = adopted.get(s.startIndex);
        if (own) return macroBlock(own.heads, 0, own.body, succ, loop, depth);
        if (s.namedChildCount === 0) return succ;
        const id = add('expr', s.namedChild(0));
        link(id, succ, 'next');
        return id;
      }
      case 'declaration': {
        const id = add('decl', s);
        link(id, succ, 'next');
        return id;
      }
      case 'if_statement': {
        const cond = s.childForFieldName('condition');
        const cons = s.childForFieldName('consequence');
        const alt = s.childForFieldName('alternative');
        const t = cons ? stmt(cons, succ, loop, depth + 1) : succ;
        let f = succ;
        if (alt) {
          const a = alt.type === 'else_clause' ? alt.namedChild(0) : alt;
          if (a) f = stmt(a, succ, loop, depth + 1);
        }
        if (!cond) return t;
        return buildCond(cond, t, f, depth);
      }
      case 'while_statement':
        return loopStmt(s.childForFieldName('condition'), s.childForFieldName('body'), null, succ, depth);
      case 'for_statement': {
        const init = s.childForFieldName('initializer');
        const head = loopStmt(s.childForFieldName('condition'), s.childForFieldName('body'), s.childForFieldName('update'), succ, depth);
        if (!init) return head;
        const id = add(init.type === 'declaration' ? 'decl' : 'expr', init);
        link(id, head, 'next');
        return id;
      }
      case 'do_statement': {
        const cond = s.childForFieldName('condition');
        const body = s.childForFieldName('body');
        const cont = add('join', null);
        const back = add('join', null);
        const targets: LoopTargets = { brk: succ, cont, scopes: scopeStack.slice() };
        const bodyEntry = body ? stmt(body, cont, targets, depth + 1) : cont;
        const c = cond ? buildCond(cond, back, succ, depth) : back;
        // do { } while (0): the constant condition never reaches the back edge
        if (nodes[back].pred.length) link(back, bodyEntry, 'back');
        link(cont, c, 'next');
        return bodyEntry;
      }
      case 'switch_statement': {
        const cond = s.childForFieldName('condition');
        const body = s.childForFieldName('body');
        const sw = add('cond', cond ? unwrap(cond) : s);
        const targets: LoopTargets = { brk: succ, cont: loop ? loop.cont : succ, scopes: scopeStack.slice() };
        const items = body ? namedChildren(body) : [];
        let next = succ;
        let hasDefault = false;
        const caseEntries: number[] = [];
        for (let i = items.length - 1; i >= 0; i--) {
          const it = items[i];
          if (it.type === 'case_statement') {
            const value = it.childForFieldName('value');
            if (!value) hasDefault = true;
            const stmts = namedChildren(it).filter((c) => c !== value && !sameNode(c, value));
            next = seq(stmts, next, targets, depth + 1);
            const lab = add('label', it);
            link(lab, next, 'next');
            caseEntries.push(lab);
            next = lab;
          } else {
            next = stmt(it, next, targets, depth + 1);
          }
        }
        for (const c of caseEntries.reverse()) link(sw, c, 'case');
        if (!hasDefault) link(sw, succ, 'case');
        return sw;
      }
      case 'break_statement':
        if (!loop) return succ;
        return jump(s, loop.brk, 'next', loop.scopes);
      case 'continue_statement':
        if (!loop) return succ;
        return jump(s, loop.cont, 'next', loop.scopes);
      case 'return_statement':
        return jump(s, exit, 'return', []);
      case 'goto_statement': {
        const l = s.childForFieldName('label');
        const name = l ? textOf(src, l) : '';
        const id = add('jump', s);
        pendingJumps.push({ node: id, scopes: scopeStack.slice(), label: name });
        return id;
      }
      case 'labeled_statement': {
        const l = s.childForFieldName('label');
        const name = l ? textOf(src, l) : '';
        const lab = label(name);
        nodes[lab].ast = s;
        nodes[lab].scopes = scopeStack.slice();
        const inner = namedChildren(s).filter((c) => c.type !== 'statement_identifier');
        const e = seq(inner, succ, loop, depth + 1);
        link(lab, e, 'next');
        return lab;
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'preproc_else':
        return preproc(s, succ, loop, depth);
      case 'attributed_statement': {
        const inner = namedChildren(s).filter((c) => c.type !== 'attribute_declaration');
        return seq(inner, succ, loop, depth + 1);
      }
      case 'comment':
      case 'preproc_def':
      case 'preproc_function_def':
      case 'preproc_include':
      case 'preproc_call':
        return succ;
      case 'ERROR':
        // Recover statement by statement: what tree-sitter could name inside the
        // error is still analysed (anything not a statement becomes an evaluated
        // expression, as in the default case); only the bad tokens are skipped.
        recovered++;
        return seq(namedChildren(s), succ, loop, depth + 1);
      default: {
        // Anything else (asm, a stray expression): evaluated for its calls.
        const id = add('expr', s);
        link(id, succ, 'next');
        return id;
      }
    }
  };

  const preproc = (s: SyntaxNode, succ: number, loop: LoopTargets | null, depth: number): number => {
    // #ifdef CONFIG_X / #else: one branch or the other, both feasible.
    const cond = s.childForFieldName('condition');
    const alt = s.childForFieldName('alternative');
    const isZero = !!cond && cond.type === 'number_literal' && textOf(src, cond).trim() === '0';
    const body = namedChildren(s).filter(
      (c) => c !== alt && !sameNode(c, alt) && !sameNode(c, cond) && !sameNode(c, s.childForFieldName('name')),
    );
    const altEntry = alt ? stmt(alt, succ, loop, depth + 1) : succ;
    if (isZero) return altEntry;
    const bodyEntry = seq(body, succ, loop, depth + 1);
    if (bodyEntry === altEntry) return bodyEntry;
    const fork = add('join', null);
    link(fork, bodyEntry, 'next');
    link(fork, altEntry, 'next');
    return fork;
  };

  const first = body.type === 'compound_statement' ? seq(namedChildren(body), exit, null, 0) : stmt(body, exit, null, 0);
  link(entry, first, 'next');
  if (labelsFromEntry) for (const id of labels.values()) link(entry, id, 'goto');
  for (const j of pendingJumps) {
    const target = labels.get(j.label);
    if (target === undefined) {
      link(j.node, exit, 'goto', j.scopes.slice().reverse());
      continue;
    }
    link(j.node, target, 'goto', exitsBetween(j.scopes, nodes[target].scopes));
  }
  return { nodes, entry, exit, recovered, truncated };
}

function sameNode(a: SyntaxNode | null, b: SyntaxNode | null): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}
