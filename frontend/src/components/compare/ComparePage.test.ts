import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OPEN_CHAT_EVENT, type CompareView } from '../../lib/api/compare';
import { StatusStore } from '../../lib/status.svelte';
import { deferred } from '../../test/fixtures';
import ComparePage from '../../pages/ComparePage.svelte';
import { blindView, HOST, installFakeApp, metrics, setRun, streamEvent } from './fake.test-helpers';

let fake: ReturnType<typeof installFakeApp>;

beforeEach(() => {
  fake = installFakeApp();
});
afterEach(() => fake.uninstall());

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

function renderPage() {
  return render(ComparePage, { store: new StatusStore(), onopensettings: () => {} });
}

function col(label: string): HTMLElement {
  const el = screen.getAllByTestId('compare-column').find((c) => c.dataset['label'] === label);
  if (!el) throw new Error(`no column ${label}`);
  return el;
}

/** Pick the first two models, tick blind, type the prompt and press Compare. */
async function startBlind(view: CompareView | Promise<CompareView>) {
  fake.app['StartCompare']!.mockReturnValue(Promise.resolve(view));
  renderPage();
  await waitFor(() => expect(screen.getAllByTestId('compare-model-picker')).toHaveLength(2));
  await waitFor(() =>
    expect(within(screen.getAllByTestId('compare-model-picker')[1]!).getByTestId('model-picker')).toHaveValue(
      JSON.stringify([HOST, 'beta-model:latest']),
    ),
  );
  await fireEvent.click(screen.getByTestId('compare-blind'));
  await userEvent.type(screen.getByTestId('compare-tags'), 'science');
  await userEvent.type(screen.getByTestId('compare-input'), 'Why is the sky blue?');
  await fireEvent.click(screen.getByTestId('compare-send'));
}

/** Finish both columns of the blind run with figures. */
async function finish() {
  fake.emit('compare:stream', streamEvent({ column: 0, done: true, status: 'complete', columnState: 'done', metrics: metrics({ tokensPerSec: 50 }) }));
  fake.emit('compare:stream', streamEvent({ column: 1, done: true, status: 'complete', columnState: 'done', metrics: metrics({ tokensPerSec: 200 }) }));
  await frame();
  await screen.findByTestId('compare-vote');
}

describe('a compare run', () => {
  it('sends the request and accumulates each column’s deltas, replaying early ones', async () => {
    const start = deferred<CompareView>();
    fake.app['StartCompare']!.mockReturnValue(start.promise);
    await startBlind(start.promise);
    await waitFor(() => expect(fake.app['StartCompare']).toHaveBeenCalled());
    expect(fake.app['StartCompare']!.mock.calls[0]![0]).toMatchObject({
      prompt: 'Why is the sky blue?',
      blind: true,
      tags: ['science'],
      columns: [{ host: HOST, model: 'alpha-model:latest' }, { host: HOST, model: 'beta-model:latest' }],
    });
    // A batch that arrives before StartCompare returns is held, then replayed.
    fake.emit('compare:stream', streamEvent({ column: 0, content: 'Rayleigh ' }));
    start.resolve(blindView());
    await screen.findAllByTestId('compare-column');
    fake.emit('compare:stream', streamEvent({ column: 1, content: 'Light ' }));
    fake.emit('compare:stream', streamEvent({ column: 0, content: 'scattering.' }));
    fake.emit('compare:stream', streamEvent({ column: 1, content: 'bends.' }));
    await frame();
    await waitFor(() => expect(within(col('B')).getByTestId('compare-answer')).toHaveTextContent('Rayleigh scattering.'));
    expect(within(col('A')).getByTestId('compare-answer')).toHaveTextContent('Light bends.');
    expect(screen.getByTestId('compare-stop')).toBeInTheDocument();

    await finish();
    expect(col('A').dataset['state']).toBe('done');
    expect(within(col('A')).getByTestId('compare-metrics')).toHaveTextContent('200.0 tok/s');
    expect(screen.getByTestId('compare-send')).toBeInTheDocument();
  });

  it('sends each column’s own parameters and a third column', async () => {
    fake.app['StartCompare']!.mockResolvedValue(blindView());
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('compare-model-picker')).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId('compare-add-column')).toBeEnabled());
    await fireEvent.click(screen.getByTestId('compare-add-column'));
    const setups = screen.getAllByTestId('compare-model-picker');
    expect(setups).toHaveLength(3);
    const second = setups[1]!;
    await fireEvent.input(within(second).getByTestId('compare-temperature'), { target: { value: '0.3' } });
    await fireEvent.input(within(second).getByTestId('compare-numctx'), { target: { value: '4096' } });
    await fireEvent.input(within(second).getByTestId('compare-system'), { target: { value: 'Answer in Arabic.' } });
    await userEvent.type(screen.getByTestId('compare-input'), 'Hi{Enter}');
    await waitFor(() => expect(fake.app['StartCompare']).toHaveBeenCalled());
    const req = fake.app['StartCompare']!.mock.calls[0]![0] as { columns: { model: string; settings: Record<string, unknown> }[]; blind: boolean };
    expect(req.blind).toBe(false);
    expect(req.columns.map((c) => c.model)).toEqual(['alpha-model:latest', 'beta-model:latest', 'gamma-model:latest']);
    expect(req.columns[1]!.settings).toMatchObject({ temperature: 0.3, numCtx: 4096, systemPrompt: 'Answer in Arabic.' });
    expect(req.columns[0]!.settings).toMatchObject({ temperature: null, numCtx: null, systemPrompt: '' });
  });

  it('shows no model name anywhere before the vote, and reveals them after', async () => {
    await startBlind(blindView());
    await screen.findAllByTestId('compare-column');
    fake.emit('compare:stream', streamEvent({ column: 0, content: 'One' }));
    fake.emit('compare:stream', streamEvent({ column: 1, content: 'Two' }));
    await finish();
    const text = document.body.textContent ?? '';
    const html = document.body.innerHTML;
    for (const name of ['alpha-model', 'beta-model']) {
      expect(text).not.toContain(name);
      expect(html).not.toContain(name);
    }
    expect(col('A').dataset['model']).toBe('');

    const voted = blindView({
      columns: [
        { index: 0, label: 'B', host: HOST, model: 'alpha-model:latest', state: 'done', order: 1 },
        { index: 1, label: 'A', host: HOST, model: 'beta-model:latest', state: 'done', order: 1 },
      ],
      votes: [{ turn: 0, kind: 'better', winner: 1, createdAt: '2026-11-29T10:01:00Z' }],
    });
    fake.app['Vote']!.mockResolvedValue(voted);
    await fireEvent.click(screen.getByTestId('compare-vote-A'));
    // "A is better": A is column 1 of this run.
    expect(fake.app['Vote']).toHaveBeenCalledWith(7, 0, { kind: 'better', winner: 1 });
    const revealed = await screen.findByTestId('compare-revealed');
    expect(revealed).toHaveTextContent('You voted for A.');
    expect(revealed).toHaveTextContent('A = beta-model:latest');
    expect(revealed).toHaveTextContent('B = alpha-model:latest');
    expect(col('A').dataset['model']).toBe('beta-model:latest');
    expect(screen.queryByTestId('compare-vote')).toBeNull();
  });

  it('sends tie and all-bad votes', async () => {
    await startBlind(blindView());
    await screen.findAllByTestId('compare-column');
    await finish();
    fake.app['Vote']!.mockResolvedValue(blindView());
    await fireEvent.click(screen.getByTestId('compare-vote-tie'));
    expect(fake.app['Vote']).toHaveBeenLastCalledWith(7, 0, { kind: 'tie', winner: -1 });
    await fireEvent.click(screen.getByTestId('compare-vote-bad'));
    expect(fake.app['Vote']).toHaveBeenLastCalledWith(7, 0, { kind: 'all_bad', winner: -1 });
  });

  it('plots the figures across columns in the chart', async () => {
    await startBlind(blindView());
    await screen.findAllByTestId('compare-column');
    await finish();
    const bars = within(screen.getByTestId('compare-chart')).getAllByTestId('compare-bar');
    expect(bars.map((b) => [b.dataset['label'], b.dataset['value']])).toEqual([
      ['A', '200'],
      ['B', '50'],
    ]);
    expect((bars[1]!.querySelector('.bar') as HTMLElement).style.width).toBe('25%');
  });

  it('shows the sequential order and which column waits, with the reason', async () => {
    await startBlind(
      blindView({
        schedule: 'sequential',
        scheduleNote: 'models do not fit in memory together',
        columns: [
          { index: 0, label: 'B', host: '', model: '', state: 'waiting', order: 2 },
          { index: 1, label: 'A', host: '', model: '', state: 'running', order: 1 },
        ],
      }),
    );
    const note = await screen.findByTestId('compare-schedule');
    expect(note).toHaveTextContent('One after another: A → B.');
    expect(note).toHaveTextContent('models do not fit in memory together');
    expect(col('B')).toHaveTextContent('Waiting (#2)');
  });

  it('sends a follow-up to the open run and stops it', async () => {
    await startBlind(blindView());
    await screen.findAllByTestId('compare-column');
    await fireEvent.click(screen.getByTestId('compare-stop'));
    expect(fake.app['StopCompare']).toHaveBeenCalledWith(7);
    await finish();
    const next = blindView({ turns: [...blindView().turns, { index: 1, prompt: 'And at sunset?', answers: [], retrieval: null }] });
    fake.app['FollowUp']!.mockResolvedValue(next);
    await userEvent.type(screen.getByTestId('compare-input'), 'And at sunset?{Enter}');
    expect(fake.app['FollowUp']).toHaveBeenCalledWith(7, 'And at sunset?');
    fake.emit('compare:stream', streamEvent({ turn: 1, column: 1, content: 'Red.' }));
    await frame();
    await waitFor(() => expect(within(col('A')).getAllByTestId('compare-answer')[1]).toHaveTextContent('Red.'));
  });

  it('continues a revealed column as a chat and asks the shell to open it', async () => {
    const opened = vi.fn();
    const listener = (e: Event) => opened((e as CustomEvent<number>).detail);
    window.addEventListener(OPEN_CHAT_EVENT, listener);
    fake.app['GetCompare']!.mockResolvedValue(
      blindView({
        blind: false,
        columns: [
          { index: 0, label: 'A', host: HOST, model: 'alpha-model:latest', state: 'done', order: 1 },
          { index: 1, label: 'B', host: HOST, model: 'beta-model:latest', state: 'done', order: 1 },
        ],
      }),
    );
    fake.app['ListCompares']!.mockResolvedValue([
      { id: 7, prompt: 'Why is the sky blue?', blind: false, tags: [], createdAt: '2026-11-29T10:00:00Z', models: ['alpha-model:latest', 'beta-model:latest'], voted: false },
    ]);
    fake.app['ContinueAsChat']!.mockResolvedValue(42);
    renderPage();
    await fireEvent.click(await screen.findByTestId('compare-history-item'));
    expect(fake.app['GetCompare']).toHaveBeenCalledWith(7);
    const buttons = await screen.findAllByTestId('compare-continue');
    await fireEvent.click(buttons[1]!);
    expect(fake.app['ContinueAsChat']).toHaveBeenCalledWith(7, 1);
    await waitFor(() => expect(opened).toHaveBeenCalledWith(42));
    window.removeEventListener(OPEN_CHAT_EVENT, listener);
  });

  it('offers no Continue on a blind run before the vote', async () => {
    await startBlind(blindView());
    await screen.findAllByTestId('compare-column');
    await finish();
    expect(screen.queryByTestId('compare-continue')).toBeNull();
  });
});

describe('the leaderboard', () => {
  it('renders the rows and filters by tag', async () => {
    fake.app['ListCompares']!.mockResolvedValue([
      { id: 1, prompt: 'p', blind: true, tags: ['coding'], createdAt: '2026-11-29T10:00:00Z', models: [], voted: false },
    ]);
    fake.app['Leaderboard']!.mockResolvedValue([
      { model: 'beta-model:latest', rating: 1016.4, low: 980.2, high: 1052.9, votes: 3, wins: 2, losses: 1, ties: 0 },
      { model: 'alpha-model:latest', rating: 983.6, low: 947.1, high: 1019.8, votes: 3, wins: 1, losses: 2, ties: 0 },
    ]);
    renderPage();
    await waitFor(() => expect(fake.app['ListCompares']).toHaveBeenCalled());
    await fireEvent.click(screen.getByTestId('compare-tab-leaderboard'));
    const rows = await screen.findAllByTestId('leader-row');
    expect(rows.map((r) => r.dataset['model'])).toEqual(['beta-model:latest', 'alpha-model:latest']);
    expect(rows[0]).toHaveTextContent('1016');
    expect(rows[0]).toHaveTextContent('980–1053');
    expect(rows[0]).toHaveTextContent('2 / 1 / 0');
    expect(fake.app['Leaderboard']).toHaveBeenCalledWith('');
    const select = screen.getByTestId('leader-tag') as HTMLSelectElement;
    await waitFor(() => expect(Array.from(select.options).map((o) => o.value)).toContain('coding'));
    await fireEvent.change(select, { target: { value: 'coding' } });
    await waitFor(() => expect(fake.app['Leaderboard']).toHaveBeenLastCalledWith('coding'));
  });
});

describe('prompt sets', () => {
  it('saves a set, runs it with progress, pauses, resumes and exports', async () => {
    const saved = { id: 1, name: 'Basics', prompts: ['One?', 'Two?'], tags: ['coding'] };
    fake.app['SavePromptSet']!.mockResolvedValue(saved);
    renderPage();
    await waitFor(() => expect(fake.app['ChatModels']).toHaveBeenCalled());
    await fireEvent.click(screen.getByTestId('compare-tab-sets'));
    await fireEvent.click(await screen.findByTestId('prompt-set-new'));
    await userEvent.type(screen.getByTestId('prompt-set-name'), 'Basics');
    await userEvent.type(screen.getByTestId('prompt-set-prompts'), 'One?{Enter}{Enter}Two?');
    await userEvent.type(screen.getByTestId('prompt-set-tags'), 'coding, coding');
    fake.app['PromptSets']!.mockResolvedValue([saved]);
    await fireEvent.click(screen.getByTestId('prompt-set-save'));
    await waitFor(() => expect(fake.app['SavePromptSet']).toHaveBeenCalledWith({ id: 0, name: 'Basics', prompts: ['One?', 'Two?'], tags: ['coding'] }));

    fake.app['RunPromptSet']!.mockResolvedValue(setRun());
    await fireEvent.click(await screen.findByTestId('prompt-set-run'));
    expect(fake.app['RunPromptSet']!.mock.calls[0]![0]).toBe(1);
    expect(fake.app['RunPromptSet']!.mock.calls[0]![1]).toHaveLength(2);
    expect(fake.app['RunPromptSet']!.mock.calls[0]![2]).toBe('');
    const bar = await screen.findByTestId('prompt-set-progress');
    expect(bar.dataset['done']).toBe('0');

    fake.emit('compare:setrun', setRun({
      done: 2,
      rows: [{ prompt: 'One?', answers: [
        { column: 0, content: '<b>bold?</b>', thinking: '', status: 'complete', error: '', metrics: metrics() },
        { column: 1, content: 'Fine', thinking: '', status: 'complete', error: '', metrics: metrics() },
      ] }],
    }));
    await waitFor(() => expect(screen.getByTestId('prompt-set-progress').dataset['done']).toBe('2'));
    expect(screen.getByTestId('prompt-set-progress')).toHaveAttribute('aria-valuenow', '50');
    const table = screen.getByTestId('prompt-set-table');
    expect(within(table).getAllByTestId('prompt-set-row')).toHaveLength(1);
    expect(table).toHaveTextContent('<b>bold?</b>');
    expect(table.querySelector('b')).toBeNull();

    fake.app['PauseSetRun']!.mockResolvedValue(setRun({ state: 'paused', done: 2 }));
    await fireEvent.click(screen.getByTestId('prompt-set-pause'));
    expect(fake.app['PauseSetRun']).toHaveBeenCalledWith(3);
    fake.app['ResumeSetRun']!.mockResolvedValue(setRun({ state: 'running', done: 2 }));
    await fireEvent.click(await screen.findByTestId('prompt-set-resume'));
    expect(fake.app['ResumeSetRun']).toHaveBeenCalledWith(3);
    fake.app['SaveSetRunExport']!.mockResolvedValue('/tmp/out.csv');
    await fireEvent.click(screen.getByTestId('prompt-set-export-csv'));
    expect(fake.app['SaveSetRunExport']).toHaveBeenCalledWith(3, 'csv');
    expect(await screen.findByText('Saved to /tmp/out.csv')).toBeInTheDocument();
  });

  it('refuses a set without prompts, naming what is missing', async () => {
    renderPage();
    await fireEvent.click(screen.getByTestId('compare-tab-sets'));
    await fireEvent.click(await screen.findByTestId('prompt-set-new'));
    await userEvent.type(screen.getByTestId('prompt-set-name'), 'Empty');
    await fireEvent.click(screen.getByTestId('prompt-set-save'));
    expect(await screen.findByTestId('prompt-set-error')).toHaveTextContent('Add at least one prompt');
    expect(fake.app['SavePromptSet']).not.toHaveBeenCalled();
  });
});
