// web-tree-sitter with the tree-sitter-c wasm copied into grammars/ by the build
// (grammars/PROVENANCE). Located from this bundle's directory, never the cwd.
import * as fs from 'fs';
import * as path from 'path';
import type { CParser, SyntaxTree } from './tree';
import { Cursor, materialize, Vocab } from './plain';
import { createLiveTree, LiveTree, RawTree } from './live';

/** grammars/ next to the bundle (dist/../grammars) or the source tree (server/src/syntax/../../../grammars). */
export function grammarsDir(): string {
  const candidates = [
    path.join(__dirname, '..', 'grammars'),
    path.join(__dirname, '..', '..', '..', 'grammars'),
  ];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'tree-sitter-c.wasm'))) return c;
  return candidates[0];
}

export async function loadWasmParser(): Promise<CParser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const W = require('web-tree-sitter') as typeof import('web-tree-sitter');
  const dir = grammarsDir();
  await W.Parser.init({
    locateFile: (name: string) => path.join(dir, name),
  });
  const language = await W.Language.load(path.join(dir, 'tree-sitter-c.wasm'));
  const parser = new W.Parser();
  parser.setLanguage(language);
  const vocab = new Vocab();
  return {
    backend: 'wasm',
    vocab,
    parse(text: string, base = 0): SyntaxTree {
      const tree = parser.parse(text);
      if (!tree) throw new Error('web-tree-sitter returned no tree');
      const cursor = tree.walk();
      try {
        const rootNode = materialize(cursor as unknown as Cursor, vocab, base);
        return { rootNode, delete() {} };
      } finally {
        cursor.delete();
        tree.delete();
      }
    },
    openLive(text: string): LiveTree {
      return createLiveTree((t, old) => {
        const tree = parser.parse(t, old as unknown as import('web-tree-sitter').Tree | undefined);
        if (!tree) throw new Error('web-tree-sitter returned no tree');
        return tree as unknown as RawTree;
      }, text, vocab, true);
    },
  };
}
