// Prelude of the end-to-end driver (build tag e2e). It runs inside the real
// window, gives a flow small helpers, runs it, and reports through Wails
// events. The Go side substitutes the flow and its parameters.
(async () => {
  const rt = window.runtime;
  const logs = [];
  const e2e = {
    params: __WADI_PARAMS__,
    log(msg) { logs.push(String(msg)); rt.EventsEmit("e2e:log", String(msg)); },
    sleepFrame() { return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); },
    // waitFor polls until fn() returns a truthy value, or fails with what.
    async waitFor(what, fn, timeoutMs = 20000) {
      const end = Date.now() + timeoutMs;
      let last;
      while (Date.now() < end) {
        try { last = await fn(); if (last) return last; } catch (e) { last = e; }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("timed out waiting for " + what + (last instanceof Error ? ": " + last.message : ""));
    },
    $(sel) { return document.querySelector(sel); },
    $$(sel) { return Array.from(document.querySelectorAll(sel)); },
    async click(sel) {
      const el = await e2e.waitFor(sel, () => document.querySelector(sel));
      el.click();
      await e2e.sleepFrame();
      return el;
    },
    async type(sel, text) {
      const el = await e2e.waitFor(sel, () => document.querySelector(sel));
      el.focus();
      el.value = text;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      await e2e.sleepFrame();
      return el;
    },
    assert(cond, msg) { if (!cond) throw new Error("assertion failed: " + msg); },
    // shot asks the Go side for a screenshot of the screen, once painted.
    async shot(name) {
      await e2e.sleepFrame();
      await new Promise((r) => setTimeout(r, 300)); // let CSS transitions settle before the picture
      return new Promise((resolve, reject) => {
        const off = rt.EventsOn("e2e:shot-done", (n, err) => {
          if (n !== name) return;
          off();
          err ? reject(new Error("screenshot " + name + ": " + err)) : resolve();
        });
        rt.EventsEmit("e2e:shot", name);
      });
    },
  };
  try {
    const flow = __WADI_FLOW__;
    // A fresh data dir shows the first-run welcome over the app; flows that
    // are not about it close it first, as a person would.
    await e2e.waitFor("first-run check", () => e2e.$('[data-firstrun="done"]'));
    if (!e2e.params.keepWelcome && e2e.$('[data-testid="welcome"]')) {
      await e2e.click('[data-testid="welcome-done"]');
      await e2e.waitFor("welcome closed", () => !e2e.$('[data-testid="welcome"]'));
    }
    await flow(e2e);
    rt.EventsEmit("e2e:done", { ok: true, message: "", logs });
  } catch (err) {
    rt.EventsEmit("e2e:done", { ok: false, message: String(err) + (err && err.stack ? "\n" + err.stack : ""), logs, html: document.body.innerText.slice(0, 4000) });
  }
})();
