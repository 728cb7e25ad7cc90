package cli

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRunJapanScenario times the whole `junkan run
// scenarios/japan-2050.yaml` (1,741 municipalities, durables, four
// variants, consolidation, plots, validation), as a user runs it. It needs
// the data in ../shared/data beside the repository (or JUNKAN_DATA_DIR).
func BenchmarkRunJapanScenario(b *testing.B) {
	scen := filepath.Join("..", "..", "scenarios", "japan-2050.yaml")
	args := []string{"run", scen, "-o", filepath.Join(b.TempDir(), "out")}
	if d := os.Getenv("JUNKAN_DATA_DIR"); d != "" {
		args = append(args, "--data", d)
	} else if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "data")); err != nil {
		b.Skip("no data in ../shared/data; set JUNKAN_DATA_DIR")
	}
	for b.Loop() {
		if code := Main(args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
