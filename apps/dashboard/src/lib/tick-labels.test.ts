import { describe, expect, it } from 'vitest';
import { tickLabels } from './tick-labels';

describe('tickLabels', () => {
  it('gives a nearly flat loss curve enough digits for every tick to differ', () => {
    expect(tickLabels([0.6914, 0.6916, 0.6918, 0.692])).toEqual([
      '0.6914',
      '0.6916',
      '0.6918',
      '0.6920',
    ]);
  });

  it('keeps ordinary ticks short', () => {
    expect(tickLabels([0.2, 0.4, 0.6, 0.8])).toEqual(['0.2', '0.4', '0.6', '0.8']);
    expect(tickLabels([0, 500, 1000])).toEqual(['0', '500', '1000']);
    expect(tickLabels([0.25, 0.5, 0.75])).toEqual(['0.25', '0.50', '0.75']);
  });

  it('writes very large and very small ticks as exponents', () => {
    expect(tickLabels([1e6, 2e6, 3e6])).toEqual(['1e+6', '2e+6', '3e+6']);
    expect(tickLabels([0.0001, 0.00015, 0.0002])).toEqual(['1.0e-4', '1.5e-4', '2.0e-4']);
  });

  it('copes with one tick and with ticks that are not numbers', () => {
    expect(tickLabels([2.5])).toEqual(['2.5']);
    expect(tickLabels([Number.NaN])).toEqual(['NaN']);
  });
});
