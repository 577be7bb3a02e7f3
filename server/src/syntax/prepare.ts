// Kernel annotation macros blanked to spaces before parsing, offsets kept
// (STYLE 9: this cuts function-level ERROR nodes in mm/ from 14 % to 5 %).
// Sparse lock annotations are read first: they are function summaries.

export interface Annotation {
  kind: 'acquires' | 'releases' | 'must_hold';
  arg: string;
  offset: number;
}

export interface Prepared {
  text: string;
  annotations: Annotation[];
}

const BARE = [
  '__user', '__kernel', '__iomem', '__percpu', '__rcu', '__force', '__init', '__exit', '__initdata',
  '__initconst', '__exitdata', '__meminit', '__meminitdata', '__refdata', '__ref', '__read_mostly',
  '__always_inline', 'noinline', '__noinline', 'noinline_for_stack', '__cold', '__hot', '__maybe_unused',
  '__always_unused', '__used', '__weak', '__sched', 'notrace', '__latent_entropy', '__must_check', '__pure',
  '__ro_after_init', '__visible', 'asmlinkage', '__nocfi', '__noreturn', '__safe', '__private', '__bitwise',
  '__nocast', '__cacheline_aligned', '__cacheline_aligned_in_smp', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '__deprecated', 'noinstr', '__flatten', '__malloc', '__attribute_const__',
  '__no_kcsan', '__no_sanitize_address', '__nostackprotector', '__randomize_layout', '__cpuidle',
  '__irq_entry', '__kprobes', 'nokprobe_inline', '__packed', '__must_be_array', '__counted_by_ptr',
  '__init_or_module', '__devinit', '__devexit', '__cpuinit', '__releases_shared', '__acquires_shared',
  '__mustcheck', 'fastcall', '__lockfunc', '__nonstring', '__unused', '__free_ptr', '__uninitialized',
  '__ksym', '__bpf_kfunc', '__diag_ignore_all', '__no_profile', '__no_kmsan_checks', '__always_unused',
  '__section_attr', '__cold_section',
];

const FUNCTIONLIKE = [
  '__acquires', '__releases', '__must_hold', '__cond_acquires', '__cond_releases', '__printf', '__scanf',
  '__aligned', '__section', '__counted_by', '__alloc_size', '__realloc_size', '__assume_aligned',
  '__diag_push', '__diag_pop', '__free', '__cleanup', '__no_sanitize_or_inline', '__native_word',
  '__compiletime_error', '__cond_lock_ok',
];

/** Macros with a type argument (by index): the type is replaced by `0` and spaces so the call parses (not offsetof: tree-sitter-c parses it with its type). */
const TYPE_ARGS: Record<string, number> = {
  container_of: 1, container_of_const: 1, list_entry: 1, list_first_entry: 1, list_last_entry: 1,
  list_first_entry_or_null: 1, list_last_entry_or_null: 1, list_entry_rcu: 1, list_first_or_null_rcu: 1,
  list_next_or_null_rcu: 2, hlist_entry: 1, hlist_entry_safe: 1, rb_entry: 1, rb_entry_safe: 1, llist_entry: 1,
  min_t: 0, max_t: 0, clamp_t: 0, offsetofend: 0, sizeof_field: 0, typecheck: 0, KMEM_CACHE: 0, btrfs_item_ptr: 2,
  va_arg: 1, struct_size_t: 0, kmemdup_array: -1, DECLARE_FLEX_ARRAY: 0, __struct_group: -1,
  kmalloc_obj: 0, kzalloc_obj: 0, kvmalloc_array: -1, array3_size: -1, umin: -1,
};
const TYPE_RE = new RegExp('\\b(' + Object.keys(TYPE_ARGS).filter((k) => TYPE_ARGS[k] >= 0).join('|') + ')\\s*\\(', 'g');

/** Start/end offsets of the top-level arguments of the call whose '(' is at `open` (bounded). */
function argRanges(src: string, open: number): [number, number][] | null {
  const out: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < src.length && i < open + 2000; i++) {
    const ch = src[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        out.push([start, i]);
        return out;
      }
    } else if (ch === ',' && depth === 1) {
      out.push([start, i]);
      start = i + 1;
    } else if (ch === ';') return null;
  }
  return null;
}

const BARE_RE = new RegExp('\\b(?:' + BARE.join('|') + ')\\b', 'g');
const FUNC_RE = new RegExp('\\b(' + FUNCTIONLIKE.join('|') + ')\\s*\\(', 'g');

/** Ranges to blank (newlines kept), applied once at the end: splitting a large file into characters costs more than parsing it. */
class Blanks {
  private ranges: [number, number, string][] = [];
  /** `lead`: a character put in place of the range's first one (`0` for a type argument, `;` after a macro head). */
  add(from: number, to: number, lead = ''): void {
    this.ranges.push([from, to, lead]);
  }
  apply(src: string): string {
    if (!this.ranges.length) return src;
    this.ranges.sort((a, b) => a[0] - b[0]);
    const out: string[] = [];
    let pos = 0;
    for (const [a0, b, lead] of this.ranges) {
      const a = Math.max(a0, pos);
      if (b <= a) continue;
      out.push(src.slice(pos, a));
      const piece = src.slice(a, b).replace(/[^\r\n]/g, ' ');
      out.push(lead && a === a0 ? lead + piece.slice(1) : piece);
      pos = b;
    }
    out.push(src.slice(pos));
    return out.join('');
  }
}

export function prepareSource(src: string): Prepared {
  const annotations: Annotation[] = [];
  const heads = macroHeads(src);
  // Cheap exit for text without any candidate.
  if (!heads.semicolons.length && !heads.dos.length && !heads.groups.length && !/__|noinline|notrace|asmlinkage|fastcall|noinstr|container_of|_entry|_t\(|btrfs_item_ptr|offsetofend|sizeof_field|typecheck|KMEM_CACHE|va_arg|_obj\(/.test(src)) {
    return { text: src, annotations };
  }
  const blanks = new Blanks();
  for (const at of heads.semicolons) blanks.add(at, at + 1, ';');
  for (const at of heads.dos) blanks.add(at, at + 2);
  for (const [from, to] of heads.groups) blanks.add(from, to);
  FUNC_RE.lastIndex = 0;
  for (let m = FUNC_RE.exec(src); m; m = FUNC_RE.exec(src)) {
    // find the matching ')', bounded so unbalanced input cannot run away
    let depth = 0;
    let end = -1;
    const open = m.index + m[0].length - 1;
    for (let i = open; i < src.length && i < open + 400; i++) {
      const ch = src[i];
      if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      } else if (ch === ';' || ch === '{') break;
    }
    if (end < 0) continue;
    const name = m[1];
    const arg = src.slice(open + 1, end - 1).trim();
    if (name === '__acquires' || name === '__cond_acquires') annotations.push({ kind: 'acquires', arg, offset: m.index });
    else if (name === '__releases') annotations.push({ kind: 'releases', arg, offset: m.index });
    else if (name === '__must_hold') annotations.push({ kind: 'must_hold', arg, offset: m.index });
    blanks.add(m.index, end);
    FUNC_RE.lastIndex = end;
  }
  if (/container_of|_entry|min_t|max_t|clamp_t|btrfs_item_ptr|offsetofend|sizeof_field|typecheck|KMEM_CACHE|va_arg|struct_size_t|_obj\(/.test(src)) {
    TYPE_RE.lastIndex = 0;
    for (let m = TYPE_RE.exec(src); m; m = TYPE_RE.exec(src)) {
      const ranges = argRanges(src, m.index + m[0].length - 1);
      const idx = TYPE_ARGS[m[1]];
      if (!ranges || idx >= ranges.length) continue;
      let [a, b] = ranges[idx];
      while (a < b && /\s/.test(src[a])) a++;
      while (b > a && /\s/.test(src[b - 1])) b--;
      if (b <= a) continue;
      blanks.add(a, b, '0');
    }
  }
  BARE_RE.lastIndex = 0;
  for (let m = BARE_RE.exec(src); m; m = BARE_RE.exec(src)) blanks.add(m.index, m.index + m[0].length);
  return { text: blanks.apply(src), annotations };
}

// ---- macro heads ----------------------------------------------------------
//
// A macro loop or scope and its body, `for_each_possible_cpu(cpu) {`,
// `scoped_guard(rcu) {`, `list_for_each_entry(pos, head, member) {`, or a
// body without braces on the next line, is no C statement: tree-sitter-c
// reads a head with one identifier argument as a definition nested in the
// function (type `for_each_possible_cpu`, declarator `(cpu)`), its body one
// opaque node or, without braces, the rest of the file (issue 13: a bogus
// imbalance in 6.12 mm/z3fold.c z3fold_alloc(), the RCU section of
// `scoped_guard(rcu)` lost, every function after 6.12 fs/buffer.c
// recalc_bh_state() hidden), and other heads as a call missing its ';'. The
// blank just before the body becomes a ';': every head then parses as a
// call statement directly followed by its body, which the CFG (cfg.ts,
// isMacroHead()) makes a loop, or a scope for scoped_guard(). A `do` whose
// `while` is in a macro, `do { ... } while_each_thread(g, t);`, is blanked:
// tree-sitter-c would look for the `while` further on, and a later change of
// its recovery lost the rest of 6.12 kernel/cgroup/cgroup.c (the block is then
// read once, as before).

/** Words that take parentheses and a block, or cannot head a macro statement. */
const NOT_HEADS = new Set([
  'if', 'for', 'while', 'switch', 'do', 'else', 'return', 'case', 'goto', 'sizeof', 'typeof', '__typeof__', '__typeof',
  '_Generic', 'asm', '__asm__', '__asm', 'volatile', '__volatile__', '__attribute__', '__attribute', 'alignof',
  '_Alignof', '__alignof__', '_Static_assert', 'static_assert', 'defined',
]);
/** Words whose '{' opens data, not statements. */
const TAGS = new Set(['struct', 'union', 'enum']);
/** Words that cannot start a macro's body. */
const NOT_BODIES = new Set([
  'else', 'case', 'default', '__attribute__', '__attribute', 'asm', '__asm__', '__asm', 'void', 'char', 'short', 'int', 'long',
  'unsigned', 'signed', 'bool', 'float', 'double', 'const', 'static', 'extern', 'register', 'struct', 'union', 'enum',
]);

const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentChar = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);
const isBlank = (c: number): boolean => c === 32 || c === 9;

/** Columns of indentation of the line holding `at` (tabs to multiples of 8). */
function indentOf(src: string, at: number): number {
  let i = src.lastIndexOf('\n', at - 1) + 1;
  let col = 0;
  for (; i < at; i++) {
    const c = src.charCodeAt(i);
    if (c === 9) col = (col + 8) & ~7;
    else if (c === 32) col++;
    else break;
  }
  return col;
}

/**
 * Offsets of the blank before the body of each `NAME(args) body` statement
 * inside braces: NAME an identifier that starts a statement (after `;`, `{`,
 * `}`, `)`, `:`, `else` or `do`) and is not a keyword; the body a block not
 * in column 0 (a definition's '{' is), or a statement starting with a word
 * (not a type's) on a later line, indented deeper than the head. Comments, strings and
 * directives are skipped; brace depth follows the first branch of each `#if`
 * and is reset by a '{' or '}' in column 0, so a drift from unbalanced
 * branches cannot reach the file's top level for long. `dos`: offsets of each
 * `do` whose block is followed by a word other than `while`. `groups`: the
 * directive lines of #if groups to blank (see the `endif` case below).
 */
export function macroHeads(src: string): { semicolons: number[]; dos: number[]; groups: [number, number][] } {
  const out: number[] = [];
  const dos: number[] = [];
  // open braces: the offset of the `do` a '{' follows, else -1
  const braces: number[] = [];
  // open braces of data (struct, union and enum bodies, initializers): no statements in them
  const data: boolean[] = [];
  let wordBefore = ''; // the word before prevWord, when the two were the last tokens
  let closedDo = -1; // a `do` whose block was the last token
  const n = src.length;
  let depth = 0;
  // open parentheses: the start of the NAME a '(' follows when NAME may head a macro statement, else -1
  const parens: number[] = [];
  // #if nesting: depth and parentheses when entered, depth at the end of the first branch
  const pp: { depth: number; parens: number; after: number; at: number; end: number; alone: boolean; first: string; tokens: number }[] = [];
  const groups: [number, number][] = [];
  let tokens = 0; // significant tokens so far
  let lastSig = 0; // last significant code character
  let lastSigAt = -1;
  let prevWord = ''; // the last token, when it was a word
  let wordHead = false; // that word may head a macro statement
  let wordAt = -1;
  let head = -1; // NAME of a head whose ')' was the last token
  let lineStart = true;
  const boundary = (): boolean => lastSigAt < 0 || lastSig === 59 /* ; */ || lastSig === 123 /* { */ || lastSig === 125 /* } */ || lastSig === 41 /* ) */ || lastSig === 58 /* : */;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      i++;
      continue;
    }
    if (isBlank(c) || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    if (c === 47 /* / */ && src.charCodeAt(i + 1) === 42 /* * */) {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === 35 /* # */ && lineStart) {
      // a directive, to its last continued line
      let j = i + 1;
      while (j < n && isBlank(src.charCodeAt(j))) j++;
      let k = j;
      while (k < n && isIdentChar(src.charCodeAt(k))) k++;
      const word = src.slice(j, k);
      const argAt = k;
      while (k < n) {
        const d = src.charCodeAt(k);
        if (d === 10) {
          let b = k - 1;
          while (b > i && (src.charCodeAt(b) === 13 || isBlank(src.charCodeAt(b)))) b--;
          if (src.charCodeAt(b) !== 92 /* \ */) break;
        } else if (d === 47 && src.charCodeAt(k + 1) === 42) {
          const e = src.indexOf('*/', k + 2);
          k = e < 0 ? n : e + 2;
          continue;
        }
        k++;
      }
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') {
        const zero = word === 'if' && /^\s*0\s*($|\/)/.test(src.slice(argAt, k));
        pp.push({ depth, parens: parens.length, after: -1, at: i, end: k, alone: !zero && depth > 0, first: '', tokens });
      } else if (word === 'else' || word === 'elif' || word === 'elifdef' || word === 'elifndef') {
        const top = pp[pp.length - 1];
        if (top) {
          if (top.after < 0) top.after = depth;
          top.alone = false;
          depth = top.depth;
          parens.length = Math.min(parens.length, top.parens);
          braces.length = Math.min(braces.length, depth);
          data.length = Math.min(data.length, depth);
        }
      } else if (word === 'endif') {
        const top = pp.pop();
        if (top && top.after >= 0) depth = top.after;
        // An #ifdef without #else inside a function whose lines are no whole
        // statements: `else if (...) {` continuing a chain (6.12 fs/isofs/inode.c
        // isofs_fill_super()), `mode =` before the expression (fs/reiserfs/stree.c),
        // braces opened and closed in two groups (`} else {` under `#ifdef GROT`,
        // fs/xfs/libxfs/xfs_attr_leaf.c). tree-sitter-c parses a group as a unit,
        // so the rest of the function, or of the file, went into a nested
        // definition: the directives are blanked, the lines read as if configured.
        if (top && top.alone && tokens > top.tokens && (top.first === 'else' || depth !== top.depth || (lastSig !== 59 && lastSig !== 125 && lastSig !== 58))) {
          groups.push([top.at, top.end], [i, k]);
        }
      }
      i = k;
      continue;
    }
    const col0 = lineStart && (i === 0 || src.charCodeAt(i - 1) === 10);
    lineStart = false;
    tokens++;
    if (pp.length && pp[pp.length - 1].tokens === tokens - 1) {
      // the first token of an #if group: a word, or the character
      let j = i + 1;
      if (isIdentStart(c)) while (j < n && isIdentChar(src.charCodeAt(j))) j++;
      for (const g of pp) if (g.tokens === tokens - 1) g.first = src.slice(i, j);
    }
    if (closedDo >= 0) {
      // `do { ... } while_each_thread(g, t);`: the loop's `while` is in the macro
      if (isIdentStart(c) && !(src.startsWith('while', i) && !isIdentChar(src.charCodeAt(i + 5)))) dos.push(closedDo);
      closedDo = -1;
    }
    if (head >= 0) {
      // the first token after a head: its body?
      if (depth > 0 && isBlank(src.charCodeAt(i - 1))) {
        if (c === 123 /* { */) {
          if (!col0) out.push(i - 1);
        } else if (isIdentStart(c)) {
          let j = i + 1;
          while (j < n && isIdentChar(src.charCodeAt(j))) j++;
          // on the head's line a word follows a type macro (`DARRAY(u32) subvols;`), never a body
          const nextLine = src.lastIndexOf('\n', i) > head;
          if (!NOT_BODIES.has(src.slice(i, j)) && nextLine && indentOf(src, i) > indentOf(src, head)) out.push(i - 1);
        }
      }
      head = -1;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === c || d === 10) break;
        else j++;
      }
      i = j + 1;
      lastSig = c;
      lastSigAt = j;
      prevWord = '';
      wordBefore = '';
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(src.charCodeAt(j))) j++;
      const word = src.slice(i, j);
      wordHead = depth > 0 && parens.length === 0 && !data[data.length - 1] && !NOT_HEADS.has(word) && (boundary() || prevWord === 'else' || prevWord === 'do');
      wordBefore = prevWord;
      wordAt = i;
      prevWord = word;
      lastSig = 97;
      lastSigAt = j - 1;
      i = j;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && (isIdentChar(src.charCodeAt(j)) || src.charCodeAt(j) === 46)) j++;
      prevWord = '';
      wordBefore = '';
      lastSig = 48;
      lastSigAt = j - 1;
      i = j;
      continue;
    }
    if (c === 40 /* ( */) {
      parens.push(prevWord !== '' && wordHead ? wordAt : -1);
    } else if (c === 41 /* ) */) {
      const name = parens.pop();
      if (name !== undefined && name >= 0 && parens.length === 0) head = name;
    } else if (c === 123 /* { */) {
      depth = col0 ? 1 : depth + 1;
      if (col0) braces.length = data.length = 0;
      braces.push(prevWord === 'do' ? lastSigAt - 1 : -1);
      data.push(
        !!data[data.length - 1] || lastSig === 61 /* = */ || TAGS.has(prevWord) || TAGS.has(wordBefore),
      );
    } else if (c === 125 /* } */) {
      depth = col0 ? 0 : Math.max(0, depth - 1);
      const opened = braces.pop();
      data.pop();
      if (col0) braces.length = data.length = 0;
      else if (opened !== undefined && opened >= 0) closedDo = opened;
    }
    prevWord = '';
    wordBefore = '';
    wordHead = false;
    lastSig = c;
    lastSigAt = i;
    i++;
  }
  return { semicolons: out, dos, groups };
}

/**
 * A call statement heads a macro loop or scope (cfg.ts): its ';' is missing
 * before a block (tree-sitter's recovery), or is the one macroHeads() put
 * directly before the body. Real code does not write `foo(x);bar` or
 * `foo(x);{` without a blank (none in Linux 6.12 mm/, fs/, kernel/).
 */
export function isHeadEnd(text: string, semicolon: { startIndex: number; endIndex: number; isMissing: boolean }, next: { type: string; startIndex: number }): boolean {
  if (semicolon.isMissing) return next.type === 'compound_statement';
  return text.charCodeAt(semicolon.startIndex) === 59 && semicolon.endIndex === next.startIndex;
}
