// Worker entry: load the TypeScript consumer through tsx, as bin/supercafe.js does
// for the CLI (a worker does not inherit the main thread's loader).
import { register } from 'tsx/esm/api';

register();
await import('./consumer-worker.ts');
