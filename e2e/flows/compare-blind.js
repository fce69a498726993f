// Compare two models blind: pick them, send one prompt, check no model name
// is anywhere on the page before the vote, vote A, see the names revealed and
// the leaderboard go from empty to the winner first.
async (e2e) => {
  const { models, prompt, tag } = e2e.params;
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-compare"));

  // The leaderboard starts empty.
  await e2e.click(sel("compare-tab-leaderboard"));
  await e2e.waitFor("leaderboard loaded", () => e2e.$(sel("compare-leaderboard", '[data-loaded="true"]')));
  e2e.assert(e2e.$$(sel("leader-row")).length === 0, "no leaderboard rows before any vote");
  await e2e.click(sel("compare-tab-compare"));

  for (let i = 0; i < models.length; i++) {
    const picker = await e2e.waitFor("column " + i + " lists " + models[i], () => {
      const p = e2e.$(`${sel("compare-model-picker", `[data-column="${i}"]`)} select`);
      return p && Array.from(p.options).some((o) => o.textContent.startsWith(models[i])) ? p : null;
    });
    picker.value = Array.from(picker.options).find((o) => o.textContent.startsWith(models[i])).value;
    picker.dispatchEvent(new Event("change", { bubbles: true }));
    await e2e.sleepFrame();
  }
  const blind = e2e.$(sel("compare-blind"));
  if (!blind.checked) await e2e.click(sel("compare-blind"));
  e2e.assert(blind.checked, "blind mode on");
  await e2e.type(sel("compare-tags"), tag);
  await e2e.type(sel("compare-input"), prompt);
  await e2e.shot("setup");
  await e2e.click(sel("compare-send"));

  await e2e.waitFor("two columns", () => e2e.$$(sel("compare-column")).length === 2);
  const vote = await e2e.waitFor("both answers done and the vote offered", () => e2e.$(sel("compare-vote")), 90000);
  const cols = e2e.$$(sel("compare-column"));
  e2e.assert(cols.map((c) => c.dataset.label).join() === "A,B", "labels A, B: " + cols.map((c) => c.dataset.label));
  for (const c of cols) {
    e2e.assert(c.dataset.model === "", "column " + c.dataset.label + " has no model before the vote");
    const answer = c.querySelector(sel("compare-answer"));
    e2e.assert(answer.textContent.trim().length > 0, "column " + c.dataset.label + " answered");
    e2e.assert(c.querySelector(sel("compare-metrics")), "column " + c.dataset.label + " has figures");
  }
  const bars = e2e.$$(`${sel("compare-chart")} ${sel("compare-bar")}`);
  e2e.assert(bars.length === 2 && bars.every((b) => Number(b.dataset.value) > 0), "chart has a bar per column");
  const page = document.body.innerText + "\n" + document.body.innerHTML;
  for (const m of models) e2e.assert(!page.includes(m), "the page names " + m + " before the vote");
  e2e.assert(vote.textContent.includes("A is better"), "vote buttons shown");
  await e2e.shot("blind");

  await e2e.click(sel("compare-vote-A"));
  const revealed = await e2e.waitFor("names revealed", () => e2e.$(sel("compare-revealed")));
  for (const m of models) e2e.assert(revealed.textContent.includes(m), "revealed names " + m + ": " + revealed.textContent);
  const winner = e2e.$(sel("compare-column", '[data-label="A"]')).dataset.model;
  e2e.assert(winner, "column A shows its model after the vote");
  e2e.log("winner: " + winner);
  await e2e.shot("revealed");

  await e2e.click(sel("compare-tab-leaderboard"));
  const rows = await e2e.waitFor("two leaderboard rows", () => {
    const r = e2e.$$(sel("leader-row"));
    return r.length === 2 ? r : null;
  });
  e2e.assert(rows.every((r) => r.dataset.votes === "1"), "one vote each");
  e2e.log("top: " + rows[0].dataset.model);
  const tagOption = await e2e.waitFor("tag filter offers " + tag, () =>
    Array.from(e2e.$(sel("leader-tag")).options).find((o) => o.value === tag),
  );
  e2e.assert(tagOption, "tag offered");
  await e2e.shot("leaderboard");

  // "Continue with this one" turns column A into a normal chat.
  await e2e.click(sel("compare-tab-compare"));
  const a = e2e.$(sel("compare-column", '[data-label="A"]'));
  const answerA = a.querySelector(sel("compare-answer")).textContent.trim();
  await e2e.click(`${sel("compare-column", '[data-label="A"]')} ${sel("compare-continue")}`);
  const reply = await e2e.waitFor("the chat opens with A's answer", () =>
    e2e.$('[data-testid="message"][data-role="assistant"]'),
  );
  const user = e2e.$('[data-testid="message"][data-role="user"]');
  e2e.assert(user && user.textContent.includes(prompt), "the chat holds the prompt");
  e2e.assert(reply.textContent.includes(answerA.slice(0, 20)), "the chat holds A's answer");
  e2e.assert(!e2e.$(sel("page-compare")), "the Chats page is shown");
  await e2e.shot("continued");
}
