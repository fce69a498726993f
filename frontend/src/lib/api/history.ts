// History search over chats and compare runs (Go: app/desktop/history.go,
// backend/history). Snippets are plain text with U+0002 … U+0003 around
// the matched terms; render them with renderSnippet, never as HTML.

import { invokeApp } from '../api';

export type HistoryKind = 'chat' | 'compare';

export interface HistoryHit {
  kind: HistoryKind;
  /** Chat hits. */
  chatId: number;
  messageId: number;
  /** Compare hits: the run, and the turn whose text matched. */
  runId: number;
  turn: number;
  /** The chat's title, or the run's first prompt. */
  title: string;
  role: string;
  snippet: string;
  createdAt: string;
}

/** Chat messages and compare texts matching query, most relevant first; never null. */
export async function searchHistory(query: string, limit: number): Promise<HistoryHit[]> {
  const hits = await invokeApp<HistoryHit[] | null>('SearchHistory', [query, limit]);
  return Array.isArray(hits) ? hits : [];
}
