import { describe, expect, it } from 'vitest';
import { dayPrefixes, fileOfMarker, manifestBody, needsWarehouse, parkedMarkerKey, planRun, tableLoads, tableOfKey, type ListedFile } from './load-plan.js';

const at = (iso: string) => new Date(iso);
const file = (key: string, iso: string): ListedFile => ({ key, lastModified: at(iso) });

describe('Function: dayPrefixes', () => {
  it('lists the day folders of the lookback window, oldest first, in UTC', () => {
    expect(dayPrefixes('saleItems', at('2024-03-05T00:30:00Z'), 2)).toEqual(['rows/sale_items/2024/03/03/', 'rows/sale_items/2024/03/04/', 'rows/sale_items/2024/03/05/']);
  });
});

describe('Function: planRun', () => {
  it('takes the files not yet loaded nor parked, oldest first, up to the cap', () => {
    // Prepare
    const listed = new Map([
      ['sales', [file('rows/sales/a.gz', '2024-03-05T09:05:00Z'), file('rows/sales/b.gz', '2024-03-05T09:10:00Z'), file('rows/sales/old.gz', '2024-03-05T08:00:00Z')]],
      ['saleItems', [file('rows/sale_items/c.gz', '2024-03-05T09:06:00Z'), file('rows/sale_items/bad.gz', '2024-03-05T07:00:00Z')]],
    ] as const);

    // Act
    const plan = planRun({ listed: listed as never, loaded: new Set(['rows/sales/old.gz']), parked: new Set(['rows/sale_items/bad.gz']), maxFiles: 2 });

    // Assess
    expect(plan.total).toBe(2);
    expect(plan.deferred).toBe(1);
    expect(Object.fromEntries(plan.files)).toEqual({ sales: ['rows/sales/a.gz'], saleItems: ['rows/sale_items/c.gz'] });
    expect(tableLoads(plan, 'bucket', 'run-1')).toEqual([
      { table: 'sales', files: ['rows/sales/a.gz'], manifestUrl: 's3://bucket/manifests/run-1/sales.json' },
      { table: 'saleItems', files: ['rows/sale_items/c.gz'], manifestUrl: 's3://bucket/manifests/run-1/sale_items.json' },
    ]);
  });
});

describe('Function: needsWarehouse', () => {
  const listed = new Map([['sales', [file('rows/sales/a.gz', '2024-03-05T09:00:00Z')]]]) as never;

  it('spares the warehouse when nothing arrived since the last run that reached it', () => {
    expect(needsWarehouse(listed, { startedAt: '2024-03-05T10:00:00Z', deferred: 0 }, 600_000)).toBe(false);
  });

  it('asks the warehouse when a file arrived since (allowing clock skew)', () => {
    expect(needsWarehouse(listed, { startedAt: '2024-03-05T09:05:00Z', deferred: 0 }, 600_000)).toBe(true);
  });

  it('asks the warehouse when the last run left files for later, or when there is no state', () => {
    expect(needsWarehouse(listed, { startedAt: '2024-03-05T10:00:00Z', deferred: 3 }, 600_000)).toBe(true);
    expect(needsWarehouse(listed, undefined, 600_000)).toBe(true);
    expect(needsWarehouse(new Map() as never, undefined, 600_000)).toBe(false);
  });
});

describe('Function: parkedMarkerKey and fileOfMarker', () => {
  it('park a file under errors/ and find it again', () => {
    const marker = parkedMarkerKey('rows/sales/2024/03/05/09/a.gz');
    expect(marker).toBe('errors/rows/sales/2024/03/05/09/a.gz.json');
    expect(fileOfMarker(marker)).toBe('rows/sales/2024/03/05/09/a.gz');
    expect(fileOfMarker('manifests/x.json')).toBeUndefined();
    expect(tableOfKey('rows/sale_items/2024/03/05/09/a.gz')).toBe('saleItems');
  });
});

describe('Function: manifestBody', () => {
  it('names each file as mandatory, so a missing file fails the COPY rather than loading less', () => {
    expect(JSON.parse(manifestBody('bucket', ['rows/sales/a.gz']))).toEqual({ entries: [{ url: 's3://bucket/rows/sales/a.gz', mandatory: true }] });
  });
});
