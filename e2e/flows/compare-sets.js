// Prompt sets: save a set of two prompts, run it against both models, watch
// the progress reach the end, and see a table row per prompt with figures.
async (e2e) => {
  const { models, prompts } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-compare"));
  for (let i = 0; i < models.length; i++) {
    const picker = await e2e.waitFor("column " + i + " lists " + models[i], () => {
      const p = e2e.$(`${sel("compare-model-picker", `[data-column="${i}"]`)} select`);
      return p && Array.from(p.options).some((o) => o.textContent.startsWith(models[i])) ? p : null;
    });
    picker.value = Array.from(picker.options).find((o) => o.textContent.startsWith(models[i])).value;
    picker.dispatchEvent(new Event("change", { bubbles: true }));
    await e2e.sleepFrame();
  }
  await e2e.click(sel("compare-tab-sets"));
  await e2e.click(sel("prompt-set-new"));
  await e2e.type(sel("prompt-set-name"), "Sky questions");
  await e2e.type(sel("prompt-set-prompts"), prompts.join("\n"));
  await e2e.type(sel("prompt-set-tags"), "e2e");
  await e2e.click(sel("prompt-set-save"));
  const item = await e2e.waitFor("the set is listed", () => e2e.$(sel("prompt-set-item")));
  e2e.assert(item.textContent.includes("Sky questions") && item.textContent.includes(prompts.length + " prompts"), "set listed: " + item.textContent);
  await e2e.click(sel("prompt-set-run"));
  const bar = await e2e.waitFor("progress shown", () => e2e.$(sel("prompt-set-progress")));
  e2e.assert(Number(bar.dataset.total) === prompts.length * models.length || Number(bar.dataset.total) === prompts.length, "total counts the work: " + bar.dataset.total);
  await e2e.waitFor("the run is done", () => e2e.$(sel("prompt-set-runview", '[data-state="done"]')), 120000);
  const done = e2e.$(sel("prompt-set-progress"));
  e2e.assert(done.dataset.done === done.dataset.total, "progress complete: " + done.dataset.done + "/" + done.dataset.total);
  const rows = e2e.$$(sel("prompt-set-row"));
  e2e.assert(rows.length === prompts.length, "a row per prompt: " + rows.length);
  for (const r of rows) e2e.assert(/tok\/s/.test(r.textContent), "figures in row: " + r.textContent.slice(0, 200));
  e2e.log("progress: " + done.dataset.done + "/" + done.dataset.total);
  await e2e.shot("sets-done");
}
