package catalog

import (
	"strings"
	"testing"
)

// TestShippedCatalog validates every entry of assets/catalog.json.
func TestShippedCatalog(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Entries) < 30 {
		t.Errorf("catalog has %d entries, want at least 30", len(c.Entries))
	}
	ids := map[string]Entry{}
	for _, e := range c.Entries {
		ids[e.ID] = e
		for _, v := range e.Variants {
			if !ValidPullName(v.PullName) || v.DownloadBytes <= 0 || v.ParamsB <= 0 {
				t.Errorf("%s: bad variant %+v", e.ID, v)
			}
			if !e.IsEmbedding() && (v.Arch == nil || v.Arch.Layers == 0 || v.Arch.KVHeads == 0 || v.Arch.HeadDim == 0) {
				t.Errorf("%s: %s lacks architecture facts", e.ID, v.PullName)
			}
			if strings.Contains(v.Params, "-A") && (v.Arch == nil || v.Arch.Experts == 0) {
				t.Errorf("%s: MoE %s lacks expert counts", e.ID, v.PullName)
			}
		}
		if e.ServerOnly {
			if _, _, ok := c.Lookup(e.LocalAlternative); !ok {
				t.Errorf("%s: local alternative %q is not in the catalog", e.ID, e.LocalAlternative)
			}
		}
	}
	for _, id := range []string{"qwen3", "qwen3-moe", "qwen2.5-coder", "deepseek-r1", "deepseek-r1-671b",
		"deepseek-v3", "deepseek-v3.1", "glm4", "glm-4.5", "glm-4.6", "kimi-k2", "minimax-m2", "gemma3",
		"llama3.2", "llama3.1", "llama3.3", "mistral", "mixtral", "phi4", "gpt-oss",
		"nomic-embed-text", "bge-m3", "mxbai-embed-large", "qwen3-embedding"} {
		if _, ok := ids[id]; !ok {
			t.Errorf("catalog lacks %s", id)
		}
	}
	// Qwen3 spans 0.6B to 235B; the R1 distills 1.5B to 70B.
	for _, name := range []string{"qwen3:0.6b", "qwen3:235b", "deepseek-r1:1.5b", "deepseek-r1:70b", "deepseek-r1:671b"} {
		if _, _, ok := c.Lookup(name); !ok {
			t.Errorf("catalog lacks %s", name)
		}
	}
	if e, _, ok := c.Lookup("nomic-embed-text"); !ok || e.ID != "nomic-embed-text" {
		t.Errorf("a name without a tag must find its :latest variant")
	}
}

func TestParseRejectsBadEntries(t *testing.T) {
	good := `{"id":"m","family":"f","name":"M","description":"d","license":"MIT","capabilities":["completion"],
		"contextDefault":4096,"contextMax":8192,"localAlternative":"","serverOnly":false,
		"sizes":[{"params":"1B","paramsB":1,"arch":{"layers":2,"kvHeads":1,"headDim":64},
		"variants":[{"pullName":"m:1b","quant":"Q4_K_M","downloadBytes":100}]}]}`
	if _, err := Parse([]byte(`{"version":1,"models":[`+good+`]}`), "test"); err != nil {
		t.Fatalf("good entry refused: %v", err)
	}
	for _, tc := range []struct{ from, to, want string }{
		{`"m:1b"`, `"m 1b"`, "pullName"},
		{`"downloadBytes":100`, `"downloadBytes":0`, "downloadBytes"},
		{`"arch":{"layers":2,"kvHeads":1,"headDim":64},`, ``, "arch"},
		{`"capabilities":["completion"]`, `"capabilities":["telepathy"]`, "capabilities"},
		{`"serverOnly":false`, `"serverOnly":true`, "localAlternative"},
		{`"license":"MIT"`, `"license":""`, "license"},
		{`"contextMax":8192`, `"contextMax":1024`, "contextMax"},
		{`"family":"f"`, `"famly":"f"`, "famly"},
	} {
		bad := strings.Replace(good, tc.from, tc.to, 1)
		_, err := Parse([]byte(`{"version":1,"models":[`+bad+`]}`), "test.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "test.json") {
			t.Errorf("%s -> %s: err %v, want one naming %q and the file", tc.from, tc.to, err, tc.want)
		}
	}
	dup := `{"version":1,"models":[` + good + `,` + good + `]}`
	if _, err := Parse([]byte(dup), "t"); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate id: %v", err)
	}
}

func TestValidPullName(t *testing.T) {
	for name, want := range map[string]bool{
		"qwen3:8b": true, "hf.co/unsloth/GLM-4.5-Air-GGUF:Q4_K_M": true,
		"127.0.0.1:5000/library/tiny:latest": true, "user/model:tag": true,
		"qwen3": false, "qwen3:": false, ":8b": false, "a b:c": false, "hf.co/x:y/z": false,
	} {
		if got := ValidPullName(name); got != want {
			t.Errorf("ValidPullName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestSearch(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	laptop := Machine{RAMBytes: 16 << 30} // no GPU: 14 GiB usable
	all := c.Search(laptop, Filter{}, 0)
	if len(all) != len(c.Entries) {
		t.Fatalf("empty filter: %d of %d entries", len(all), len(c.Entries))
	}
	emb := c.Search(laptop, Filter{Capability: "embedding"}, 0)
	if len(emb) != 4 {
		t.Errorf("embedding models: got %d, want 4", len(emb))
	}
	for _, l := range c.Search(laptop, Filter{FitsOnly: true}, 0) {
		for _, v := range l.Variants {
			if v.Fit.Verdict == FitNo {
				t.Errorf("fitsOnly kept %s (%s)", v.PullName, v.Fit.Summary)
			}
		}
		if l.ID == "kimi-k2" || l.ID == "llama3.3" {
			t.Errorf("fitsOnly kept %s on a 16 GiB laptop", l.ID)
		}
	}
	small := c.Search(laptop, Filter{Family: "QWEN", MaxParamsB: 2}, 0)
	for _, l := range small {
		for _, v := range l.Variants {
			if v.ParamsB > 2 || l.Family != "qwen" {
				t.Errorf("family/maxParams filter kept %s", v.PullName)
			}
		}
	}
	if len(small) == 0 {
		t.Error("no small qwen models")
	}
	q := c.Search(laptop, Filter{Query: "coder qwen"}, 0)
	if len(q) != 2 || q[0].ID != "qwen3-coder" || q[1].ID != "qwen2.5-coder" {
		ids := []string{}
		for _, l := range q {
			ids = append(ids, l.ID)
		}
		t.Errorf("query 'coder qwen' = %v", ids)
	}
	if r := c.Search(laptop, Filter{Query: "no-such-model"}, 0); len(r) != 0 {
		t.Errorf("query matched %d entries", len(r))
	}
}
