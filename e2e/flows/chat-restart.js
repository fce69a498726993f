// After a restart on the same data: the chat and its partial answer are
// there, and history search finds the prompt and jumps to it.
async (e2e) => {
  const { prompt, partial, term, short } = e2e.params;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  const item = await e2e.waitFor("the chat survived the restart", () => e2e.$('[data-testid="chat-item"]'));
  item.querySelector("button").click();
  const answer = await e2e.waitFor("the partial answer is shown", () =>
    e2e.$('[data-testid="message"][data-role="assistant"]'));
  const user = e2e.$('[data-testid="message"][data-role="user"]');
  e2e.assert(user.textContent.includes(prompt), "prompt kept: " + user.textContent);
  e2e.assert(answer.dataset.status === "incomplete", "answer still marked incomplete, got " + answer.dataset.status);
  await e2e.waitFor("the stored text equals what was on screen", () =>
    answer.querySelector(".markdown").textContent === partial);
  e2e.assert(answer.querySelector('[data-testid="retry"]'), "retry offered after restart");
  await e2e.shot("restarted");

  document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "k", ctrlKey: true, bubbles: true }));
  await e2e.type('[data-testid="search-input"]', term);
  const hit = await e2e.waitFor("search finds " + term, () => e2e.$('[data-testid="search-hit"]'));
  const mark = hit.querySelector("mark");
  e2e.assert(mark && mark.textContent.toLowerCase().includes(term), "hit is highlighted: " + hit.innerHTML);
  await e2e.shot("search");
  const target = hit.dataset.message;
  hit.click();
  await e2e.waitFor("jumped to the message", () => {
    const m = e2e.$(`[data-testid="message"][data-id="${target}"]`);
    return m && m.classList.contains("focused");
  });

  // A complete answer from the short model: speed figures, then Regenerate
  // makes a second version with a 2/2 switcher.
  const picker = e2e.$('[data-testid="model-picker"]');
  const option = Array.from(picker.options).find((o) => o.textContent.startsWith(short));
  picker.value = option.value;
  picker.dispatchEvent(new Event("change", { bubbles: true }));
  await e2e.waitFor("a new empty chat", () => e2e.$$('[data-testid="message"]').length === 0);
  await e2e.type('[data-testid="composer"]', "Count to three");
  await e2e.click('[data-testid="send"]');
  const done = await e2e.waitFor("a complete answer", () =>
    e2e.$('[data-testid="message"][data-role="assistant"][data-status="complete"]'));
  const metrics = await e2e.waitFor("speed figures", () => done.querySelector('[data-testid="metrics"]'));
  e2e.assert(/TTFT \d/.test(metrics.textContent) && /tok\/s/.test(metrics.textContent) && /output tokens/.test(metrics.textContent),
    "metrics line: " + metrics.textContent);
  await e2e.click('[data-testid="message"][data-role="assistant"] [data-testid="regenerate"]');
  await e2e.waitFor("second version", () => {
    const l = e2e.$('[data-testid="message"][data-role="assistant"][data-status="complete"] [data-testid="branch-label"]');
    return l && l.textContent.trim() === "2/2" ? l : null;
  });
  await e2e.shot("regenerated");
  await e2e.click('[data-testid="branch-prev"]');
  await e2e.waitFor("back to version 1", () => {
    const l = e2e.$('[data-testid="branch-label"]');
    return l && l.textContent.trim() === "1/2";
  });
  e2e.log("restart flow done");
}
