package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/circular-partners/junkan/internal/testutil"
)

// BenchmarkBatchJapan runs `junkan batch` of the built binary on all Japan
// (1,741 municipalities, baseline, FY2023–2050, three durable products, ten
// uncertain numbers; testdata/japan-batch.yaml) as a separate process, so
// that its peak resident memory can be read: totals and archetypes for
// 100, 1,000 and 3,000 runs, and with region-level percentiles of the five
// indicators.
// Metrics: s (wall), ms/run, peak-MB (maximum resident set size), user-s.
// The 1,000-run cases take minutes: run with -benchtime 1x -timeout 60m.
func BenchmarkBatchJapan(b *testing.B) {
	data := testutil.DataDir(b)
	dir := b.TempDir()
	bin := filepath.Join(dir, "junkan")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/junkan").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	src, err := os.ReadFile(filepath.Join("testdata", "japan-batch.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		runs   int
		levels string
	}{
		{"totals/runs=100", 100, "[total, archetype]"},
		{"totals/runs=1000", 1000, "[total, archetype]"},
		// Past the exact percentile store's 16 MiB (1,680 cells × 3,000
		// runs × 8 bytes): percentiles from the sketch, memory flat.
		{"totals/runs=3000", 3000, "[total, archetype]"},
		{"regions/runs=1000", 1000, "[total, archetype, region]"},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := bytes.Replace(src, []byte("  runs: 1000\n"), []byte("  runs: "+strconv.Itoa(c.runs)+"\n"), 1)
			s = bytes.Replace(s, []byte("  levels: [total, archetype]\n"), []byte("  levels: "+c.levels+"\n"), 1)
			sc := filepath.Join(dir, "s.yaml")
			os.WriteFile(sc, s, 0o644)
			for b.Loop() {
				cmd := exec.Command(bin, "batch", sc, "-o", filepath.Join(dir, "out"), "--quiet", "--data", data)
				start := time.Now()
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
				el := time.Since(start).Seconds()
				ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				b.ReportMetric(el, "s")
				b.ReportMetric(el*1000/float64(c.runs), "ms/run")
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-MB")
				b.ReportMetric(float64(ru.Utime.Sec)+float64(ru.Utime.Usec)/1e6, "user-s")
			}
		})
	}
}
