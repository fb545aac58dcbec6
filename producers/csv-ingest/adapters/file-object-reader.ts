import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ObjectReader } from '../../shared/ports.js';

/** Reads uploads from the local file system; keys are paths relative to `root`. */
export function createFileObjectReader(root = process.cwd()): ObjectReader {
  return {
    async open(key) {
      const path = resolve(root, key);
      await access(path, constants.R_OK);
      return createReadStream(path, { highWaterMark: 256 * 1024 });
    },
  };
}
