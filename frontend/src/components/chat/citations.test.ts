import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { citationLabels, citationParts } from './citations';
import { retrieval, source } from './fake.test-helpers';
import Markdown from './Markdown.svelte';

const SENT = new Map([
  [1, 'guide.pdf, p. 3'],
  [2, 'notes.md, Setup'],
]);

function cites(container: Element): string[] {
  return [...container.querySelectorAll<HTMLButtonElement>('button.cite')].map((b) => b.dataset['cite'] ?? '');
}

describe('citationParts', () => {
  it('links sent numbers and keeps the text as it was', () => {
    expect(citationParts('See [1] and [2, 7][2].', SENT)).toEqual([
      { text: 'See [' }, { n: 1 }, { text: '] and [' }, { n: 2 }, { text: ', 7][' }, { n: 2 }, { text: '].' },
    ]);
  });

  it('leaves groups with no sent number alone', () => {
    expect(citationParts('array[0] and [9] and [x]', SENT)).toEqual([{ text: 'array[0] and [9] and [x]' }]);
  });
});

describe('citationLabels', () => {
  it('maps only sent sources', () => {
    const r = retrieval([source({ chunkId: 1, n: 1 }), source({ chunkId: 2, n: 0, sent: false, label: 'x' })]);
    expect([...citationLabels(r)]).toEqual([[1, 'guide.pdf, p. 3']]);
    expect(citationLabels(null).size).toBe(0);
  });
});

describe('citations in rendered answers', () => {
  it('turns [n], [n, m] and [n][m] into buttons with the source label', () => {
    const { container } = render(Markdown, { source: 'Panels face south [1]. Tilt matters [1, 2][2].', cites: SENT });
    expect(cites(container)).toEqual(['1', '1', '2', '2']);
    const first = container.querySelector<HTMLButtonElement>('button.cite')!;
    expect(first).toHaveAttribute('title', 'guide.pdf, p. 3');
    expect(first).toHaveAttribute('data-testid', 'cite');
    expect(container.textContent?.trim()).toBe('Panels face south [1]. Tilt matters [1, 2][2].');
  });

  it('does not link numbers that are not sent sources', () => {
    const { container } = render(Markdown, { source: 'Only [3] and [1, 4].', cites: SENT });
    expect(cites(container)).toEqual(['1']);
    expect(container.textContent?.trim()).toBe('Only [3] and [1, 4].');
  });

  it('does not link inside inline code, code blocks or links', () => {
    const src = 'Use `xs[1]` here.\n\n```js\nconst a = b[1];\n```\n\n[see [2]](https://example.com) and [2].';
    const { container } = render(Markdown, { source: src, cites: SENT });
    expect(container.querySelector('code')?.textContent).toBe('xs[1]');
    expect(container.querySelector('pre code')?.textContent).toContain('b[1]');
    expect(container.querySelector('pre button.cite, code button.cite, a button.cite')).toBeNull();
    expect(cites(container)).toEqual(['2']);
  });

  it('keeps hostile markup in an answer inert', () => {
    const onerror = vi.fn();
    (window as unknown as Record<string, unknown>)['pwned'] = onerror;
    const src = 'Look <img src=x onerror="window.pwned()"> [1] <button class="cite" data-cite="2">2</button> <script>window.pwned()</script>';
    const { container } = render(Markdown, { source: src, cites: SENT });
    expect(container.querySelector('img, script, [onerror]')).toBeNull();
    // Only the citation Wadi made is a button; the model's "button" is text.
    expect(cites(container)).toEqual(['1']);
    expect(container.textContent).toContain('<button class="cite" data-cite="2">');
    expect(onerror).not.toHaveBeenCalled();
    delete (window as unknown as Record<string, unknown>)['pwned'];
  });

  it('calls oncite with the number clicked', async () => {
    const oncite = vi.fn();
    const { container } = render(Markdown, { source: 'A [2] B [1]', cites: SENT, oncite });
    await fireEvent.click(container.querySelectorAll('button.cite')[0]!);
    expect(oncite).toHaveBeenCalledWith(2);
  });

  it('links nothing without sources', () => {
    const { container } = render(Markdown, { source: 'A [1]' });
    expect(cites(container)).toEqual([]);
  });
});
