import { render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as md from '../../lib/markdown/render';
import Markdown from './Markdown.svelte';

vi.mock('../../lib/markdown/render', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/markdown/render')>();
  return { ...actual, renderMarkdown: vi.fn(actual.renderMarkdown) };
});

describe('Markdown while streaming', () => {
  it('renders at most once per frame, not once per delta', async () => {
    const spy = vi.mocked(md.renderMarkdown);
    const { container, rerender } = render(Markdown, { source: '', live: true });
    let text = '';
    for (let i = 0; i < 200; i++) {
      text += `word${i} `;
      await rerender({ source: text, live: true });
    }
    await waitFor(() => expect(container.textContent).toContain('word199'));
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThan(20);
  });

  it('renders at once when not live', async () => {
    const { container } = render(Markdown, { source: '**done**', live: false });
    expect(container.querySelector('strong')).toHaveTextContent('done');
  });

  it('adds a copy button to code blocks', async () => {
    const { container } = render(Markdown, { source: '```go\nx := 1\n```', live: false });
    expect(container.querySelector('.code-block button.code-copy')).toHaveTextContent('Copy');
  });
});
