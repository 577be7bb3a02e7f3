// .faultpath.json: user rows for the kernel table and run settings. Parsed
// and validated here (pure); cli/ and lsp/ find and read the file.
import { API_ROWS, FAULT_HANDLER_MEMBERS, FAULTS_OFF_ON_ENTRY, NO_RETURN, FLAG_MACROS, LOCK_CLASSES, LOCK_FIELDS, LOCK_TRANSFER_RETURNS } from './api';
import { ApiRow, Effect, KernelTable, LockField, buildTable } from './table';

export interface FaultpathConfig {
  apis: ApiRow[];
  lockFields: LockField[];
  faultHandlerMembers: string[];
  /** Functions entered with page faults disabled by contract. */
  faultsOffOnEntry: { name: string; source: string }[];
  ignore: string[];
  kernelVersion: string | null;
  /** A baseline file of reviewed findings (CLI), as written in the config: relative to the config's directory. */
  baseline: string | null;
}

const EFFECTS: Effect[] = [
  'acquire', 'release', 'try-acquire', 'acquire-ret', 'acquire-out', 'user-access', 'fault-in', 'gup',
  'inatomic-copy', 'atomic-copy', 'faults-off', 'faults-on', 'atomic-enter', 'atomic-exit', 'scope-acquire', 'not-a-lock',
];
const CLASSES = LOCK_CLASSES.map((c) => c.name as string);

export function emptyConfig(): FaultpathConfig {
  return { apis: [], lockFields: [], faultHandlerMembers: [], faultsOffOnEntry: [], ignore: [], kernelVersion: null, baseline: null };
}

/** Throws an Error whose message names the offending entry. */
export function parseConfig(text: string, origin: string): FaultpathConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${origin}: not valid JSON: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${origin}: expected a JSON object`);
  const o = raw as Record<string, unknown>;
  const cfg = emptyConfig();
  if (o.apis !== undefined) {
    if (!Array.isArray(o.apis)) throw new Error(`${origin}: "apis" must be an array`);
    o.apis.forEach((r, i) => cfg.apis.push(validateRow(r, `${origin}: apis[${i}]`)));
  }
  if (o.lockFields !== undefined) {
    if (!Array.isArray(o.lockFields)) throw new Error(`${origin}: "lockFields" must be an array`);
    o.lockFields.forEach((r, i) => {
      const f = r as Record<string, unknown>;
      if (typeof f.field !== 'string' || typeof f.lock !== 'string' || !CLASSES.includes(f.lock)) {
        throw new Error(`${origin}: lockFields[${i}] needs "field" and a "lock" class (${CLASSES.join(', ')})`);
      }
      cfg.lockFields.push({ field: f.field, lock: f.lock as LockField['lock'], source: origin });
    });
  }
  if (o.faultHandlerMembers !== undefined) {
    if (!Array.isArray(o.faultHandlerMembers) || !o.faultHandlerMembers.every((x) => typeof x === 'string')) {
      throw new Error(`${origin}: "faultHandlerMembers" must be an array of strings`);
    }
    cfg.faultHandlerMembers = o.faultHandlerMembers as string[];
  }
  if (o.faultsOffOnEntry !== undefined) {
    if (!Array.isArray(o.faultsOffOnEntry) || !o.faultsOffOnEntry.every((x) => typeof x === 'string' && x)) {
      throw new Error(`${origin}: "faultsOffOnEntry" must be an array of function names`);
    }
    cfg.faultsOffOnEntry = (o.faultsOffOnEntry as string[]).map((name) => ({ name, source: origin }));
  }
  if (o.ignore !== undefined) {
    if (!Array.isArray(o.ignore) || !o.ignore.every((x) => typeof x === 'string')) throw new Error(`${origin}: "ignore" must be an array of rule ids`);
    cfg.ignore = o.ignore as string[];
  }
  if (o.kernelVersion !== undefined) {
    if (typeof o.kernelVersion !== 'string' || !/^\d+\.\d+/.test(o.kernelVersion)) throw new Error(`${origin}: "kernelVersion" must look like "6.12"`);
    cfg.kernelVersion = o.kernelVersion;
  }
  if (o.baseline !== undefined) {
    if (typeof o.baseline !== 'string' || !o.baseline) throw new Error(`${origin}: "baseline" must be a file name (an earlier JSON or SARIF output of faultpath)`);
    cfg.baseline = o.baseline;
  }
  return cfg;
}

function validateRow(r: unknown, where: string): ApiRow {
  if (!r || typeof r !== 'object') throw new Error(`${where}: expected an object`);
  const o = r as Record<string, unknown>;
  if (typeof o.name !== 'string' || !o.name) throw new Error(`${where}: "name" is required`);
  if (typeof o.effect !== 'string' || !EFFECTS.includes(o.effect as Effect)) {
    throw new Error(`${where}: "effect" must be one of ${EFFECTS.join(', ')}`);
  }
  if (o.lock !== undefined && (typeof o.lock !== 'string' || !CLASSES.includes(o.lock))) {
    throw new Error(`${where}: "lock" must be one of ${CLASSES.join(', ')}`);
  }
  if (o.arg !== undefined && (typeof o.arg !== 'number' || !Number.isInteger(o.arg))) throw new Error(`${where}: "arg" must be an integer`);
  if ((o.effect === 'atomic-enter' || o.effect === 'atomic-exit') && !['preempt', 'irq', 'bh', 'rcu'].includes(o.atomic as string)) {
    throw new Error(`${where}: "${o.effect}" needs "atomic": preempt, irq, bh or rcu`);
  }
  for (const k of ['since', 'until'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || !/^\d+\.\d+$/.test(o[k] as string))) throw new Error(`${where}: "${k}" must look like "6.1"`);
  }
  return { ...(o as unknown as ApiRow), source: typeof o.source === 'string' ? o.source : where };
}

export function tableFor(cfg: FaultpathConfig): KernelTable {
  return buildTable([...API_ROWS, ...cfg.apis], [...cfg.lockFields, ...LOCK_FIELDS], [...LOCK_CLASSES], {
    faultHandlerMembers: [...FAULT_HANDLER_MEMBERS, ...cfg.faultHandlerMembers],
    lockTransferReturns: LOCK_TRANSFER_RETURNS,
    faultsOffOnEntry: [...FAULTS_OFF_ON_ENTRY, ...cfg.faultsOffOnEntry],
    noReturn: [...NO_RETURN],
    flagMacros: FLAG_MACROS,
    version: cfg.kernelVersion,
  });
}
