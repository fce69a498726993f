// Citations in the real window: an imported answer that cites [1] and [2]
// (and mentions [7] and `[1]` in code, which are not sources) links only
// the real citations; clicking [2] opens the sources panel on source 2,
// and its label opens the viewer on that chunk. Then Settings shows the
// documents prompt, which can be changed and reset.
async (e2e) => {
  const { chunk2, question } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(`${sel("chat-item")} button.open`);
  const answer = await e2e.waitFor("the imported answer", () => {
    const a = e2e.$(sel("message", '[data-role="assistant"]'));
    return a && a.querySelector(sel("cite")) ? a : null;
  });
  e2e.assert(e2e.$(sel("message", '[data-role="user"]')).textContent.includes(question), "the question is shown");
  const cites = Array.from(answer.querySelectorAll(sel("cite")));
  e2e.assert(cites.map((c) => c.dataset.cite).join(",") === "1,2", "only [1] and [2] are links: " + cites.map((c) => c.dataset.cite).join(","));
  e2e.assert(!answer.querySelector("code " + sel("cite")), "no citation link inside code");
  e2e.assert(answer.querySelector(".markdown").textContent.includes("[7]"), "[7] stays plain text");
  e2e.assert(!window.__pwned, "hostile text in the answer did nothing");
  await e2e.shot("citations");

  cites[1].click();
  await e2e.sleepFrame();
  const row = await e2e.waitFor("source 2 highlighted", () => e2e.$(`${sel("source-row", '[data-n="2"]')}.highlighted`));
  e2e.assert(row.dataset.chunk === String(chunk2), "citation 2 points at chunk " + chunk2 + " (row has " + row.dataset.chunk + ")");
  const unsent = e2e.$$(sel("source-row", '[data-sent="false"]'));
  e2e.assert(unsent.length === 1 && unsent[0].querySelector(sel("source-unsent")), "the unsent chunk is listed as not sent");
  await e2e.shot("citation-source");
  row.querySelector(sel("source-label")).click();
  const viewer = await e2e.waitFor("the viewer opens", () => {
    const v = e2e.$(sel("source-viewer"));
    return v && v.querySelector(sel("source-chunk")) && v.querySelector(sel("source-chunk")).textContent.trim() ? v : null;
  });
  e2e.assert(viewer.dataset.chunk === String(chunk2), "the viewer shows chunk " + chunk2);
  await e2e.click(sel("source-viewer-close"));

  // The documents prompt in Settings: visible, editable, resettable.
  await e2e.click(sel("nav-settings"));
  const input = await e2e.waitFor("the documents prompt", () => {
    const i = e2e.$(sel("docs-template-input"));
    return i && i.value.includes("{{.Question}}") ? i : null;
  });
  e2e.assert(e2e.$(sel("docs-template-state")).dataset.default === "true", "the default template is in use");
  e2e.$(sel("docs-template")).scrollIntoView();
  await e2e.type(sel("docs-template-input"), "Sources:\n{{range .Sources}}[{{.N}}] {{.Text}}\n{{end}}Only the question is missing.");
  await e2e.click(sel("docs-template-save"));
  const err = await e2e.waitFor("an invalid template is refused", () => e2e.$(sel("docs-template-error")));
  e2e.assert(/question/i.test(err.textContent), "the error says the question is missing: " + err.textContent);
  await e2e.shot("template-error");
  await e2e.type(sel("docs-template-input"), "Use these notes, cite [n].\n{{range .Sources}}[{{.N}}] {{.Label}}: {{.Text}}\n{{end}}Q: {{.Question}}");
  await e2e.click(sel("docs-template-save"));
  await e2e.waitFor("the custom template is saved", () => e2e.$(sel("docs-template-state", '[data-default="false"]')));
  await e2e.shot("template-custom");
  e2e.log("template: custom");
}
