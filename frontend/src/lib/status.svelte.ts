// Reactive state of the configured Ollama hosts and their health.
//
// One instance lives in App.svelte and is passed down. It polls Status() on
// start, every 15 s, when the window regains focus, and on demand. Checks never
// block the UI: rows without a result show "checking", rows with an older
// result keep it while a new check runs, and a failed or slow Status() becomes
// an error message instead of an endless spinner.

import {
  errorMessage,
  getHosts,
  getStatus,
  isBackendUnavailable,
  type HostState,
  type HostStatus,
  type StatusReport,
  onBackendEvent,
} from './api';

export const POLL_INTERVAL_MS = 15_000;
/** A focus event within this long after the last check does not start another. */
const FOCUS_DEBOUNCE_MS = 2_000;

export type RowState = HostState | 'checking' | 'unknown';

export interface HostRow {
  url: string;
  /** The last known state, "checking" before the first result, "unknown" if none came. */
  state: RowState;
  /** The last result for this host, if any. */
  status: HostStatus | null;
}

export class StatusStore {
  /** Configured hosts from Hosts()/AddHost()/RemoveHost(); null until known. */
  hosts = $state<string[] | null>(null);
  /** The last successful Status() report. */
  report = $state<StatusReport | null>(null);
  /** True while a Status() call is in flight. */
  checking = $state(false);
  /** Message of the last failed Status() call; null after a success. */
  error = $state<string | null>(null);
  /** True when the page runs without the Go backend. */
  backendMissing = $state(false);
  /** True once the first Status() call settled, either way. */
  ready = $state(false);

  /** Host URLs in display order. */
  urls: string[] = $derived(this.hosts ?? this.report?.hosts.map((h) => h.url) ?? []);

  rows: HostRow[] = $derived.by(() => {
    const byUrl = new Map((this.report?.hosts ?? []).map((h) => [h.url, h] as const));
    return this.urls.map((url): HostRow => {
      const status = byUrl.get(url) ?? null;
      const state: RowState = status ? status.state : this.checking ? 'checking' : 'unknown';
      return { url, state, status };
    });
  });

  anyReachable: boolean = $derived(this.rows.some((r) => r.status?.reachable === true));

  #inflight: Promise<void> | null = null;
  #again = false;
  #lastStarted = 0;

  /** Load hosts, check them, and keep checking. Returns a function that stops it. */
  start(): () => void {
    void this.loadHosts();
    void this.refresh();
    const timer = setInterval(() => void this.refresh(), POLL_INTERVAL_MS);
    const onFocus = () => {
      if (Date.now() - this.#lastStarted >= FOCUS_DEBOUNCE_MS) void this.refresh();
    };
    window.addEventListener('focus', onFocus);
    // The backend says when the hosts changed by themselves (the built-in
    // engine started): reload the list and check again at once.
    const offChanged = onBackendEvent('status:changed', () => {
      void this.loadHosts();
      void this.refresh();
    });
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      offChanged();
    };
  }

  async loadHosts(): Promise<void> {
    try {
      this.hosts = await getHosts();
    } catch {
      // Status() reports the same failure; rows then come from its report.
    }
  }

  /** Replace the host list (after AddHost/RemoveHost) and re-check. */
  setHosts(hosts: string[]): void {
    this.hosts = [...hosts];
    void this.refresh();
  }

  /**
   * Run Status(). A call made while one is in flight does not start a second
   * concurrent call: it schedules one more run after the current one, so a
   * host added meanwhile is checked too, and resolves when that run is done.
   */
  refresh(): Promise<void> {
    if (this.#inflight) {
      this.#again = true;
      return this.#inflight;
    }
    this.#inflight = this.#run().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      this.#lastStarted = Date.now();
      this.checking = true;
      try {
        this.report = await getStatus();
        this.error = null;
        this.backendMissing = false;
      } catch (err) {
        this.error = errorMessage(err);
        this.backendMissing = isBackendUnavailable(err);
      } finally {
        this.ready = true;
      }
    } while (this.#again);
    this.checking = false;
  }
}
