// Import GGUF tab: a file that is not GGUF is refused with a message naming
// it; a generated GGUF imports with progress to "done" and shows under
// Installed.
async (e2e) => {
  const { host, good, bad, name } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-models"));
  await e2e.click(sel("models-tab-import"));

  await e2e.type(sel("import-path"), bad);
  await e2e.type(sel("import-name"), "not-a-model");
  await e2e.click(sel("import-start"));
  const err = await e2e.waitFor("refusal of a non-GGUF file", () => e2e.$(sel("import-error")));
  e2e.assert(err.textContent.includes(bad) && /not a GGUF/.test(err.textContent), "error names the file: " + err.textContent);
  await e2e.shot("import-refused");

  await e2e.type(sel("import-path"), good);
  await e2e.type(sel("import-name"), name);
  await e2e.type(sel("import-system"), "You are tiny.");
  await e2e.type(sel("import-parameters"), "temperature 0.2");
  await e2e.click(sel("import-start"));
  const job = await e2e.waitFor("import done", () => {
    const j = e2e.$(sel("import-job", `[data-name="${name}"]`));
    if (j && j.dataset.state === "failed") throw new Error("import failed: " + j.textContent);
    return j && j.dataset.state === "done" ? j : null;
  }, 60000);
  e2e.assert(job.querySelector('[role="progressbar"]').getAttribute("aria-valuenow") === "100", "import bar at 100");
  e2e.assert(!e2e.$(sel("import-error")), "the earlier error is gone");
  await e2e.shot("import-done");

  await e2e.click(sel("models-tab-installed"));
  await e2e.waitFor("imported model listed", () =>
    e2e.$(`${sel("host-models", `[data-url="${host}"]`)} ${sel("model-row", `[data-name="${name}"]`)}`),
  );
  e2e.log("models import flow done");
}
