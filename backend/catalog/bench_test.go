package catalog

import (
	"fmt"
	"testing"
)

// BenchmarkSearch200 filters a catalog of 200 entries (the shipped ones
// repeated under new ids) with fits computed for every variant.
func BenchmarkSearch200(b *testing.B) {
	base, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	c := &Catalog{}
	for i := 0; len(c.Entries) < 200; i++ {
		e := base.Entries[i%len(base.Entries)]
		e.ID = fmt.Sprintf("%s-%d", e.ID, i)
		c.Entries = append(c.Entries, e)
	}
	m := Machine{RAMBytes: 32 << 30, GPUs: []GPU{{VRAMBytes: 12 << 30}}}
	for _, f := range []Filter{{}, {Query: "qwen coder", FitsOnly: true}, {Capability: "tools", MaxParamsB: 30}} {
		b.Run(fmt.Sprintf("%+v", f), func(b *testing.B) {
			for b.Loop() {
				if len(c.Search(m, f, 0)) == 0 {
					b.Fatal("no results")
				}
			}
		})
	}
}
