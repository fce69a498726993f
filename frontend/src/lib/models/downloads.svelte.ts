// The download queue as the UI sees it. One instance lives for the whole app
// (module scope), so the list and its live progress survive navigating away
// from the Models page. It loads Downloads() once, then applies every
// `models:download` event and every call's answer, keyed by id. An update
// older than what is shown (updatedAt) is dropped, so a late answer never
// moves a progress bar backwards.

import { errorMessage } from '../api';
import {
  cancelDownload,
  getDownloads,
  onDownload,
  pauseDownload,
  resumeDownload,
  setParallelDownloads,
  startDownload,
  type Download,
} from '../api/models';

const PARALLEL_KEY = 'wadi.models.parallelDownloads';
export const DEFAULT_PARALLEL = 2;
export const MAX_PARALLEL = 8;

/** States in which a download still needs attention or bandwidth. */
export const ACTIVE_STATES: ReadonlySet<Download['state']> = new Set([
  'queued',
  'downloading',
  'paused',
  'stalled',
  'retrying',
]);

function stamp(d: Download): number {
  const t = Date.parse(d.updatedAt);
  return Number.isNaN(t) ? 0 : t;
}

/** True when `next` should replace `current` (same id). */
export function isNewer(current: Download | undefined, next: Download): boolean {
  if (!current) return true;
  const a = stamp(current);
  const b = stamp(next);
  if (a && b && b < a) return false;
  // Same instant: a finished state wins over a progress report that raced it.
  if (a === b && !ACTIVE_STATES.has(current.state) && ACTIVE_STATES.has(next.state)) return false;
  return true;
}

function readParallel(): number {
  try {
    const n = Number.parseInt(globalThis.localStorage?.getItem(PARALLEL_KEY) ?? '', 10);
    return Number.isInteger(n) && n >= 1 && n <= MAX_PARALLEL ? n : DEFAULT_PARALLEL;
  } catch {
    return DEFAULT_PARALLEL;
  }
}

/** Reactive download queue; use the shared `downloads` instance. */
export class DownloadStore {
  /** Downloads by id. Replaced on each change so readers re-render. */
  byId = $state<Record<number, Download>>({});
  /** Whether the first Downloads() answer has arrived. */
  loaded = $state(false);
  /** The last load error, if Downloads() failed. */
  error = $state<string | null>(null);
  /** The parallel-downloads setting last chosen in this UI. */
  parallel = $state(readParallel());

  /** Newest first, so a just-started download shows at the top. */
  items = $derived(Object.values(this.byId).sort((a, b) => b.id - a.id));

  #off: (() => void) | null = null;
  #loading: Promise<void> | null = null;

  /** Subscribe to events and load the queue; safe to call many times. */
  start(): Promise<void> {
    if (!this.#off) this.#off = onDownload((d) => this.apply(d));
    if (!this.#loading) this.#loading = this.reload();
    return this.#loading;
  }

  /** Stop listening (tests, app teardown). */
  stop() {
    this.#off?.();
    this.#off = null;
    this.#loading = null;
  }

  /** Forget everything and stop listening (tests). */
  reset() {
    this.stop();
    this.byId = {};
    this.loaded = false;
    this.error = null;
    this.parallel = readParallel();
  }

  async reload(): Promise<void> {
    try {
      const list = await getDownloads();
      for (const d of list) this.apply(d);
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
      this.#loading = null; // let the next start() try again
    } finally {
      this.loaded = true;
    }
  }

  /** Apply one update (event or answer) if it is not older than what is shown. */
  apply(d: Download | null | undefined) {
    if (!d || typeof d.id !== 'number') return;
    if (!isNewer(this.byId[d.id], d)) return;
    this.byId = { ...this.byId, [d.id]: d };
  }

  get(id: number): Download | undefined {
    return this.byId[id];
  }

  /** Downloads of `name` on `host` that are still in the queue. */
  activeFor(host: string, name: string): Download | undefined {
    return this.items.find((d) => d.host === host && d.name === name && ACTIVE_STATES.has(d.state));
  }

  async enqueue(host: string, name: string): Promise<Download> {
    const d = await startDownload(host, name);
    this.apply(d);
    return d;
  }

  async pause(id: number) {
    this.apply(await pauseDownload(id));
  }

  async resume(id: number) {
    this.apply(await resumeDownload(id));
  }

  async cancel(id: number) {
    await cancelDownload(id);
    const d = this.byId[id];
    // The backend also emits a "canceled" event; show it at once either way.
    if (d && ACTIVE_STATES.has(d.state)) {
      this.byId = { ...this.byId, [id]: { ...d, state: 'canceled', bytesPerSec: 0, etaSeconds: 0 } };
    }
  }

  /** Drop finished rows from the view (the backend keeps its own history). */
  clearFinished() {
    const next: Record<number, Download> = {};
    for (const d of Object.values(this.byId)) if (ACTIVE_STATES.has(d.state)) next[d.id] = d;
    this.byId = next;
  }

  async setParallel(n: number) {
    const value = Math.min(MAX_PARALLEL, Math.max(1, Math.round(n)));
    await setParallelDownloads(value);
    this.parallel = value;
    try {
      globalThis.localStorage?.setItem(PARALLEL_KEY, String(value));
    } catch {
      // Storage may be unavailable; the backend has the value.
    }
  }
}

/** The app's one download queue. */
export const downloads = new DownloadStore();
