// KaTeX math for marked: $…$ inline and $$…$$ display. The TeX comes from the
// model, so KaTeX runs with trust off (no \href, \url, \htmlStyle …) and its
// output is sanitized on its own (see render.ts).

import katex from 'katex';
import type { TokenizerAndRendererExtension, Tokens } from 'marked';

/** A math token: TeX source plus whether it is display math. */
export interface MathToken extends Tokens.Generic {
  type: 'math' | 'inlineMath';
  raw: string;
  text: string;
  display: boolean;
}

/** KaTeX HTML for one formula; malformed TeX shows as an inline error, not a throw. */
export function renderTex(tex: string, display: boolean): string {
  return katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxSize: 50,
    maxExpand: 500,
    output: 'html',
  });
}

// Inline: $x$ where the content neither starts nor ends with a space and the
// closing $ is not followed by a digit, so "$5 and $10" stays text.
const INLINE = /^\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s)\$(?!\d)/;
const INLINE_DISPLAY = /^\$\$(?!\$)((?:\\\$|[^$])+?)\$\$/;
const BLOCK = /^\$\$[ \t]*\n?([\s\S]+?)\n?[ \t]*\$\$[ \t]*(?:\n|$)/;

/**
 * Marked extensions that turn math into tokens; `emit` renders each one and
 * returns what goes into the HTML in its place.
 */
export function mathExtensions(emit: (tex: string, display: boolean) => string): TokenizerAndRendererExtension[] {
  return [
    {
      name: 'math',
      level: 'block',
      start: (src: string) => src.match(/^\$\$/m)?.index,
      tokenizer(src: string): MathToken | undefined {
        const m = BLOCK.exec(src);
        if (!m) return undefined;
        return { type: 'math', raw: m[0], text: (m[1] ?? '').trim(), display: true };
      },
      renderer: (token) => emit(String(token['text']), Boolean(token['display'])),
    },
    {
      name: 'inlineMath',
      level: 'inline',
      start: (src: string) => src.indexOf('$') >= 0 ? src.indexOf('$') : undefined,
      tokenizer(src: string): MathToken | undefined {
        const d = INLINE_DISPLAY.exec(src);
        if (d) return { type: 'inlineMath', raw: d[0], text: (d[1] ?? '').trim(), display: true };
        const m = INLINE.exec(src);
        if (!m) return undefined;
        return { type: 'inlineMath', raw: m[0], text: m[1] ?? '', display: false };
      },
      renderer: (token) => emit(String(token['text']), Boolean(token['display'])),
    },
  ];
}
