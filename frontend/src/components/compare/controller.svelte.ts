// The Compare page's state: the column setup, the open run, the run history.
// `compare:stream` batches are deltas; they are queued and applied to the open
// run at most once per animation frame and ~30 times a second, so four fast
// columns cost one repaint per flush.
// Batches for a run whose StartCompare call has not returned yet are held and
// replayed once its id is known.

import { errorMessage } from '../../lib/api';
import * as chatApi from '../../lib/api/chat';
import type { ChatSettings, ModelOption } from '../../lib/api/chat';
import * as api from '../../lib/api/compare';
import { listCollections, type Collection } from '../../lib/api/docs';
import { parseTags } from './format';
import type { Answer, ColumnSpec, CompareStreamEvent, CompareSummary, CompareView, Turn, Vote } from '../../lib/api/compare';

export const MIN_COLUMNS = 2;
export const MAX_COLUMNS = 4;
/** Held batches for runs not yet known are capped, so strays cannot pile up. */
const MAX_HELD = 2000;
/** The open run repaints at most this often: ≤ ~30 updates per second per column. */
export const MIN_FLUSH_MS = 33;

export function defaultSettings(): ChatSettings {
  return { systemPrompt: '', temperature: null, topP: null, seed: null, numCtx: null, keepAlive: '', think: false };
}

const nextFrame = (cb: () => void) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(cb) : setTimeout(cb, 16);

/** Apply one batch to a run in place; returns false when it names no known turn. */
export function applyEvent(view: CompareView, e: CompareStreamEvent): boolean {
  let turn: Turn | undefined = view.turns.find((t) => t.index === e.turn);
  if (!turn) {
    if (e.turn !== view.turns.length) return false;
    turn = { index: e.turn, prompt: '', answers: [], retrieval: null };
    view.turns.push(turn);
  }
  let a: Answer | undefined = turn.answers.find((x) => x.column === e.column);
  if (!a) {
    a = { column: e.column, content: '', thinking: '', status: 'streaming', error: '', metrics: null };
    turn.answers.push(a);
  }
  if (e.content) a.content += e.content;
  if (e.thinking) a.thinking += e.thinking;
  if (e.status) a.status = e.status as Answer['status'];
  if (e.error) a.error = e.error;
  if (e.metrics) a.metrics = e.metrics;
  if (e.retrieval) turn.retrieval = api.normalizeRetrieval(e.retrieval);
  const col = view.columns.find((c) => c.index === e.column);
  if (col && e.columnState) col.state = e.columnState as typeof col.state;
  return true;
}

export class CompareController {
  models = $state<ModelOption[]>([]);
  modelsError = $state('');
  specs = $state<ColumnSpec[]>([]);
  blind = $state(false);
  tags = $state('');
  /** The document collection for the next run; "" none. */
  collection = $state('');
  collections = $state<Collection[]>([]);
  collectionsError = $state('');
  view = $state<CompareView | null>(null);
  history = $state<CompareSummary[]>([]);
  error = $state('');
  busy = $state(false);

  private queue: CompareStreamEvent[] = [];
  private held: CompareStreamEvent[] = [];
  private scheduled = false;
  private lastFlush = -Infinity;
  private off: (() => void) | null = null;
  /** Frames flushed so far (tests and the benchmark read it). */
  frames = 0;

  async start(): Promise<void> {
    this.off = api.onCompareStream((e) => this.onStream(e));
    await Promise.all([this.loadModels(), this.refreshHistory(), this.loadCollections()]);
    while (this.specs.length < MIN_COLUMNS) this.addColumn();
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  async loadModels(): Promise<void> {
    try {
      this.models = await chatApi.chatModels();
      this.modelsError = '';
    } catch (err) {
      this.modelsError = errorMessage(err);
    }
  }

  async loadCollections(): Promise<void> {
    try {
      this.collections = await listCollections();
      this.collectionsError = '';
      if (this.collection && !this.collections.some((c) => c.name === this.collection)) this.collection = '';
    } catch (err) {
      this.collectionsError = errorMessage(err);
    }
  }

  async refreshHistory(): Promise<void> {
    try {
      this.history = await api.listCompares();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Add a column, defaulting to the first model not yet picked. */
  addColumn(): void {
    if (this.specs.length >= MAX_COLUMNS) return;
    const used = new Set(this.specs.map((s) => `${s.host} ${s.model}`));
    const m = this.models.find((x) => !used.has(`${x.host} ${x.name}`)) ?? this.models[0];
    this.specs.push({ host: m?.host ?? '', model: m?.name ?? '', settings: defaultSettings() });
  }

  /** Set column i's model. */
  setModel(i: number, host: string, model: string): void {
    const s = this.specs[i];
    if (!s) return;
    s.host = host;
    s.model = model;
  }

  /** Set one of column i's parameters. */
  setSetting<K extends keyof ChatSettings>(i: number, key: K, value: ChatSettings[K]): void {
    const s = this.specs[i];
    if (s) s.settings[key] = value;
  }

  removeColumn(i: number): void {
    if (this.specs.length <= MIN_COLUMNS) return;
    this.specs.splice(i, 1);
  }

  get tagList(): string[] {
    return parseTags(this.tags);
  }

  /** True while any column of the open run is waiting or running. */
  get running(): boolean {
    const v = this.view;
    if (!v) return false;
    if (v.columns.some((c) => c.state === 'running' || c.state === 'waiting')) return true;
    const last = v.turns[v.turns.length - 1];
    return last?.answers.some((a) => a.status === 'streaming') ?? false;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    this.error = '';
    this.busy = true;
    try {
      return await fn();
    } catch (err) {
      this.error = errorMessage(err);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Send the prompt: a new run, or a follow-up to every column of the open one. */
  async send(prompt: string): Promise<boolean> {
    const text = prompt.trim();
    if (!text) return false;
    if (!this.view) {
      if (this.specs.some((s) => !s.model)) {
        this.error = 'Pick a model for every column.';
        return false;
      }
      const req = {
        prompt: text, columns: $state.snapshot(this.specs), blind: this.blind, tags: this.tagList, collection: this.collection,
      };
      const v = await this.guard(() => api.startCompare(req));
      if (!v) return false;
      this.openView(v, true);
    } else {
      const id = this.view.id;
      const v = await this.guard(() => api.followUp(id, text));
      if (!v) return false;
      this.openView(v, true);
    }
    void this.refreshHistory();
    return true;
  }

  private openView(v: CompareView, replay: boolean): void {
    const mine = this.held.filter((e) => e.runId === v.id);
    this.held = this.held.filter((e) => e.runId !== v.id);
    if (replay) for (const e of mine) applyEvent(v, e);
    this.view = v;
  }

  async open(id: number): Promise<void> {
    const v = await this.guard(() => api.getCompare(id));
    if (v) this.openView(v, false);
  }

  /** Back to the setup for a new run. */
  reset(): void {
    this.view = null;
    this.error = '';
  }

  async stopRun(): Promise<void> {
    const v = this.view;
    if (v) await this.guard(() => api.stopCompare(v.id));
  }

  async vote(turn: number, vote: Vote): Promise<void> {
    const v = this.view;
    if (!v) return;
    const next = await this.guard(() => api.vote(v.id, turn, vote));
    if (next) {
      this.view = next;
      void this.refreshHistory();
    }
  }

  /** Turn a column into a normal chat; returns the chat id. */
  async continueAsChat(column: number): Promise<number | undefined> {
    const v = this.view;
    if (!v) return undefined;
    return this.guard(() => api.continueAsChat(v.id, column));
  }

  onStream(e: CompareStreamEvent): void {
    if (this.view && e.runId === this.view.id) {
      this.queue.push(e);
      this.schedule();
    } else if (this.held.length < MAX_HELD) {
      this.held.push(e);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const tick = () => {
      // At most one repaint every MIN_FLUSH_MS, whatever the event rate.
      if (performance.now() - this.lastFlush < MIN_FLUSH_MS) nextFrame(tick);
      else this.flush();
    };
    nextFrame(tick);
  }

  /** Apply every queued batch to the open run in one go. */
  flush(): void {
    this.scheduled = false;
    this.lastFlush = performance.now();
    const batch = this.queue;
    this.queue = [];
    const v = this.view;
    if (!v || !batch.length) return;
    this.frames++;
    let finished = false;
    for (const e of batch) {
      if (e.runId !== v.id) continue;
      applyEvent(v, e);
      if (e.done) finished = true;
    }
    if (finished && !this.running) void this.refreshHistory();
  }
}
