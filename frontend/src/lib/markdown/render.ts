// Markdown -> sanitized HTML for untrusted text (model output, imported chats).
//
// Three layers, each enough on its own for the common attacks:
//  1. marked never passes raw HTML through: html tokens are escaped as text,
//     links and images keep only http/https/mailto targets, remote images
//     become links (no network fetch, no tracking pixel).
//  2. DOMPurify with a small allow-list of tags and attributes sanitizes the
//     markdown HTML (no style, no event handlers, no svg/math/iframe/form).
//  3. KaTeX output (the only HTML with style attributes) is sanitized on its
//     own with a KaTeX allow-list and spliced in at unguessable placeholders.

import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { cleanLang, escapeHtml, highlight } from './highlight';
import { safeHref } from './links';
import { mathExtensions, renderTex } from './math';

const TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 's',
  'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr',
  'th', 'td', 'a', 'span', 'div', 'sup', 'sub',
];
const ATTRS = ['href', 'title', 'class', 'dir', 'align', 'start'];
const SAFE_URI = /^(?:https?:|mailto:)/i;
/** Blocks that get dir="auto", so each one picks its own direction. */
const AUTO_DIR = new Set(['P', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TD', 'TH', 'BLOCKQUOTE']);

const KATEX_TAGS = ['span', 'svg', 'path', 'line', 'br'];
const KATEX_ATTRS = ['class', 'style', 'aria-hidden', 'width', 'height', 'viewBox', 'preserveAspectRatio', 'd', 'x1', 'x2', 'y1', 'y2', 'stroke-width'];
/** Style values KaTeX writes: sizes, margins, vertical-align, colours, position: relative. */
const KATEX_STYLE = /^(?:\s*(?:height|width|min-width|max-width|top|left|right|bottom|margin(?:-(?:left|right|top|bottom))?|padding(?:-(?:left|right|top|bottom))?|vertical-align|border-bottom-width|border-top-width|border-right-width|border-left-width|color|background-color|border-color|border-style|position(?=\s*:\s*relative))\s*:\s*[-#.,%\w ()]*;?\s*)*$/i;

function purifier(kind: 'markdown' | 'katex') {
  const p = DOMPurify(window);
  p.addHook('uponSanitizeAttribute', (_node, data) => {
    if (kind === 'katex' && data.attrName === 'style') {
      if (!KATEX_STYLE.test(data.attrValue) || /url\s*\(|expression|position\s*:\s*(?!relative\s*(?:;|$))/i.test(data.attrValue)) data.keepAttr = false;
    }
    if (data.attrName === 'href' && !SAFE_URI.test(data.attrValue.trim())) data.keepAttr = false;
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    if (kind === 'markdown' && AUTO_DIR.has(node.nodeName)) node.setAttribute('dir', 'auto');
    if (kind === 'markdown' && node.nodeName === 'PRE') node.setAttribute('dir', 'ltr');
  });
  return p;
}

let purifiers: { markdown: ReturnType<typeof DOMPurify>; katex: ReturnType<typeof DOMPurify> } | null = null;

function getPurifiers() {
  purifiers ??= { markdown: purifier('markdown'), katex: purifier('katex') };
  return purifiers;
}

/** Sanitize HTML built from untrusted text with the markdown allow-list. */
export function sanitize(html: string): string {
  return getPurifiers().markdown.sanitize(html, {
    ALLOWED_TAGS: TAGS,
    ALLOWED_ATTR: ATTRS,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: SAFE_URI,
    KEEP_CONTENT: true,
  });
}

function sanitizeKatex(html: string): string {
  return getPurifiers().katex.sanitize(html, {
    ALLOWED_TAGS: KATEX_TAGS,
    ALLOWED_ATTR: KATEX_ATTRS,
    ALLOW_DATA_ATTR: false,
    ALLOWED_URI_REGEXP: /^$/,
    KEEP_CONTENT: true,
  });
}

function nonce(): string {
  const a = new Uint32Array(2);
  crypto.getRandomValues(a);
  return `${a[0]!.toString(36)}${a[1]!.toString(36)}`;
}

/** Per-render state the math renderer writes to (rendering is synchronous). */
let current: { id: string; formulas: string[] } = { id: '', formulas: [] };

function slot(tex: string, display: boolean): string {
  current.formulas.push(sanitizeKatex(renderTex(tex, display)));
  const marker = `WADIMATH${current.id}X${current.formulas.length - 1}X`;
  return display ? `<div class="math-display">${marker}</div>` : marker;
}

const md = new Marked({ gfm: true, breaks: false, async: false });
md.use({
  extensions: mathExtensions(slot),
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    code({ text, lang }: Tokens.Code) {
      const l = cleanLang(lang);
      const label = l ? `<span class="code-lang">${escapeHtml(l)}</span>` : '';
      const cls = l ? ` language-${escapeHtml(l)}` : '';
      return `<div class="code-block">${label}<pre><code class="hljs${cls}">${highlight(text, l)}</code></pre></div>`;
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      const safe = safeHref(href);
      if (!safe) return inner;
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(safe)}"${t}>${inner}</a>`;
    },
    image({ href, text }: Tokens.Image) {
      const safe = safeHref(href);
      const label = `[image${text ? ': ' + escapeHtml(text) : ''}]`;
      return safe && !safe.startsWith('mailto:') ? `<a href="${escapeHtml(safe)}">${label}</a>` : label;
    },
    checkbox: ({ checked }: Tokens.Checkbox) => (checked ? '\u2611 ' : '\u2610 '),
  },
});

/** Render untrusted markdown to sanitized HTML (safe for innerHTML). */
export function renderMarkdown(src: string): string {
  current = { id: nonce(), formulas: [] };
  const { id, formulas } = current;
  let html = sanitize(md.parse(src) as string);
  if (formulas.length) {
    html = html.replace(new RegExp(`WADIMATH${id}X(\\d+)X`, 'g'), (_m, i: string) => formulas[Number(i)] ?? '');
  }
  return html;
}
