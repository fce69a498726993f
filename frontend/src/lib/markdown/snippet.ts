// Search snippets: plain text from the backend with hits wrapped in
// U+0002 … U+0003. They become DOM text nodes and <mark> elements, never HTML.

const OPEN = '\u0002';
const CLOSE = '\u0003';

/** A run of snippet text, highlighted or not. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

/** Split a snippet into plain and highlighted runs; stray markers are dropped. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let hit = false;
  let buf = '';
  const flush = () => {
    if (buf) parts.push({ text: buf, hit });
    buf = '';
  };
  for (const ch of snippet) {
    if (ch === OPEN) {
      flush();
      hit = true;
    } else if (ch === CLOSE) {
      flush();
      hit = false;
    } else {
      buf += ch;
    }
  }
  flush();
  return parts;
}

/** Fill `el` with the snippet as text nodes and <mark> elements. */
export function renderSnippet(el: HTMLElement, snippet: string): void {
  el.replaceChildren(
    ...snippetParts(snippet).map((p) => {
      if (!p.hit) return document.createTextNode(p.text);
      const m = document.createElement('mark');
      m.textContent = p.text;
      return m;
    }),
  );
}
