import { describe, expect, it } from 'vitest';
import { flattenFields } from './flatten-fields';

describe('flattenFields', () => {
  it('turns nested env objects into dotted fields, in order', () => {
    expect(
      flattenFields({
        git: { commit: 'abc123', dirty: false },
        versions: { tfjs: '4.22.0', node: '20.20.2' },
        seed: 42,
      }),
    ).toEqual([
      ['git.commit', 'abc123'],
      ['git.dirty', false],
      ['versions.tfjs', '4.22.0'],
      ['versions.node', '20.20.2'],
      ['seed', 42],
    ]);
  });

  it('keeps lists of plain values whole, numbers lists of objects, keeps empty ones', () => {
    expect(
      flattenFields({
        tag: [],
        sizes: [1, 2],
        layers: [{ name: 'dense', units: 10 }],
        weights: { path: null, extra: {} },
      }),
    ).toEqual([
      ['tag', []],
      ['sizes', [1, 2]],
      ['layers.0.name', 'dense'],
      ['layers.0.units', 10],
      ['weights.path', null],
      ['weights.extra', {}],
    ]);
  });
});
