// Documents in the chat window: attaching collections and files, the
// retrieval event of a stream, citations, the sources panel and the viewer.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Attachment, Message, StreamStart } from '../../lib/api/chat';
import { NAVIGATE_EVENT } from '../../lib/nav';
import ChatsPage from './ChatsPage.svelte';
import { chatView, installFakeApp, msg, retrieval, source, streamEvent, summary } from './fake.test-helpers';

let fake: ReturnType<typeof installFakeApp>;

beforeEach(() => {
  fake = installFakeApp();
});
afterEach(() => fake.uninstall());

const COLLECTIONS = [
  { id: 1, name: 'manuals', embedModel: 'nomic-embed-text', embedHost: '', createdAt: '', updatedAt: '', files: 2, chunks: 40 },
  { id: 2, name: 'papers', embedModel: '', embedHost: '', createdAt: '', updatedAt: '', files: 1, chunks: 1 },
];

function docFile(id: number, path: string, over: Record<string, unknown> = {}) {
  return {
    id, collectionId: 2, path, size: 100, mtimeNs: 0, hash: '', state: 'indexed', error: '', format: 'pdf',
    title: '', pages: 3, chunkCount: 7, indexedAt: '', ...over,
  };
}

const user = msg({ id: 1, role: 'user', content: 'Which way?' });
const MANUALS: Attachment = { collection: 'manuals', file: '' };

async function openChat(messages: Message[] = [user], attachments: Attachment[] = []) {
  fake.app['ListChats']!.mockResolvedValue([summary({ messageCount: messages.length })]);
  fake.app['GetChat']!.mockResolvedValue(chatView(messages, {}, attachments));
  render(ChatsPage);
  const item = await screen.findByTestId('chat-item');
  await fireEvent.click(within(item).getByRole('button', { name: /First chat/ }));
  await waitFor(() => expect(screen.getByTestId('chat-title')).toHaveTextContent('First chat'));
}

function messageEl(id: number): HTMLElement {
  const el = screen.getAllByTestId('message').find((m) => m.dataset['id'] === String(id));
  if (!el) throw new Error(`no message ${id}`);
  return el;
}

function collectionRow(name: string): HTMLElement {
  const el = screen.getAllByTestId('attach-collection').find((r) => r.dataset['name'] === name);
  if (!el) throw new Error(`no collection row ${name}`);
  return el;
}

describe('attaching documents', () => {
  it('attaches a whole collection and single files, shows chips, and detaches', async () => {
    fake.app['Collections']!.mockResolvedValue(COLLECTIONS);
    fake.app['CollectionFiles']!.mockResolvedValue([docFile(5, '/home/sara/papers/a.pdf'), docFile(6, '/home/sara/papers/b.pdf', { title: 'Paper B' })]);
    await openChat();
    expect(screen.queryByTestId('attachment-chips')).toBeNull();

    await fireEvent.click(screen.getByTestId('docs-attach'));
    await screen.findAllByTestId('attach-collection');
    const manuals = collectionRow('manuals');
    expect(manuals).toHaveTextContent('2 files · 40 chunks');
    expect(manuals).toHaveTextContent('hybrid');
    expect(collectionRow('papers')).toHaveTextContent('1 file · 1 chunk');
    expect(collectionRow('papers')).toHaveTextContent('keyword-only');

    await fireEvent.click(within(manuals).getByTestId('attach-collection-check'));
    await fireEvent.click(within(collectionRow('papers')).getByTestId('attach-expand'));
    expect(fake.app['CollectionFiles']).toHaveBeenCalledWith('papers');
    const files = await within(collectionRow('papers')).findAllByTestId('attach-file');
    expect(files.map((f) => f.dataset['path'])).toEqual(['/home/sara/papers/a.pdf', '/home/sara/papers/b.pdf']);
    expect(files[1]).toHaveTextContent('Paper B');
    await fireEvent.click(within(files[1]!).getByTestId('attach-file-check'));

    const chosen: Attachment[] = [MANUALS, { collection: 'papers', file: '/home/sara/papers/b.pdf' }];
    fake.app['SetChatAttachments']!.mockResolvedValue(chatView([user], {}, chosen));
    await fireEvent.click(screen.getByTestId('attach-apply'));
    expect(fake.app['SetChatAttachments']).toHaveBeenCalledWith(1, chosen);
    await waitFor(() => expect(screen.queryByTestId('attach-picker')).toBeNull());

    const chips = screen.getAllByTestId('attachment-chip');
    expect(chips.map((c) => [c.dataset['collection'], c.dataset['file']])).toEqual([['manuals', ''], ['papers', '/home/sara/papers/b.pdf']]);
    expect(chips[1]).toHaveTextContent('b.pdf');
    expect(screen.getByTestId('docs-attach')).toHaveTextContent('2');

    fake.app['SetChatAttachments']!.mockResolvedValue(chatView([user], {}, [chosen[1]!]));
    await fireEvent.click(within(chips[0]!).getByTestId('attachment-remove'));
    expect(fake.app['SetChatAttachments']).toHaveBeenLastCalledWith(1, [chosen[1]]);
    await waitFor(() => expect(screen.getAllByTestId('attachment-chip')).toHaveLength(1));
  });

  it('starts from the current attachments, and shows a refusal inside the picker', async () => {
    fake.app['Collections']!.mockResolvedValue(COLLECTIONS);
    await openChat([user], [MANUALS]);
    await fireEvent.click(screen.getByTestId('attachment-edit'));
    await screen.findAllByTestId('attach-collection');
    expect(within(collectionRow('manuals')).getByTestId('attach-collection-check')).toBeChecked();
    expect(within(collectionRow('papers')).getByTestId('attach-collection-check')).not.toBeChecked();

    await fireEvent.click(within(collectionRow('manuals')).getByTestId('attach-collection-check'));
    await fireEvent.click(within(collectionRow('papers')).getByTestId('attach-collection-check'));
    fake.app['SetChatAttachments']!.mockRejectedValue('collection "papers" does not exist');
    await fireEvent.click(screen.getByTestId('attach-apply'));
    expect(fake.app['SetChatAttachments']).toHaveBeenCalledWith(1, [{ collection: 'papers', file: '' }]);
    expect(await screen.findByTestId('attach-error')).toHaveTextContent('collection "papers" does not exist');
    expect(screen.getByTestId('attach-picker')).toBeInTheDocument();
    expect(screen.getAllByTestId('attachment-chip')).toHaveLength(1);
  });

  it('says when there are no collections and links to the Documents page', async () => {
    const nav = vi.fn();
    window.addEventListener(NAVIGATE_EVENT, nav);
    await openChat();
    await fireEvent.click(screen.getByTestId('docs-attach'));
    expect(await screen.findByTestId('attach-empty')).toHaveTextContent('no document collections yet');
    await fireEvent.click(screen.getByTestId('attach-go-documents'));
    expect(nav).toHaveBeenCalledTimes(1);
    expect((nav.mock.calls[0]![0] as CustomEvent).detail).toBe('documents');
    expect(screen.queryByTestId('attach-picker')).toBeNull();
    window.removeEventListener(NAVIGATE_EVENT, nav);
  });
});

const s1 = source({ chunkId: 11, n: 1, text: 'Panels <b>face</b> south.' });
const s2 = source({ chunkId: 12, n: 2, label: 'notes.md, Setup', file: '/home/sara/docs/notes.md', page: 0, section: 'Setup', keywordScore: null });
const s3 = source({ chunkId: 13, n: 0, sent: false, label: 'old.txt' });

describe('answers from documents', () => {
  it('shows the search, then the sources before any text, then linked citations', async () => {
    const placeholder = msg({ id: 2, parentId: 1, role: 'assistant', content: '', status: 'streaming', model: 'tiny:latest' });
    const start: StreamStart = { streamId: 's1', chat: chatView([user, placeholder], {}, [MANUALS]) };
    fake.app['Send']!.mockResolvedValue(start);
    await openChat([], [MANUALS]);
    expect(screen.getAllByTestId('attachment-chip')).toHaveLength(1);
    await userEvent.type(screen.getByTestId('composer'), 'Which way?{Enter}');
    await waitFor(() => expect(fake.app['Send']).toHaveBeenCalledWith(1, 'Which way?', []));
    const answer = await waitFor(() => messageEl(2));
    expect(within(answer).getByTestId('docs-searching')).toHaveTextContent('Searching your documents…');

    fake.emit(streamEvent({ retrieval: retrieval([s1, s2, s3], { notices: ['no embedding model: keyword search only'] }) }));
    await waitFor(() => expect(within(messageEl(2)).getByTestId('sources-summary')).toHaveTextContent('Searched your documents: 3 chunks from 1 collection, 2 sent'));
    expect(within(messageEl(2)).queryByTestId('docs-searching')).toBeNull();
    expect(within(messageEl(2)).getByTestId('sources-notice')).toHaveTextContent('keyword search only');
    expect(messageEl(2).querySelector('.markdown')?.textContent).toBe('');

    fake.emit(streamEvent({ content: 'Face south [2], tilt 30° [1][9].' }));
    fake.emit(streamEvent({ done: true, status: 'complete' }));
    await waitFor(() => expect(within(messageEl(2)).getAllByTestId('cite')).toHaveLength(2));
    const [c2, c1] = within(messageEl(2)).getAllByTestId('cite') as [HTMLElement, HTMLElement];
    expect(c2).toHaveAttribute('title', 'notes.md, Setup');
    expect(c1).toHaveAttribute('data-cite', '1');

    await fireEvent.click(c2);
    const rows = within(messageEl(2)).getAllByTestId('source-row');
    expect(within(messageEl(2)).getByTestId('sources-toggle')).toHaveAttribute('aria-expanded', 'true');
    expect(rows.map((r) => r.classList.contains('highlighted'))).toEqual([false, true, false]);
    await fireEvent.click(c1);
    expect(rows.map((r) => r.classList.contains('highlighted'))).toEqual([true, false, false]);
  });

  it('opens a source in the viewer with its context and opens the file', async () => {
    const answer = msg({ id: 2, parentId: 1, role: 'assistant', content: 'South [1].', retrieval: retrieval([s1, s3]) });
    await openChat([user, answer], [MANUALS]);
    fake.app['SourceContext']!.mockResolvedValue({
      chunkId: 11, collection: 'manuals', file: '/home/sara/docs/guide.pdf', format: 'pdf', page: 3,
      text: 'Panels <b>face</b> south.', before: 'Before text.', after: 'After text.', fileExists: true,
    });
    await fireEvent.click(within(messageEl(2)).getByTestId('sources-toggle'));
    await fireEvent.click(within(messageEl(2)).getAllByTestId('source-row')[0]!);
    expect(fake.app['SourceContext']).toHaveBeenCalledWith(11);
    const viewer = await screen.findByTestId('source-viewer');
    expect(await within(viewer).findByTestId('source-chunk')).toHaveTextContent('Panels <b>face</b> south.');
    expect(viewer.querySelector('b')).toBeNull();
    expect(within(viewer).getByTestId('source-before')).toHaveTextContent('Before text.');
    expect(within(viewer).getByTestId('source-after')).toHaveTextContent('After text.');
    expect(within(viewer).getByTestId('source-viewer-file')).toHaveTextContent('guide.pdf');
    expect(within(viewer).getByTestId('source-viewer-where')).toHaveTextContent('page 3');
    expect(within(viewer).queryByTestId('source-file-gone')).toBeNull();

    fake.app['OpenDocument']!.mockRejectedValueOnce('open /home/sara/docs/guide.pdf: no such file or directory');
    await fireEvent.click(within(viewer).getByTestId('source-open-file'));
    expect(fake.app['OpenDocument']).toHaveBeenCalledWith('/home/sara/docs/guide.pdf');
    expect(await within(viewer).findByTestId('source-open-error')).toHaveTextContent('no such file or directory');

    await fireEvent.keyDown(viewer, { key: 'Escape' });
    expect(screen.queryByTestId('source-viewer')).toBeNull();
  });

  it('says when the file is gone but still shows the indexed text', async () => {
    const answer = msg({ id: 2, parentId: 1, role: 'assistant', content: 'South [1].', retrieval: retrieval([s1]) });
    await openChat([user, answer]);
    fake.app['SourceContext']!.mockResolvedValue({
      chunkId: 11, collection: 'manuals', file: '/home/sara/docs/guide.pdf', format: 'pdf',
      text: 'Panels <b>face</b> south.', before: '', after: '', fileExists: false,
    });
    await fireEvent.click(within(messageEl(2)).getByTestId('cite'));
    await fireEvent.click(within(messageEl(2)).getByTestId('source-row'));
    const viewer = await screen.findByTestId('source-viewer');
    expect(await within(viewer).findByTestId('source-file-gone')).toHaveTextContent('no longer at this path');
    expect(within(viewer).getByTestId('source-chunk')).toHaveTextContent('Panels <b>face</b> south.');
    expect(within(viewer).getByTestId('source-open-file')).toBeDisabled();
  });

  it('shows the text that was sent when the index no longer holds that chunk as it was', async () => {
    const answer = msg({ id: 2, parentId: 1, role: 'assistant', content: 'South [1].', retrieval: retrieval([s1]) });
    await openChat([user, answer]);
    // The id now points at another chunk (the file was re-indexed since).
    fake.app['SourceContext']!.mockResolvedValue({
      chunkId: 11, collection: 'manuals', file: '/home/sara/docs/other.md', format: 'markdown',
      text: 'Something else entirely.', before: 'x', after: 'y', fileExists: true,
    });
    await fireEvent.click(within(messageEl(2)).getByTestId('cite'));
    await fireEvent.click(within(messageEl(2)).getByTestId('source-row'));
    const viewer = await screen.findByTestId('source-viewer');
    expect(await within(viewer).findByTestId('source-stale')).toHaveTextContent('changed in the index');
    expect(within(viewer).getByTestId('source-chunk')).toHaveTextContent('Panels <b>face</b> south.');
    expect(within(viewer).queryByText('Something else entirely.')).toBeNull();
    expect(within(viewer).getByTestId('source-viewer-file')).toHaveTextContent('guide.pdf');

    // A chunk that is gone altogether: the sent text too, not an error.
    await fireEvent.keyDown(viewer, { key: 'Escape' });
    fake.app['SourceContext']!.mockRejectedValueOnce('chunk 11: not found');
    await fireEvent.click(within(messageEl(2)).getByTestId('source-row'));
    const again = await screen.findByTestId('source-viewer');
    expect(await within(again).findByTestId('source-stale')).toBeInTheDocument();
    expect(within(again).queryByTestId('source-viewer-error')).toBeNull();
  });
});
