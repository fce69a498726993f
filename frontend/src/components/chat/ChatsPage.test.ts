import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamStart } from '../../lib/api/chat';
import { deferred } from '../../test/fixtures';
import ChatsPage from './ChatsPage.svelte';
import { chatView, HOST, installFakeApp, msg, streamEvent, summary } from './fake.test-helpers';
import { chatShortcut } from './keys';

let fake: ReturnType<typeof installFakeApp>;

beforeEach(() => {
  fake = installFakeApp();
});
afterEach(() => fake.uninstall());

const user = msg({ id: 1, role: 'user', content: 'Tell me' });
const placeholder = msg({ id: 2, parentId: 1, role: 'assistant', content: '', status: 'streaming', model: 'tiny:latest' });

function started(messages = [user, placeholder]): StreamStart {
  return { streamId: 's1', chat: chatView(messages) };
}

async function openChat(messages = [user, msg({ id: 2, parentId: 1, role: 'assistant', content: 'Hello', model: 'tiny:latest' })]) {
  fake.app['ListChats']!.mockResolvedValue([summary({ messageCount: messages.length })]);
  fake.app['GetChat']!.mockResolvedValue(chatView(messages));
  render(ChatsPage);
  const item = await screen.findByTestId('chat-item');
  await fireEvent.click(within(item).getByRole('button', { name: /First chat/ }));
  await screen.findAllByTestId('message');
}

function messageEl(id: number): HTMLElement {
  const el = screen.getAllByTestId('message').find((m) => m.dataset['id'] === String(id));
  if (!el) throw new Error(`no message ${id}`);
  return el;
}

describe('sending and streaming', () => {
  it('creates the chat, sends, and accumulates stream deltas in order', async () => {
    const send = deferred<StreamStart>();
    fake.app['NewChat']!.mockResolvedValue(chatView([]));
    fake.app['Send']!.mockReturnValue(send.promise);
    render(ChatsPage);
    await waitFor(() => expect(screen.getByTestId('model-picker')).toHaveValue(JSON.stringify([HOST, 'tiny:latest'])));

    const box = screen.getByTestId('composer');
    await userEvent.type(box, 'Tell me{Enter}');
    await waitFor(() => expect(fake.app['Send']).toHaveBeenCalledWith(1, 'Tell me', []));
    expect(fake.app['NewChat']).toHaveBeenCalledWith(HOST, 'tiny:latest');
    expect(box).toHaveValue('');

    // A batch that arrives before Send has answered is held, then replayed.
    fake.emit(streamEvent({ content: 'Hel' }));
    send.resolve(started());
    await waitFor(() => expect(messageEl(2)).toHaveTextContent('Hel'));
    expect(screen.getByTestId('stop')).toBeInTheDocument();

    fake.emit(streamEvent({ content: 'lo **wo' }));
    fake.emit(streamEvent({ content: 'rld**' }));
    await waitFor(() => expect(messageEl(2).querySelector('strong')).toHaveTextContent('world'));
    expect(messageEl(2)).toHaveTextContent('Hello world');

    fake.emit(streamEvent({
      done: true, status: 'complete',
      metrics: { ttftMs: 120, loadMs: 300, promptTokens: 12, promptMs: 20, outputTokens: 80, outputMs: 1900, tokensPerSec: 42.1, totalMs: 2300 },
    }));
    await waitFor(() => expect(messageEl(2)).toHaveAttribute('data-status', 'complete'));
    const metrics = within(messageEl(2)).getByTestId('metrics');
    expect(metrics).toHaveTextContent('TTFT 120 ms');
    expect(metrics).toHaveTextContent('42.1 tok/s');
    expect(metrics).toHaveTextContent('12 prompt → 80 output tokens');
    expect(metrics).toHaveTextContent('load 300 ms');
    expect(screen.queryByTestId('stop')).toBeNull();
    expect(screen.getByTestId('send')).toBeInTheDocument();
  });

  it('ignores batches of other chats and shows thinking separately', async () => {
    fake.app['NewChat']!.mockResolvedValue(chatView([]));
    fake.app['Send']!.mockResolvedValue(started());
    render(ChatsPage);
    await waitFor(() => expect(screen.getByTestId('send')).toBeInTheDocument());
    await userEvent.type(screen.getByTestId('composer'), 'Q{Enter}');
    await waitFor(() => expect(screen.getAllByTestId('message')).toHaveLength(2));

    fake.emit(streamEvent({ thinking: 'Let me think.' }));
    fake.emit(streamEvent({ streamId: 'other', chatId: 9, messageId: 99, content: 'elsewhere' }));
    fake.emit(streamEvent({ content: 'Answer.' }));
    await waitFor(() => expect(messageEl(2)).toHaveTextContent('Answer.'));
    const thinking = within(messageEl(2)).getByTestId('thinking') as HTMLDetailsElement;
    expect(thinking).toHaveTextContent('Let me think.');
    expect(thinking.open).toBe(true);
    expect(messageEl(2).querySelector('.markdown')).not.toHaveTextContent('Let me think.');
    expect(document.body).not.toHaveTextContent('elsewhere');

    fake.emit(streamEvent({ done: true, status: 'complete' }));
    await waitFor(() => expect(thinking.open).toBe(false));
  });

  it('stops with the Stop button and with Esc', async () => {
    fake.app['NewChat']!.mockResolvedValue(chatView([]));
    fake.app['Send']!.mockResolvedValue(started());
    render(ChatsPage);
    await waitFor(() => expect(screen.getByTestId('send')).toBeInTheDocument());
    await userEvent.type(screen.getByTestId('composer'), 'Q{Enter}');
    await fireEvent.click(await screen.findByTestId('stop'));
    expect(fake.app['Stop']).toHaveBeenCalledWith('s1');

    await userEvent.keyboard('{Escape}');
    expect(fake.app['Stop']).toHaveBeenCalledTimes(2);

    fake.emit(streamEvent({ content: 'partial', done: true, status: 'incomplete', error: 'stopped by you' }));
    await waitFor(() => expect(messageEl(2)).toHaveAttribute('data-status', 'incomplete'));
    expect(messageEl(2)).toHaveTextContent('Answer incomplete');
    expect(messageEl(2)).toHaveTextContent('stopped by you');
    await userEvent.keyboard('{Escape}');
    expect(fake.app['Stop']).toHaveBeenCalledTimes(2);
  });

  it('keeps the text in the composer when sending fails, and shows why', async () => {
    fake.app['NewChat']!.mockResolvedValue(chatView([]));
    fake.app['Send']!.mockRejectedValue('model "tiny:latest" is not installed on http://127.0.0.1:11434');
    render(ChatsPage);
    await waitFor(() => expect(screen.getByTestId('send')).toBeInTheDocument());
    await userEvent.type(screen.getByTestId('composer'), 'Keep me{Enter}');
    expect(await screen.findByTestId('chat-error')).toHaveTextContent('model "tiny:latest" is not installed');
    expect(screen.getByTestId('composer')).toHaveValue('Keep me');
  });
});

describe('message actions', () => {
  it('marks an incomplete answer and retries it', async () => {
    await openChat([user, msg({ id: 2, parentId: 1, role: 'assistant', content: 'half', status: 'error', error: 'connection to Ollama was lost' })]);
    const a = messageEl(2);
    expect(a).toHaveAttribute('data-status', 'error');
    expect(a).toHaveTextContent('Answer failed');
    expect(a).toHaveTextContent('connection to Ollama was lost');
    fake.app['Retry']!.mockResolvedValue({ streamId: 's2', chat: chatView([user, msg({ id: 3, parentId: 1, role: 'assistant', content: '', status: 'streaming', siblingIds: [2, 3], siblingIndex: 1 })]) });
    await fireEvent.click(within(a).getByTestId('retry'));
    expect(fake.app['Retry']).toHaveBeenCalledWith(2);
    await waitFor(() => expect(messageEl(3)).toHaveAttribute('data-status', 'streaming'));
  });

  it('switches branches with ‹ 2/3 ›', async () => {
    await openChat([user, msg({ id: 7, parentId: 1, role: 'assistant', content: 'second', siblingIds: [5, 7, 9], siblingIndex: 1 })]);
    const a = messageEl(7);
    expect(within(a).getByTestId('branch-label')).toHaveTextContent('2/3');
    fake.app['SwitchBranch']!.mockResolvedValue(chatView([user, msg({ id: 9, parentId: 1, role: 'assistant', content: 'third', siblingIds: [5, 7, 9], siblingIndex: 2 })]));
    await fireEvent.click(within(a).getByTestId('branch-next'));
    expect(fake.app['SwitchBranch']).toHaveBeenCalledWith(9);
    await waitFor(() => expect(within(messageEl(9)).getByTestId('branch-label')).toHaveTextContent('3/3'));
    expect(within(messageEl(9)).getByTestId('branch-next')).toBeDisabled();
    await fireEvent.click(within(messageEl(9)).getByTestId('branch-prev'));
    expect(fake.app['SwitchBranch']).toHaveBeenLastCalledWith(7);
  });

  it('edits an earlier user message and resends it', async () => {
    await openChat();
    await fireEvent.click(within(messageEl(1)).getByTestId('edit'));
    const input = screen.getByTestId('edit-input');
    expect(input).toHaveValue('Tell me');
    fake.app['EditMessage']!.mockResolvedValue({
      streamId: 's3',
      chat: chatView([msg({ id: 4, role: 'user', content: 'Tell me more', siblingIds: [1, 4], siblingIndex: 1 }),
        msg({ id: 5, parentId: 4, role: 'assistant', status: 'streaming' })]),
    });
    await userEvent.clear(input);
    await userEvent.type(input, 'Tell me more{Enter}');
    expect(fake.app['EditMessage']).toHaveBeenCalledWith(1, 'Tell me more');
    await waitFor(() => expect(within(messageEl(4)).getByTestId('branch-label')).toHaveTextContent('2/2'));
    expect(within(messageEl(4)).getByTestId('branch-prev')).toBeDisabled(); // no switching while streaming
    fake.emit(streamEvent({ streamId: 's3', messageId: 5, content: 'More.', done: true, status: 'complete' }));
    await waitFor(() => expect(within(messageEl(4)).getByTestId('branch-prev')).toBeEnabled());
    expect(messageEl(5)).toHaveTextContent('More.');
  });

  it('regenerates and deletes answers', async () => {
    await openChat();
    fake.app['Regenerate']!.mockResolvedValue({ streamId: 's4', chat: chatView([user, msg({ id: 6, parentId: 1, role: 'assistant', status: 'streaming' })]) });
    await fireEvent.click(within(messageEl(2)).getByTestId('regenerate'));
    expect(fake.app['Regenerate']).toHaveBeenCalledWith(2);
    fake.emit(streamEvent({ streamId: 's4', messageId: 6, content: 'Again', done: true, status: 'complete' }));
    await waitFor(() => expect(messageEl(6)).toHaveTextContent('Again'));
    fake.app['DeleteMessage']!.mockResolvedValue(chatView([user]));
    await fireEvent.click(within(messageEl(6)).getByTestId('delete-message'));
    expect(fake.app['DeleteMessage']).toHaveBeenCalledWith(6);
    await waitFor(() => expect(screen.getAllByTestId('message')).toHaveLength(1));
  });

  it('opens links from answers in the system browser, never in the window', async () => {
    await openChat([user, msg({ id: 2, role: 'assistant', content: 'See [docs](https://ollama.com/docs) or [bad](javascript:alert(1))' })]);
    const link = messageEl(2).querySelector('a') as HTMLAnchorElement;
    expect(messageEl(2).querySelectorAll('a')).toHaveLength(1);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    await waitFor(() => expect(fake.app['OpenLink']).toHaveBeenCalledWith('https://ollama.com/docs'));
  });

  it('shows the context note when turns were dropped', async () => {
    const v = chatView([user]);
    v.context = { numCtx: 2048, estimatedTokens: 2500, droppedTurns: 3, note: 'Left out the 3 oldest turns to fit 2048 tokens.' };
    fake.app['ListChats']!.mockResolvedValue([summary()]);
    fake.app['GetChat']!.mockResolvedValue(v);
    render(ChatsPage);
    await fireEvent.click(within(await screen.findByTestId('chat-item')).getByRole('button', { name: /First chat/ }));
    expect(await screen.findByTestId('context-note')).toHaveTextContent('Left out the 3 oldest turns');
  });
});

describe('history', () => {
  it('search highlights hits with <mark>, never HTML, and jumps to the message', async () => {
    fake.app['SearchHistory']!.mockResolvedValue([
      { kind: 'chat', chatId: 1, messageId: 2, runId: 0, turn: 0, title: '<b>Title</b>', role: 'assistant', snippet: 'say <img src=x onerror=alert(1)> \u0002hello\u0003 there', createdAt: '' },
    ]);
    fake.app['GetChat']!.mockResolvedValue(chatView([user, msg({ id: 2, role: 'assistant', content: 'hello there' })]));
    render(ChatsPage);
    await userEvent.keyboard('{Control>}k{/Control}');
    const input = await screen.findByTestId('search-input');
    await userEvent.type(input, 'hello');
    const hit = await screen.findByTestId('search-hit');
    expect(hit.querySelector('mark')).toHaveTextContent('hello');
    expect(hit.querySelector('img, b')).toBeNull();
    expect(hit).toHaveTextContent('say <img src=x onerror=alert(1)> hello there');
    expect(fake.app['SearchHistory']).toHaveBeenCalledWith('hello', 30);
    await fireEvent.click(hit);
    expect(fake.app['GetChat']).toHaveBeenCalledWith(1);
    await waitFor(() => expect(messageEl(2)).toHaveClass('focused'));
    expect(screen.queryByTestId('search-input')).toBeNull();
  });

  it('deletes a chat with an undo toast', async () => {
    fake.app['ListChats']!.mockResolvedValue([summary()]);
    render(ChatsPage);
    const item = await screen.findByTestId('chat-item');
    fake.app['ListChats']!.mockResolvedValue([]);
    await fireEvent.click(within(item).getByTestId('delete-chat'));
    expect(fake.app['DeleteChat']).toHaveBeenCalledWith(1);
    expect(await screen.findByTestId('undo-toast')).toHaveTextContent('First chat');
    await waitFor(() => expect(screen.queryByTestId('chat-item')).toBeNull());
    fake.app['ListChats']!.mockResolvedValue([summary()]);
    fake.app['UndoDeleteChat']!.mockResolvedValue(summary());
    await fireEvent.click(screen.getByTestId('undo-delete'));
    expect(fake.app['UndoDeleteChat']).toHaveBeenCalledWith(1);
    expect(await screen.findByTestId('chat-item')).toBeInTheDocument();
    expect(screen.queryByTestId('undo-toast')).toBeNull();
  });

  it('renames inline and pins', async () => {
    fake.app['ListChats']!.mockResolvedValue([summary()]);
    fake.app['RenameChat']!.mockResolvedValue(summary({ title: 'Renamed' }));
    fake.app['PinChat']!.mockResolvedValue(summary({ pinned: true }));
    render(ChatsPage);
    const item = await screen.findByTestId('chat-item');
    await fireEvent.click(within(item).getByTestId('rename-chat'));
    const input = screen.getByTestId('rename-input');
    await userEvent.clear(input);
    await userEvent.type(input, 'Renamed{Enter}');
    expect(fake.app['RenameChat']).toHaveBeenCalledWith(1, 'Renamed');
    await fireEvent.click(within(screen.getByTestId('chat-item')).getByTestId('pin-chat'));
    expect(fake.app['PinChat']).toHaveBeenCalledWith(1, true);
  });

  it('Ctrl+N starts a new chat with the picked model', async () => {
    fake.app['NewChat']!.mockResolvedValue(chatView([], { id: 3 }));
    render(ChatsPage);
    await waitFor(() => expect(screen.getByTestId('model-picker')).toHaveValue(JSON.stringify([HOST, 'tiny:latest'])));
    await fireEvent.change(screen.getByTestId('model-picker'), { target: { value: JSON.stringify([HOST, 'eyes:latest']) } });
    expect(screen.getAllByTestId('capability').map((b) => b.dataset['cap'])).toEqual(['vision', 'thinking']);
    expect(screen.getByTestId('attach')).toBeInTheDocument();
    await userEvent.keyboard('{Control>}n{/Control}');
    expect(fake.app['NewChat']).toHaveBeenCalledWith(HOST, 'eyes:latest');
  });
});

describe('settings and presets', () => {
  it('saves settings and shows preset name errors inline', async () => {
    await openChat();
    await fireEvent.click(screen.getByTestId('chat-settings'));
    const temp = screen.getByTestId('setting-temperature');
    await userEvent.type(temp, '3');
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect(screen.getByTestId('settings-error')).toHaveTextContent('temperature must be a number from 0 to 2');
    expect(fake.app['UpdateChatSettings']).not.toHaveBeenCalled();

    await userEvent.clear(temp);
    await userEvent.type(temp, '0.4');
    fake.app['UpdateChatSettings']!.mockResolvedValue(chatView([user]));
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect(fake.app['UpdateChatSettings']).toHaveBeenCalledWith(1, expect.objectContaining({ temperature: 0.4, topP: null }));

    fake.app['SavePreset']!.mockRejectedValue('preset name "Terse" is already used');
    await userEvent.type(screen.getByTestId('preset-name'), 'Terse');
    await fireEvent.click(screen.getByTestId('preset-save'));
    expect(await screen.findByTestId('preset-error')).toHaveTextContent('preset name "Terse" is already used');
  });
});

describe('thinking toggle', () => {
  it('shows for thinking models and saves think with the chat settings', async () => {
    const v = chatView([user], { model: 'eyes:latest' });
    fake.app['ListChats']!.mockResolvedValue([summary({ model: 'eyes:latest' })]);
    fake.app['GetChat']!.mockResolvedValue(v);
    fake.app['UpdateChatSettings']!.mockResolvedValue({ ...v, settings: { ...v.settings, think: true } });
    render(ChatsPage);
    await fireEvent.click(within(await screen.findByTestId('chat-item')).getByRole('button', { name: /First chat/ }));
    const toggle = await screen.findByTestId('think-toggle');
    expect(toggle).not.toBeChecked();
    await fireEvent.click(toggle);
    expect(fake.app['UpdateChatSettings']).toHaveBeenCalledWith(1, expect.objectContaining({ think: true }));
    await waitFor(() => expect(screen.getByTestId('think-toggle')).toBeChecked());
  });

  it('is absent for models without thinking', async () => {
    await openChat();
    expect(screen.queryByTestId('think-toggle')).toBeNull();
  });
});

describe('chatShortcut', () => {
  const key = (k: string, o: KeyboardEventInit = {}) => new KeyboardEvent('keydown', { key: k, ...o });
  it.each([
    [key('k', { ctrlKey: true }), false, 'search'],
    [key('K', { ctrlKey: true }), false, 'search'],
    [key('n', { ctrlKey: true }), false, 'new'],
    [key('n', { metaKey: true }), true, 'new'],
    [key('n', { ctrlKey: true }), true, null],
    [key('n', { metaKey: true }), false, null],
    [key('k', { ctrlKey: true, shiftKey: true }), false, null],
    [key('Escape'), false, 'stop'],
    [key('Enter'), false, null],
  ])('%#', (e, mac, want) => {
    expect(chatShortcut(e, mac)).toBe(want);
  });
});

describe('switching chats while an answer streams', () => {
  it('reloads an answer opened mid-stream once it is done', async () => {
    fake.app['ListChats']!.mockResolvedValue([summary(), summary({ id: 2, title: 'Other' })]);
    fake.app['NewChat']!.mockResolvedValue(chatView([]));
    fake.app['Send']!.mockResolvedValue(started());
    render(ChatsPage);
    await waitFor(() => expect(screen.getByTestId('send')).toBeInTheDocument());
    await userEvent.type(screen.getByTestId('composer'), 'Q{Enter}');
    fake.emit(streamEvent({ content: 'one ' }));
    await waitFor(() => expect(messageEl(2)).toHaveTextContent('one'));

    // Away to another chat: batches of chat 1 keep coming but are not shown.
    fake.app['GetChat']!.mockResolvedValueOnce(chatView([msg({ id: 10, chatId: 2, content: 'other' })], { id: 2, title: 'Other' }));
    await fireEvent.click(within(screen.getAllByTestId('chat-item')[1]!).getByRole('button', { name: /Other/ }));
    await waitFor(() => expect(messageEl(10)).toBeInTheDocument());
    fake.emit(streamEvent({ content: 'two ' }));

    // Back: the store has "one " only (it lags); later batches append to it,
    // and the final reload brings the stored full text.
    fake.app['GetChat']!.mockResolvedValueOnce(chatView([user, { ...placeholder, content: 'one ' }]));
    await fireEvent.click(within(screen.getAllByTestId('chat-item')[0]!).getByRole('button', { name: /First chat/ }));
    await waitFor(() => expect(screen.getByTestId('stop')).toBeInTheDocument());
    fake.emit(streamEvent({ content: 'three' }));
    await waitFor(() => expect(messageEl(2)).toHaveTextContent('one three'));
    fake.app['GetChat']!.mockResolvedValueOnce(chatView([user, msg({ id: 2, parentId: 1, role: 'assistant', content: 'one two three' })]));
    fake.emit(streamEvent({ done: true, status: 'complete' }));
    await waitFor(() => expect(messageEl(2)).toHaveTextContent('one two three'));
    expect(screen.queryByTestId('stop')).toBeNull();
  });
});
