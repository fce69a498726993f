// The indexing jobs of the document collections as the UI sees them. One
// instance lives for the whole app (module scope), so a job's progress bar
// survives navigating away from the Documents page and back. It subscribes
// once to `docs:progress`, loads IndexJobs() when the page opens, and keeps
// the newest job of each collection (by collection id, so a rename keeps it).

import { errorMessage } from './api';
import {
  cancelIndexing,
  indexJobs,
  onDocsProgress,
  type IndexJob,
  type IndexPhase,
} from './api/docs';

const PHASE_RANK: Record<IndexPhase, number> = { scan: 0, index: 1, embed: 2, done: 3 };

function stamp(j: IndexJob): number {
  const t = Date.parse(j.startedAt);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * True when `next` should replace `current` (same collection). A later job
 * wins; within one job a final state beats progress, and progress never
 * moves backwards (a call's answer may arrive after the first event).
 */
export function isNewerJob(current: IndexJob | undefined, next: IndexJob): boolean {
  if (!current) return true;
  if (current.startedAt !== next.startedAt) return stamp(next) >= stamp(current);
  const curDone = current.state !== 'running';
  const nextDone = next.state !== 'running';
  if (curDone) return false;
  if (nextDone) return true;
  const a = PHASE_RANK[current.progress.phase] ?? 0;
  const b = PHASE_RANK[next.progress.phase] ?? 0;
  return b > a || (b === a && next.progress.filesDone >= current.progress.filesDone);
}

/** Reactive indexing jobs; use the shared `docsJobs` instance. */
export class DocsJobStore {
  /** The newest job of each collection, by collection id. */
  byCollection = $state<Record<number, IndexJob>>({});
  /** Whether IndexJobs() has answered once. */
  loaded = $state(false);
  error = $state<string | null>(null);

  running = $derived(Object.values(this.byCollection).filter((j) => j.state === 'running'));

  #off: (() => void) | null = null;
  #loading: Promise<void> | null = null;

  /** Subscribe to progress events and load the jobs; safe to call many times. */
  start(): Promise<void> {
    if (!this.#off) this.#off = onDocsProgress((j) => this.apply(j));
    if (!this.#loading) this.#loading = this.reload();
    return this.#loading;
  }

  stop() {
    this.#off?.();
    this.#off = null;
    this.#loading = null;
  }

  /** Forget everything and stop listening (tests). */
  reset() {
    this.stop();
    this.byCollection = {};
    this.loaded = false;
    this.error = null;
  }

  async reload(): Promise<void> {
    try {
      for (const j of await indexJobs()) this.apply(j);
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
      this.#loading = null;
    } finally {
      this.loaded = true;
    }
  }

  /** Apply one job update (event or call answer) unless it is older than what is shown. */
  apply(j: IndexJob | null | undefined) {
    if (!j || typeof j.collectionId !== 'number') return;
    if (!isNewerJob(this.byCollection[j.collectionId], j)) return;
    this.byCollection = { ...this.byCollection, [j.collectionId]: j };
  }

  get(collectionId: number): IndexJob | undefined {
    return this.byCollection[collectionId];
  }

  /** Forget a deleted collection's job. */
  forget(collectionId: number) {
    const { [collectionId]: _, ...rest } = this.byCollection;
    this.byCollection = rest;
  }

  /** Note a rename at once (the backend's next event carries it too). */
  renamed(collectionId: number, name: string) {
    const j = this.byCollection[collectionId];
    if (j) this.byCollection = { ...this.byCollection, [collectionId]: { ...j, collection: name } };
  }

  async cancel(collectionId: number) {
    const j = this.byCollection[collectionId];
    if (j) await cancelIndexing(j.collection);
  }
}

/** The app's one set of indexing jobs. */
export const docsJobs = new DocsJobStore();

/** "12 indexed, 1 failed" for a finished (or running) job. */
export function jobSummary(j: IndexJob): string {
  const p = j.progress;
  const parts = [`${p.indexed} indexed`];
  if (p.unchanged) parts.push(`${p.unchanged} unchanged`);
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  if (p.removed) parts.push(`${p.removed} removed`);
  return parts.join(', ');
}

/** "about 2 min left", "about 20 s left", or "" when unknown. */
export function formatEtaMs(ms: number): string {
  if (!ms || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `about ${Math.max(1, s)} s left`;
  const m = Math.round(s / 60);
  if (m < 60) return `about ${m} min left`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

/** The path of a file relative to the source folder it came from, when there is one. */
export function relativePath(path: string, sources: string[]): string {
  let best = '';
  for (const s of sources) {
    const root = s.replace(/[\\/]+$/, '');
    if (path === root) return baseName(path);
    if ((path.startsWith(root + '/') || path.startsWith(root + '\\')) && root.length > best.length) best = root;
  }
  if (!best) return path;
  return `${baseName(best)}/${path.slice(best.length + 1)}`;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** What the Documents page shows; module scope, so it survives navigating away. */
export const docsView = $state({ selectedId: null as number | null, creating: false });

/** Back to the first look (tests). */
export function resetDocsView() {
  docsView.selectedId = null;
  docsView.creating = false;
}
