import { loadNativeParser } from './native';
import { loadWasmParser } from './wasm';
import type { CParser } from './tree';

export type Backend = 'native' | 'wasm' | 'auto';

/** The native binding when asked for (or 'auto' and it loads), else web-tree-sitter. */
export async function createParser(backend: Backend = 'auto'): Promise<CParser> {
  if (backend !== 'wasm') {
    const native = loadNativeParser();
    if (native) return native;
    if (backend === 'native') throw new Error('the native tree-sitter binding could not be loaded');
  }
  return loadWasmParser();
}
