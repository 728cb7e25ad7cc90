package cli

import (
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// TestStreamWorkers checks the bound on variants streamed at once and the
// memory limit that follows from it, by hand: one all-Japan variant holds
// 2 × 1,741 × 28 region sums and a year of 1,741 × 12 cells, 384 bytes
// each: 45,460,992 bytes; with per-material region rows also its whole
// result, 224,630,784 bytes more.
func TestStreamWorkers(t *testing.T) {
	japan := &sim.Config{BaseYear: 2023, EndYear: 2050, Regions: make([]sim.Region, 1741), Materials: make([]model.Material, 12)}
	if got := streamSize(japan, false); got != 45460992 {
		t.Errorf("stream size %v, want 45460992", got)
	}
	if got := streamSize(japan, true); got != 45460992+224630784 {
		t.Errorf("stream size with region materials %v, want %d", got, 45460992+224630784)
	}
	for _, tc := range []struct {
		workers  int
		variants int
		rm       bool
		want     int
		memLimit int64
	}{
		{2, 4, false, 2, minMemoryLimit},   // 1.2 × (3 × 45.5 MB + 64 MiB) = 244.2 MB < 256 MiB
		{4, 4, false, 4, 353296588},        // 1.2 × (5 × 45,460,992 + 67,108,864)
		{16, 15, false, 6, maxMemoryLimit}, // 300 MB / 45.5 MB = 6.6
		{2, 4, true, 1, maxMemoryLimit},    // 300 MB / 270.1 MB = 1.1
		{2, 1, false, 1, minMemoryLimit},   // one variant: its engine gets the two workers
		{4, 3, false, 3, 298743398},        // 1.2 × (4 × 45,460,992 + 67,108,864)
	} {
		nw := streamWorkers(japan, tc.workers, tc.variants, tc.rm)
		if nw != tc.want {
			t.Errorf("--workers %d, region materials %v: %d at once; want %d", tc.workers, tc.rm, nw, tc.want)
		}
		if got := runMemoryLimit(japan, nw, tc.rm); got != tc.memLimit {
			t.Errorf("--workers %d, region materials %v: memory limit %d; want %d", tc.workers, tc.rm, got, tc.memLimit)
		}
	}
}
