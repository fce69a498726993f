// History search (Ctrl+K) over chats and comparisons: kind badges, hostile
// text kept as text, and a compare hit opens its run on the Compare page.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../App.svelte';
import * as api from '../../lib/api';
import type { HistoryHit } from '../../lib/api/history';
import { LOCAL, okHost, report } from '../../test/fixtures';
import { blindView } from '../compare/fake.test-helpers';
import { chatView, installFakeApp, msg } from './fake.test-helpers';
import SearchDialog from './SearchDialog.svelte';

vi.mock('../../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api')>();
  return { ...actual, getStatus: vi.fn(), getHosts: vi.fn(), getVersion: vi.fn(), getModels: vi.fn() };
});

const mocked = vi.mocked(api);
let fake: ReturnType<typeof installFakeApp>;

function hit(over: Partial<HistoryHit>): HistoryHit {
  return { kind: 'chat', chatId: 0, messageId: 0, runId: 0, turn: 0, title: '', role: 'user', snippet: '', createdAt: '', ...over };
}

const HITS: HistoryHit[] = [
  hit({ kind: 'compare', runId: 7, title: '<i>Why is the sky blue?</i>', role: 'assistant', snippet: 'the \u0002sky\u0003 <script>x</script>' }),
  hit({ kind: 'chat', chatId: 3, messageId: 9, title: 'Sky chat', snippet: 'a \u0002sky\u0003 question' }),
];

beforeEach(() => {
  fake = installFakeApp();
  for (const m of ['ListCompares', 'PromptSets', 'Leaderboard']) fake.app[m] = vi.fn().mockResolvedValue([]);
  fake.app['GetCompare'] = vi.fn().mockResolvedValue(blindView({ id: 7 }));
  fake.app['SearchHistory']!.mockResolvedValue(HITS);
  mocked.getHosts.mockResolvedValue([LOCAL]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL)]));
  mocked.getModels.mockResolvedValue([]);
});
afterEach(() => fake.uninstall());

describe('history search', () => {
  it('shows chat and compare hits with a kind badge, as text', async () => {
    const onpick = vi.fn();
    render(SearchDialog, { search: (q: string) => api.invokeApp<HistoryHit[]>('SearchHistory', [q, 30]), onpick, onclose: () => {} });
    await userEvent.type(screen.getByTestId('search-input'), 'sky');
    await waitFor(() => expect(screen.getAllByTestId('search-hit')).toHaveLength(2));
    const [cmp, chat] = screen.getAllByTestId('search-hit') as [HTMLElement, HTMLElement];
    expect(within(cmp).getByTestId('search-hit-kind')).toHaveTextContent('Compare');
    expect(within(chat).getByTestId('search-hit-kind')).toHaveTextContent('Chat');
    expect(cmp.dataset['run']).toBe('7');
    expect(cmp).toHaveTextContent('<i>Why is the sky blue?</i>');
    expect(cmp.querySelector('i, script')).toBeNull();
    expect(cmp.querySelector('mark')).toHaveTextContent('sky');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(onpick).toHaveBeenCalledWith(HITS[1]);
  });

  it('opens a compare hit on the Compare page with its run', async () => {
    render(App);
    await screen.findByTestId('search-open');
    await userEvent.keyboard('{Control>}k{/Control}');
    await userEvent.type(await screen.findByTestId('search-input'), 'sky');
    await waitFor(() => expect(fake.app['SearchHistory']).toHaveBeenCalledWith('sky', 30));
    const cmp = (await screen.findAllByTestId('search-hit')).find((h) => h.dataset['kind'] === 'compare')!;
    await fireEvent.click(cmp);
    await screen.findByTestId('page-compare');
    await waitFor(() => expect(fake.app['GetCompare']).toHaveBeenCalledWith(7));
    expect((await screen.findByTestId('compare-run')).dataset['run']).toBe('7');
    expect(screen.queryByTestId('search-input')).toBeNull();
  });

  it('opens a chat hit in the chat as before', async () => {
    fake.app['GetChat']!.mockResolvedValue(chatView([msg({ id: 9, content: 'a sky question' })], { id: 3 }));
    render(App);
    await screen.findByTestId('search-open');
    await userEvent.keyboard('{Control>}k{/Control}');
    await userEvent.type(await screen.findByTestId('search-input'), 'sky');
    const chat = (await screen.findAllByTestId('search-hit')).find((h) => h.dataset['kind'] === 'chat')!;
    await fireEvent.click(chat);
    await waitFor(() => expect(fake.app['GetChat']).toHaveBeenCalledWith(3));
    expect(screen.queryByTestId('page-compare')).toBeNull();
  });
});
