import { describe, expect, it, vi } from 'vitest';
import { renderJsonSchemas } from '../test/helpers/json-schema-golden.js';

/**
 * Loaded inside each test: the schemas are built when the module loads, and Stryker
 * (`ignoreStatic`) credits a module-level mutant only to the tests that load it.
 */
const load = async () => {
  vi.resetModules();
  return import('./sale.js');
};

describe('Contract: the clean records the consumer hands to the warehouse', () => {
  it('is the committed JSON Schema (a contract change updates contracts/golden/ deliberately, with -u)', async () => {
    // Prepare
    const { IngestFileSchema, QuarantineEntrySchema, SaleRecordSchema, SaleVoidSchema } = await load();
    // Act
    const rendered = renderJsonSchemas({ SaleRecord: SaleRecordSchema, QuarantineEntry: QuarantineEntrySchema, IngestFile: IngestFileSchema, SaleVoid: SaleVoidSchema });
    // Assess
    await expect(rendered).toMatchFileSnapshot('./golden/warehouse-records.schema.json');
  });

  it('names the kinds of sale as the schema spells them', async () => {
    const { SaleKind, SaleSchema } = await load();
    expect(Object.values(SaleKind)).toEqual(SaleSchema.shape.kind.options);
  });
});
