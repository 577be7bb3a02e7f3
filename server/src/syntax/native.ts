// Native tree-sitter binding: used by the CLI and benchmarks when it loads
// (STYLE 9: tree-sitter 0.25.1 must be paired with tree-sitter-c 0.24.1).
import type { CParser, SyntaxTree } from './tree';
import { Cursor, materialize, Vocab } from './plain';
import { createLiveTree, LiveTree, RawTree } from './live';

interface NativeParserCtor {
  new (): {
    setLanguage(lang: unknown): void;
    parse(input: string, oldTree?: unknown, options?: { bufferSize?: number }): { walk(): Cursor } & RawTree;
  };
}

// The binding frees a tree's native memory (about 28 bytes per byte of source)
// only when V8 has collected its JS wrapper AND the event loop has turned (the
// finalizers run then), and it does not tell V8 how large a tree is. A scan
// that parses in one synchronous stretch keeps every tree it ever made: a
// whole-tree run ran the machine out of memory. So parsed bytes are counted,
// and long runs call releaseTrees() (a full collection, then a turn of the
// event loop) whenever treesPending() says enough has been parsed.
const RELEASE_EVERY = 16 * 1024 * 1024;
let parsedSinceRelease = 0;
let collect: (() => void) | null | undefined;

function parsed(bytes: number): void {
  parsedSinceRelease += bytes;
}

/** Enough has been parsed since the last release that trees should be let go. */
export function treesPending(): boolean {
  return parsedSinceRelease >= RELEASE_EVERY;
}

export async function releaseTrees(): Promise<void> {
  parsedSinceRelease = 0;
  if (collect === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('v8').setFlagsFromString('--expose-gc');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      collect = require('vm').runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
  await new Promise((resolve) => setImmediate(resolve));
}

export function loadNativeParser(): CParser | null {
  let ParserCtor: NativeParserCtor;
  let language: unknown;
  try {
    // Required lazily and by a computed name so that bundles for the editor
    // (which ship only the wasm backend) never try to resolve the addon.
    const req = require;
    ParserCtor = req('tree-sitter') as NativeParserCtor;
    language = req('tree-sitter-c');
  } catch {
    return null;
  }
  const parser = new ParserCtor();
  try {
    parser.setLanguage(language);
  } catch {
    return null;
  }
  const vocab = new Vocab();
  return {
    backend: 'native',
    vocab,
    parse(text: string, base = 0): SyntaxTree {
      // The binding copies the string in chunks of bufferSize; a buffer as large
      // as the text avoids re-entering JS once per 32 KiB.
      parsed(text.length);
      const tree = parser.parse(text, undefined, { bufferSize: Math.max(1024, text.length * 2 + 2) });
      // the native tree is dropped here; the binding frees it when collected
      const rootNode = materialize(tree.walk(), vocab, base);
      return {
        rootNode,
        delete() {
          /* plain JS nodes: nothing to free */
        },
      };
    },
    openLive(text: string): LiveTree {
      return createLiveTree((t, old) => {
        parsed(t.length);
        return parser.parse(t, old, { bufferSize: Math.max(1024, t.length * 2 + 2) });
      }, text, vocab);
    },
  };
}
