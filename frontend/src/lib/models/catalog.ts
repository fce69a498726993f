// Filtering of the catalog in the UI: the whole catalog (a few hundred
// entries at most) is loaded once, and every keystroke filters it here
// without a round trip, field by field as CatalogFilter describes it.

import type { CatalogEntry, CatalogFilter, CatalogVariant, FitVerdict } from '../api/models';

export const EMPTY_FILTER: CatalogFilter = {
  query: '',
  capability: '',
  family: '',
  maxParamsB: 0,
  fitsOnly: false,
};

/** Size steps offered by the size filter, in billions of parameters. */
export const SIZE_STEPS: readonly number[] = [2, 4, 9, 15, 35, 80];

/** Verdicts that mean "runs on this machine". */
export function fits(verdict: FitVerdict | undefined): boolean {
  return verdict === 'gpu' || verdict === 'split' || verdict === 'cpu';
}

function variantMatches(v: CatalogVariant, f: CatalogFilter): boolean {
  if (f.maxParamsB > 0 && !(v.paramsB <= f.maxParamsB)) return false;
  if (f.fitsOnly && !fits(v.fit?.verdict)) return false;
  return true;
}

function textMatches(e: CatalogEntry, words: string[]): boolean {
  if (words.length === 0) return true;
  const hay = [e.id, e.name, e.family, e.description, ...e.capabilities, ...e.variants.map((v) => v.pullName)]
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * The entries matching `f`, each with only its matching variants. An entry
 * whose variants all fail the size or fit filter is left out.
 */
export function filterCatalog(entries: readonly CatalogEntry[], f: CatalogFilter): CatalogEntry[] {
  const words = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: CatalogEntry[] = [];
  for (const e of entries) {
    if (f.capability && !e.capabilities.includes(f.capability)) continue;
    if (f.family && e.family !== f.family) continue;
    if (!textMatches(e, words)) continue;
    if (f.maxParamsB === 0 && !f.fitsOnly) {
      out.push(e);
      continue;
    }
    const variants = e.variants.filter((v) => variantMatches(v, f));
    if (variants.length > 0) out.push(variants.length === e.variants.length ? e : { ...e, variants });
  }
  return out;
}

/** Sorted distinct values, for the filter menus. */
export function facets(entries: readonly CatalogEntry[]): { families: string[]; capabilities: string[] } {
  const families = new Set<string>();
  const capabilities = new Set<string>();
  for (const e of entries) {
    if (e.family) families.add(e.family);
    for (const c of e.capabilities) capabilities.add(c);
  }
  return { families: [...families].sort(), capabilities: [...capabilities].sort() };
}
