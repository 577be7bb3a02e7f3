// Exit statuses that mean one thing each, for CI gates:
//   0  no finding at or above --fail-on
//   1  findings at or above --fail-on (and only that)
//   2  bad usage or an input named on the command line that cannot be read
//   3  an internal error, or the report could not be written (ENOSPC, EIO on
//      standard output); a reader that went away (EPIPE: `| head`) ends the
//      run quietly with 3 as well, never with the findings status 1
// An I/O error never exits 1: an uncaught 'error' event on stdout would.

/** Bad usage: the message is printed after "faultpath: ", the status is 2. */
export class UsageError extends Error {}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** Own properties only: `--fail-on constructor` must not find Object.prototype.constructor. */
export function ownKey<T extends object>(obj: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Write errors on stdout end the run with 3 (a clean line on stderr, none for EPIPE). */
export function guardStdout(out: NodeJS.WriteStream = process.stdout, exit: (code: number) => never = process.exit): void {
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') {
      try {
        process.stderr.write(`faultpath: cannot write the report: ${err.code ?? err.message}\n`);
      } catch {
        /* stderr is gone too */
      }
    }
    exit(EXIT_INTERNAL);
  });
}

/** Runs the CLI's main and turns its outcome into the exit status. */
export function runCli(main: () => Promise<number>): void {
  guardStdout();
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      if (err instanceof UsageError) {
        process.stderr.write(`faultpath: ${err.message}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      process.stderr.write(`faultpath: internal error: ${err.stack ?? err.message}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
