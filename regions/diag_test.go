package regions

import (
	"math/rand/v2"
	"testing"
)

func TestDiagGap(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2026))
	for k := range 200 {
		ds, ss, opt := randomInstance(r)
		if k != 5 && k != 9 {
			continue
		}
		ex, _ := ConsolidateExact(ds, ss, opt)
		h, _ := Consolidate(ds, ss, opt)
		t.Logf("inst %d n=%d m=%d P=%d haul=%.0f groups=%v", k, len(ds), len(ss), opt.P, opt.MaxHaulKm, opt.WithinGroups)
		for _, s := range ss {
			t.Logf("  site %s cap %.0f", s.ID, s.Capacity)
		}
		for _, c := range []*Consolidation{ex, h} {
			t.Logf(" tkm %.0f", c.TKm)
			for _, b := range c.Blocks {
				t.Logf("   %s cap %.0f tonnes %.0f members %v", b.ID, b.Facility.Capacity, b.Tonnes, b.Members)
			}
		}
	}
}
