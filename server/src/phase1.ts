// Phase 1 of the analysis: what the call graph needs of a document, found
// without copying its whole tree. tree-sitter parses (in C); only the
// top-level structure is walked, each function definition's header is copied
// into plain nodes without its body, and callees are read from the body's
// text. Declarations are copied only when they may install ops members.
//
// The editor keeps one IncrementalIndexer per open document: its tree is
// re-parsed incrementally (syntax/live.ts) and definitions whose text did not
// change keep what was found in them, shifted to their new place. A property
// test holds a reused indexer equal to a fresh one after random edits.
import { createHash } from 'crypto';
import { namesRead } from './checks';
import type { KernelTable } from './kernel/table';
import { describeFunction, FunctionHeader, headerOf } from './syntax/functions';
import type { LiveTree, TopLevelNode } from './syntax/live';
import { decode, Vocab } from './syntax/plain';
import type { Annotation, Prepared } from './syntax/prepare';
import { CParser, namedChildren, SyntaxNode, textOf } from './syntax/tree';

/** Phase 1's result for one document: plain data (it crosses threads and goes to disk). */
export interface DocIndex {
  functions: FunctionEntry[];
  /** Functions installed as ->fault & co. in a vm_operations_struct. */
  faultHandlers: string[];
  /** Function name -> ops members it is installed as. */
  members: [string, string[]][];
}

export interface FunctionEntry {
  header: FunctionHeader;
  /** Names called in the body (read from its text: a superset of the calls the engine sees, for ordering). */
  callees: string[];
  /** tree-sitter left ERROR nodes in the body (analysed around them). */
  hasErrorNode: boolean;
  /** Its text (with its annotations): the key of the caches. */
  textHash: string;
  /** Its text names nothing the table gives meaning to (see relevantNames). */
  namesNothing: boolean;
}

type Installed = { faultHandlers: string[]; members: [string, string[]][] };

/**
 * Compact trees (syntax/plain.ts) of a document's function definitions, by
 * start offset: phase 2 rebuilds a function from its tree instead of parsing
 * its text again. Kept for the definitions that name something the analysis
 * follows (the others are settled without analysis, as a rule).
 */
export interface KeptTrees {
  vocab: Vocab;
  byStart: Map<number, Uint32Array>;
}

export interface Indexed {
  index: DocIndex;
  trees: KeptTrees;
}

/**
 * Compact trees a thread keeps between the phases (off the JS heap, 16 bytes
 * a node); past it, functions are parsed again in phase 2 as before.
 * FAULTPATH_TREE_BUDGET_MB overrides it (0: keep none).
 */
export function treeBudgetBytes(): number {
  const mb = Number(process.env.FAULTPATH_TREE_BUDGET_MB);
  return (Number.isFinite(mb) && mb >= 0 && process.env.FAULTPATH_TREE_BUDGET_MB !== '' ? mb : 3072) * 1024 * 1024;
}

/** Bytes a document's kept trees take (off the JS heap). */
export function treeBytes(t: KeptTrees | undefined): number {
  let n = 0;
  if (t) for (const b of t.byStart.values()) n += b.byteLength;
  return n;
}

/** The room a thread has for compact trees: documents keep theirs while there is some. */
export class TreeBudget {
  constructor(private room: number) {}

  /** Phase 1 for one document, keeping its compact trees while there is room. */
  index(parser: CParser, prepared: Prepared, table: KernelTable): { index: DocIndex; trees?: KeptTrees } {
    if (this.room <= 0) return { index: indexPrepared(parser, prepared, table) };
    return this.take(indexWithTrees(parser, prepared, table));
  }

  /** Trees found elsewhere (the editor's indexer) count against the same room. */
  take(got: { index: DocIndex; trees?: KeptTrees }): { index: DocIndex; trees?: KeptTrees } {
    if (!got.trees || this.room <= 0) return { index: got.index };
    this.room -= treeBytes(got.trees);
    return got;
  }
}

/**
 * Whether phase 2 will likely analyse a definition (so its tree is worth
 * keeping): only one that names nothing and calls nothing is sure to be
 * settled without analysis; one that names nothing but calls something is
 * analysed as soon as a callee has a summary, as most do.
 */
function likelyAnalysed(namesNothing: boolean, callees: string[]): boolean {
  return !namesNothing || callees.length > 0;
}

/** Phase 1 for one document with a throwaway tree. */
export function indexPrepared(parser: CParser, prepared: Prepared, table: KernelTable): DocIndex {
  const ix = new IncrementalIndexer(parser);
  try {
    return ix.index(prepared, table);
  } finally {
    ix.dispose();
  }
}

/** Phase 1 for one document with a throwaway tree, keeping the compact trees phase 2 will want. */
export function indexWithTrees(parser: CParser, prepared: Prepared, table: KernelTable): Indexed {
  const ix = new IncrementalIndexer(parser, true);
  try {
    const index = ix.index(prepared, table);
    return { index, trees: ix.trees };
  } finally {
    ix.dispose();
  }
}

export class IncrementalIndexer {
  private live: LiveTree | null = null;
  /** Definition text (+ its annotations) -> entry with offsets relative to the definition. */
  private functions = new Map<string, FunctionEntry | null>();
  /** Definition text (+ its annotations) -> its compact tree (relative offsets, so reused as is). */
  private compact = new Map<string, Uint32Array>();
  /** The compact trees of the last index() (with keepTrees). */
  trees: KeptTrees;
  private declarations = new Map<string, Installed>();
  private tableUsed: KernelTable | null = null;
  private relevant = new Set<string>();
  /** Definitions and declarations reused / read by the last call. */
  reused = 0;
  scanned = 0;

  constructor(
    private readonly parser: CParser,
    /** Keep compact trees of the definitions that will be analysed (see KeptTrees). */
    public keepTrees = false,
  ) {
    this.trees = { vocab: parser.vocab, byStart: new Map() };
  }

  index(prepared: Prepared, table: KernelTable): DocIndex {
    if (table !== this.tableUsed) {
      // ops members that make a fault handler, and the names that matter, come from the table
      this.declarations.clear();
      this.functions.clear();
      this.compact.clear();
      this.tableUsed = table;
      this.relevant = relevantNames(table);
    }
    if (!this.live) this.live = this.parser.openLive(prepared.text);
    else this.live.update(prepared.text);
    const src = prepared.text;
    const nextFunctions = new Map<string, FunctionEntry | null>();
    const nextDeclarations = new Map<string, Installed>();
    const nextCompact = new Map<string, Uint32Array>();
    const byStart = new Map<number, Uint32Array>();
    const out: DocIndex = { functions: [], faultHandlers: [], members: [] };
    this.reused = this.scanned = 0;
    const annotations = prepared.annotations;
    let ai = 0;
    for (const n of this.live.topLevel()) {
      const text = src.slice(n.start, n.end);
      if (n.type === 'function_definition') {
        // annotations are blanked out of the text, so they are part of the key
        while (ai < annotations.length && annotations[ai].offset < n.start) ai++;
        const mine: Annotation[] = [];
        for (let j = ai; j < annotations.length && annotations[j].offset < n.end; j++) mine.push(annotations[j]);
        const key = text + '\u0000' + mine.map((a) => `${a.offset - n.start}:${a.kind}:${a.arg}`).join(';');
        let rel = nextFunctions.get(key) ?? this.functions.get(key);
        let tree = nextCompact.get(key) ?? this.compact.get(key);
        if (rel === undefined || (this.keepTrees && rel && likelyAnalysed(rel.namesNothing, rel.callees) && !tree)) {
          const read = readDefinition(n, src, mine, key, this.relevant, this.keepTrees ? this.parser.vocab : null);
          rel = read ? shiftEntry(read.entry, -n.start) : null;
          tree = read?.tree;
          this.scanned++;
        } else this.reused++;
        nextFunctions.set(key, rel);
        if (tree) {
          nextCompact.set(key, tree);
          byStart.set(n.start, tree);
        }
        if (rel) out.functions.push(shiftEntry(rel, n.start));
      } else if (n.atRoot) {
        let inst = nextDeclarations.get(text) ?? this.declarations.get(text);
        if (!inst) {
          // only designated initializers (`.fault = fn`) install anything
          inst = DESIGNATED.test(text) ? installedIn(n.materialize(), src, table) : { faultHandlers: [], members: [] };
          this.scanned++;
        } else this.reused++;
        nextDeclarations.set(text, inst);
        out.faultHandlers.push(...inst.faultHandlers);
        out.members.push(...inst.members);
      }
    }
    this.functions = nextFunctions;
    this.declarations = nextDeclarations;
    this.compact = nextCompact;
    this.trees = { vocab: this.parser.vocab, byStart };
    return out;
  }

  dispose(): void {
    this.live?.delete();
    this.live = null;
    this.functions.clear();
    this.declarations.clear();
    this.compact.clear();
    this.trees = { vocab: this.parser.vocab, byStart: new Map() };
  }
}

const DESIGNATED = /\.\s*[A-Za-z_][A-Za-z0-9_]*\s*=/;

/**
 * A definition's entry. With a vocab, a definition that phase 2 will likely
 * analyse is kept whole in compact form, and its header read from that when
 * it names something (one walk of the parser's tree instead of two); one
 * that names nothing needs its callees, read after its header, to decide.
 */
function readDefinition(n: TopLevelNode, src: string, annotations: Annotation[], key: string, relevant: Set<string>, vocab: Vocab | null): { entry: FunctionEntry; tree?: Uint32Array } | null {
  const quiet = namesNothing(src.slice(n.start, n.end).replace(COMMENT_OR_STRING, ' '), relevant);
  let tree = vocab && !quiet ? n.encode() : undefined;
  const f = describeFunction(tree && vocab ? decode(tree, vocab, n.start) : n.materializeHeader(), src, annotations);
  if (!f) return null;
  const body = src.slice(f.body.startIndex, n.end).replace(COMMENT_OR_STRING, ' ');
  const callees = calleesIn(body);
  if (vocab && !tree && likelyAnalysed(quiet, callees)) tree = n.encode();
  return {
    entry: {
      header: headerOf(f),
      callees,
      hasErrorNode: n.bodyHasError(),
      textHash: createHash('sha1').update(key).digest('base64'),
      namesNothing: quiet,
    },
    tree,
  };
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

function namesNothing(text: string, relevant: Set<string>): boolean {
  IDENT.lastIndex = 0;
  for (let m = IDENT.exec(text); m; m = IDENT.exec(text)) if (relevant.has(m[0]) || /^(VM_FAULT|FAULT_FLAG)_/.test(m[0])) return false;
  return true;
}

const relevantByTable = new WeakMap<KernelTable, Set<string>>();

/** Every name the engine and the rules give meaning to: the names of the kernel tables they declare they read (once per table). */
export function relevantNames(table: KernelTable): Set<string> {
  const known = relevantByTable.get(table);
  if (known) return known;
  const out = namesRead(table);
  relevantByTable.set(table, out);
  return out;
}

const NOT_CALLS = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', '__typeof', 'alignof', '_Alignof', '__alignof__',
  'defined', 'do', 'else', 'case', 'goto', '__attribute__', 'asm', '__asm__', 'volatile', '__volatile__', '_Static_assert', 'static_assert',
]);
const COMMENT_OR_STRING = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g;
// name( and (name)( or (*name)(; not ->name( or .name( (members: the engine reads those from the tree)
const CALL = /(?<![\w.>])([A-Za-z_][A-Za-z0-9_]*)\s*\(|\(\s*\*?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*\(/g;

/** Names called in a body, from its text without comments and strings. */
export function calleesIn(text: string): string[] {
  const out = new Set<string>();
  CALL.lastIndex = 0;
  for (let m = CALL.exec(text); m; m = CALL.exec(text)) {
    const name = m[1] ?? m[2];
    if (!NOT_CALLS.has(name)) out.add(name);
  }
  return [...out];
}

function shiftEntry(e: FunctionEntry, d: number): FunctionEntry {
  if (!d) return e;
  const h = e.header;
  return {
    ...e,
    header: { ...h, start: h.start + d, end: h.end + d, annotations: h.annotations.map((a) => ({ ...a, offset: a.offset + d })) },
  };
}

/**
 * Functions a top-level declaration installs in ops tables by designated
 * initializers: `.fault = foo` in a vm_operations_struct makes foo a fault
 * handler (table: faultHandlerMembers); `.read_folio = bar` gives bar that
 * slot's contract.
 */
export function installedIn(d: SyntaxNode, src: string, table: KernelTable): Installed {
  const faultHandlers: string[] = [];
  const members: [string, string[]][] = [];
  const vmOps = textOf(src, d).includes('vm_operations_struct');
  const stack: SyntaxNode[] = [d];
  while (stack.length) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'initializer_pair') {
      const designator = n.childForFieldName('designator') ?? n.namedChild(0);
      const value = n.childForFieldName('value');
      const field = designator ? textOf(src, designator).replace(/^\./, '').trim() : '';
      if (value && value.type === 'identifier') {
        const fn = textOf(src, value);
        if (vmOps && table.faultHandlerMembers.includes(field)) faultHandlers.push(fn);
        // `vm:close`: a vm_operations_struct member, told apart from file_operations' and others'
        members.push([fn, vmOps ? [field, 'vm:' + field] : [field]]);
      }
      continue;
    }
    for (const c of namedChildren(n)) stack.push(c);
  }
  return { faultHandlers, members };
}
