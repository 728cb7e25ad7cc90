package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

// BenchmarkRunJapanScenario times the whole `junkan run
// scenarios/japan-2050.yaml` (1,741 municipalities, durables, four
// variants, consolidation, plots, validation), as a user runs it. It needs
// the data in ../shared/data beside the repository (or JUNKAN_DATA_DIR).
func BenchmarkRunJapanScenario(b *testing.B) {
	benchRunJapan(b, "")
}

// BenchmarkRunJapanScenarioParquet is BenchmarkRunJapanScenario with
// `outputs: {format: parquet}`: timeseries.parquet instead of
// timeseries.csv.
func BenchmarkRunJapanScenarioParquet(b *testing.B) {
	benchRunJapan(b, "parquet")
}

// benchRunJapan runs japan-2050.yaml with outputs.format set to format
// (unless empty) and reports the size of the timeseries file (MB).
func benchRunJapan(b *testing.B, format string) {
	scen := filepath.Join("..", "..", "scenarios", "japan-2050.yaml")
	file := "timeseries.csv"
	if format != "" {
		src, err := os.ReadFile(scen)
		if err != nil {
			b.Fatal(err)
		}
		scen = filepath.Join(b.TempDir(), "japan-2050-"+format+".yaml")
		src = bytes.Replace(src, []byte("\noutputs:\n"), []byte("\noutputs:\n  format: "+format+"\n"), 1)
		if err := os.WriteFile(scen, src, 0o644); err != nil {
			b.Fatal(err)
		}
		file = "timeseries.parquet"
	}
	out := filepath.Join(b.TempDir(), "out")
	args := []string{"run", scen, "-o", out, "--data", testutil.DataDir(b)}
	for b.Loop() {
		if code := Main(args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	fi, err := os.Stat(filepath.Join(out, file))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/1e6, "timeseries-MB")
}
