// Native tree-sitter binding: used by the CLI and benchmarks when it loads
// (STYLE 9: tree-sitter 0.25.1 must be paired with tree-sitter-c 0.24.1).
import type { CParser, SyntaxTree } from './tree';
import { Cursor, materialize } from './plain';
import { createLiveTree, LiveTree, RawTree } from './live';

interface NativeParserCtor {
  new (): {
    setLanguage(lang: unknown): void;
    parse(input: string, oldTree?: unknown, options?: { bufferSize?: number }): { walk(): Cursor } & RawTree;
  };
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
  return {
    backend: 'native',
    parse(text: string, base = 0): SyntaxTree {
      // The binding copies the string in chunks of bufferSize; a buffer as large
      // as the text avoids re-entering JS once per 32 KiB.
      const tree = parser.parse(text, undefined, { bufferSize: Math.max(1024, text.length * 2 + 2) });
      // the native tree is dropped here; the binding frees it when collected
      const rootNode = materialize(tree.walk(), base);
      return {
        rootNode,
        delete() {
          /* plain JS nodes: nothing to free */
        },
      };
    },
    openLive(text: string): LiveTree {
      return createLiveTree((t, old) => parser.parse(t, old, { bufferSize: Math.max(1024, t.length * 2 + 2) }), text);
    },
  };
}
