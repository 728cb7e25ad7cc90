package cli

import (
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// TestResultWorkers checks the bound on results in memory at once (runs
// of variants and attribution): --workers, cut to the result budget.
func TestResultWorkers(t *testing.T) {
	cfg := func(regions int) *sim.Config {
		return &sim.Config{BaseYear: 2023, EndYear: 2050, Regions: make([]sim.Region, regions), Materials: make([]model.Material, 12)}
	}
	// One all-Japan result: 1,741 regions × 12 materials × 28 years × 48
	// flows × 8 bytes = 224.6 MB, so 300 MB holds one.
	if n := len(model.Flows{}); n != 48 {
		t.Fatalf("%d flows; the hand values below assume 48", n)
	}
	for _, tc := range []struct{ regions, workers, want int }{
		{1741, 16, 1},
		{1741, 1, 1},
		{63, 16, 16}, // 8.1 MB each: 36 fit
		{63, 2, 2},
		{300, 16, 7}, // 38.7 MB each: 7.75 fit
	} {
		if got := resultWorkers(cfg(tc.regions), tc.workers); got != tc.want {
			t.Errorf("%d regions, --workers %d: %d results at once; want %d", tc.regions, tc.workers, got, tc.want)
		}
	}
}
