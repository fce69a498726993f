import { describe, expect, it } from 'vitest';
import { dl } from '../../test/models';
import { downloadPercent, formatContext, formatEta, formatSpeed } from './format';

describe('model-library formatting', () => {
  it('computes whole percents, 100 when done and 0 with no size yet', () => {
    expect(downloadPercent(dl({ completedBytes: 999, totalBytes: 1000 }))).toBe(99);
    expect(downloadPercent(dl({ completedBytes: 5, totalBytes: 0 }))).toBe(0);
    expect(downloadPercent(dl({ completedBytes: 2000, totalBytes: 1000 }))).toBe(100);
    expect(downloadPercent(dl({ state: 'done', completedBytes: 0, totalBytes: 0 }))).toBe(100);
  });

  it('formats speed, ETA and context length', () => {
    expect(formatSpeed(12_500_000)).toBe('13 MB/s');
    expect(formatSpeed(0)).toBe('—');
    expect(formatEta(42)).toBe('42 s');
    expect(formatEta(185)).toBe('3 min');
    expect(formatEta(4800)).toBe('1 h 20 min');
    expect(formatEta(7200)).toBe('2 h');
    expect(formatEta(-1)).toBe('—');
    expect(formatContext(8192)).toBe('8K');
    expect(formatContext(131072)).toBe('128K');
    expect(formatContext(1048576)).toBe('1M');
    expect(formatContext(0)).toBe('—');
  });
});
