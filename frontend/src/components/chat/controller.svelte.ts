// The Chats page's state: the chat list, the open chat, the models, and the
// live streams. Stream batches (`chat:stream`) are deltas; they are applied in
// arrival order to the message they name. Batches that arrive before the
// Send/Regenerate call has returned its StreamStart are held and replayed.

import { errorMessage } from '../../lib/api';
import * as api from '../../lib/api/chat';
import type {
  Attachment,
  ChatSettings,
  ChatSummary,
  ChatView,
  ImageInput,
  Message,
  ModelOption,
  Preset,
  StreamEvent,
  StreamStart,
} from '../../lib/api/chat';
import { sameModel } from './format';

/** A model picked in the UI, as host + name. */
export interface ModelRef {
  host: string;
  name: string;
}

/** How long a deleted chat can be brought back from the toast. */
export const UNDO_MS = 8000;

export class ChatController {
  chats = $state<ChatSummary[]>([]);
  models = $state<ModelOption[]>([]);
  modelsError = $state('');
  view = $state<ChatView | null>(null);
  /** Model for the next new chat (and the open chat's model once open). */
  selected = $state<ModelRef | null>(null);
  error = $state('');
  presets = $state<Preset[]>([]);
  /** A chat just deleted, offered for undo. */
  deleted = $state<ChatSummary | null>(null);
  /** Message to scroll to and flash (search results). */
  focusId = $state<number | null>(null);
  /** Stream ids of the open chat that are still running, by message id. */
  running = $state<Record<number, string>>({});

  private pending = new Map<string, StreamEvent[]>();
  /** Messages opened mid-stream: their stored text may lag, so reload when done. */
  private stale = new Set<number>();
  private known = new Map<string, number>(); // streamId -> chatId
  private off: (() => void) | null = null;
  private undoTimer: ReturnType<typeof setTimeout> | null = null;

  /** Subscribe to streams and load the list and the models. */
  async start(): Promise<void> {
    this.off = api.onChatStream((e) => this.onStream(e));
    await Promise.all([this.refreshChats(), this.loadModels(), this.loadPresets()]);
    if (!this.selected && this.chats.length) {
      const recent = [...this.chats].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
      if (recent) this.selected = { host: recent.host, name: recent.model };
    }
    if (!this.selected && this.models[0]) this.selected = { host: this.models[0].host, name: this.models[0].name };
  }

  stop(): void {
    this.off?.();
    this.off = null;
    if (this.undoTimer) clearTimeout(this.undoTimer);
  }

  /** The ModelOption of the selected model, if it is installed. */
  get selectedModel(): ModelOption | undefined {
    const s = this.selected;
    return s ? this.models.find((m) => m.host === s.host && sameModel(m.name, s.name)) : undefined;
  }

  can(capability: string): boolean {
    return this.selectedModel?.capabilities.includes(capability) ?? false;
  }

  /** True while an answer of the open chat is streaming. */
  get streaming(): boolean {
    return Object.keys(this.running).length > 0;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      this.error = '';
      return await fn();
    } catch (err) {
      this.error = errorMessage(err);
      return undefined;
    }
  }

  async refreshChats(): Promise<void> {
    await this.guard(async () => {
      this.chats = await api.listChats();
    });
  }

  async loadModels(): Promise<void> {
    try {
      this.models = await api.chatModels();
      this.modelsError = '';
    } catch (err) {
      this.modelsError = errorMessage(err);
    }
  }

  async loadPresets(): Promise<void> {
    try {
      this.presets = await api.presets();
    } catch {
      this.presets = [];
    }
  }

  private setView(v: ChatView): void {
    this.view = v;
    this.selected = { host: v.chat.host, name: v.chat.model };
    const running: Record<number, string> = {};
    for (const [sid, chatId] of this.known) {
      if (chatId !== v.chat.id) continue;
      const m = v.messages.find((x) => x.status === 'streaming' && this.streamOf(x.id) === sid);
      if (m) running[m.id] = sid;
    }
    this.running = running;
  }

  private messageStreams = new Map<number, string>(); // messageId -> streamId

  private streamOf(messageId: number): string | undefined {
    return this.messageStreams.get(messageId);
  }

  async open(id: number, focusMessage: number | null = null): Promise<void> {
    await this.guard(async () => {
      const v = await api.getChat(id);
      this.setView(v);
      for (const m of v.messages) if (this.running[m.id]) this.stale.add(m.id);
      this.focusId = focusMessage;
    });
  }

  /** Leave the open chat; the next send starts a new one with the selected model. */
  blank(): void {
    this.view = null;
    this.running = {};
    this.focusId = null;
  }

  /** Start a new chat with the selected model (or the last used one). */
  async newChat(): Promise<void> {
    const s = this.selected;
    await this.guard(async () => {
      this.setView(await api.newChat(s?.host ?? '', s?.name ?? ''));
      await this.refreshChats();
    });
  }

  /** Pick a model: an empty or absent chat just changes; a chat with messages starts a new one. */
  async pickModel(ref: ModelRef): Promise<void> {
    this.selected = ref;
    const v = this.view;
    if (v && (v.chat.host !== ref.host || !sameModel(v.chat.model, ref.name))) await this.newChat();
  }

  private begin(s: StreamStart): void {
    const chatId = s.chat.chat.id;
    this.known.set(s.streamId, chatId);
    const placeholder = [...s.chat.messages].reverse().find((m) => m.role === 'assistant' && m.status === 'streaming');
    if (placeholder) this.messageStreams.set(placeholder.id, s.streamId);
    this.setView(s.chat);
    const early = this.pending.get(s.streamId) ?? [];
    this.pending.delete(s.streamId);
    for (const e of early) this.onStream(e);
    void this.refreshChats();
  }

  /** Send text (and images) in the open chat, creating the chat first if needed. */
  async send(text: string, images: ImageInput[] = []): Promise<boolean> {
    const ok = await this.guard(async () => {
      if (!this.view) {
        const s = this.selected;
        this.setView(await api.newChat(s?.host ?? '', s?.name ?? ''));
      }
      this.begin(await api.send(this.view!.chat.id, text, images));
      return true;
    });
    return ok ?? false;
  }

  async regenerate(m: Message): Promise<void> {
    await this.guard(async () => this.begin(await api.regenerate(m.id)));
  }

  async retry(m: Message): Promise<void> {
    await this.guard(async () => this.begin(await api.retry(m.id)));
  }

  async edit(m: Message, text: string): Promise<void> {
    await this.guard(async () => this.begin(await api.editMessage(m.id, text)));
  }

  /** Stop every running answer of the open chat. */
  async stopAll(): Promise<void> {
    const ids = Object.values(this.running);
    await this.guard(async () => {
      await Promise.all(ids.map((sid) => api.stop(sid)));
    });
  }

  async switchBranch(messageId: number): Promise<void> {
    await this.guard(async () => this.setView(await api.switchBranch(messageId)));
  }

  async deleteMessage(m: Message): Promise<void> {
    await this.guard(async () => {
      this.setView(await api.deleteMessage(m.id));
      await this.refreshChats();
    });
  }

  async rename(id: number, title: string): Promise<void> {
    await this.guard(async () => {
      const s = await api.renameChat(id, title);
      this.replaceSummary(s);
      await this.refreshChats();
    });
  }

  async pin(id: number, pinned: boolean): Promise<void> {
    await this.guard(async () => {
      this.replaceSummary(await api.pinChat(id, pinned));
      await this.refreshChats();
    });
  }

  private replaceSummary(s: ChatSummary): void {
    if (this.view?.chat.id === s.id) this.view.chat = s;
  }

  async remove(c: ChatSummary): Promise<void> {
    await this.guard(async () => {
      await api.deleteChat(c.id);
      if (this.view?.chat.id === c.id) this.blank();
      this.deleted = c;
      if (this.undoTimer) clearTimeout(this.undoTimer);
      this.undoTimer = setTimeout(() => (this.deleted = null), UNDO_MS);
      await this.refreshChats();
    });
  }

  async undoRemove(): Promise<void> {
    const c = this.deleted;
    if (!c) return;
    this.deleted = null;
    await this.guard(async () => {
      await api.undoDeleteChat(c.id);
      await this.refreshChats();
    });
  }

  async saveSettings(settings: ChatSettings): Promise<boolean> {
    const v = this.view;
    if (!v) return false;
    const ok = await this.guard(async () => {
      const next = await api.updateChatSettings(v.chat.id, settings);
      // Keep the messages on screen: a running stream may be ahead of the store.
      if (this.view?.chat.id === next.chat.id) {
        this.view.settings = next.settings;
        this.view.context = next.context;
        this.view.chat = next.chat;
      }
      return true;
    });
    return ok ?? false;
  }

  /**
   * Replace the open chat's attached collections and files (creating the
   * chat first when none is open). The returned view replaces the chat,
   * except while an answer streams: then only the attachments change, as
   * the stream may be ahead of the store. Rejects with Go's error, for the
   * caller to show where the person acted.
   */
  async setAttachments(attachments: Attachment[]): Promise<void> {
    if (!this.view) {
      const s = this.selected;
      this.setView(await api.newChat(s?.host ?? '', s?.name ?? ''));
      void this.refreshChats();
    }
    const id = this.view!.chat.id;
    const next = await api.setChatAttachments(id, attachments);
    if (this.view?.chat.id !== id) return;
    if (this.streaming) this.view.attachments = next.attachments;
    else this.setView(next);
  }

  /** Apply one batch of a stream to the open chat (or hold it until its StreamStart). */
  onStream(e: StreamEvent): void {
    if (!this.known.has(e.streamId)) {
      const list = this.pending.get(e.streamId) ?? [];
      list.push(e);
      this.pending.set(e.streamId, list);
      return;
    }
    this.messageStreams.set(e.messageId, e.streamId);
    const v = this.view;
    if (v && v.chat.id === e.chatId) {
      const m = v.messages.find((x) => x.id === e.messageId);
      if (m) {
        if (e.content) m.content += e.content;
        if (e.thinking) m.thinking += e.thinking;
        m.status = e.status || m.status;
        if (e.error) m.error = e.error;
        if (e.metrics) m.metrics = e.metrics;
        if (e.retrieval) m.retrieval = api.normalizeRetrieval(e.retrieval);
      }
      if (e.droppedTurns > 0) v.context.droppedTurns = e.droppedTurns;
      if (e.done) {
        const { [e.messageId]: _gone, ...rest } = this.running;
        this.running = rest;
      } else if (this.running[e.messageId] !== e.streamId) {
        this.running = { ...this.running, [e.messageId]: e.streamId };
      }
    }
    if (e.done) {
      this.known.delete(e.streamId);
      this.messageStreams.delete(e.messageId);
      if (this.stale.delete(e.messageId) && this.view?.chat.id === e.chatId) void this.reload(e.chatId);
      void this.refreshChats();
    }
  }

  private async reload(id: number): Promise<void> {
    await this.guard(async () => {
      const v = await api.getChat(id);
      if (this.view?.chat.id === id) this.setView(v);
    });
  }
}
