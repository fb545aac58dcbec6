import { describe, expect, it } from 'vitest';
import { expandQuery, MacroError } from './macros.js';

const range = { from: new Date('2021-08-25T00:00:00Z'), to: new Date('2021-09-10T00:00:00Z') };
const context = { range, intervalMs: 86_400_000, variables: { branch: ['Leeds', "O'Brien's"] } };

describe('Function: expandQuery', () => {
  it('turns $__timeFilter into a BETWEEN over UTC instants, as Grafana does', () => {
    // Act
    const { text } = expandQuery('SELECT 1 FROM sales WHERE $__timeFilter(sold_at)', context);
    // Assess
    expect(text).toBe("SELECT 1 FROM sales WHERE sold_at BETWEEN '2021-08-25T00:00:00.000Z' AND '2021-09-10T00:00:00.000Z'");
  });

  it('aliases $__timeGroup as "time" only when a comma follows', () => {
    // Act
    const { text } = expandQuery('SELECT $__timeGroup(sold_at, $__interval), 1 GROUP BY $__timeGroup(sold_at, 1h)', context);
    // Assess
    expect(text).toBe('SELECT floor(extract(epoch from sold_at)/86400)*86400 AS "time", 1 GROUP BY floor(extract(epoch from sold_at)/3600)*3600');
  });

  it('binds ${branch:sqlstring} values as parameters instead of SQL text', () => {
    // Act
    const { text, values } = expandQuery('WHERE branch IN (${branch:sqlstring}) OR b = $branch', context);
    // Assess
    expect(text).toBe('WHERE branch IN ($1, $2) OR b = $3, $4');
    expect(values).toEqual(['Leeds', "O'Brien's", 'Leeds', "O'Brien's"]);
  });

  it('matches nothing for an empty selection', () => {
    // Act
    const { text } = expandQuery('WHERE branch IN (${branch:sqlstring})', { ...context, variables: { branch: [] } });
    // Assess
    expect(text).toBe('WHERE branch IN (NULL)');
  });

  it('quotes $__timeFrom() and $__timeTo()', () => {
    // Act
    const { text } = expandQuery('SELECT $__timeFrom(), $__timeTo()', context);
    // Assess
    expect(text).toBe("SELECT '2021-08-25T00:00:00.000Z', '2021-09-10T00:00:00.000Z'");
  });

  it('refuses unknown macros and variables', () => {
    // Assess
    expect(() => expandQuery('SELECT $__nope(x)', context)).toThrow(MacroError);
    expect(() => expandQuery('SELECT $unknown', context)).toThrow(MacroError);
  });
});
