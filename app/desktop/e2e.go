//go:build e2e

package desktop

// The end-to-end driver, built only with the e2e tag: when WADI_E2E_SCRIPT
// names a flow file, it runs that flow inside the app's own webview once the
// UI has loaded, takes screenshots on request (ImageMagick `import` of the X
// screen), writes result.json into WADI_E2E_OUT and quits the app.

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

//go:embed e2e_prelude.js
var e2ePrelude string

// E2EResult is what the driver writes to result.json.
type E2EResult struct {
	OK      bool     `json:"ok"`
	Message string   `json:"message"`
	Logs    []string `json:"logs"`
	Text    string   `json:"text,omitempty"`
	Shots   []string `json:"shots"`
}

func init() { domReadyHooks = append(domReadyHooks, runE2E) }

func runE2E(ctx context.Context) {
	script, out := os.Getenv("WADI_E2E_SCRIPT"), os.Getenv("WADI_E2E_OUT")
	if script == "" || out == "" {
		return
	}
	res := E2EResult{}
	finish := func() {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(filepath.Join(out, "result.json"), b, 0o644); err != nil {
			slog.Error("e2e: write result", "err", err)
		}
		runtime.Quit(ctx)
	}
	src, err := os.ReadFile(script)
	if err != nil {
		res.Message = err.Error()
		finish()
		return
	}
	params := os.Getenv("WADI_E2E_PARAMS")
	if params == "" {
		params = "{}"
	}
	done := make(chan map[string]any, 1)
	runtime.EventsOn(ctx, "e2e:log", func(d ...any) { slog.Info("e2e", "log", fmt.Sprint(d...)) })
	runtime.EventsOn(ctx, "e2e:done", func(d ...any) {
		if len(d) > 0 {
			if m, ok := d[0].(map[string]any); ok {
				done <- m
				return
			}
		}
		done <- map[string]any{"ok": false, "message": "e2e:done without data"}
	})
	runtime.EventsOn(ctx, "e2e:shot", func(d ...any) {
		name := fmt.Sprint(d[0])
		path := filepath.Join(out, name+".png")
		msg := ""
		if b, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
			msg = fmt.Sprintf("%v: %s", err, b)
		} else {
			res.Shots = append(res.Shots, path)
		}
		runtime.EventsEmit(ctx, "e2e:shot-done", name, msg)
	})
	js := strings.Replace(e2ePrelude, "__WADI_FLOW__", string(src), 1)
	js = strings.Replace(js, "__WADI_PARAMS__", params, 1)
	runtime.WindowExecJS(ctx, js)
	go func() {
		select {
		case m := <-done:
			res.OK, _ = m["ok"].(bool)
			res.Message, _ = m["message"].(string)
			res.Text, _ = m["html"].(string)
			if logs, ok := m["logs"].([]any); ok {
				for _, l := range logs {
					res.Logs = append(res.Logs, fmt.Sprint(l))
				}
			}
		case <-time.After(90 * time.Second):
			res.Message = "e2e flow did not finish within 90 s"
		}
		finish()
	}()
}
