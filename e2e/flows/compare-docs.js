// Compare with documents: two models answer the same prompt with the same
// collection attached; the run shows the sources every column was given.
// Then Ctrl+K history search finds the run and opens it on the Compare page.
async (e2e) => {
  const { models, collection, prompt, term } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-compare"));
  for (let i = 0; i < models.length; i++) {
    const picker = await e2e.waitFor("column " + i + " lists " + models[i], () => {
      const p = e2e.$(`${sel("compare-model-picker", `[data-column="${i}"]`)} select`);
      return p && Array.from(p.options).some((o) => o.textContent.startsWith(models[i] + ":")) ? p : null;
    });
    picker.value = Array.from(picker.options).find((o) => o.textContent.startsWith(models[i] + ":")).value;
    picker.dispatchEvent(new Event("change", { bubbles: true }));
    await e2e.sleepFrame();
  }
  const coll = e2e.$(sel("compare-collection"));
  coll.dispatchEvent(new Event("focus"));
  await e2e.waitFor("collections listed", () => Array.from(coll.options).some((o) => o.value === collection));
  coll.value = collection;
  coll.dispatchEvent(new Event("change", { bubbles: true }));
  await e2e.sleepFrame();
  await e2e.type(sel("compare-input"), prompt);
  await e2e.click(sel("compare-send"));
  await e2e.waitFor("both columns answered", () => {
    const a = e2e.$$(sel("compare-answer"));
    return a.length === 2 && a.every((x) => x.dataset.status === "complete");
  }, 90000);
  const run = e2e.$(sel("compare-run"));
  e2e.assert(e2e.$(sel("compare-run-collection")).textContent.includes(collection), "the run names its collection");
  const sources = await e2e.waitFor("the turn's sources", () => e2e.$(sel("compare-sources", '[data-turn="0"]')));
  e2e.assert(e2e.$(sel("compare-sources-mode")).dataset.mode === "hybrid", "hybrid retrieval");
  if (!sources.open) sources.open = true;
  await e2e.sleepFrame();
  const rows = e2e.$$(sel("compare-source"));
  e2e.assert(rows.length > 0 && rows.some((r) => r.dataset.sent === "true"), "sources listed, some sent: " + rows.length);
  await e2e.shot("compare-sources");
  e2e.log("run: " + run.dataset.run);

  // Ctrl+K from the Chats page finds the run and opens it.
  await e2e.click(sel("nav-chats"));
  await e2e.click(sel("search-open"));
  await e2e.type(sel("search-input"), term);
  const hit = await e2e.waitFor("a compare hit", () => e2e.$(sel("search-hit", '[data-kind="compare"]')));
  e2e.assert(hit.querySelector(sel("search-hit-kind")).textContent.trim().length > 0, "the hit says it is a comparison");
  await e2e.shot("search-compare");
  hit.click();
  await e2e.waitFor("the run opens on the Compare page", () => e2e.$(sel("compare-run", `[data-run="${run.dataset.run}"]`)));
}
