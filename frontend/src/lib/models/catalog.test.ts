import { describe, expect, it } from 'vitest';
import { catalog, entry, variant } from '../../test/models';
import { EMPTY_FILTER, facets, filterCatalog, fits } from './catalog';

const ids = (f: Partial<typeof EMPTY_FILTER>) => filterCatalog(catalog(), { ...EMPTY_FILTER, ...f }).map((e) => e.id);

describe('filterCatalog', () => {
  it('keeps everything, untouched, with an empty filter', () => {
    const all = catalog();
    const out = filterCatalog(all, EMPTY_FILTER);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(all[0]);
  });

  it('matches every word of the query against name, family, description, capabilities and pull names', () => {
    expect(ids({ query: 'qwen' })).toEqual(['qwen3']);
    expect(ids({ query: 'EMBEDDINGS search' })).toEqual(['nomic-embed-text']);
    expect(ids({ query: 'deepseek-v3.1:671b' })).toEqual(['deepseek-v3']);
    expect(ids({ query: 'qwen embeddings' })).toEqual([]);
    expect(ids({ query: '   ' })).toHaveLength(3);
  });

  it('filters by capability and family', () => {
    expect(ids({ capability: 'embedding' })).toEqual(['nomic-embed-text']);
    expect(ids({ capability: 'thinking' })).toEqual(['qwen3', 'deepseek-v3']);
    expect(ids({ family: 'deepseek' })).toEqual(['deepseek-v3']);
    expect(ids({ family: 'deepseek', capability: 'embedding' })).toEqual([]);
  });

  it('keeps only variants up to the size limit, and drops entries left without any', () => {
    const out = filterCatalog(catalog(), { ...EMPTY_FILTER, maxParamsB: 15 });
    expect(out.map((e) => e.id)).toEqual(['qwen3', 'nomic-embed-text']);
    expect(out[0]?.variants.map((v) => v.pullName)).toEqual(['qwen3:4b', 'qwen3:14b']);
  });

  it('with fits-only keeps gpu, split and cpu verdicts but not "no"', () => {
    const out = filterCatalog(catalog(), { ...EMPTY_FILTER, fitsOnly: true });
    expect(out.map((e) => e.id)).toEqual(['qwen3', 'nomic-embed-text']);
    expect(out[0]?.variants.map((v) => v.fit.verdict)).toEqual(['gpu', 'split']);
    expect(fits('cpu')).toBe(true);
    expect(fits('no')).toBe(false);
    expect(fits(undefined)).toBe(false);
  });

  it('combines size and fit: a variant must pass both', () => {
    const e = entry({ variants: [variant('a:1b', 1, 'no'), variant('a:70b', 70, 'gpu')] });
    expect(filterCatalog([e], { ...EMPTY_FILTER, fitsOnly: true, maxParamsB: 9 })).toEqual([]);
  });

  it('lists distinct families and capabilities, sorted', () => {
    expect(facets(catalog())).toEqual({
      families: ['deepseek', 'nomic-bert', 'qwen'],
      capabilities: ['completion', 'embedding', 'thinking', 'tools'],
    });
  });
});
