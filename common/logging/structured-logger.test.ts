import { describe, expect, it } from 'vitest';
import { createJsonLogger, silentLogger } from './structured-logger.js';

describe('Function: createJsonLogger', () => {
  it('writes one Powertools-shaped JSON line per call, attributes first', () => {
    // Prepare
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 'sales-transform', write: (line) => lines.push(line), clock: () => new Date('2021-08-25T09:00:00.000Z') });

    // Act
    logger.info('batch loaded', { records: 3 });
    logger.warn('event quarantined', { reason: 'payment_unknown' }, { sequenceNumber: '1' });
    logger.error('record failed');

    // Assess
    expect(lines).toEqual([
      '{"records":3,"level":"INFO","message":"batch loaded","timestamp":"2021-08-25T09:00:00.000Z","service":"sales-transform"}',
      '{"reason":"payment_unknown","sequenceNumber":"1","level":"WARN","message":"event quarantined","timestamp":"2021-08-25T09:00:00.000Z","service":"sales-transform"}',
      '{"level":"ERROR","message":"record failed","timestamp":"2021-08-25T09:00:00.000Z","service":"sales-transform"}',
    ]);
  });

  it('never lets an attribute overwrite the level, message, time or service', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 's', write: (line) => lines.push(line), clock: () => new Date(0) });
    logger.error('real', { level: 'INFO', message: 'fake', service: 'other', timestamp: 'then' });
    expect(JSON.parse(lines[0] as string)).toEqual({ level: 'ERROR', message: 'real', service: 's', timestamp: '1970-01-01T00:00:00.000Z' });
  });

  it('stamps each line with the current time by default', () => {
    const lines: string[] = [];
    createJsonLogger({ service: 's', write: (line) => lines.push(line) }).info('now');
    const stamped = Date.parse((JSON.parse(lines[0] as string) as { timestamp: string }).timestamp);
    expect(Math.abs(stamped - Date.now())).toBeLessThan(60_000);
  });
});

describe('Object: silentLogger', () => {
  it('accepts every level and writes nothing', () => {
    expect(() => {
      silentLogger.info('a');
      silentLogger.warn('b', { x: 1 });
      silentLogger.error('c');
    }).not.toThrow();
  });
});
