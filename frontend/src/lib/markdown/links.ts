// Which link targets the UI may offer. Everything else renders as text.

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL if it is an absolute http, https or mailto URL, else null.
 * Relative URLs are refused too: they would navigate the app window.
 */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  // Control characters and whitespace inside a scheme are a classic bypass.
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (!SAFE_SCHEMES.has(url.protocol)) return null;
  return url.href;
}

const IMAGE_DATA_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/** The URL if it is a base64 png/jpeg/gif/webp data URL (never svg), else null. */
export function safeImageDataUrl(url: string | null | undefined): string | null {
  return url && IMAGE_DATA_URL.test(url) ? url : null;
}
