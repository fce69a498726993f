// Typed wrappers of the chat contract (Go: app/desktop/chat.go). Every call
// goes through invokeApp, so it rejects with a plain Error naming the field
// or thing, and Go's null slices become empty arrays here.

import { invokeApp, onBackendEvent } from '../api';
import type { SearchHit } from './docs';

/** An installed model of a reachable host, with what it can do. */
export interface ModelOption {
  host: string;
  name: string;
  /** completion, tools, vision, thinking, embedding */
  capabilities: string[];
  contextLength: number;
  family: string;
  parameterSize: string;
}

/** Per-chat generation settings; null numbers mean "the model's default". */
export interface ChatSettings {
  systemPrompt: string;
  temperature: number | null;
  topP: number | null;
  seed: number | null;
  numCtx: number | null;
  keepAlive: string;
  think: boolean;
}

export interface ChatSummary {
  id: number;
  title: string;
  host: string;
  model: string;
  pinned: boolean;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
}

/** Ollama's timing figures for one answer. */
export interface Metrics {
  ttftMs: number;
  loadMs: number;
  promptTokens: number;
  promptMs: number;
  outputTokens: number;
  outputMs: number;
  tokensPerSec: number;
  totalMs: number;
}

export type MessageStatus = 'complete' | 'streaming' | 'incomplete' | 'error';

export interface MessageImage {
  id: number;
  mime: string;
  dataUrl: string;
}

export interface Message {
  id: number;
  chatId: number;
  parentId: number | null;
  role: 'user' | 'assistant';
  content: string;
  thinking: string;
  model: string;
  status: MessageStatus;
  error: string;
  images: MessageImage[];
  metrics: Metrics | null;
  createdAt: string;
  siblingIds: number[];
  siblingIndex: number;
  /** What was retrieved for an answer that used documents; null otherwise. */
  retrieval: Retrieval | null;
}

export interface ContextInfo {
  numCtx: number;
  estimatedTokens: number;
  droppedTurns: number;
  note: string;
}

export interface ChatView {
  chat: ChatSummary;
  settings: ChatSettings;
  /** The current branch, root to leaf. */
  messages: Message[];
  context: ContextInfo;
  /** Collections and single files attached to the chat (never null here). */
  attachments: Attachment[];
}

export interface ImageInput {
  mime: string;
  base64: string;
}

export interface StreamStart {
  streamId: string;
  chat: ChatView;
}

export interface Preset {
  id: number;
  name: string;
  settings: ChatSettings;
}

/** One batch of a streaming answer (event `chat:stream`). */
export interface StreamEvent {
  streamId: string;
  chatId: number;
  messageId: number;
  content: string;
  thinking: string;
  done: boolean;
  status: MessageStatus;
  error: string;
  metrics: Metrics | null;
  droppedTurns: number;
  /**
   * Set once per stream, as soon as retrieval finished and before the first
   * text delta (content "" in that event); null or absent otherwise.
   */
  retrieval?: Retrieval | null;
}

/** A collection (file "") or one file of it, attached to a chat. */
export interface Attachment {
  collection: string;
  /** "" for the whole collection, else an absolute path of one of its files. */
  file: string;
}

/** One retrieved chunk with its scores, its collection and whether it was sent (Go: rag.Retrieved). */
export interface Retrieved extends SearchHit {
  collection: string;
  /** File name with page or section, as the model was told. */
  label: string;
  /** The [n] the model was told to cite; 0: not sent. */
  n: number;
  sent: boolean;
}

export type RetrievalMode = 'hybrid' | 'keyword' | 'mixed';

/** What was retrieved for one question and what of it was sent (Go: rag.Retrieval). */
export interface Retrieval {
  query: string;
  mode: RetrievalMode;
  notices: string[];
  numCtx: number;
  /** Tokens the sources could use. */
  budget: number;
  /** Estimate of the prompt sent. */
  tokens: number;
  /** Some retrieved chunks did not fit. */
  cut: boolean;
  sources: Retrieved[];
}

/** A chunk with the text around it, for the source viewer (Go: rag.ChunkContext). */
export interface ChunkContext {
  chunkId: number;
  collection: string;
  file: string;
  format: string;
  title?: string;
  page?: number;
  endPage?: number;
  section?: string;
  text: string;
  before: string;
  after: string;
  /** False when the file is no longer at its path (the indexed text is still shown). */
  fileExists: boolean;
}

/** The documents prompt template (Go: chat.TemplateInfo). */
export interface TemplateInfo {
  template: string;
  default: string;
  isDefault: boolean;
}

export type ExportFormat = 'md' | 'json';

/** Calls that may wait on Ollama (model load, /api/show) get more time. */
const SLOW_MS = 60_000;

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** Fill a retrieval's slices Go may send as null; null stays null. */
export function normalizeRetrieval(r: Retrieval | null | undefined): Retrieval | null {
  if (!r) return null;
  return { ...r, notices: list(r.notices), sources: list(r.sources) };
}

/** Fill the slices Go may send as null, so the UI never checks for them. */
export function normalizeMessage(m: Message): Message {
  return {
    ...m,
    images: list(m.images),
    siblingIds: list(m.siblingIds),
    thinking: m.thinking ?? '',
    content: m.content ?? '',
    error: m.error ?? '',
    retrieval: normalizeRetrieval(m.retrieval),
  };
}

export function normalizeView(v: ChatView): ChatView {
  return {
    ...v,
    messages: list(v.messages).map(normalizeMessage),
    context: v.context ?? { numCtx: 0, estimatedTokens: 0, droppedTurns: 0, note: '' },
    attachments: list(v.attachments),
  };
}

function start(s: StreamStart): StreamStart {
  return { streamId: s.streamId, chat: normalizeView(s.chat) };
}

export async function chatModels(): Promise<ModelOption[]> {
  return list(await invokeApp<ModelOption[]>('ChatModels', [], SLOW_MS)).map((m) => ({
    ...m,
    capabilities: list(m.capabilities),
  }));
}

export async function listChats(): Promise<ChatSummary[]> {
  return list(await invokeApp<ChatSummary[]>('ListChats'));
}

export async function getChat(id: number): Promise<ChatView> {
  return normalizeView(await invokeApp<ChatView>('GetChat', [id]));
}

export async function newChat(host: string, model: string): Promise<ChatView> {
  return normalizeView(await invokeApp<ChatView>('NewChat', [host, model], SLOW_MS));
}

export async function send(chatId: number, text: string, images: ImageInput[]): Promise<StreamStart> {
  return start(await invokeApp<StreamStart>('Send', [chatId, text, images], SLOW_MS));
}

export async function regenerate(assistantMessageId: number): Promise<StreamStart> {
  return start(await invokeApp<StreamStart>('Regenerate', [assistantMessageId], SLOW_MS));
}

export async function editMessage(userMessageId: number, text: string): Promise<StreamStart> {
  return start(await invokeApp<StreamStart>('EditMessage', [userMessageId, text], SLOW_MS));
}

export async function retry(assistantMessageId: number): Promise<StreamStart> {
  return start(await invokeApp<StreamStart>('Retry', [assistantMessageId], SLOW_MS));
}

export async function stop(streamId: string): Promise<void> {
  await invokeApp<void>('Stop', [streamId]);
}

export async function switchBranch(messageId: number): Promise<ChatView> {
  return normalizeView(await invokeApp<ChatView>('SwitchBranch', [messageId]));
}

export async function deleteMessage(messageId: number): Promise<ChatView> {
  return normalizeView(await invokeApp<ChatView>('DeleteMessage', [messageId]));
}

export async function renameChat(id: number, title: string): Promise<ChatSummary> {
  return invokeApp<ChatSummary>('RenameChat', [id, title]);
}

export async function pinChat(id: number, pinned: boolean): Promise<ChatSummary> {
  return invokeApp<ChatSummary>('PinChat', [id, pinned]);
}

export async function deleteChat(id: number): Promise<void> {
  await invokeApp<void>('DeleteChat', [id]);
}

export async function undoDeleteChat(id: number): Promise<ChatSummary> {
  return invokeApp<ChatSummary>('UndoDeleteChat', [id]);
}

export async function updateChatSettings(id: number, settings: ChatSettings): Promise<ChatView> {
  return normalizeView(await invokeApp<ChatView>('UpdateChatSettings', [id, settings]));
}

export async function exportChat(id: number, format: ExportFormat): Promise<string> {
  return invokeApp<string>('ExportChat', [id, format]);
}

/** Opens the native save dialog; "" when the person cancelled it. */
export async function saveChatExport(id: number, format: ExportFormat): Promise<string> {
  // The dialog waits on a person, so no short timeout.
  return invokeApp<string>('SaveChatExport', [id, format], 30 * 60_000);
}

export async function importChat(json: string): Promise<ChatSummary> {
  return invokeApp<ChatSummary>('ImportChat', [json], SLOW_MS);
}

export async function presets(): Promise<Preset[]> {
  return list(await invokeApp<Preset[]>('Presets'));
}

export async function savePreset(p: Preset): Promise<Preset> {
  return invokeApp<Preset>('SavePreset', [p]);
}

export async function deletePreset(id: number): Promise<void> {
  await invokeApp<void>('DeletePreset', [id]);
}

/** Open an http/https/mailto link in the system browser (Go refuses others). */
export async function openLink(url: string): Promise<void> {
  await invokeApp<void>('OpenLink', [url]);
}

/** Replace the chat's attached collections and files; returns the chat. */
export async function setChatAttachments(chatId: number, attachments: Attachment[]): Promise<ChatView> {
  return normalizeView(await invokeApp<ChatView>('SetChatAttachments', [chatId, attachments]));
}

/** A chunk with the text of its neighbours, for the source viewer. */
export async function sourceContext(chunkId: number): Promise<ChunkContext> {
  const c = await invokeApp<ChunkContext>('SourceContext', [chunkId]);
  return { ...c, text: c.text ?? '', before: c.before ?? '', after: c.after ?? '' };
}

/** Open a file of a collection in the system's default app (Go refuses other paths). */
export async function openDocument(path: string): Promise<void> {
  await invokeApp<void>('OpenDocument', [path]);
}

export async function docsPromptTemplate(): Promise<TemplateInfo> {
  return invokeApp<TemplateInfo>('DocsPromptTemplate');
}

/** Store the documents prompt template; "" restores the default. Invalid ones are refused. */
export async function setDocsPromptTemplate(text: string): Promise<TemplateInfo> {
  return invokeApp<TemplateInfo>('SetDocsPromptTemplate', [text]);
}

/** Subscribe to every `chat:stream` batch; returns the unsubscribe function. */
export function onChatStream(cb: (e: StreamEvent) => void): () => void {
  return onBackendEvent<StreamEvent>('chat:stream', cb);
}
