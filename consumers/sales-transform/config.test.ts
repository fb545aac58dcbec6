import { describe, expect, it } from 'vitest';
import { readSalesTransformConfig } from './config.js';

const ARN = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:supercafe/pepper-AbCdEf';

describe('Function: readSalesTransformConfig', () => {
  it('reads the pepper secret and one delivery stream per table', () => {
    expect(
      readSalesTransformConfig({
        PEPPER_SECRET_ARN: ARN,
        SALES_DELIVERY_STREAM: 'sc-sales',
        SALE_ITEMS_DELIVERY_STREAM: 'sc-sale-items',
        QUARANTINE_DELIVERY_STREAM: 'sc-quarantine',
        INGEST_FILES_DELIVERY_STREAM: 'sc-ingest-files',
        SALE_SOURCES_DELIVERY_STREAM: 'sc-sale-sources',
        TILL_SALES_DELIVERY_STREAM: 'sc-till-sales',
        FILE_VERSIONS_DELIVERY_STREAM: 'sc-file-versions',
      }),
    ).toEqual({ pepperSecretArn: ARN, deliveryStreams: { sales: 'sc-sales', saleItems: 'sc-sale-items', quarantine: 'sc-quarantine', ingestFiles: 'sc-ingest-files', saleSources: 'sc-sale-sources', tillSales: 'sc-till-sales', fileVersions: 'sc-file-versions' } });
  });

  it('names every variable missing', () => {
    expect(() => readSalesTransformConfig({})).toThrow(
      'sales-transform: invalid configuration: PEPPER_SECRET_ARN is not set; SALES_DELIVERY_STREAM is not set; SALE_ITEMS_DELIVERY_STREAM is not set; QUARANTINE_DELIVERY_STREAM is not set; INGEST_FILES_DELIVERY_STREAM is not set; SALE_SOURCES_DELIVERY_STREAM is not set; TILL_SALES_DELIVERY_STREAM is not set; FILE_VERSIONS_DELIVERY_STREAM is not set',
    );
  });
});
