import { describe, expect, it, vi } from 'vitest';
import { renderJsonSchemas } from '../test/helpers/json-schema-golden.js';

/**
 * Loaded inside each test: the schemas are built when the module loads, and Stryker
 * (`ignoreStatic`) credits a module-level mutant only to the tests that load it.
 */
const load = async () => {
  vi.resetModules();
  return import('./till-corrections.js');
};

describe('Contract: till voids and refunds', () => {
  it('is the committed JSON Schema (a contract change updates contracts/golden/ deliberately, with -u)', async () => {
    // Prepare
    const m = await load();
    // Act
    const rendered = renderJsonSchemas({
      TillVoid: m.TillVoidSchema,
      TillRefund: m.TillRefundSchema,
      TillVoidResponse: m.TillVoidResponseSchema,
      TillRefundResponse: m.TillRefundResponseSchema,
      TillCorrectionError: m.TillCorrectionErrorSchema,
    });
    // Assess
    await expect(rendered).toMatchFileSnapshot('./golden/till-corrections.schema.json');
  });

  it.each([
    { tillId: 'till_0123456789abcdef', ok: true },
    { tillId: 'till_0123456789abcde', ok: false },
    { tillId: 'till_0123456789abcdef0', ok: false },
    { tillId: 'till_0123456789ABCDEF', ok: false },
    { tillId: 'x-till_0123456789abcdef', ok: false },
  ])('takes $tillId as a till id: $ok', async ({ tillId, ok }) => {
    const { TillIdSchema } = await load();
    expect(TillIdSchema.safeParse(tillId).success).toBe(ok);
  });

  it('names the void reasons and outcomes as the schemas spell them', async () => {
    const { TillCorrectionStatus, TillVoidResponseSchema, VoidReason, VoidReasonSchema } = await load();
    expect(Object.values(VoidReason)).toEqual(VoidReasonSchema.options);
    expect(Object.values(TillCorrectionStatus)).toEqual(TillVoidResponseSchema.shape.status.options);
  });
});
