// Comparisons with documents: the collection picker in the setup, and the
// per-turn sources list of a run (document text stays text).
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Retrieval } from '../../lib/api/chat';
import type { Collection } from '../../lib/api/docs';
import { StatusStore } from '../../lib/status.svelte';
import ComparePage from '../../pages/ComparePage.svelte';
import { blindView, column, HOST, installFakeApp, setRun, streamEvent } from './fake.test-helpers';

let fake: ReturnType<typeof installFakeApp>;

beforeEach(() => {
  fake = installFakeApp();
});
afterEach(() => fake.uninstall());

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

function collection(over: Partial<Collection>): Collection {
  return { id: 1, name: 'desert', embedModel: '', embedHost: '', createdAt: '', updatedAt: '', files: 3, chunks: 9, ...over };
}

function retrieval(over: Partial<Retrieval> = {}): Retrieval {
  const src = (n: number, sent: boolean, label: string, extra: object = {}) => ({
    chunkId: 10 + n, file: `/docs/${label}`, format: 'md', start: 0, end: 10, tokens: 5, text: 'body', vectorScore: null,
    keywordScore: 3.2109, fused: 0.016393, collection: 'desert', label, n: sent ? n : 0, sent, ...extra,
  });
  return {
    query: 'springs', mode: 'keyword', numCtx: 2048, budget: 1500, tokens: 300, cut: true,
    notices: ['keyword-only: collection desert has no embedding model', '<b>1 of 2</b> retrieved chunks did not fit'],
    sources: [
      src(1, true, 'oasis.md, Oasis', { snippet: 'the \u0002springs\u0003 <img src=x onerror=alert(1)>' }),
      src(2, false, '<script>alert(1)</script>.md'),
    ],
    ...over,
  };
}

function renderPage() {
  return render(ComparePage, { store: new StatusStore(), onopensettings: () => {} });
}

describe('documents in a comparison', () => {
  it('lists the collections in the setup and sends the chosen one', async () => {
    fake.app['Collections']!.mockResolvedValue([collection({}), collection({ id: 2, name: 'papers', files: 1 })]);
    fake.app['StartCompare']!.mockResolvedValue(blindView({ blind: false, collection: 'papers' }));
    renderPage();
    const picker = (await screen.findByTestId('compare-collection')) as HTMLSelectElement;
    await waitFor(() => expect(picker.options).toHaveLength(3));
    expect([...picker.options].map((o) => o.textContent)).toEqual(['None', 'desert (3 files)', 'papers (1 file)']);
    expect(picker.value).toBe('');
    await waitFor(() => expect(screen.getAllByTestId('compare-model-picker')).toHaveLength(2));
    await fireEvent.change(picker, { target: { value: 'papers' } });
    await userEvent.type(screen.getByTestId('compare-input'), 'What do the papers say?');
    await fireEvent.click(screen.getByTestId('compare-send'));
    await waitFor(() => expect(fake.app['StartCompare']).toHaveBeenCalled());
    expect(fake.app['StartCompare']!.mock.calls[0]![0]).toMatchObject({ prompt: 'What do the papers say?', collection: 'papers' });
    expect(await screen.findByTestId('compare-run-collection')).toHaveTextContent('Documents: papers');
  });

  it('runs a prompt set with the chosen collection', async () => {
    fake.app['Collections']!.mockResolvedValue([collection({})]);
    fake.app['PromptSets']!.mockResolvedValue([{ id: 1, name: 'Basics', prompts: ['One?'], tags: [] }]);
    fake.app['RunPromptSet']!.mockResolvedValue(setRun({ collection: 'desert' }));
    renderPage();
    const picker = (await screen.findByTestId('compare-collection')) as HTMLSelectElement;
    await waitFor(() => expect(picker.options).toHaveLength(2));
    await waitFor(() => expect(screen.getAllByTestId('compare-model-picker')).toHaveLength(2));
    await fireEvent.change(picker, { target: { value: 'desert' } });
    await fireEvent.click(screen.getByTestId('compare-tab-sets'));
    expect(await screen.findByTestId('prompt-set-hint')).toHaveTextContent('answer from the documents in desert');
    await fireEvent.click(await screen.findByTestId('prompt-set-run'));
    await waitFor(() => expect(fake.app['RunPromptSet']).toHaveBeenCalled());
    expect(fake.app['RunPromptSet']!.mock.calls[0]![2]).toBe('desert');
    expect(await screen.findByTestId('prompt-set-runview')).toHaveTextContent('documents: desert');
  });

  it('sends no collection by default', async () => {
    fake.app['StartCompare']!.mockResolvedValue(blindView());
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('compare-model-picker')).toHaveLength(2));
    await userEvent.type(screen.getByTestId('compare-input'), 'Hi');
    await fireEvent.click(screen.getByTestId('compare-send'));
    await waitFor(() => expect(fake.app['StartCompare']).toHaveBeenCalled());
    expect(fake.app['StartCompare']!.mock.calls[0]![0]).toMatchObject({ collection: '' });
  });

  it('shows each turn’s sources compactly, hostile text as text', async () => {
    const view = blindView({
      blind: false, collection: 'desert',
      columns: [column({ index: 0, label: 'A', model: 'alpha-model:latest', host: HOST, state: 'done' }),
        column({ index: 1, label: 'B', model: 'beta-model:latest', host: HOST, state: 'done' })],
      turns: [
        { index: 0, prompt: 'springs?', retrieval: retrieval(), answers: [
          { column: 0, content: 'About 300 [1].', thinking: '', status: 'complete', error: '', metrics: null },
          { column: 1, content: 'Many.', thinking: '', status: 'complete', error: '', metrics: null }] },
        { index: 1, prompt: 'wells?', retrieval: retrieval({ mode: 'hybrid', cut: false, notices: [], sources: [] }), answers: [] },
      ],
    });
    fake.app['ListCompares']!.mockResolvedValue([{ id: 7, prompt: 'springs?', blind: false, tags: [], createdAt: '', models: [], voted: false }]);
    fake.app['GetCompare']!.mockResolvedValue(view);
    renderPage();
    await fireEvent.click(await screen.findByTestId('compare-history-item'));
    const lists = await screen.findAllByTestId('compare-sources');
    expect(lists).toHaveLength(2);
    const first = lists[0]! as HTMLDetailsElement;
    expect(first.open).toBe(false);
    expect(first).toHaveTextContent('Sources for turn 1');
    expect(within(first).getByTestId('compare-sources-mode')).toHaveTextContent('Keyword search only');
    expect(first).toHaveTextContent('1 of 2 sent');
    expect(first).toHaveTextContent('Some did not fit');
    const notices = within(first).getAllByTestId('compare-sources-notice');
    expect(notices.map((n) => n.textContent)).toEqual(['keyword-only: collection desert has no embedding model', '<b>1 of 2</b> retrieved chunks did not fit']);
    const rows = within(first).getAllByTestId('compare-source');
    expect(rows[0]).toHaveTextContent('[1]');
    expect(rows[0]).toHaveTextContent('oasis.md, Oasis');
    expect(rows[0]).toHaveTextContent('vector – · keyword 3.21 · fused 0.0164');
    expect(rows[0]!.querySelector('mark')).toHaveTextContent('springs');
    expect(rows[1]).toHaveTextContent('not sent');
    expect(rows[1]).toHaveTextContent('<script>alert(1)</script>.md');
    expect(first.querySelector('b, img, script')).toBeNull();
    expect(lists[1]).toHaveTextContent('Hybrid search');
    expect(lists[1]).toHaveTextContent('Nothing in the collection matched');

    // A citation in an answer opens that turn's sources and marks the source.
    const cite = await waitFor(() => {
      const b = screen.getAllByTestId('compare-column')[0]!.querySelector<HTMLButtonElement>('button.cite');
      if (!b) throw new Error('no citation button');
      return b;
    });
    await fireEvent.click(cite);
    await waitFor(() => expect(first.open).toBe(true));
    expect(rows[0]).toHaveClass('hl');
  });

  it('shows the sources a stream event brings', async () => {
    const view = blindView({ collection: 'desert' });
    fake.app['StartCompare']!.mockResolvedValue(view);
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('compare-model-picker')).toHaveLength(2));
    await userEvent.type(screen.getByTestId('compare-input'), 'springs?');
    await fireEvent.click(screen.getByTestId('compare-send'));
    await screen.findByTestId('compare-run');
    expect(screen.queryByTestId('compare-sources')).toBeNull();
    fake.emit('compare:stream', streamEvent({ column: 0, retrieval: retrieval() }));
    await frame();
    await frame();
    const list = await screen.findByTestId('compare-sources');
    expect(list).toHaveTextContent('Sources');
    expect(within(list).getAllByTestId('compare-source')).toHaveLength(2);
  });
});
