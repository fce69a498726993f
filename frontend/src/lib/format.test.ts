import { describe, expect, it } from 'vitest';
import { formatBytes, formatLatency, formatRelative, parseTime, plural } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [1536, '1.5 KB'],
    [2_019_393_189, '2.0 GB'],
    [4_661_224_676, '4.7 GB'],
    [13_015_997_000, '13 GB'],
    [274_302_450, '274 MB'],
    [999_960_000, '1.0 GB'],
    [42_000_000_000_000, '42 TB'],
  ])('%d bytes -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('shows a dash for nonsense', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatLatency', () => {
  it('uses ms below a second and s above', () => {
    expect(formatLatency(12.4)).toBe('12 ms');
    expect(formatLatency(1234)).toBe('1.2 s');
    expect(formatLatency(-5)).toBe('—');
  });
});

describe('times', () => {
  const now = new Date('2026-05-10T12:00:00Z');

  it('treats Go zero time and garbage as unknown', () => {
    expect(parseTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseTime('')).toBeNull();
    expect(parseTime('not a date')).toBeNull();
    expect(formatRelative('0001-01-01T00:00:00Z', now)).toBe('—');
  });

  it('formats relative times', () => {
    expect(formatRelative('2026-05-10T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-05-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-05-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2025-05-10T12:00:00Z', now)).toBe('last year');
  });
});

describe('plural', () => {
  it('counts', () => {
    expect(plural(1, 'model')).toBe('1 model');
    expect(plural(0, 'model')).toBe('0 models');
  });
});
