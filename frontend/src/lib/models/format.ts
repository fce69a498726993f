// Formatting of model-library numbers: fit verdicts, progress, speed, ETA.

import { formatBytes } from '../format';
import type { Download, FitVerdict } from '../api/models';

export const VERDICT_LABEL: Record<FitVerdict, string> = {
  gpu: 'Fits on GPU',
  split: 'GPU + CPU (slower)',
  cpu: 'Runs on CPU',
  no: 'Does not fit',
};

/** Whole percent 0..100 of a download; 100 once done, 0 while the size is unknown. */
export function downloadPercent(d: Download): number {
  if (d.state === 'done') return 100;
  if (!(d.totalBytes > 0)) return 0;
  const p = Math.floor((d.completedBytes / d.totalBytes) * 100);
  return Math.max(0, Math.min(100, p));
}

/** "12 MB/s"; "—" when not moving. */
export function formatSpeed(bytesPerSec: number): string {
  if (!(bytesPerSec > 0)) return '—';
  return `${formatBytes(bytesPerSec)}/s`;
}

/** "45 s", "3 min", "1 h 20 min"; "—" when unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

/** Context length in tokens: "8K", "128K", "1M"; "—" when unknown. */
export function formatContext(tokens: number): string {
  if (!(tokens > 0)) return '—';
  if (tokens >= 1024 * 1024 && tokens % (1024 * 1024) === 0) return `${tokens / (1024 * 1024)}M`;
  if (tokens >= 1000) return `${Math.round(tokens / 1024)}K`;
  return String(tokens);
}

export const STATE_LABEL: Record<Download['state'], string> = {
  queued: 'Queued',
  downloading: 'Downloading',
  paused: 'Paused',
  stalled: 'Stalled',
  retrying: 'Retrying',
  done: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};
