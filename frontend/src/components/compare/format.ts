// Small pure helpers for the Compare page: figures, chart bars, labels.

import type { Metrics } from '../../lib/api/chat';
import type { Column, CompareView, Turn } from '../../lib/api/compare';

/** One figure the chart can plot across columns. */
export interface Figure {
  key: 'ttftMs' | 'tokensPerSec' | 'outputTokens' | 'loadMs' | 'totalMs';
  label: string;
  /** Short label for the compact figures under an answer. */
  short: string;
  unit: string;
  /** True when smaller is better (times). */
  lowerBetter: boolean;
}

export const FIGURES: readonly Figure[] = [
  { key: 'ttftMs', label: 'Time to first token', short: 'TTFT', unit: 'ms', lowerBetter: true },
  { key: 'tokensPerSec', label: 'Tokens per second', short: 'speed', unit: 'tok/s', lowerBetter: false },
  { key: 'outputTokens', label: 'Output tokens', short: 'output', unit: 'tokens', lowerBetter: false },
  { key: 'loadMs', label: 'Load time', short: 'load', unit: 'ms', lowerBetter: true },
  { key: 'totalMs', label: 'Total time', short: 'total', unit: 'ms', lowerBetter: true },
];

/** A bar of the chart: the column's label, its value, and its width in percent of the largest. */
export interface Bar {
  column: number;
  label: string;
  value: number;
  percent: number;
}

/** The bars for one figure; columns without figures get value 0. */
export function chartBars(columns: Column[], turn: Turn | undefined, key: Figure['key']): Bar[] {
  const values = columns.map((c) => {
    const m = turn?.answers.find((a) => a.column === c.index)?.metrics;
    return m ? Number(m[key]) || 0 : 0;
  });
  const max = Math.max(0, ...values);
  return columns.map((c, i) => ({
    column: c.index,
    label: c.label,
    value: values[i] ?? 0,
    percent: max > 0 ? Math.round(((values[i] ?? 0) / max) * 1000) / 10 : 0,
  }));
}

/** "120 ms", "2.3 s", "42.1 tok/s", "80 tokens". */
export function formatFigure(value: number, unit: string): string {
  if (unit === 'ms') return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
  if (unit === 'tok/s') return `${value.toFixed(1)} tok/s`;
  return `${Math.round(value)} ${unit}`;
}

/** The figures of one answer as label/value pairs, skipping those Ollama did not send. */
export function metricRows(m: Metrics | null): { label: string; short: string; value: string }[] {
  if (!m) return [];
  return FIGURES.filter((f) => Number(m[f.key]) > 0).map((f) => ({
    label: f.label,
    short: f.short,
    value: formatFigure(Number(m[f.key]), f.unit),
  }));
}

/** Columns in label order (A, B, C, D), the way they are shown. */
export function byLabel(columns: Column[]): Column[] {
  return [...columns].sort((a, b) => a.label.localeCompare(b.label));
}

/** True when the turn has a stored vote. */
export function voted(view: CompareView, turn: number): boolean {
  return view.votes.some((v) => v.turn === turn);
}

/** How the run is scheduled, in words. */
export function scheduleText(view: CompareView): string {
  if (view.schedule === 'concurrent') return 'All columns run at the same time.';
  const order = byLabel(view.columns)
    .sort((a, b) => a.order - b.order)
    .map((c) => c.label)
    .join(' → ');
  return `One after another: ${order}.`;
}

/** A prompt set's prompts: one per line; blank lines are skipped. */
export function parsePrompts(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** "coding, Arabic, coding" -> ["coding", "Arabic"]. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

/** What a retrieval mode means, for the sources badge. */
export function modeText(mode: string): string {
  if (mode === 'hybrid') return 'Hybrid search';
  if (mode === 'keyword') return 'Keyword search only';
  if (mode === 'mixed') return 'Mixed search';
  return mode;
}

/** A score for the sources list: "–" when that search did not find the chunk. */
export function score(v: number | null | undefined, digits = 3): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–';
}

/** Citation labels of the sources sent with a turn, by number (for the answer's [n] buttons). */
export function citeMap(r: { sources: { n: number; sent: boolean; label: string }[] } | null | undefined): Map<number, string> {
  const out = new Map<number, string>();
  for (const s of r?.sources ?? []) if (s.sent && s.n > 0) out.set(s.n, s.label);
  return out;
}
