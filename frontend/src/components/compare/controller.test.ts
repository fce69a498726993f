import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, CompareController } from './controller.svelte';
import { blindView, installFakeApp, streamEvent } from './fake.test-helpers';
import { chartBars, parsePrompts, parseTags, scheduleText } from './format';

let fake: ReturnType<typeof installFakeApp>;
beforeEach(() => {
  fake = installFakeApp();
});
afterEach(() => fake.uninstall());

describe('applyEvent', () => {
  it('appends deltas per column and records the final status and figures', () => {
    const v = blindView();
    applyEvent(v, streamEvent({ column: 1, content: 'Hel' }));
    applyEvent(v, streamEvent({ column: 0, content: 'Bon', thinking: 'hmm' }));
    applyEvent(v, streamEvent({ column: 1, content: 'lo' }));
    applyEvent(v, streamEvent({ column: 1, done: true, status: 'error', error: 'model crashed', columnState: 'failed' }));
    const [a0, a1] = [0, 1].map((c) => v.turns[0]!.answers.find((a) => a.column === c)!);
    expect(a0).toMatchObject({ content: 'Bon', thinking: 'hmm', status: 'streaming' });
    expect(a1).toMatchObject({ content: 'Hello', status: 'error', error: 'model crashed' });
    expect(v.columns[1]!.state).toBe('failed');
    expect(v.columns[0]!.state).toBe('running');
  });

  it('opens the next turn but ignores a turn it cannot place', () => {
    const v = blindView();
    expect(applyEvent(v, streamEvent({ turn: 1, content: 'x' }))).toBe(true);
    expect(v.turns).toHaveLength(2);
    expect(applyEvent(v, streamEvent({ turn: 5, content: 'y' }))).toBe(false);
    expect(v.turns).toHaveLength(2);
  });
});

describe('CompareController', () => {
  it('applies a burst of batches in one frame', async () => {
    const c = new CompareController();
    fake.app['StartCompare']!.mockResolvedValue(blindView());
    await c.start();
    await c.send('Why?');
    for (let i = 0; i < 50; i++) c.onStream(streamEvent({ column: i % 2, content: 'x' }));
    expect(c.view!.turns[0]!.answers).toHaveLength(0);
    await new Promise<void>((r) => requestAnimationFrame(() => r()));
    expect(c.frames).toBe(1);
    expect(c.view!.turns[0]!.answers.map((a) => a.content.length)).toEqual([25, 25]);
    c.stop();
  });

  it('keeps 2..4 columns and picks distinct models by default', async () => {
    const c = new CompareController();
    await c.start();
    expect(c.specs.map((s) => s.model)).toEqual(['alpha-model:latest', 'beta-model:latest']);
    c.addColumn();
    c.addColumn();
    c.addColumn();
    expect(c.specs).toHaveLength(4);
    c.removeColumn(0);
    c.removeColumn(0);
    c.removeColumn(0);
    expect(c.specs).toHaveLength(2);
    c.stop();
  });

  it('refuses to start with a column that has no model', async () => {
    fake.app['ChatModels']!.mockResolvedValue([]);
    const c = new CompareController();
    await c.start();
    expect(await c.send('Hi')).toBe(false);
    expect(c.error).toBe('Pick a model for every column.');
    expect(fake.app['StartCompare']).not.toHaveBeenCalled();
  });
});

describe('format', () => {
  it('scales the bars to the largest value', () => {
    const v = blindView();
    applyEvent(v, streamEvent({ column: 0, metrics: { ttftMs: 300, loadMs: 0, promptTokens: 1, promptMs: 1, outputTokens: 9, outputMs: 1, tokensPerSec: 10, totalMs: 900 } }));
    const bars = chartBars(v.columns, v.turns[0], 'ttftMs');
    expect(bars).toEqual([
      { column: 0, label: 'B', value: 300, percent: 100 },
      { column: 1, label: 'A', value: 0, percent: 0 },
    ]);
  });

  it('parses prompts and tags', () => {
    expect(parsePrompts(' a \n\n b\n')).toEqual(['a', 'b']);
    expect(parseTags('coding, Arabic ,coding,')).toEqual(['coding', 'Arabic']);
  });

  it('describes the schedule', () => {
    expect(scheduleText(blindView())).toBe('All columns run at the same time.');
    const v = blindView({ schedule: 'sequential' });
    v.columns[0]!.order = 1;
    v.columns[1]!.order = 2;
    expect(scheduleText(v)).toBe('One after another: B → A.');
  });
});

describe('update rate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps every token of four fast columns with at most ~30 updates a second', async () => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'performance', 'setTimeout', 'Date'] });
    const c = new CompareController();
    fake.app['StartCompare']!.mockResolvedValue(
      blindView({
        columns: [0, 1, 2, 3].map((i) => ({ index: i, label: 'ABCD'[i]!, host: '', model: '', state: 'running' as const, order: 1 })),
      }),
    );
    await c.start();
    await c.send('Go');
    // Four columns, a batch each every 5 ms for 2 s: 400 batches per column.
    const sent = ['', '', '', ''];
    for (let t = 0; t < 2000; t += 5) {
      for (let col = 0; col < 4; col++) {
        const piece = `${col}:${t};`;
        sent[col] += piece;
        c.onStream(streamEvent({ column: col, content: piece }));
      }
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(100);
    const got = [0, 1, 2, 3].map((col) => c.view!.turns[0]!.answers.find((a) => a.column === col)!.content);
    expect(got).toEqual(sent);
    // One flush updates every column, so frames = updates per column.
    expect(c.frames).toBeGreaterThan(40);
    expect(c.frames).toBeLessThanOrEqual(2 * 31);
    c.stop();
  });
});
