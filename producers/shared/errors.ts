import type { WriteReceipt } from './ports.js';

/** Errors of the producers. They name a file, line or count, never row content. */
export class ProducerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProducerError';
  }
}

/** The stream did not accept some entries within the retry budget. */
export class StreamWriteError extends ProducerError {
  constructor(
    readonly failedCount: number,
    readonly attempts: number,
    readonly lastErrorCode: string | undefined,
    options?: ErrorOptions,
  ) {
    super(`${failedCount} stream record(s) not accepted after ${attempts} attempt(s) (last error: ${lastErrorCode ?? 'unknown'})`, options);
    this.name = 'StreamWriteError';
  }
}

/** A whole file was refused (before its rows could be read, or part way through). */
export class FileRefusedError extends ProducerError {
  /** What reached the stream before the refusal (rows before a fault, the file's account). */
  receipt: WriteReceipt = new Map();

  constructor(
    readonly file: string,
    readonly refusal: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: refused (${refusal}): ${detail}`, options);
    this.name = 'FileRefusedError';
  }
}
