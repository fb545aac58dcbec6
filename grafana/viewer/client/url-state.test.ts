import { describe, expect, it } from 'vitest';
import { readViewState, writeViewState } from './url-state.js';

describe('Function: readViewState / writeViewState', () => {
  it('round-trips dashboard, range and every selected value', () => {
    // Prepare
    const state = { dashboard: 'supercafe-sales-overview', from: 'now-1d/d', to: 'now-1d/d', variables: { branch: ['Leeds', "O'Brien's & Co"] } };
    // Act
    const search = writeViewState(state);
    // Assess
    expect(search).toBe('?dashboard=supercafe-sales-overview&from=now-1d%2Fd&to=now-1d%2Fd&var-branch=Leeds&var-branch=O%27Brien%27s+%26+Co');
    expect(readViewState(search)).toEqual(state);
  });

  it('reads what Grafana writes: $__all and epoch milliseconds', () => {
    // Act
    const state = readViewState('?from=1630450800000&to=1631228399999&var-branch=%24__all&orgId=1');
    // Assess
    expect(state).toEqual({ dashboard: undefined, from: '1630450800000', to: '1631228399999', variables: { branch: ['$__all'] } });
  });

  it('leaves out what the URL does not say', () => {
    // Assess
    expect(readViewState('')).toEqual({ dashboard: undefined, from: undefined, to: undefined, variables: {} });
    expect(writeViewState({ variables: {} })).toBe('?');
  });
});
