package cli

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

// BenchmarkRunJapanScenario times the whole `junkan run
// scenarios/japan-2050.yaml` (1,741 municipalities, durables, four
// variants, consolidation, plots, validation), as a user runs it. It needs
// the data in ../shared/data beside the repository (or JUNKAN_DATA_DIR).
func BenchmarkRunJapanScenario(b *testing.B) {
	scen := filepath.Join("..", "..", "scenarios", "japan-2050.yaml")
	args := []string{"run", scen, "-o", filepath.Join(b.TempDir(), "out"), "--data", testutil.DataDir(b)}
	for b.Loop() {
		if code := Main(args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
