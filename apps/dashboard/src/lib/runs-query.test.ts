import { describe, expect, it } from 'vitest';
import { defaultParamColumns, parseRunsQuery, runsHref, toListInput } from './runs-query';

describe('runs page URL', () => {
  it('reads filters and sort, and writes the same URL back', () => {
    const q = parseRunsQuery({
      tag: ['baseline', 'sgd'],
      status: ['running', 'bogus'],
      q: 'vgg',
      param: ['dropout=0.5', 'optimizer=adam'],
      sort: 'bestValAccuracy',
      dir: 'asc',
    });
    expect(q.status).toEqual(['running']);
    expect(q.cols).toEqual(defaultParamColumns);
    expect(toListInput(q)).toEqual({
      status: ['running'],
      tags: ['baseline', 'sgd'],
      text: 'vgg',
      // Values that parse as JSON are matched as numbers/booleans, the rest as text.
      params: { dropout: 0.5, optimizer: 'adam' },
      sortBy: 'bestValAccuracy',
      direction: 'asc',
      limit: 500,
    });
    const sp = new URLSearchParams(runsHref(q).slice(2));
    const back = Object.fromEntries([...new Set(sp.keys())].map((k) => [k, sp.getAll(k)]));
    expect(parseRunsQuery(back)).toEqual(q);
  });

  it('asks the tracker for creation order when a column only the page can sort is chosen', () => {
    expect(toListInput(parseRunsQuery({ sort: 'param.lr' }))?.sortBy).toBe('createdAt');
  });
});
