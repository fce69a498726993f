// Import a chat whose messages hold hostile markdown/HTML through the UI's
// Import, and check that nothing of it is active in the real window.
async (e2e) => {
  const { doc } = e2e.params;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click('[data-testid="chat-menu"]');
  const input = await e2e.waitFor("import input", () => e2e.$('[data-testid="import-input"]'));
  const dt = new DataTransfer();
  dt.items.add(new File([doc], "hostile.json", { type: "application/json" }));
  input.files = dt.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));

  const answer = await e2e.waitFor("the imported answer is shown", () =>
    e2e.$('[data-testid="message"][data-role="assistant"]'));
  await e2e.waitFor("markdown rendered", () => answer.querySelector(".markdown table"));
  await e2e.sleepFrame();
  await new Promise((r) => setTimeout(r, 500)); // give any payload the chance to run

  const root = e2e.$('[data-testid="messages"]');
  const active = root.querySelectorAll("script, iframe, style, svg:not(.katex svg), object, embed, form, input, img, link, meta, base");
  e2e.assert(active.length === 0, "active elements: " + Array.from(active).map((n) => n.outerHTML.slice(0, 80)).join(" | "));
  // Inside each message (the message element's own layout style is the app's).
  for (const n of root.querySelectorAll('[data-testid="message"] *')) {
    for (const a of n.attributes) {
      e2e.assert(!a.name.toLowerCase().startsWith("on"), `${n.tagName} has ${a.name}`);
      if (a.name === "href") e2e.assert(/^(https?:|mailto:)/.test(a.value), "dangerous href " + a.value);
      if (a.name === "style") e2e.assert(n.closest(".katex") && !/position:\s*(fixed|absolute)/.test(a.value), "style outside KaTeX: " + a.value);
    }
  }
  e2e.assert(window.__pwned === undefined, "a payload ran: " + window.__pwned);
  e2e.assert(getComputedStyle(document.body).display !== "none", "body still visible");
  const links = Array.from(answer.querySelectorAll("a")).map((a) => a.getAttribute("href"));
  e2e.assert(links.includes("https://ollama.com/"), "safe link kept: " + links.join(", "));
  e2e.assert(answer.textContent.includes("<script>window.__pwned = 'script'</script>"), "raw HTML shown as text");
  e2e.assert(answer.querySelector(".katex"), "math rendered");
  e2e.assert(answer.querySelector("code.hljs"), "code highlighted");
  const cell = Array.from(answer.querySelectorAll("td")).find((td) => td.textContent.includes("مرحبا"));
  e2e.assert(cell && cell.getAttribute("dir") === "auto", "table cells carry dir=auto");
  const user = e2e.$('[data-testid="message"][data-role="user"]');
  e2e.assert(user.textContent.includes("<img src=x"), "user HTML shown as text");
  await e2e.shot("hostile");
  e2e.log("hostile flow done");
}
