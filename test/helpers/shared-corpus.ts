import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The larger public corpus some tests also use when it happens to be beside the
 * repository (`../shared/data`, on the team's machines). Nothing requires it: each
 * constant is `undefined` when the folder is absent, and the tests that use it skip.
 * It holds the original names and card numbers: read it, never copy from it.
 */
const SHARED_DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const present = (path: string) => (existsSync(path) ? path : undefined);

/** The originals of `samples/` (`real/`, `variants/`), for the anonymisation check. */
export const SHARED_ORIGINALS = present(SHARED_DATA);
/** 148 more standard-format branch-day files (44,606 rows). */
export const CORPUS_REAL = present(join(SHARED_DATA, 'corpus', 'real'));
/** One more legacy-layout file. */
export const CORPUS_OTHER = present(join(SHARED_DATA, 'corpus', 'other'));
