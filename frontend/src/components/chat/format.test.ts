import { describe, expect, it } from 'vitest';
import { formatMetrics, sameModel } from './format';

describe('formatMetrics', () => {
  it('shows every figure Ollama sent', () => {
    expect(formatMetrics({ ttftMs: 120, loadMs: 1500, promptTokens: 12, promptMs: 20, outputTokens: 80, outputMs: 1900, tokensPerSec: 42.06, totalMs: 2300 }))
      .toBe('TTFT 120 ms · 42.1 tok/s · 12 prompt → 80 output tokens · load 1.5 s · total 2.3 s');
  });
  it('leaves out what a stopped answer lacks', () => {
    expect(formatMetrics({ ttftMs: 378, loadMs: 0, promptTokens: 0, promptMs: 0, outputTokens: 0, outputMs: 0, tokensPerSec: 0, totalMs: 0 }))
      .toBe('TTFT 378 ms');
  });
});

describe('sameModel', () => {
  it.each([
    ['qwen3', 'qwen3:latest', true],
    ['qwen3:4b', 'qwen3:4b', true],
    ['qwen3:4b', 'qwen3', false],
  ])('%s vs %s', (a, b, want) => expect(sameModel(a, b)).toBe(want));
});
