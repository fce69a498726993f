import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { retrieval, source } from './fake.test-helpers';
import SourcesPanel from './SourcesPanel.svelte';

const sent = source({ chunkId: 11, n: 1, snippet: 'panels \u0002face\u0003 the \u0002sun\u0003' });
const vectorOnly = source({
  chunkId: 12, n: 2, label: 'notes.md, Setup', file: '/home/sara/docs/notes.md', page: 0, section: 'Setup',
  keywordScore: null, keywordRank: 0, snippet: '', vectorScore: 0.5, text: '<b>bold</b> <img src=x onerror=alert(1)> ' + 'x'.repeat(400),
});
const unsent = source({ chunkId: 13, n: 0, sent: false, label: 'old.txt', vectorScore: null, vectorRank: 0, fused: 0.01 });

function rows(): HTMLElement[] {
  return screen.getAllByTestId('source-row');
}

describe('SourcesPanel', () => {
  it('starts as one summary line with the mode and every notice visible', () => {
    const r = retrieval([sent, vectorOnly, unsent], {
      mode: 'keyword',
      notices: ['no embedding model for "manuals": keyword search only', '1 of 3 retrieved chunks did not fit in the 4096-token context and were not sent'],
    });
    render(SourcesPanel, { retrieval: r, onopen: vi.fn() });
    expect(screen.getByTestId('sources-summary')).toHaveTextContent('Searched your documents: 3 chunks from 1 collection, 2 sent');
    expect(screen.getByTestId('sources-mode')).toHaveTextContent('keyword-only');
    const notices = screen.getAllByTestId('sources-notice');
    expect(notices.map((n) => n.textContent)).toEqual([
      '⚠ no embedding model for "manuals": keyword search only',
      '⚠ 1 of 3 retrieved chunks did not fit in the 4096-token context and were not sent',
    ]);
    expect(screen.queryByTestId('source-row')).toBeNull();
    expect(screen.getByTestId('sources-toggle')).toHaveAttribute('aria-expanded', 'false');
  });

  it('lists every chunk with scores, ranks, tokens and a badge', async () => {
    render(SourcesPanel, { retrieval: retrieval([sent, vectorOnly, unsent]), onopen: vi.fn() });
    await fireEvent.click(screen.getByTestId('sources-toggle'));
    expect(screen.getByTestId('sources-budget')).toHaveTextContent('Prompt ~900 of 4096 context tokens (sources could use 3072)');
    const [a, b, c] = rows() as [HTMLElement, HTMLElement, HTMLElement];
    expect(rows().map((r) => r.dataset['sent'])).toEqual(['true', 'true', 'false']);
    expect(within(a).getByTestId('source-n')).toHaveTextContent('[1]');
    expect(within(a).getByTestId('source-label')).toHaveTextContent('guide.pdf, p. 3');
    expect(a).toHaveTextContent('manuals');
    expect(within(a).getByTestId('score-vector')).toHaveTextContent('0.812');
    expect(within(a).getByTestId('score-keyword')).toHaveTextContent('4.250');
    expect(within(a).getByTestId('score-fused')).toHaveTextContent('0.033');
    expect(within(a).getByTestId('source-scores')).toHaveTextContent('vector 0.812 (#1) keyword 4.250 (#2) fused 0.033 42 tokens');
    expect(within(b).getByTestId('score-keyword')).toHaveTextContent('—');
    expect(within(b).getByTestId('source-scores')).toHaveTextContent('keyword — (—)');
    expect(within(c).getByTestId('source-unsent')).toHaveTextContent('not sent');
    expect(within(c).queryByTestId('source-n')).toBeNull();
    expect(within(c).getByTestId('score-vector')).toHaveTextContent('—');
  });

  it('renders snippet hits as <mark> and document HTML as text', async () => {
    render(SourcesPanel, { retrieval: retrieval([sent, vectorOnly]), onopen: vi.fn(), open: true });
    const [a, b] = rows() as [HTMLElement, HTMLElement];
    const snip = within(a).getByTestId('source-snippet');
    expect([...snip.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['face', 'sun']);
    expect(snip.textContent?.trim()).toBe('panels face the sun');
    const text = within(b).getByTestId('source-snippet');
    expect(text.querySelector('b, img')).toBeNull();
    expect(text.textContent).toContain('<b>bold</b> <img src=x onerror=alert(1)>');
    expect(text.textContent!.trim().length).toBeLessThanOrEqual(201);
    expect(text.textContent!.trim().endsWith('…')).toBe(true);
  });

  it('highlights the focused source and opens a row in the viewer', async () => {
    const onopen = vi.fn();
    render(SourcesPanel, { retrieval: retrieval([sent, vectorOnly]), onopen, open: true, focus: { n: 2, seq: 1 } });
    const [a, b] = rows() as [HTMLElement, HTMLElement];
    expect(b).toHaveClass('highlighted');
    expect(a).not.toHaveClass('highlighted');
    await fireEvent.click(a);
    expect(onopen).toHaveBeenCalledWith(expect.objectContaining({ chunkId: 11 }));
  });

  it('leaves out the budget line when the prompt was not measured (an imported answer)', async () => {
    render(SourcesPanel, { retrieval: retrieval([sent], { tokens: 0 }), open: true, onopen: vi.fn() });
    expect(screen.getAllByTestId('source-row')).toHaveLength(1);
    expect(screen.queryByTestId('sources-budget')).toBeNull();
  });

  it('says when nothing matched', () => {
    render(SourcesPanel, { retrieval: retrieval([], { mode: 'mixed' }), onopen: vi.fn() });
    expect(screen.getByTestId('sources-summary')).toHaveTextContent('Searched your documents: nothing matched');
    expect(screen.getByTestId('sources-mode')).toHaveTextContent('mixed');
  });
});
