// Which kernel version the table is built for, and where that came from. The
// table's rows carry since/until ranges (folio_lock_or_retry() returned bool
// until 6.6, vm_fault_t since); the version picks one variant per row. Pure:
// cli/ and lsp/ read the files.

/** Where the version came from, in the order the CLI lets one override another. */
export type KernelVersionSource = 'option' | 'config' | 'settings' | 'makefile' | 'unknown';

export interface KernelVersionInfo {
  /** "major.minor", or null when none is known (every row applies, the newest variant of each). */
  version: string | null;
  source: KernelVersionSource;
  /** The Makefile or .faultpath.json it was read from. */
  file?: string;
}

/**
 * VERSION and PATCHLEVEL from a kernel top-level Makefile ("VERSION = 6",
 * "PATCHLEVEL = 1" in its first lines since 2.6). A Makefile without both is
 * not the top of a kernel tree: null.
 */
export function parseKernelMakefile(text: string): string | null {
  const v = /^VERSION[ \t]*=[ \t]*(\d+)[ \t]*$/m.exec(text);
  const p = /^PATCHLEVEL[ \t]*=[ \t]*(\d+)[ \t]*$/m.exec(text);
  return v && p ? `${Number(v[1])}.${Number(p[1])}` : null;
}

/** "Linux 6.1 from linux/Makefile", "Linux 6.1 from --kernel-version", "kernel version unknown: all table rows". */
export function describeKernelVersion(k: KernelVersionInfo, show: (file: string) => string = (f) => f): string {
  if (!k.version) return 'kernel version unknown: all table rows';
  switch (k.source) {
    case 'option':
      return `Linux ${k.version} from --kernel-version`;
    case 'settings':
      return `Linux ${k.version} from faultpath.kernelVersion`;
    default:
      return `Linux ${k.version} from ${k.file ? show(k.file) : k.source}`;
  }
}
