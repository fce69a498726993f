// Small, pure formatting helpers for values that come from the backend.

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Size on disk in decimal units, as `ollama list` shows it:
 * one decimal below 10 ("4.7 GB", "2.0 GB"), whole numbers above ("13 GB").
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  // Rounding may carry into the next unit (999.6 MB -> "1000 MB"); step up.
  if (Math.round(value) >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const text = value < 10 ? value.toFixed(1) : String(Math.round(value));
  return `${text} ${BYTE_UNITS[unit]}`;
}

/** Round-trip latency, e.g. "12 ms" or "1.2 s". */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Parse an RFC 3339 timestamp from Go; null for empty, zero or invalid times. */
export function parseTime(value: string): Date | null {
  if (!value) return null;
  const date = new Date(value);
  const time = date.getTime();
  // Go's zero time.Time marshals as 0001-01-01T00:00:00Z.
  if (Number.isNaN(time) || date.getUTCFullYear() <= 1) return null;
  return date;
}

const RELATIVE_STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "3 days ago", "just now"; "—" when unknown. */
export function formatRelative(value: string, now: Date = new Date()): string {
  const date = parseTime(value);
  if (!date) return '—';
  let delta = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(delta) < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(delta) < size) return rtf.format(Math.round(delta), unit);
    delta /= size;
  }
  return rtf.format(Math.round(delta), 'year');
}

/** Absolute date and time in the user's locale; "—" when unknown. */
export function formatDateTime(value: string): string {
  const date = parseTime(value);
  if (!date) return '—';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "1 model", "3 models". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
