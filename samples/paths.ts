import { join } from 'node:path';

/**
 * The sample branch files shipped with the project (anonymised copies of the public
 * Super Café bootcamp files, see samples/README.md): what `npm start` loads, and where
 * the generator and the till simulator learn menus and distributions.
 */
export const SAMPLES_DIR = import.meta.dirname;
/** Standard-layout branch-day files: 12 branches, 16 dates, 5,773 sales. */
export const SAMPLE_STANDARD_DIR = join(SAMPLES_DIR, 'standard');
/** One file of each other layout the ingest reads (header rows, CRLF, Excel and pandas re-saves, padding, legacy). */
export const SAMPLE_VARIANTS_DIR = join(SAMPLES_DIR, 'variants');
