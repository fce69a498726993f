// The GGUF imports started in this session, updated live from `models:import`
// events and kept at module scope so progress survives navigating away.

import { onImport, type ImportJob } from '../api/models';

const FINAL: ReadonlySet<ImportJob['state']> = new Set(['done', 'failed']);

/** Reactive list of import jobs; use the shared `imports` instance. */
export class ImportStore {
  byId = $state<Record<string, ImportJob>>({});
  items = $derived(Object.values(this.byId).reverse());
  #off: (() => void) | null = null;

  /** Subscribe to import events; safe to call many times. */
  start() {
    if (!this.#off) this.#off = onImport((j) => this.apply(j));
  }

  /** Stop listening and forget the jobs (tests). */
  reset() {
    this.#off?.();
    this.#off = null;
    this.byId = {};
  }

  /** Apply an update; a finished job does not go back to a running state. */
  apply(job: ImportJob | null | undefined) {
    if (!job || !job.id) return;
    const cur = this.byId[job.id];
    if (cur && FINAL.has(cur.state) && !FINAL.has(job.state)) return;
    if (cur && cur.state === job.state && job.completedBytes < cur.completedBytes) return;
    this.byId = { ...this.byId, [job.id]: job };
  }
}

/** The app's one list of imports. */
export const imports = new ImportStore();
