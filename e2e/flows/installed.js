// The installed package, started by a fresh user with no Ollama running:
// Wadi starts its built-in engine and the status shows it healthy.
async (e2e) => {
  const row = await e2e.waitFor("a healthy host (the built-in engine)", () => {
    const r = e2e.$('[data-testid="host-status"][data-state="ok"]');
    return r || null;
  }, 60000);
  const url = row.dataset.url;
  const welcome = await e2e.waitFor("the welcome screen", () => e2e.$('[data-testid="welcome"]'));
  const engine = await e2e.waitFor("the welcome shows the built-in engine", () => {
    const c = e2e.$('[data-testid="welcome-engine"]');
    return c && c.dataset.kind === "builtin" ? c : null;
  }, 30000);
  e2e.assert(engine.textContent.includes("built-in engine") && engine.textContent.includes(url), "engine card: " + engine.textContent);
  e2e.assert(e2e.$('[data-testid="welcome-machine"]'), "machine card shown");
  e2e.assert(url && !url.endsWith(":" + e2e.params.closedPort), "the healthy host is not the closed default: " + url);
  e2e.log("engine host " + url);
  await e2e.shot("welcome");
  await e2e.click('[data-testid="welcome-done"]');
  await e2e.waitFor("welcome closed", () => !e2e.$('[data-testid="welcome"]'));
  await e2e.shot("installed");
}
