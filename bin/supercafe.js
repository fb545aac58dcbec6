#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so a checkout needs no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns that it will need Node 22 from 2027; on Node 20 that is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../infra/local/cli/main.ts');
