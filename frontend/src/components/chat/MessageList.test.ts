import { render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { msg } from './fake.test-helpers';
import MessageList from './MessageList.svelte';

const noop = () => {};

function many(n: number) {
  return Array.from({ length: n }, (_, k) => msg({ id: k + 1, role: k % 2 ? 'assistant' : 'user', content: `Message ${k + 1}` }));
}

describe('MessageList windowing', () => {
  it('never mounts more than the newest window of a long chat', async () => {
    const target = document.body.appendChild(document.createElement('div'));
    let mounted = 0;
    const obs = new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (!(n instanceof HTMLElement)) continue;
          if (n.matches('[data-testid="message"]')) mounted++;
          mounted += n.querySelectorAll('[data-testid="message"]').length;
        }
      }
    });
    obs.observe(target, { childList: true, subtree: true });
    const { container } = render(MessageList, {
      target,
      props: { chatId: 1, messages: many(5000), busy: false, focusId: null, onregenerate: noop, onretry: noop, onedit: noop, ondelete: noop, onbranch: noop, onerror: noop },
    });
    await waitFor(() => expect(container.querySelectorAll('[data-testid="message"]').length).toBe(60));
    obs.disconnect();
    expect(mounted).toBe(60);
    const ids = Array.from(container.querySelectorAll<HTMLElement>('[data-testid="message"]')).map((e) => Number(e.dataset['id']));
    expect(ids[0]).toBe(4941);
    expect(ids[59]).toBe(5000);
    expect(container).toHaveTextContent('4940 earlier messages');
  });

  it('mounts the window around a search target', async () => {
    const { container } = render(MessageList, {
      chatId: 1, messages: many(5000), busy: false, focusId: 100, onregenerate: noop, onretry: noop, onedit: noop, ondelete: noop, onbranch: noop, onerror: noop,
    });
    await waitFor(() => expect(container.querySelector('[data-id="100"]')).toHaveClass('focused'));
    expect(container.querySelectorAll('[data-testid="message"]').length).toBeLessThanOrEqual(60);
    expect(container).toHaveTextContent('69 earlier messages');
    expect(container).toHaveTextContent('4871 later messages');
  });
});
