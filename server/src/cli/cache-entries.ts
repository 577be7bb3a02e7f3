// What the disk cache restores is checked before it is used: an entry of the
// wrong shape (a torn write the checksum missed, a file from another build
// that kept the name, a hand edit) is a miss, never a crash in a later phase
// and never a finding dropped without notice. The checks follow the shapes in
// phase1.ts (DocIndex), flow/summary.ts (FunctionSummary) and
// findings/finding.ts (Finding); they test what later code indexes into.
import { RULE_IDS } from '../checks';
import type { DocIndex } from '../analysis';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const arrayOf = (v: unknown, ok: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(ok);
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);
const RULES = new Set(RULE_IDS);

function isPosition(v: unknown): boolean {
  return isObj(v) && isInt(v.line) && isInt(v.character);
}

function isRange(v: unknown): boolean {
  return isObj(v) && isPosition(v.start) && isPosition(v.end);
}

function isNote(v: unknown): boolean {
  return isObj(v) && isStr(v.file) && isRange(v.range) && isStr(v.message);
}

export function isFinding(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.rule) &&
    RULES.has(v.rule) &&
    isStr(v.severity) &&
    SEVERITIES.has(v.severity) &&
    isStr(v.file) &&
    isRange(v.range) &&
    isStr(v.message) &&
    isStr(v.function) &&
    arrayOf(v.notes, isNote) &&
    Array.isArray(v.fixes)
  );
}

function isStep(v: unknown): boolean {
  return isObj(v) && isStr(v.fn) && isStr(v.file) && isInt(v.line) && isStr(v.call);
}

function isTake(v: unknown): boolean {
  return isObj(v) && isStr(v.cls) && isStr(v.expr) && isStr(v.file) && isInt(v.line) && isStr(v.fn);
}

export function isSummary(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.name) &&
    isStr(v.file) &&
    isInt(v.line) &&
    typeof v.isStatic === 'boolean' &&
    (v.mayFault === null || arrayOf(v.mayFault, isStep)) &&
    Array.isArray(v.mayFaultReleased) &&
    Array.isArray(v.effects) &&
    (v.returnsLocked === null || isStr(v.returnsLocked)) &&
    arrayOf(v.takes, isTake)
  );
}

function isEdge(v: unknown): boolean {
  return isObj(v) && isStr(v.from) && isStr(v.to) && typeof v.implicit === 'boolean' && isInt(v.line) && typeof v.viaCallee === 'boolean';
}

/** A FunctionCache entry as dump() writes it (see cache.ts Entry). */
export function isFunctionEntry(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (!isSummary(v.summary) || !arrayOf(v.findings, isFinding) || !arrayOf(v.edges, isEdge)) return false;
  if (!isInt(v.startLine) || !isInt(v.endLine) || v.endLine < v.startLine || typeof v.analysed !== 'boolean') return false;
  if (v.summaryHash !== undefined && !isStr(v.summaryHash)) return false;
  // one flag per note of each finding
  const findings = v.findings as { notes: unknown[] }[];
  const local = v.localNotes;
  if (!Array.isArray(local) || local.length !== findings.length) return false;
  return local.every((flags, i) => arrayOf(flags, (b) => typeof b === 'boolean') && (flags as unknown[]).length === findings[i].notes.length);
}

function isFunctionIndexEntry(v: unknown): boolean {
  if (!isObj(v) || !isObj(v.header)) return false;
  const h = v.header;
  return (
    isStr(h.name) &&
    isInt(h.start) &&
    isInt(h.end) &&
    isStr(h.returnType) &&
    Array.isArray(h.params) &&
    typeof h.isStatic === 'boolean' &&
    Array.isArray(h.annotations) &&
    arrayOf(v.callees, isStr) &&
    typeof v.hasErrorNode === 'boolean' &&
    isStr(v.textHash) &&
    typeof v.namesNothing === 'boolean'
  );
}

export function isDocIndex(v: unknown): v is DocIndex {
  return (
    isObj(v) &&
    arrayOf(v.functions, isFunctionIndexEntry) &&
    arrayOf(v.faultHandlers, isStr) &&
    arrayOf(v.members, (m) => Array.isArray(m) && m.length === 2 && isStr(m[0]) && arrayOf(m[1], isStr))
  );
}
