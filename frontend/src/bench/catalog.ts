// Catalog render benchmark for a real browser (bench/catalog.html): mounts
// the Catalog tab with 200 entries of 5 variants each, forces style and
// layout, and writes the timings (ms) as JSON into #result. Records, does
// not assert; see docs/benchmarks.md, "Models UI".
import '@fontsource-variable/inter';
import '../app.css';
import { flushSync, mount, unmount } from 'svelte';
import CatalogTab from '../components/models/CatalogTab.svelte';
import type { CatalogEntry } from '../lib/api/models';
import { modelsView } from '../lib/models/view.svelte';
import { entry, variant } from '../test/models';

const VERDICTS = ['gpu', 'split', 'cpu', 'no'] as const;
const RUNS = 30;
const WARMUP = 5;

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

const stage = document.getElementById('stage')!;
const out = document.getElementById('result')!;
const entries = bigCatalog(200);

/** Mount the tab RUNS times; pageSize 24 is the app's first view, 200 renders every card. */
function measure(pageSize: number) {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    modelsView.catalog = entries;
    const t0 = performance.now();
    const app = mount(CatalogTab, { target: stage, props: { hosts: ['http://127.0.0.1:11434'], pageSize } });
    flushSync();
    const cards = stage.querySelectorAll('[data-testid="catalog-entry"]').length;
    void stage.getBoundingClientRect().height; // style + layout
    const t1 = performance.now();
    if (cards !== Math.min(pageSize, 200)) throw new Error(`rendered ${cards} cards`);
    if (i >= WARMUP) times.push(t1 - t0);
    void unmount(app);
    flushSync();
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1));
  return { cards: Math.min(pageSize, 200), minMs: pick(0), medianMs: pick(0.5), p90Ms: pick(0.9), maxMs: pick(1) };
}

out.textContent = JSON.stringify({
  entries: 200,
  variants: 1000,
  runs: RUNS,
  firstView: measure(24),
  allCards: measure(200),
  userAgent: navigator.userAgent,
});
