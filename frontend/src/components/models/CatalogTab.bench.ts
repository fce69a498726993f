// How long the Catalog tab takes to render 200 entries (5 variants each) in
// jsdom, from mount to the DOM being complete. Run: npx vitest bench --run.
// The figure is recorded in docs/benchmarks.md ("Models UI"), not asserted.
import { cleanup, render } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { bench, describe } from 'vitest';
import type { CatalogEntry } from '../../lib/api/models';
import { EMPTY_FILTER, filterCatalog } from '../../lib/models/catalog';
import { modelsView } from '../../lib/models/view.svelte';
import { LOCAL } from '../../test/fixtures';
import { entry, variant } from '../../test/models';
import CatalogTab from './CatalogTab.svelte';

const VERDICTS = ['gpu', 'split', 'cpu', 'no'] as const;

function bigCatalog(n: number): CatalogEntry[] {
  return Array.from({ length: n }, (_, i) =>
    entry({
      id: `model-${i}`,
      name: `Model ${i}`,
      family: `family-${i % 12}`,
      serverOnly: i % 17 === 0,
      localAlternative: i % 17 === 0 ? 'qwen3:8b' : '',
      variants: [1, 4, 8, 14, 32].map((b, j) => variant(`model-${i}:${b}b`, b, VERDICTS[(i + j) % 4]!)),
    }),
  );
}

const entries = bigCatalog(200);

describe('Catalog, 200 entries', () => {
  for (const pageSize of [24, 200]) {
    bench(
      `render the Catalog tab, ${pageSize === 200 ? 'all 200 cards' : 'first view (24 cards)'}`,
      () => {
        modelsView.catalog = entries;
        const { container } = render(CatalogTab, { hosts: [LOCAL], pageSize });
        flushSync();
        if (container.querySelectorAll('[data-testid="catalog-entry"]').length !== pageSize) throw new Error('not rendered');
        cleanup();
      },
      { warmupIterations: 3, iterations: 20 },
    );
  }

  bench('filter 200 entries by a query and fits-only', () => {
    filterCatalog(entries, { ...EMPTY_FILTER, query: 'model 1', fitsOnly: true });
  });
});
