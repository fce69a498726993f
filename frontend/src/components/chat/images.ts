// Reading attached or pasted images into ImageInput (base64 without the
// data: prefix) plus a preview URL.

import type { ImageInput } from '../../lib/api/chat';

/** An image waiting in the composer. */
export interface Attachment {
  key: string;
  name: string;
  preview: string;
  input: ImageInput;
}

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
/** Ollama's vision models take a few megapixels at most; 20 MB is plenty. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

let counter = 0;

/** Read a file as an attachment, or reject naming the file and the problem. */
export function readImage(file: File): Promise<Attachment> {
  if (!IMAGE_TYPES.includes(file.type)) {
    return Promise.reject(new Error(`${file.name}: not a PNG, JPEG, GIF or WebP image`));
  }
  if (file.size > MAX_IMAGE_BYTES) {
    return Promise.reject(new Error(`${file.name}: larger than 20 MB`));
  }
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(new Error(`${file.name}: could not be read`));
    r.onload = () => {
      const url = String(r.result);
      const comma = url.indexOf(',');
      resolve({
        key: `img-${++counter}`,
        name: file.name,
        preview: url,
        input: { mime: file.type, base64: url.slice(comma + 1) },
      });
    };
    r.readAsDataURL(file);
  });
}
