// Formatting for the sources panel and the source viewer: scores, ranks,
// locations, the one-line summary of a retrieval.

import type { ChunkContext, Retrieval, RetrievalMode, Retrieved } from '../../lib/api/chat';

/** A score with 3 decimals; "—" when the chunk was not in that list. */
export function score(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '—';
}

/** "#3", or "—" when absent (0). */
export function rank(v: number | null | undefined): string {
  return v ? `#${v}` : '—';
}

/** How the search ran, as a badge says it. */
export function modeLabel(mode: RetrievalMode | string): string {
  if (mode === 'hybrid') return 'hybrid';
  if (mode === 'keyword') return 'keyword-only';
  if (mode === 'mixed') return 'mixed';
  return mode || 'unknown';
}

/** "Searched your documents: 8 chunks from 2 collections, 5 sent". */
export function summaryLine(r: Retrieval): string {
  if (!r.sources.length) return 'Searched your documents: nothing matched';
  const collections = new Set(r.sources.map((s) => s.collection)).size;
  const sent = r.sources.filter((s) => s.sent).length;
  const c = collections === 1 ? '1 collection' : `${collections} collections`;
  const k = r.sources.length === 1 ? '1 chunk' : `${r.sources.length} chunks`;
  return `Searched your documents: ${k} from ${c}, ${sent} sent`;
}

/** "Prompt ~900 of 4096 context tokens (sources could use 3072)". */
export function budgetLine(r: Retrieval): string {
  if (!r.numCtx || !r.tokens) return ''; // not measured (an imported answer, say)
  return `Prompt ~${r.tokens} of ${r.numCtx} context tokens (sources could use ${r.budget})`;
}

/** The last part of a path, for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

type Located = Pick<ChunkContext, 'page' | 'endPage' | 'section'>;

/** "page 3", "pages 3–4", the section, both ("page 3 · Setup"), or "". */
export function location(c: Located): string {
  const parts: string[] = [];
  if (c.page) parts.push(c.endPage && c.endPage > c.page ? `pages ${c.page}–${c.endPage}` : `page ${c.page}`);
  if (c.section) parts.push(c.section);
  return parts.join(' · ');
}

/** The text a row shows: the keyword snippet, else the start of the chunk. */
export function excerpt(s: Retrieved, max = 200): string {
  if (s.snippet) return s.snippet;
  const t = s.text.replace(/\s+/g, ' ').trim();
  const chars = [...t];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : t;
}
