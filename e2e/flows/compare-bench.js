// Benchmark of the Compare UI alone: four columns stream at a rate far above
// what the backend sends (it batches to ≤ 30 events/s per column), from a
// stand-in for the bound methods, and the flow measures what the window does
// with it: every token must arrive, and we count repaints per column per
// second and frame times. Figures go to docs/benchmarks.md ("Compare UI").
async (e2e) => {
  const { seconds, tokensPerTick, tickMs } = e2e.params;
  const H = "http://127.0.0.1:1";
  const app = window.go.desktop.App;
  const listeners = {};
  const on = window.runtime.EventsOn;
  window.runtime.EventsOn = (name, cb) => {
    (listeners[name] = listeners[name] || []).push(cb);
    return on(name, cb);
  };
  const emit = (d) => (listeners["compare:stream"] || []).forEach((cb) => cb(d));
  const names = ["m1", "m2", "m3", "m4"];
  app.ChatModels = async () => names.map((n) => ({ host: H, name: n, capabilities: ["completion"], contextLength: 8192, family: "x", parameterSize: "1B" }));
  app.ListCompares = async () => [];
  app.StartCompare = async (req) => ({
    id: 1, prompt: req.prompt, blind: false, tags: [], createdAt: new Date().toISOString(), schedule: "concurrent", scheduleNote: "",
    columns: names.map((n, i) => ({ index: i, label: "ABCD"[i], host: H, model: n, state: "running", order: 1 })),
    turns: [{ index: 0, prompt: req.prompt, answers: [] }], votes: [],
  });
  const sel = (id, attrs = "") => `[data-testid="${id}"]${attrs}`;
  await e2e.waitFor("app ready", () => e2e.$('[data-ready="true"]'));
  await e2e.click(sel("nav-compare"));
  await e2e.waitFor("two pickers", () => e2e.$$(sel("compare-model-picker")).length === 2);
  await e2e.click(sel("compare-add-column"));
  await e2e.click(sel("compare-add-column"));
  await e2e.type(sel("compare-input"), "bench");
  await e2e.click(sel("compare-send"));
  const cols = await e2e.waitFor("four columns", () => {
    const c = e2e.$$(sel("compare-column"));
    return c.length === 4 ? c : null;
  });

  // Baseline: 60 idle frames with the four columns on screen.
  const idle = await new Promise((resolve) => {
    const gaps = [];
    let prev = performance.now();
    const tick = (t) => {
      gaps.push(t - prev);
      prev = t;
      if (gaps.length < 60) requestAnimationFrame(tick);
      else resolve(gaps.slice(2).sort((a, b) => a - b));
    };
    requestAnimationFrame(tick);
  });
  e2e.log(`bench: idle frame interval: median ${idle[Math.floor(idle.length / 2)].toFixed(1)} ms`);

  // Repaints per column: one MutationObserver callback per paint of an answer.
  const paints = [0, 0, 0, 0];
  const observers = cols.map((c, i) => {
    const o = new MutationObserver(() => paints[i]++);
    o.observe(c.querySelector(sel("compare-answer")), { childList: true, subtree: true, characterData: true });
    return o;
  });
  const frames = [];
  let last = performance.now();
  let measuring = true;
  const loop = (t) => {
    frames.push(t - last);
    last = t;
    if (measuring) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);

  const sent = ["", "", "", ""];
  let n = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      for (let col = 0; col < 4; col++) {
        let piece = "";
        for (let k = 0; k < tokensPerTick; k++) piece += `t${n + k} `;
        sent[col] += piece;
        emit({ runId: 1, turn: 0, column: col, content: piece, thinking: "", done: false, status: "streaming", error: "", metrics: null, columnState: "running" });
      }
      n += tokensPerTick;
      if (performance.now() - start >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, tickMs);
  });
  const elapsed = (performance.now() - start) / 1000;
  const metrics = { ttftMs: 1, loadMs: 1, promptTokens: 1, promptMs: 1, outputTokens: n, outputMs: 1, tokensPerSec: n / elapsed, totalMs: elapsed * 1000 };
  for (let col = 0; col < 4; col++) {
    emit({ runId: 1, turn: 0, column: col, content: "", thinking: "", done: true, status: "complete", error: "", metrics, columnState: "done" });
  }
  await e2e.waitFor("all columns done", () => e2e.$$(sel("compare-column", '[data-state="done"]')).length === 4);
  await e2e.sleepFrame();
  measuring = false;
  observers.forEach((o) => o.disconnect());

  for (let col = 0; col < 4; col++) {
    const shown = cols[col].querySelector(`${sel("compare-answer")} .markdown`).textContent.trim();
    e2e.assert(shown === sent[col].trim(), `column ${col} shows every token (${shown.length} of ${sent[col].trim().length} characters)`);
  }
  const sorted = frames.slice(2).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
  e2e.log(`bench: tokens per column: ${n} in ${elapsed.toFixed(2)} s (${Math.round(n / elapsed)} tokens/s per column, ${Math.round(1000 / tickMs)} events/s per column)`);
  e2e.log(`bench: repaints per column per second: ${paints.map((p) => (p / elapsed).toFixed(1)).join(", ")}`);
  e2e.log(`bench: frame interval: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  e2e.log("bench: dropped tokens: 0");
  await e2e.shot("bench");
}
