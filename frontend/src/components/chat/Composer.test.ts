import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ImageInput } from '../../lib/api/chat';
import Composer from './Composer.svelte';
import { msg } from './fake.test-helpers';
import { readImage } from './images';
import MessageItem from './MessageItem.svelte';

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function setup(vision: boolean) {
  const onsend = vi.fn<(t: string, i: ImageInput[]) => Promise<boolean>>().mockResolvedValue(true);
  const onstop = vi.fn();
  render(Composer, { vision, streaming: false, disabled: false, onsend, onstop });
  return { onsend, onstop };
}

describe('Composer', () => {
  it('Enter sends, Shift+Enter adds a newline', async () => {
    const { onsend } = setup(false);
    const box = screen.getByTestId('composer');
    await userEvent.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(onsend).not.toHaveBeenCalled();
    await userEvent.type(box, '{Enter}');
    expect(onsend).toHaveBeenCalledWith('line one\nline two', []);
    expect(box).toHaveValue('');
  });

  it('offers attachments only for vision models', () => {
    setup(false);
    expect(screen.queryByTestId('attach')).toBeNull();
  });

  it('attaches an image and sends it as base64', async () => {
    const { onsend } = setup(true);
    const file = new File([PNG_BYTES], 'cat.png', { type: 'image/png' });
    await userEvent.upload(screen.getByTestId('attach-input'), file);
    await waitFor(() => expect(screen.getByAltText('cat.png')).toBeInTheDocument());
    await userEvent.type(screen.getByTestId('composer'), 'What is this?{Enter}');
    expect(onsend).toHaveBeenCalledWith('What is this?', [{ mime: 'image/png', base64: btoa(String.fromCharCode(...PNG_BYTES)) }]);
    await waitFor(() => expect(screen.queryByAltText('cat.png')).toBeNull());
  });

  it('takes pasted images', async () => {
    const { onsend } = setup(true);
    const file = new File([PNG_BYTES], 'paste.png', { type: 'image/png' });
    await fireEvent.paste(screen.getByTestId('composer'), { clipboardData: { files: [file] } });
    await waitFor(() => expect(screen.getByAltText('paste.png')).toBeInTheDocument());
    await userEvent.type(screen.getByTestId('composer'), 'x{Enter}');
    expect(onsend.mock.calls[0]?.[1]).toHaveLength(1);
  });

  it('refuses a non-image file, naming it', async () => {
    await expect(readImage(new File(['x'], 'notes.txt', { type: 'text/plain' }))).rejects.toThrow(
      'notes.txt: not a PNG, JPEG, GIF or WebP image',
    );
    await expect(readImage(new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' }))).rejects.toThrow('x.svg');
  });
});

describe('message images', () => {
  it('renders only base64 png/jpeg/gif/webp data URLs', () => {
    const noop = () => {};
    render(MessageItem, {
      message: msg({
        images: [
          { id: 1, mime: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
          { id: 2, mime: 'image/svg+xml', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' },
          { id: 3, mime: 'image/png', dataUrl: 'https://tracker.example/p.png' },
          { id: 4, mime: 'image/png', dataUrl: 'javascript:alert(1)' },
        ],
      }),
      busy: false, focused: false,
      onregenerate: noop, onretry: noop, onedit: noop, ondelete: noop, onbranch: noop, onerror: noop,
    });
    const srcs = Array.from(document.querySelectorAll('img')).map((i) => i.getAttribute('src'));
    expect(srcs).toEqual(['data:image/png;base64,iVBORw0KGgo=']);
  });
});
