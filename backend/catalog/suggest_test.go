package catalog

import "testing"

func TestSuggest(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	const gib = int64(1) << 30
	cases := []struct {
		name      string
		m         Machine
		wantChat  string // "" = no chat suggestion
		wantEmbed string
	}{
		// 16 GiB laptop, no GPU: the largest Qwen3 up to 8B within half the RAM.
		{"cpu 16G", Machine{RAMBytes: 16 * gib}, "qwen3:8b", "nomic-embed-text:latest"},
		// 8 GiB, no GPU: 8B (about 5.7 GB with KV and overhead) is over half the RAM.
		{"cpu 8G", Machine{RAMBytes: 8 * gib}, "qwen3:4b", "nomic-embed-text:latest"},
		// 24 GiB GPU: the largest Qwen3 that fits entirely on it.
		{"gpu 24G", Machine{RAMBytes: 64 * gib, GPUs: []GPU{{Name: "RTX 4090", VRAMBytes: 24 * gib}}}, "qwen3:32b", "nomic-embed-text:latest"},
		// 1 GiB of RAM: nothing useful fits for chat.
		{"tiny", Machine{RAMBytes: 1 * gib}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var chat, embed string
			for _, s := range c.Suggest(tc.m) {
				switch s.Role {
				case "chat":
					chat = s.PullName
				case "embedding":
					embed = s.PullName
				}
				if s.Summary == "" || s.DownloadBytes <= 0 || s.Verdict == FitNo {
					t.Errorf("incomplete suggestion %+v", s)
				}
			}
			if chat != tc.wantChat || embed != tc.wantEmbed {
				t.Errorf("Suggest = chat %q, embedding %q; want %q, %q", chat, embed, tc.wantChat, tc.wantEmbed)
			}
		})
	}
}
