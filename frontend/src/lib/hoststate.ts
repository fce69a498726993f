import type { HostStatus } from './api';
import type { RowState } from './status.svelte';
import { plural, formatLatency } from './format';

const LABELS: Record<RowState, string> = {
  ok: 'Connected',
  unreachable: 'Not reachable',
  timeout: 'Timed out',
  bad_response: 'Unexpected response',
  bad_url: 'Invalid URL',
  http_error: 'HTTP error',
  checking: 'Checking…',
  unknown: 'Not checked',
};

/** Short label for a host's state. */
export function stateLabel(state: RowState): string {
  return LABELS[state];
}

/** Visual tone of a state: good, bad, or neutral (pending/unknown). */
export function stateTone(state: RowState): 'ok' | 'bad' | 'pending' {
  if (state === 'ok') return 'ok';
  if (state === 'checking' || state === 'unknown') return 'pending';
  return 'bad';
}

/** "Ollama 0.17.4" for a reachable host. */
export function versionText(status: HostStatus): string {
  return status.version ? `Ollama ${status.version}` : 'Ollama (version unknown)';
}

/** "3 models · 12 ms" for a reachable host. */
export function detailText(status: HostStatus): string {
  return `${plural(status.modelCount, 'model')} · ${formatLatency(status.latencyMs)}`;
}

/** What to tell a person about an unhealthy host: the backend's hint first. */
export function problemText(status: HostStatus): string {
  return status.hint || status.error || stateLabel(status.state);
}

/** The host part of a URL for compact display; the URL itself if it won't parse. */
export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host + (parsed.pathname === '/' ? '' : parsed.pathname);
  } catch {
    return url;
  }
}
