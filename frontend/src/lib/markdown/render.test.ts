import { describe, expect, it } from 'vitest';
import { safeHref, safeImageDataUrl } from './links';
import { renderMarkdown } from './render';
import { renderSnippet, snippetParts } from './snippet';

function dom(html: string): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = html;
  return el;
}

/** Everything that would make rendered output active or able to escape. */
function assertInert(el: HTMLElement) {
  expect(el.querySelectorAll('script, iframe, style, svg, object, embed, form, input, button, textarea, img, link, meta, base, math, video, audio, source'))
    .toHaveLength(0);
  for (const node of el.querySelectorAll('*')) {
    for (const attr of Array.from(node.attributes)) {
      expect(attr.name.startsWith('on'), `${node.tagName} has ${attr.name}`).toBe(false);
      expect(['src', 'srcset', 'action', 'formaction', 'xlink:href', 'id', 'name']).not.toContain(attr.name);
      if (attr.name === 'style') {
        // Only KaTeX's own layout styles, never positioning or URLs.
        expect(node.closest('.katex'), `style outside KaTeX on ${node.tagName}`).not.toBeNull();
        expect(attr.value).not.toMatch(/position:\s*(?!relative)|url\(|expression|@import/i);
      }
    }
  }
  for (const a of el.querySelectorAll('[href]')) {
    expect(a.getAttribute('href')).toMatch(/^(https?:|mailto:)/);
  }
}

const HOSTILE: [string, string][] = [
  ['script tag', '<script>window.pwned = 1</script>hello'],
  ['img onerror', '<img src=x onerror="window.pwned=1">'],
  ['inline event attr', '<div onclick="alert(1)" onmouseover="alert(2)">x</div>'],
  ['javascript: anchor', '<a href="javascript:alert(1)">click</a>'],
  ['markdown javascript: link', '[click me](javascript:alert(1))'],
  ['markdown javascript: link, odd case and entities', '[x](JaVaScRiPt&#58;alert(1)) [y](java\tscript:alert(1))'],
  ['markdown data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['markdown vbscript link', '[x](vbscript:msgbox)'],
  ['data: image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ['remote image (tracking)', '![pixel](https://evil.example/p.gif)'],
  ['svg script', '<svg><script>alert(1)</script></svg>'],
  ['svg onload', '<svg onload="alert(1)"><circle r="4"/></svg>'],
  ['iframe', '<iframe src="https://evil.example"></iframe>'],
  ['style element', '<style>body{display:none}</style>text'],
  ['style attribute', '<p style="position:fixed;inset:0">cover</p>'],
  ['form', '<form action="https://evil.example"><input name=a><button>go</button></form>'],
  ['object/embed', '<object data="x.swf"></object><embed src="x.swf">'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
  ['base tag', '<base href="https://evil.example/">'],
  ['autolink javascript', '<javascript:alert(1)>'],
  ['relative link would navigate app', '[home](/index.html) [up](../x)'],
  ['html inside table', '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>x</script> |'],
  ['mathml payload', '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>'],
  ['katex href (trust off)', '$\\href{javascript:alert(1)}{x}$ and $\\url{javascript:alert(1)}$'],
  ['katex htmlStyle', '$\\htmlStyle{position:fixed;top:0}{x}$'],
  ['code fence language injection', '```"><img src=x onerror=alert(1)>\ncode\n```'],
  ['link title injection', '[a](https://ok.example "x\\" onmouseover=\\"alert(1)")'],
  ['nested markdown in html', '<details open ontoggle=alert(1)><summary>s</summary>x</details>'],
];

describe('renderMarkdown sanitizing', () => {
  it.each(HOSTILE)('%s renders inert', (_name, src) => {
    const el = dom(renderMarkdown(src));
    assertInert(el);
  });

  it('shows raw HTML as text instead of dropping it', () => {
    const el = dom(renderMarkdown('<b>bold?</b> <script>x()</script>'));
    expect(el.querySelector('b')).toBeNull();
    expect(el.textContent).toContain('<b>bold?</b>');
    expect(el.textContent).toContain('<script>x()</script>');
  });

  it('keeps safe links, and renders unsafe ones as their text', () => {
    const el = dom(renderMarkdown('[ok](https://ollama.com/x) [bad](javascript:alert(1)) https://example.org'));
    const hrefs = Array.from(el.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://ollama.com/x', 'https://example.org/']);
    expect(el.textContent).toContain('bad');
  });

  it('turns remote images into links, never <img>', () => {
    const el = dom(renderMarkdown('![cat](https://example.org/cat.png)'));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('a')?.getAttribute('href')).toBe('https://example.org/cat.png');
    expect(el.textContent).toContain('[image: cat]');
  });
});

describe('renderMarkdown features', () => {
  it('renders GFM tables with auto direction per cell', () => {
    const el = dom(renderMarkdown('| en | ar |\n|---|---|\n| hello | مرحبا |'));
    const cells = el.querySelectorAll('td, th');
    expect(cells).toHaveLength(4);
    for (const c of cells) expect(c.getAttribute('dir')).toBe('auto');
  });

  it('gives paragraphs, list items and headings dir=auto, code blocks ltr', () => {
    const el = dom(renderMarkdown('# عنوان\n\nEnglish text.\n\n- واحد\n- two\n\n```go\nx := 1\n```'));
    for (const n of el.querySelectorAll('p, li, h1')) expect(n.getAttribute('dir')).toBe('auto');
    expect(el.querySelector('pre')?.getAttribute('dir')).toBe('ltr');
  });

  it('highlights code with a language label', () => {
    const el = dom(renderMarkdown('```python\ndef f(x):\n    return "<b>"\n```'));
    expect(el.querySelector('.code-lang')?.textContent).toBe('python');
    expect(el.querySelector('code.hljs.language-python .hljs-keyword')?.textContent).toBe('def');
    expect(el.querySelector('code')?.textContent).toContain('return "<b>"');
    expect(el.querySelector('b')).toBeNull();
  });

  it('renders inline and display math with KaTeX, leaves prices alone', () => {
    const el = dom(renderMarkdown('Euler: $e^{i\\pi}+1=0$.\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nIt costs $5 and $10.'));
    expect(el.querySelectorAll('.katex')).toHaveLength(2);
    expect(el.querySelector('.math-display .katex-display')).not.toBeNull();
    expect(el.textContent).toContain('It costs $5 and $10.');
    expect(el.textContent).not.toMatch(/WADIMATH/);
  });

  it('keeps KaTeX layout styles (position: relative only)', () => {
    const el = dom(renderMarkdown('$$\\int_0^1 x^2\\,dx$$'));
    const styles = Array.from(el.querySelectorAll('[style]')).map((n) => n.getAttribute('style') ?? '');
    expect(styles.some((s) => s.includes('position:relative'))).toBe(true);
    expect(styles.join(';')).not.toMatch(/position:\s*(fixed|absolute|sticky)/);
  });

  it('does not render math inside code', () => {
    const el = dom(renderMarkdown('`$x$` and\n\n```\n$$y$$\n```'));
    expect(el.querySelector('.katex')).toBeNull();
    expect(el.textContent).toContain('$x$');
  });

  it('a guessed math placeholder in the text stays text', () => {
    const el = dom(renderMarkdown('WADIMATHabcX0X and $x$'));
    expect(el.textContent).toContain('WADIMATHabcX0X');
  });
});

describe('safe URLs', () => {
  it.each([
    ['https://a.example/x?y=1', 'https://a.example/x?y=1'],
    ['http://a.example', 'http://a.example/'],
    ['mailto:sara@example.org', 'mailto:sara@example.org'],
    ['javascript:alert(1)', null],
    [' JAVASCRIPT:alert(1)', null],
    ['data:text/html,x', null],
    ['file:///etc/passwd', null],
    ['/relative', null],
    ['java\u0000script:x', null],
  ])('safeHref(%j) = %j', (input, want) => {
    expect(safeHref(input)).toBe(want);
  });

  it.each([
    ['data:image/png;base64,iVBORw0KGgo=', true],
    ['data:image/jpeg;base64,/9j/4AAQ', true],
    ['data:image/svg+xml;base64,PHN2Zz4=', false],
    ['data:image/png;base64,iVBO"onerror="x', false],
    ['https://example.org/a.png', false],
    ['javascript:alert(1)', false],
  ])('safeImageDataUrl(%j) allowed=%s', (input, ok) => {
    expect(safeImageDataUrl(input) !== null).toBe(ok);
  });
});

describe('search snippets', () => {
  it('splits on the markers', () => {
    expect(snippetParts('a \u0002hit\u0003 b')).toEqual([
      { text: 'a ', hit: false },
      { text: 'hit', hit: true },
      { text: ' b', hit: false },
    ]);
  });

  it('renders HTML in snippets as text, hits as <mark>', () => {
    const el = document.createElement('div');
    renderSnippet(el, '<img src=x onerror=alert(1)> \u0002<b>term</b>\u0003 end');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('b')).toBeNull();
    expect(el.querySelector('mark')?.textContent).toBe('<b>term</b>');
    expect(el.textContent).toBe('<img src=x onerror=alert(1)> <b>term</b> end');
  });
});
