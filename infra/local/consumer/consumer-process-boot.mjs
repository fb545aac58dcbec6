// The consumer process's entry: its TypeScript bundled on first use (or through
// tsx), as bin/supercafe.js loads the CLI's (a forked process does not inherit its
// parent's loader).
import { importBundled } from '../bundle/import-bundled.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await importBundled('infra/local/consumer/consumer-process-main.ts', 'consumer-process');
