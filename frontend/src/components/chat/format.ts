// Small text formats for the chat view.

import type { Metrics } from '../../lib/api/chat';

function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

/**
 * "TTFT 120 ms · 42.1 tok/s · 12 prompt → 80 output tokens · load 300 ms · total 2.3 s".
 * Figures Ollama did not send (a stopped answer has only TTFT) are left out.
 */
export function formatMetrics(m: Metrics): string {
  const parts: string[] = [];
  if (m.ttftMs > 0) parts.push(`TTFT ${ms(m.ttftMs)}`);
  if (m.tokensPerSec > 0) parts.push(`${m.tokensPerSec.toFixed(1)} tok/s`);
  if (m.promptTokens > 0 || m.outputTokens > 0) parts.push(`${m.promptTokens} prompt → ${m.outputTokens} output tokens`);
  if (m.loadMs > 0) parts.push(`load ${ms(m.loadMs)}`);
  if (m.totalMs > 0) parts.push(`total ${ms(m.totalMs)}`);
  return parts.join(' · ');
}

/** A message's pixel-free size guess, for content-visibility placeholders. */
export function estimateHeight(text: string): number {
  return Math.min(4000, 48 + Math.ceil(text.length / 90) * 22);
}

/** Model names compare without the implicit ":latest" tag ("qwen3" = "qwen3:latest"). */
export function sameModel(a: string, b: string): boolean {
  const full = (n: string) => (n.includes(':') ? n : `${n}:latest`);
  return full(a) === full(b);
}
