// Phase 1 of the analysis for a document that is being edited: the tree is
// kept and re-parsed incrementally (syntax/live.ts), and each top-level
// definition or declaration whose text is the same as in the previous version
// keeps what was found in it (header, callees, installed ops), shifted to its
// new place. Only changed definitions are copied into plain nodes and scanned.
// Gives exactly what indexPrepared() gives for the same text (a property test
// holds the two together).
import { DocIndex, entryOf, FunctionEntry, installedIn } from './analysis';
import type { KernelTable } from './kernel/table';
import type { LiveTree } from './syntax/live';
import type { Annotation, Prepared } from './syntax/prepare';
import { describeFunction } from './syntax/functions';
import type { CParser } from './syntax/tree';

type Installed = { faultHandlers: string[]; members: [string, string[]][] };

export class IncrementalIndexer {
  private live: LiveTree | null = null;
  /** Definition text (+ its annotations) -> entry with offsets relative to the definition. */
  private functions = new Map<string, FunctionEntry | null>();
  private declarations = new Map<string, Installed>();
  private tableUsed: KernelTable | null = null;
  /** Definitions and declarations reused / copied and scanned by the last call. */
  reused = 0;
  scanned = 0;

  constructor(private readonly parser: CParser) {}

  index(prepared: Prepared, table: KernelTable): DocIndex {
    if (table !== this.tableUsed) {
      // ops members that make a fault handler come from the table
      this.declarations.clear();
      this.tableUsed = table;
    }
    if (!this.live) this.live = this.parser.openLive(prepared.text);
    else this.live.update(prepared.text);
    const src = prepared.text;
    const nextFunctions = new Map<string, FunctionEntry | null>();
    const nextDeclarations = new Map<string, Installed>();
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
        const key = text + "\u0000" + mine.map((a) => `${a.offset - n.start}:${a.kind}:${a.arg}`).join(";");
        let rel = nextFunctions.get(key) ?? this.functions.get(key);
        if (rel === undefined) {
          const f = describeFunction(n.materialize(), src, mine);
          rel = f ? shiftEntry(entryOf(f, src), -n.start) : null;
          this.scanned++;
        } else this.reused++;
        nextFunctions.set(key, rel);
        if (rel) out.functions.push(shiftEntry(rel, n.start));
      } else if (n.atRoot) {
        let inst = nextDeclarations.get(text) ?? this.declarations.get(text);
        if (!inst) {
          inst = installedIn(n.materialize(), src, table);
          this.scanned++;
        } else this.reused++;
        nextDeclarations.set(text, inst);
        out.faultHandlers.push(...inst.faultHandlers);
        out.members.push(...inst.members);
      }
    }
    this.functions = nextFunctions;
    this.declarations = nextDeclarations;
    return out;
  }

  dispose(): void {
    this.live?.delete();
    this.live = null;
    this.functions.clear();
    this.declarations.clear();
  }
}

function shiftEntry(e: FunctionEntry, d: number): FunctionEntry {
  if (!d) return e;
  const h = e.header;
  return {
    ...e,
    header: { ...h, start: h.start + d, end: h.end + d, annotations: h.annotations.map((a) => ({ ...a, offset: a.offset + d })) },
  };
}
