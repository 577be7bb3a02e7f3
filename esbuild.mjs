// Bundles the CLI, the language server and the extension client to CommonJS
// for Node, and copies the tree-sitter wasm files into grammars/ (see
// grammars/PROVENANCE). The native tree-sitter addon stays external.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const release = process.argv.includes('--release');
const root = path.dirname(new URL(import.meta.url).pathname);

function copyGrammars() {
  const dir = path.join(root, 'grammars');
  fs.mkdirSync(dir, { recursive: true });
  const cPkg = path.dirname(require.resolve('tree-sitter-c/package.json'));
  const wPkg = path.dirname(require.resolve('web-tree-sitter'));
  fs.copyFileSync(path.join(cPkg, 'tree-sitter-c.wasm'), path.join(dir, 'tree-sitter-c.wasm'));
  fs.copyFileSync(path.join(wPkg, 'web-tree-sitter.wasm'), path.join(dir, 'web-tree-sitter.wasm'));
}

const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
];
entries.push({ in: 'server/src/parallel/worker.ts', out: 'dist/worker.js' });
if (fs.existsSync(path.join(root, 'server/src/lsp/server.ts'))) entries.push({ in: 'server/src/lsp/server.ts', out: 'dist/server.js' });
if (fs.existsSync(path.join(root, 'client/src/extension.ts'))) entries.push({ in: 'client/src/extension.ts', out: 'dist/client.js' });

copyGrammars();
await Promise.all(
  entries.map((e) =>
    esbuild.build({
      entryPoints: [path.join(root, e.in)],
      outfile: path.join(root, e.out),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'tree-sitter', 'tree-sitter-c'],
      sourcemap: !release,
      minify: release,
      banner: e.banner ? { js: e.banner } : undefined,
      logLevel: 'warning',
    }),
  ),
);
fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
