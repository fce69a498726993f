// With no Ollama (a closed port), a host that hangs and one that answers
// garbage: each shows its state and a sentence on what to do, and the app
// stays usable: every page opens and hosts can be edited.
async (e2e) => {
  const { down, hang, garbage } = e2e.params;
  const stateOf = (url) => e2e.$(`[data-testid="host-status"][data-url="${url}"]`)?.dataset.state;

  // Navigation works while the hanging host is still being checked.
  await e2e.waitFor("app shell", () => e2e.$('[data-testid="nav-settings"]'));
  for (const p of ["models", "documents", "compare", "settings", "chats"]) {
    await e2e.click(`[data-testid="nav-${p}"]`);
    await e2e.waitFor("page " + p, () => e2e.$(`[data-testid="page-${p}"]`));
  }

  const row = await e2e.waitFor("unreachable state for " + down, () => {
    const r = e2e.$(`[data-testid="host-status"][data-url="${down}"]`);
    return r && r.dataset.state === "unreachable" ? r : null;
  });
  e2e.assert(row.textContent.includes("ollama serve"), "the hint says how to start Ollama: " + row.textContent);
  await e2e.waitFor("timeout state for the hanging host", () => stateOf(hang) === "timeout");
  await e2e.waitFor("bad_response state for the garbage host", () => stateOf(garbage) === "bad_response");
  await e2e.shot("status-down");

  await e2e.click('[data-testid="nav-settings"]');
  await e2e.type('[data-testid="host-input"]', "ftp://not-ollama");
  await e2e.click('[data-testid="host-add"]');
  const err = await e2e.waitFor("inline error for a bad URL", () => e2e.$('[data-testid="host-error"]'));
  e2e.assert(/host URL/i.test(err.textContent), "error names the field: " + err.textContent);
  e2e.assert(e2e.$('[data-testid="host-input"]').value === "ftp://not-ollama", "input kept after an error");
  await e2e.shot("settings-bad-url");

  await e2e.type('[data-testid="host-input"]', "127.0.0.1:9");
  await e2e.click('[data-testid="host-add"]');
  await e2e.waitFor("new host listed", () => stateOf("http://127.0.0.1:9") !== undefined);
  e2e.log("status down flow done");
}
