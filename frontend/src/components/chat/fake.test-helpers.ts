// A fake Wails bridge for the chat tests: every bound method is a vi.fn on
// window.go.desktop.App, and emit() delivers `chat:stream` events the way
// window.runtime.EventsOn would.

import { vi } from 'vitest';
import type {
  Attachment, ChatSummary, ChatView, Message, ModelOption, Retrieval, Retrieved, StreamEvent,
} from '../../lib/api/chat';

export const HOST = 'http://127.0.0.1:11434';

export function summary(over: Partial<ChatSummary> = {}): ChatSummary {
  return {
    id: 1, title: 'First chat', host: HOST, model: 'tiny:latest', pinned: false,
    createdAt: '2026-11-29T10:00:00Z', updatedAt: '2026-11-29T10:00:00Z', messageCount: 0, ...over,
  };
}

export function msg(over: Partial<Message> = {}): Message {
  return {
    id: 1, chatId: 1, parentId: null, role: 'user', content: 'hi', thinking: '', model: '',
    status: 'complete', error: '', images: [], metrics: null, createdAt: '2026-11-29T10:00:00Z',
    siblingIds: [over.id ?? 1], siblingIndex: 0, retrieval: null, ...over,
  };
}

export function chatView(messages: Message[] = [], over: Partial<ChatSummary> = {}, attachments: Attachment[] = []): ChatView {
  return {
    chat: summary({ messageCount: messages.length, ...over }),
    settings: { systemPrompt: '', temperature: null, topP: null, seed: null, numCtx: null, keepAlive: '', think: false },
    messages,
    context: { numCtx: 8192, estimatedTokens: 10, droppedTurns: 0, note: '' },
    attachments,
  };
}

export const MODELS: ModelOption[] = [
  { host: HOST, name: 'tiny:latest', capabilities: ['completion'], contextLength: 2048, family: 'llama', parameterSize: '1M' },
  { host: HOST, name: 'eyes:latest', capabilities: ['completion', 'vision', 'thinking'], contextLength: 8192, family: 'gemma3', parameterSize: '4B' },
];

export function streamEvent(over: Partial<StreamEvent>): StreamEvent {
  return {
    streamId: 's1', chatId: 1, messageId: 2, content: '', thinking: '', done: false,
    status: 'streaming', error: '', metrics: null, droppedTurns: 0, retrieval: null, ...over,
  };
}

/** A retrieved chunk shaped like rag.Retrieved's JSON. */
export function source(over: Partial<Retrieved> = {}): Retrieved {
  const id = over.chunkId ?? 11;
  return {
    chunkId: id, file: '/home/sara/docs/guide.pdf', format: 'pdf', page: 3, start: 0, end: 120, tokens: 42,
    text: `Chunk ${id} text about solar panels.`, vectorScore: 0.8123, keywordScore: 4.25, vectorRank: 1,
    keywordRank: 2, fused: 0.03252, collection: 'manuals', label: 'guide.pdf, p. 3', n: 1, sent: true, ...over,
  };
}

/** A retrieval shaped like rag.Retrieval's JSON. */
export function retrieval(sources: Retrieved[], over: Partial<Retrieval> = {}): Retrieval {
  return {
    query: 'solar', mode: 'hybrid', notices: [], numCtx: 4096, budget: 3072, tokens: 900, cut: false, sources, ...over,
  };
}

type Fn = ReturnType<typeof vi.fn>;

/** Install the fake bridge; returns the method mocks and emit(). */
export function installFakeApp() {
  const listeners = new Map<string, ((...d: unknown[]) => void)[]>();
  const app: Record<string, Fn> = {};
  const methods = [
    'ChatModels', 'ListChats', 'GetChat', 'NewChat', 'Send', 'Regenerate', 'EditMessage', 'Retry', 'Stop',
    'SwitchBranch', 'DeleteMessage', 'RenameChat', 'PinChat', 'DeleteChat', 'UndoDeleteChat',
    'UpdateChatSettings', 'SearchHistory', 'ExportChat', 'SaveChatExport', 'ImportChat', 'Presets',
    'SavePreset', 'DeletePreset', 'OpenLink',
    'SetChatAttachments', 'SourceContext', 'OpenDocument', 'DocsPromptTemplate', 'SetDocsPromptTemplate',
    'Collections', 'CollectionFiles',
  ];
  for (const m of methods) app[m] = vi.fn().mockResolvedValue(null);
  app['ChatModels']!.mockResolvedValue(MODELS);
  app['ListChats']!.mockResolvedValue([]);
  app['Presets']!.mockResolvedValue([]);
  app['Collections']!.mockResolvedValue([]);
  app['CollectionFiles']!.mockResolvedValue([]);
  const w = window as unknown as Record<string, unknown>;
  w['go'] = { desktop: { App: app } };
  w['runtime'] = {
    EventsOn(name: string, cb: (...d: unknown[]) => void) {
      const l = listeners.get(name) ?? [];
      l.push(cb);
      listeners.set(name, l);
      return () => listeners.set(name, (listeners.get(name) ?? []).filter((x) => x !== cb));
    },
  };
  return {
    app,
    emit(e: StreamEvent) {
      for (const cb of listeners.get('chat:stream') ?? []) cb(e);
    },
    uninstall() {
      delete w['go'];
      delete w['runtime'];
    },
  };
}
