// Running tab: the model loaded before the window opened is listed with its
// memory, GPU share, expiry and estimate; "Unload now" frees it.
async (e2e) => {
  const { host, name } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-models"));
  await e2e.click(sel("models-tab-running"));
  const row = await e2e.waitFor("running row for " + name, () =>
    e2e.$(`${sel("running-host", `[data-url="${host}"]`)} ${sel("running-row", `[data-name="${name}"]`)}`),
  );
  e2e.assert(/in memory/.test(row.textContent), "memory shown: " + row.textContent);
  e2e.assert(/CPU only|GPU/.test(row.querySelector(sel("running-share")).textContent), "GPU share shown");
  e2e.assert(/unloads in/.test(row.textContent), "expiry shown: " + row.textContent);
  e2e.log("running: " + row.textContent.replace(/\s+/g, " ").trim());
  await e2e.shot("running");
  row.querySelector(sel("running-unload")).click();
  await e2e.waitFor("nothing loaded", () => e2e.$(sel("running-empty")), 30000);
  await e2e.shot("unloaded");
  e2e.log("models running flow done");
}
