// Models page against the real test Ollama and the local registry: the
// machine and catalog views render, a typed pull name downloads with its
// progress reaching 100%, the model shows under Installed, answers in a chat,
// shows its details, and Delete (after confirmation) removes it.
async (e2e) => {
  const { host, name } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-models"));
  await e2e.waitFor("installed section for " + host, () => e2e.$(sel("host-models", `[data-url="${host}"]`)));

  await e2e.click(sel("models-tab-machine"));
  const ram = await e2e.waitFor("machine RAM", () => {
    const el = e2e.$(sel("machine-ram"));
    return el && /GB total/.test(el.textContent) ? el : null;
  });
  e2e.log("machine: " + ram.textContent.trim());
  await e2e.shot("machine");

  await e2e.click(sel("models-tab-catalog"));
  // The count line says how many entries match; the first cards render at once.
  const all = await e2e.waitFor("catalog of 30+ entries", () => {
    const m = /of (\d+)/.exec(e2e.$(sel("catalog-count"))?.textContent || "");
    return m && Number(m[1]) >= 30 && e2e.$$(sel("catalog-entry")).length >= 20 ? Number(m[1]) : null;
  });
  const cards = e2e.$$(sel("catalog-entry"));
  e2e.assert(e2e.$$(sel("fit-chip")).length >= cards.length, "every card's variants have fit chips");
  await e2e.shot("catalog");
  await e2e.type(sel("catalog-search"), "qwen");
  const some = await e2e.waitFor("filtered catalog", () => {
    const m = /^(\d+) models? of/.exec(e2e.$(sel("catalog-count"))?.textContent.trim() || "");
    const n = m ? Number(m[1]) : 0;
    return n > 0 && n < all ? n : null;
  });
  e2e.assert(
    e2e.$$(sel("catalog-entry")).every((c) => /qwen/i.test(c.textContent)),
    "every card left mentions qwen",
  );
  e2e.log(`catalog: ${all} entries, ${some} for "qwen"`);
  await e2e.type(sel("catalog-search"), "");

  await e2e.click(sel("models-tab-downloads"));
  await e2e.type(sel("pull-input"), name);
  await e2e.click(sel("pull-start"));
  const rowSel = sel("download-row", `[data-name="${name}"]`);
  const seen = [];
  const row = await e2e.waitFor("download done", () => {
    const r = e2e.$(rowSel);
    if (!r) return null;
    const bar = r.querySelector(sel("download-progress"));
    const v = Number(bar.getAttribute("aria-valuenow"));
    if (seen[seen.length - 1] !== v) seen.push(v);
    if (r.dataset.state === "failed") throw new Error("download failed: " + r.textContent);
    return r.dataset.state === "done" ? r : null;
  }, 90000);
  e2e.log("progress seen: " + seen.join(","));
  e2e.assert(row.querySelector(sel("download-progress")).getAttribute("aria-valuenow") === "100", "bar at 100");
  for (let i = 1; i < seen.length; i++) e2e.assert(seen[i] >= seen[i - 1], "progress never goes back: " + seen);
  e2e.assert(row.textContent.includes("100%"), "row says 100%: " + row.textContent);
  await e2e.shot("downloads");

  await e2e.click(sel("models-tab-installed"));
  const modelRow = await e2e.waitFor("installed row for " + name, () =>
    e2e.$(`${sel("host-models", `[data-url="${host}"]`)} ${sel("model-row", `[data-name="${name}"]`)}`),
  );
  e2e.assert(modelRow.textContent.includes("llama"), "family shown: " + modelRow.textContent);
  e2e.assert(modelRow.querySelector('[data-cap="completion"]'), "completion capability badge");
  await e2e.shot("installed");

  // Chat with the model just downloaded.
  await e2e.click(sel("nav-chats"));
  const picker = await e2e.waitFor("chat model picker lists " + name, () => {
    const p = e2e.$(sel("model-picker"));
    return p && Array.from(p.options).some((o) => o.textContent.startsWith(name)) ? p : null;
  });
  picker.value = Array.from(picker.options).find((o) => o.textContent.startsWith(name)).value;
  picker.dispatchEvent(new Event("change", { bubbles: true }));
  await e2e.sleepFrame();
  await e2e.type(sel("composer"), "Hello from the model library");
  await e2e.click(sel("send"));
  const answer = await e2e.waitFor("a complete answer from " + name, () => {
    const a = e2e.$('[data-testid="message"][data-role="assistant"]');
    if (a && a.dataset.status === "error") throw new Error("chat failed: " + a.textContent);
    return a && a.dataset.status === "complete" && a.querySelector(".markdown").textContent.trim() ? a : null;
  }, 60000);
  e2e.assert(answer.querySelector(sel("metrics")), "speed figures under the answer");
  await e2e.shot("chat");
  await e2e.click(sel("nav-models"));
  await e2e.click(sel("models-tab-installed"));
  const again = await e2e.waitFor("installed row again", () =>
    e2e.$(`${sel("host-models", `[data-url="${host}"]`)} ${sel("model-row", `[data-name="${name}"]`)}`),
  );

  again.querySelector("button.link").click();
  const tpl = await e2e.waitFor("details template", () => e2e.$(sel("details-template")));
  e2e.assert(tpl.textContent.includes("<|system|>"), "template shown as text: " + tpl.textContent.slice(0, 80));
  await e2e.shot("details");
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
  await e2e.waitFor("drawer closed", () => !e2e.$(sel("model-details")));

  again.querySelector(sel("model-delete")).click();
  await e2e.waitFor("confirm dialog", () => e2e.$(sel("confirm-dialog")));
  await e2e.shot("confirm-delete");
  await e2e.click(sel("confirm-delete"));
  await e2e.waitFor("model gone from Installed", () => !e2e.$(sel("model-row", `[data-name="${name}"]`)), 30000);
  e2e.log("models download flow done");
}
