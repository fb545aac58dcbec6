import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_STANDARD_DIR } from '../../samples/paths.js';
import { measureEssentialWork } from './essential-work.js';
import { producerEvents } from './warehouse-floor.js';

describe('measureEssentialWork', () => {
  it('times every step of the work the guarantees need, per sale, and adds them up', async () => {
    // Arrange: the events the producer makes of one sample file
    const events = await producerEvents([join(SAMPLE_STANDARD_DIR, 'birmingham_2021-08-25.csv')], 'pepper');
    // Act
    const work = measureEssentialWork(events, 'pepper', 2);
    // Assert
    expect(work.sales).toBe(events.filter((event) => event.type === 'TransactionRecorded').length);
    const { total: producerTotal, ...producerSteps } = work.producerUs;
    const { total: consumerTotal, ...consumerSteps } = work.consumerUs;
    for (const step of [...Object.values(producerSteps), ...Object.values(consumerSteps)]) expect(step).toBeGreaterThanOrEqual(0);
    expect(producerTotal).toBeCloseTo(Object.values(producerSteps).reduce((sum, step) => sum + step, 0), 9);
    expect(consumerTotal).toBeCloseTo(Object.values(consumerSteps).reduce((sum, step) => sum + step, 0), 9);
    expect(work.totalUs).toBeCloseTo(producerTotal + consumerTotal, 9);
    expect(work.totalUs).toBeGreaterThan(0);
  });

  it('refuses events with no sale among them', () => {
    expect(() => measureEssentialWork([], 'pepper')).toThrow('no sales');
  });
});
