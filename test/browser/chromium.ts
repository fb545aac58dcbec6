import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

/** Debian's Chromium, driven by playwright-core (which downloads no browser of its own). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, with the fix; undefined when Chromium is installed. */
export const CHROMIUM_MISSING: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `Chromium not found at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH) to run the browser tests`;

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/**
 * A suite that needs Chromium. Without it, the suite is one skipped test whose
 * note gives the reason and the install command (the run's summary lists it),
 * and nothing of the suite, hooks included, runs: a missing browser never fails a run.
 */
export function describeInChromium(name: string, body: () => void): void {
  const missing = CHROMIUM_MISSING;
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it('runs in headless Chromium', (context) => context.skip(missing));
  });
}
