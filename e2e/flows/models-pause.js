// A throttled download from the local registry: pause it mid-way from the
// Downloads tab, see it paused with its progress kept, resume, and watch it
// finish at 100%; the tab keeps the row while the page is left and revisited.
async (e2e) => {
  const { name } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  const rowSel = sel("download-row", `[data-name="${name}"]`);
  const percent = (r) => Number(r.querySelector(sel("download-progress")).getAttribute("aria-valuenow"));
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-models"));
  await e2e.click(sel("models-tab-downloads"));
  await e2e.type(sel("pull-input"), name);
  await e2e.click(sel("pull-start"));

  await e2e.waitFor("download under way", () => {
    const r = e2e.$(rowSel);
    return r && r.dataset.state === "downloading" && percent(r) >= 5 ? r : null;
  }, 60000);
  await e2e.shot("downloading");
  await e2e.click(`${rowSel} ${sel("download-pause")}`);
  const paused = await e2e.waitFor("paused", () => {
    const r = e2e.$(rowSel);
    return r && r.dataset.state === "paused" ? r : null;
  });
  const at = percent(paused);
  e2e.assert(at > 0 && at < 100, "paused part-way, at " + at + "%");
  e2e.log("paused at " + at + "%");
  await e2e.shot("paused");

  // Leave the page and come back: the queue is kept.
  await e2e.click(sel("nav-chats"));
  await e2e.click(sel("nav-models"));
  await e2e.waitFor("row kept", () => e2e.$(rowSel));
  e2e.assert(e2e.$(sel("models-tab-downloads")).getAttribute("aria-selected") === "true", "still on Downloads");

  await e2e.click(`${rowSel} ${sel("download-resume")}`);
  const done = await e2e.waitFor("done after resume", () => {
    const r = e2e.$(rowSel);
    if (r && r.dataset.state === "failed") throw new Error("failed: " + r.textContent);
    return r && r.dataset.state === "done" ? r : null;
  }, 90000);
  e2e.assert(percent(done) === 100, "bar at 100 after resume");
  await e2e.shot("resumed-done");
  e2e.log("models pause flow done");
}
