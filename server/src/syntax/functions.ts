// Function definitions of a translation unit, found without Node.parent
// (web-tree-sitter's parent walk can throw on deep trees, STYLE 9): top-level
// definitions and those wrapped in #ifdef blocks or ERROR nodes.
import type { Annotation } from './prepare';
import { SyntaxNode, namedChildren, textOf } from './tree';
import { CONTAINERS } from './live';

export interface Param {
  name: string;
  /** Struct or typedef name of the parameter (without pointer stars). */
  type: string;
  pointer: boolean;
}

/** What the call graph needs of a function once its file's tree is gone. */
export type FunctionHeader = Omit<FunctionInfo, 'node' | 'body'>;

export function headerOf(f: FunctionInfo): FunctionHeader {
  return { name: f.name, start: f.start, end: f.end, returnType: f.returnType, params: f.params, isStatic: f.isStatic, annotations: f.annotations };
}

export interface FunctionInfo {
  name: string;
  node: SyntaxNode;
  body: SyntaxNode;
  start: number;
  end: number;
  returnType: string;
  params: Param[];
  isStatic: boolean;
  annotations: Annotation[];
}


export function findFunctions(root: SyntaxNode, src: string, annotations: Annotation[]): FunctionInfo[] {
  const out: FunctionInfo[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const n = stack.pop() as SyntaxNode;
    for (const c of namedChildren(n)) {
      if (c.type === 'function_definition') {
        const f = describeFunction(c, src, annotations);
        if (f) out.push(f);
      } else if (CONTAINERS.has(c.type)) stack.push(c);
    }
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

function innermostDeclarator(d: SyntaxNode | null): SyntaxNode | null {
  // function_declarator may sit under pointer_declarator (struct page *find(...))
  let cur = d;
  for (let i = 0; cur && i < 16; i++) {
    if (cur.type === 'function_declarator') return cur;
    cur = cur.childForFieldName('declarator');
  }
  return null;
}

export function declaratorName(d: SyntaxNode | null, src: string): string {
  let cur = d;
  for (let i = 0; cur && i < 16; i++) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier' || cur.type === 'type_identifier') return textOf(src, cur);
    const next: SyntaxNode | null = cur.childForFieldName('declarator');
    if (!next) {
      // parenthesized_declarator has no field
      const c = cur.namedChild(0);
      cur = c;
    } else cur = next;
  }
  return '';
}

export function typeName(t: SyntaxNode | null, src: string): string {
  if (!t) return '';
  if (t.type === 'struct_specifier' || t.type === 'union_specifier' || t.type === 'enum_specifier') {
    const n = t.childForFieldName('name');
    return n ? t.type.split('_')[0] + ' ' + textOf(src, n) : '';
  }
  return textOf(src, t).trim();
}

export function describeFunction(fn: SyntaxNode, src: string, annotations: Annotation[]): FunctionInfo | null {
  const body = fn.childForFieldName('body');
  const fdecl = innermostDeclarator(fn.childForFieldName('declarator'));
  if (!body || !fdecl) return null;
  const name = declaratorName(fdecl.childForFieldName('declarator'), src);
  if (!name) return null;
  const params: Param[] = [];
  const plist = fdecl.childForFieldName('parameters');
  if (plist) {
    for (const p of namedChildren(plist)) {
      if (p.type !== 'parameter_declaration') continue;
      const d = p.childForFieldName('declarator');
      params.push({ name: declaratorName(d, src), type: typeName(p.childForFieldName('type'), src), pointer: !!d && textOf(src, d).includes('*') });
    }
  }
  let isStatic = false;
  for (const c of namedChildren(fn)) if (c.type === 'storage_class_specifier' && textOf(src, c) === 'static') isStatic = true;
  const header = src.slice(fn.startIndex, body.startIndex);
  const returnType = typeName(fn.childForFieldName('type'), src) + (/\*\s*[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(header) ? ' *' : '');
  return {
    name,
    node: fn,
    body,
    start: fn.startIndex,
    end: fn.endIndex,
    returnType,
    params,
    isStatic,
    annotations: annotations.filter((a) => a.offset >= fn.startIndex && a.offset < body.startIndex),
  };
}
