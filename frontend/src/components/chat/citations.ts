// Numbered citations in rendered answers. The answer is model text, rendered
// by the sanitized Markdown component; citations are linked afterwards on
// the DOM's text nodes: a text node with "[2]" is split and the number
// becomes a <button class="cite">, created with createElement and
// textContent. No HTML string is ever built from the model's text.

import type { Retrieval } from '../../lib/api/chat';

/** Label of each source sent to the model, by its citation number. */
export function citationLabels(r: Retrieval | null | undefined): Map<number, string> {
  const labels = new Map<number, string>();
  for (const s of r?.sources ?? []) if (s.sent && s.n > 0) labels.set(s.n, s.label || s.file);
  return labels;
}

/** "[1]", "[1, 2]", "[1,2,3]"; "[1][2]" is two matches. */
const GROUP = /\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g;
const NUMBER = /\d+/g;
/** Text inside these stays as it is: code, links, buttons, math. */
const SKIP = 'code, pre, a, button, kbd, samp, .katex, .math-display';

/** A run of cited text: plain, or a link to source n. */
export type CitePart = { text: string } | { n: number };

/** Split text into plain runs and links to sent sources; unknown numbers stay text. */
export function citationParts(text: string, sent: ReadonlyMap<number, string>): CitePart[] {
  const parts: CitePart[] = [];
  let plain = '';
  let last = 0;
  for (const g of text.matchAll(GROUP)) {
    const inner = g[1] ?? '';
    const start = g.index;
    const nums = [...inner.matchAll(NUMBER)];
    if (!nums.some((m) => sent.has(Number(m[0])))) continue;
    plain += text.slice(last, start) + '[';
    let pos = 0;
    for (const m of nums) {
      const n = Number(m[0]);
      plain += inner.slice(pos, m.index);
      pos = m.index + m[0].length;
      if (sent.has(n)) {
        if (plain) parts.push({ text: plain });
        plain = '';
        parts.push({ n });
      } else {
        plain += m[0];
      }
    }
    plain += inner.slice(pos) + ']';
    last = start + g[0].length;
  }
  plain += text.slice(last);
  if (plain) parts.push({ text: plain });
  return parts;
}

/** The citation button for source n, labelled for hover and screen readers. */
function citeButton(n: number, label: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'cite';
  b.dataset['cite'] = String(n);
  b.dataset['testid'] = 'cite';
  b.title = label;
  b.setAttribute('aria-label', `Source ${n}: ${label}`);
  b.textContent = String(n);
  return b;
}

/**
 * Turn the citations of sent sources in root's text into buttons, skipping
 * code, links and math. Returns how many were linked.
 */
export function linkCitations(root: Element, sent: ReadonlyMap<number, string>): number {
  if (!sent.size) return 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n as Text;
    if (!t.data.includes('[')) continue;
    if (t.parentElement?.closest(SKIP)) continue;
    nodes.push(t);
  }
  let count = 0;
  for (const t of nodes) {
    const parts = citationParts(t.data, sent);
    if (!parts.some((p) => 'n' in p)) continue;
    const frag = document.createDocumentFragment();
    for (const p of parts) {
      if ('n' in p) {
        frag.append(citeButton(p.n, sent.get(p.n) ?? ''));
        count++;
      } else {
        frag.append(document.createTextNode(p.text));
      }
    }
    t.replaceWith(frag);
  }
  return count;
}
