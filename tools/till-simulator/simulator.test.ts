import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTillApiServer } from '../../producers/till-api/app.js';
import { createMemoryIdempotencyStore } from '../../producers/till-api/idempotency/adapters/memory-idempotency-store.js';
import { loadCatalogue, SAMPLE_CATALOGUE_DIR } from '../catalogue/sales-catalogue.js';
import { createMemoryCredentialStore, issueTillCredential } from '../../producers/till-api/credentials/credentials.js';
import { memoryWriter } from '../../producers/till-api/fixtures.js';
import { runTillSimulatorInChild } from './fork-simulator.js';
import { issueSimulatorTills, runTillSimulator } from './simulator.js';

describe('Function: runTillSimulator', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  const serve = async (rateLimit: { salesPerSecond: number; burst: number } | false) => {
    const credentials = createMemoryCredentialStore();
    const writer = memoryWriter();
    app = await buildTillApiServer({ writer, credentials, idempotency: createMemoryIdempotencyStore(), rateLimit });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const catalogue = await loadCatalogue(SAMPLE_CATALOGUE_DIR);
    const tills = await issueSimulatorTills((branch) => issueTillCredential(credentials, { branch }), catalogue.branches, 3);
    return { writer, baseUrl, catalogue, tills };
  };

  it('posts sales at the asked rate over several tills, each for its own branch', async () => {
    // Prepare
    const { writer, baseUrl, catalogue, tills } = await serve(false);
    // Act
    const report = await runTillSimulator({ baseUrl, credentials: tills, ratePerSecond: 40, durationSeconds: 1, catalogue, seed: 1 });
    // Assess
    expect(report).toMatchObject({ salesSent: 40, salesAccepted: 40, errors: 0, salesSkipped: 0, statusCounts: { '202': 40 } });
    expect(report.achievedRatePerSecond).toBeGreaterThan(25);
    expect(report.latencyMs.count).toBe(40);
    expect(writer.events).toHaveLength(40);
    expect(new Set(writer.events.map((event) => (event.type === 'TransactionRecorded' ? event.data.branch : '')))).toEqual(new Set(tills.map((till) => till.branch)));
  });

  it('sends but does not count the warm-up', async () => {
    const { writer, baseUrl, catalogue, tills } = await serve(false);
    const report = await runTillSimulator({ baseUrl, credentials: tills, ratePerSecond: 20, durationSeconds: 0.5, warmUpSeconds: 0.5, catalogue });
    expect(report.salesSent).toBe(10);
    expect(writer.events).toHaveLength(20);
  });

  it('runs in a child process and reports each accepted sale', async () => {
    // Prepare
    const { writer, baseUrl, tills } = await serve(false);
    const accepted: string[] = [];
    // Act
    const report = await runTillSimulatorInChild({ baseUrl, credentials: tills, ratePerSecond: 20, durationSeconds: 0.5, catalogueDir: SAMPLE_CATALOGUE_DIR }, (eventId) => accepted.push(eventId));
    // Assess
    expect(report.salesAccepted).toBe(10);
    expect(accepted.sort()).toEqual(writer.events.map((event) => event.eventId).sort());
  });

  it('counts refusals by status', async () => {
    const { baseUrl, catalogue, tills } = await serve({ salesPerSecond: 1, burst: 2 });
    const report = await runTillSimulator({ baseUrl, credentials: tills.slice(0, 1), ratePerSecond: 20, durationSeconds: 0.5, catalogue, salesPerRequest: 2 });
    expect(report.statusCounts['202']).toBe(1);
    expect(report.statusCounts['429']).toBe(report.requests - 1);
    expect(report.errors).toBe(report.requests - 1);
  });
});
