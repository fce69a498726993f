// UI state of the Models page that outlives the page component: the open tab
// and the catalog once loaded, so coming back to Models shows the same view.

import type { CatalogEntry } from '../api/models';

export type ModelsTab = 'installed' | 'running' | 'catalog' | 'downloads' | 'machine' | 'import';

export const MODELS_TABS: ReadonlyArray<{ id: ModelsTab; label: string }> = [
  { id: 'installed', label: 'Installed' },
  { id: 'running', label: 'Running' },
  { id: 'catalog', label: 'Catalog' },
  { id: 'downloads', label: 'Downloads' },
  { id: 'machine', label: 'This machine' },
  { id: 'import', label: 'Import GGUF' },
];

/** Shared view state; reset() is for tests. */
export const modelsView = $state<{ tab: ModelsTab; catalog: CatalogEntry[] | null }>({
  tab: 'installed',
  catalog: null,
});

export function resetModelsView() {
  modelsView.tab = 'installed';
  modelsView.catalog = null;
}
