// The consumer process's entry: load the TypeScript through tsx, as bin/supercafe.js
// does for the CLI (a forked process does not inherit its parent's loader).
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./consumer-process-main.js');
