// A 5,000-message chat (imported by the CLI before the window opens):
// opening it mounts only the newest window of messages, scrolling up mounts
// older ones, and the flow logs how long the
// open took and the frame times while scrolling (figures, not asserts).
async (e2e) => {
  const { count } = e2e.params;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.waitFor("the imported chat is listed", () =>
    e2e.$$('[data-testid="chat-item"]').find((el) => el.textContent.includes("Long chat")));
  const id = Number(e2e.$$('[data-testid="chat-item"]').find((el) => el.textContent.includes("Long chat")).dataset.id);
  const g0 = performance.now();
  const raw = await window.go.desktop.App.GetChat(id);
  const getMs = performance.now() - g0;
  e2e.assert(raw.messages.length === count, `GetChat returns the branch of ${count}, got ${raw.messages.length}`);
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const item = e2e.$$('[data-testid="chat-item"]').find((el) => el.textContent.includes("Long chat"));
  const t0 = performance.now();
  item.querySelector("button").click();
  // Poll per frame (not waitFor's 100 ms) so the figure is the real time.
  for (let i = 0; i < 3000 && !e2e.$('[data-testid="message"]'); i++) await frame();
  await frame();
  const openMs = performance.now() - t0;
  const mounted = e2e.$$('[data-testid="message"]').length;
  e2e.assert(mounted > 0 && mounted <= 80, `only a window of messages is mounted, got ${mounted} of ${count}`);
  const last = e2e.$$('[data-testid="message"]').pop();
  e2e.assert(last.textContent.includes(`Answer ${count}`), "the newest message is shown: " + last.textContent.slice(0, 60));
  await e2e.shot("long-open");

  const scroller = e2e.$('[data-testid="messages"]');
  // Idle frames first, as the machine's baseline.
  const idle = [];
  let prev = await frame();
  for (let i = 0; i < 60; i++) {
    const t = await frame();
    idle.push(t - prev);
    prev = t;
  }
  idle.sort((a, b) => a - b);
  const times = [];
  prev = await frame();
  for (let i = 0; i < 240; i++) {
    scroller.scrollTop -= 150;
    const t = await frame();
    times.push(t - prev);
    prev = t;
  }
  times.sort((a, b) => a - b);
  const after = e2e.$$('[data-testid="message"]').length;
  e2e.assert(after > mounted, `scrolling up mounts older messages (${mounted} -> ${after})`);
  await e2e.shot("long-scrolled");
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  e2e.log(`bench: messages=${count} getChat=${getMs.toFixed(0)}ms open=${openMs.toFixed(0)}ms mounted=${mounted} afterScroll=${after} idleMedian=${idle[30].toFixed(1)}ms scrollFrames=${times.length} median=${q(0.5)}ms p95=${q(0.95)}ms max=${q(1)}ms`);
}
