// With the test Ollama up: the status area shows its version, the Models
// page lists the tiny model, and the window title is "Wadi".
async (e2e) => {
  const { host, version, model } = e2e.params;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  const row = await e2e.waitFor("host status ok for " + host, () => {
    const r = e2e.$(`[data-testid="host-status"][data-url="${host}"]`);
    return r && r.dataset.state === "ok" ? r : null;
  });
  e2e.assert(row.textContent.includes(version), `status row shows version ${version}: "${row.textContent}"`);
  e2e.assert(document.title === "Wadi", "window title is Wadi, got " + document.title);
  await e2e.shot("status-ok");

  await e2e.click('[data-testid="nav-models"]');
  await e2e.waitFor("models page lists " + model, () => {
    const p = e2e.$('[data-testid="page-models"]');
    return p && p.textContent.includes(model);
  });
  await e2e.shot("models");
  e2e.log("status ok flow done");
}
