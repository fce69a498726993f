// Documents end to end: create a collection with the tiny embedding model,
// add a folder by path, watch the indexing progress, see the broken file
// fail alone with its message, try a search; then attach the collection to
// a chat, ask, and see the sources panel (scores, sent flags) and a source
// opened in the viewer.
async (e2e) => {
  const { folder, collection, embed, model, question, broken, term } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-documents"));

  // New collection with the installed embedding model.
  // With no collection yet the form is open already.
  await e2e.waitFor("the documents page", () => e2e.$(sel("docs-new")) || e2e.$(sel("docs-name-input")));
  if (!e2e.$(sel("docs-name-input"))) await e2e.click(sel("docs-new"));
  await e2e.type(sel("docs-name-input"), collection);
  const embedSelect = await e2e.waitFor("embedding models listed", () => {
    const s = e2e.$(sel("docs-embed-select"));
    return s && Array.from(s.options).some((o) => o.value.endsWith("\n" + embed) || o.value.endsWith("\n" + embed + ":latest")) ? s : null;
  });
  embedSelect.value = Array.from(embedSelect.options).find((o) => o.value.includes("\n" + embed)).value;
  embedSelect.dispatchEvent(new Event("change", { bubbles: true }));
  await e2e.sleepFrame();
  await e2e.shot("new-collection");
  await e2e.click(sel("docs-create"));
  await e2e.waitFor("the collection is open", () => e2e.$(sel("docs-detail", `[data-name="${collection}"]`)));
  const mode = e2e.$(sel("docs-detail-mode"));
  e2e.assert(mode && mode.dataset.mode === "hybrid", "an embedding collection is hybrid (mode " + (mode && mode.dataset.mode) + ")");

  // Add the folder by path and watch the progress.
  await e2e.type(sel("docs-path-input"), folder);
  await e2e.click(sel("docs-add"));
  const seen = new Set();
  let shotRunning = false;
  await e2e.waitFor("indexing finishes", async () => {
    const p = e2e.$(sel("docs-progress"));
    if (!p) return null;
    seen.add(p.dataset.state + "/" + (p.dataset.phase || ""));
    if (p.dataset.state === "running" && !shotRunning) {
      shotRunning = true;
      await e2e.shot("indexing");
    }
    return p.dataset.state === "done" ? p : null;
  }, 90000);
  e2e.log("progress states: " + Array.from(seen).join(", "));
  const summary = e2e.$(sel("docs-job-summary"));
  e2e.assert(summary && /indexed/.test(summary.textContent), "the finished job says what it indexed: " + (summary && summary.textContent));
  e2e.assert(seen.has("running/index") || seen.has("running/scan") || seen.has("running/embed"), "the progress bar was seen while indexing");

  // The broken file failed alone, with its message; the others indexed.
  const rows = await e2e.waitFor("files listed", () => {
    const r = e2e.$$(sel("docs-file"));
    return r.length >= 4 ? r : null;
  });
  const bad = rows.find((r) => r.dataset.path.endsWith(broken));
  e2e.assert(bad && bad.dataset.state === "failed", "the broken PDF is failed (state " + (bad && bad.dataset.state) + ")");
  const badErr = bad.querySelector(sel("docs-file-error"));
  e2e.assert(badErr && badErr.textContent.includes(broken), "its error names the file: " + (badErr && badErr.textContent));
  const indexed = rows.filter((r) => r.dataset.state === "indexed");
  e2e.assert(indexed.length >= 3, "the other files indexed (" + indexed.length + ")");
  e2e.assert(!rows.some((r) => r.dataset.path.includes("/.hidden")), "hidden files are not listed");
  e2e.log("files: " + rows.map((r) => r.dataset.path.split("/").pop() + "=" + r.dataset.state).join(", "));
  await e2e.shot("indexed");

  // Try a search: hits with scores and the term marked.
  await e2e.type(sel("docs-search-input"), term);
  await e2e.click(sel("docs-search-go"));
  const hit = await e2e.waitFor("search hits", () => e2e.$(sel("docs-hit")));
  e2e.assert(hit.querySelector(sel("docs-hit-scores")), "hits show their scores");
  e2e.assert(e2e.$(sel("docs-search-mode")).dataset.mode === "hybrid", "the search is hybrid");
  const mark = e2e.$(`${sel("docs-hit-snippet")} mark`);
  e2e.assert(mark && mark.textContent.toLowerCase().includes(term), "the matched term is marked");
  await e2e.shot("search");

  // Progress state survives navigating away and back.
  await e2e.click(sel("nav-chats"));
  await e2e.click(sel("nav-documents"));
  await e2e.waitFor("the collection is still listed", () => e2e.$(sel("docs-collection", `[data-name="${collection}"]`)));

  // Ask in a chat with the collection attached.
  await e2e.click(sel("nav-chats"));
  const picker = await e2e.waitFor("model picker lists " + model, () => {
    const p = e2e.$(sel("model-picker"));
    return p && Array.from(p.options).some((o) => o.textContent.startsWith(model)) ? p : null;
  });
  picker.value = Array.from(picker.options).find((o) => o.textContent.startsWith(model)).value;
  picker.dispatchEvent(new Event("change", { bubbles: true }));
  await e2e.sleepFrame();
  await e2e.click(sel("docs-attach"));
  const coll = await e2e.waitFor("the picker lists the collection", () => e2e.$(sel("attach-collection", `[data-name="${collection}"]`)));
  const check = coll.querySelector(sel("attach-collection-check"));
  if (!check.checked) check.click();
  await e2e.sleepFrame();
  await e2e.shot("attach");
  await e2e.click(sel("attach-apply"));
  await e2e.waitFor("the chip shows the collection", () => e2e.$(sel("attachment-chip", `[data-collection="${collection}"]`)));

  await e2e.type(sel("composer"), question);
  await e2e.click(sel("send"));
  const answer = await e2e.waitFor("the answer completes", () => {
    const a = e2e.$(sel("message", '[data-role="assistant"]'));
    return a && a.dataset.status === "complete" ? a : null;
  }, 60000);
  const sources = answer.querySelector(sel("sources"));
  e2e.assert(sources, "the answer has a sources panel");
  e2e.assert(sources.dataset.mode === "hybrid", "the retrieval was hybrid (" + sources.dataset.mode + ")");
  const toggle = sources.querySelector(sel("sources-toggle"));
  if (toggle.getAttribute("aria-expanded") !== "true") toggle.click();
  await e2e.sleepFrame();
  const srcRows = Array.from(sources.querySelectorAll(sel("source-row")));
  e2e.assert(srcRows.length > 0, "retrieved chunks are listed");
  const sent = srcRows.filter((r) => r.dataset.sent === "true");
  e2e.assert(sent.length > 0, "some chunks were sent to the model");
  e2e.assert(sent[0].dataset.n === "1", "the first sent source is [1]");
  const vec = sent[0].querySelector(sel("score-vector"));
  const fused = sent[0].querySelector(sel("score-fused"));
  e2e.assert(vec && fused && /\d/.test(fused.textContent), "scores are shown: " + (fused && fused.textContent));
  e2e.log("sources: " + srcRows.map((r) => (r.dataset.sent === "true" ? "[" + r.dataset.n + "]" : "unsent") + " " + r.querySelector(sel("source-label")).textContent).join(" | "));
  await e2e.shot("answer-sources");

  // Open the first source: the viewer shows its text in context.
  sent[0].querySelector(sel("source-label")).click();
  const viewer = await e2e.waitFor("the source viewer opens", () => {
    const v = e2e.$(sel("source-viewer"));
    return v && v.querySelector(sel("source-chunk")) && v.querySelector(sel("source-chunk")).textContent.trim() ? v : null;
  });
  e2e.assert(viewer.dataset.chunk === sent[0].dataset.chunk, "the viewer shows that chunk");
  e2e.assert(viewer.querySelector(sel("source-open-file")), "the viewer can open the file");
  await e2e.shot("source-viewer");
  await e2e.click(sel("source-viewer-close"));
  e2e.log("chat: " + (e2e.$(sel("chat-item")) || {}).dataset?.id);
}
