// Send a prompt to the tiny model, see the answer stream in, stop it, and
// log the partial answer's text for the restart flow.
async (e2e) => {
  const { model, prompt } = e2e.params;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  const picker = await e2e.waitFor("model picker lists " + model, () => {
    const p = e2e.$('[data-testid="model-picker"]');
    return p && Array.from(p.options).some((o) => o.textContent.startsWith(model)) ? p : null;
  });
  const option = Array.from(picker.options).find((o) => o.textContent.startsWith(model));
  picker.value = option.value;
  picker.dispatchEvent(new Event("change", { bubbles: true }));
  await e2e.sleepFrame();

  await e2e.type('[data-testid="composer"]', prompt);
  await e2e.click('[data-testid="send"]');
  const answer = await e2e.waitFor("the answer streams", () => {
    const a = e2e.$('[data-testid="message"][data-role="assistant"][data-status="streaming"]');
    return a && a.querySelector(".markdown").textContent.trim().length >= 5 ? a : null;
  });
  const user = e2e.$('[data-testid="message"][data-role="user"]');
  e2e.assert(user && user.textContent.includes(prompt), "the prompt is shown");
  const early = answer.querySelector(".markdown").textContent.length;
  await e2e.waitFor("more text arrives", () => answer.querySelector(".markdown").textContent.length > early || answer.dataset.status !== "streaming");
  e2e.assert(answer.dataset.status === "streaming", "still streaming before Stop (status " + answer.dataset.status + ")");
  await e2e.shot("streaming");

  await e2e.click('[data-testid="stop"]');
  await e2e.waitFor("the answer is marked incomplete", () => answer.dataset.status === "incomplete");
  e2e.assert(answer.textContent.includes("Answer incomplete"), "incomplete marker shown");
  e2e.assert(answer.querySelector('[data-testid="retry"]'), "retry button shown");
  e2e.assert(e2e.$('[data-testid="send"]'), "send is back after stopping");
  const item = await e2e.waitFor("chat in the list", () => e2e.$('[data-testid="chat-item"]'));
  e2e.assert(item.textContent.trim().length > 0, "the chat has a title");
  await e2e.shot("stopped");
  e2e.log("partial: " + answer.querySelector(".markdown").textContent);
}
