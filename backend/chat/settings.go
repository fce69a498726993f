package chat

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// DefaultNumCtx is the context length Wadi asks for when a chat sets none
// and the model allows it (Ollama's own default is 4096).
const DefaultNumCtx = 8192

// Validate checks the settings and returns an error naming the first bad
// field.
func (s Settings) Validate() error {
	if s.Temperature != nil && (math.IsNaN(*s.Temperature) || *s.Temperature < 0 || *s.Temperature > 2) {
		return fmt.Errorf("temperature %v: must be between 0 and 2", *s.Temperature)
	}
	if s.TopP != nil && (math.IsNaN(*s.TopP) || *s.TopP < 0 || *s.TopP > 1) {
		return fmt.Errorf("topP %v: must be between 0 and 1", *s.TopP)
	}
	if s.NumCtx != nil && (*s.NumCtx < 256 || *s.NumCtx > 1<<21) {
		return fmt.Errorf("numCtx %d: must be between 256 and %d tokens", *s.NumCtx, 1<<21)
	}
	if _, err := keepAlive(s.KeepAlive); err != nil {
		return err
	}
	return nil
}

// keepAlive parses the keepAlive field: "" (Ollama's default), a Go
// duration ("10m", "1h30m"), or a number of seconds ("-1" keeps the model
// loaded for good, "0" unloads it at once).
func keepAlive(v string) (*api.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < 0 {
			return &api.Duration{Duration: -1}, nil
		}
		return &api.Duration{Duration: time.Duration(n * float64(time.Second))}, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return nil, fmt.Errorf("keepAlive %q: use a duration like 5m or 1h, or seconds (-1: keep loaded)", v)
	}
	if d < 0 {
		d = -1
	}
	return &api.Duration{Duration: d}, nil
}

// encodeSettings is the JSON the store keeps.
func encodeSettings(s Settings) string {
	b, _ := json.Marshal(s) // plain fields: cannot fail
	return string(b)
}

// decodeSettings reads stored settings; bad JSON gives defaults plus an
// error naming the thing.
func decodeSettings(what, raw string) (Settings, error) {
	var s Settings
	if raw == "" {
		return s, nil
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return Settings{}, fmt.Errorf("%s: stored settings are not valid JSON: %w", what, err)
	}
	return s, nil
}

// requestOptions maps settings to Ollama's options, with num_ctx resolved.
func requestOptions(s Settings, numCtx int) map[string]any {
	opts := map[string]any{"num_ctx": numCtx}
	if s.Temperature != nil {
		opts["temperature"] = *s.Temperature
	}
	if s.TopP != nil {
		opts["top_p"] = *s.TopP
	}
	if s.Seed != nil {
		opts["seed"] = *s.Seed
	}
	return opts
}

// resolveNumCtx is the chat's numCtx if set, else DefaultNumCtx where the
// model's context length (0: unknown) allows it, else that length.
func resolveNumCtx(s Settings, modelCtx int) int {
	if s.NumCtx != nil {
		return *s.NumCtx
	}
	if modelCtx > 0 && modelCtx < DefaultNumCtx {
		return modelCtx
	}
	return DefaultNumCtx
}
