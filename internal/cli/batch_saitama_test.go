package cli

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

// TestSaitamaBatch runs the shipped example batch (ten uncertain numbers,
// 200 runs): default workers and --workers 1 give identical bytes (so do
// two runs with the same seed), three shards merged give them too, another
// seed gives other values; p5 ≤ p50 ≤ p95 everywhere; every sampled share
// in [0, 1] and the plastics recycling split summing to 1 in every run.
func TestSaitamaBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("200 runs of Saitama")
	}
	data := testutil.DataDir(t)
	sc := filepath.Join("..", "..", "scenarios", "saitama-2050-batch.yaml")
	dir := t.TempDir()
	o := func(n string) string { return filepath.Join(dir, n) }
	run := func(args ...string) {
		t.Helper()
		if c, e := runCLI(t, append(args, "--data", data)...); c != 0 {
			t.Fatalf("%v: exit %d\n%s", args, c, e)
		}
	}
	run("batch", sc, "-o", o("a"), "--quiet")
	run("batch", sc, "-o", o("b"), "--quiet", "--workers", "1")
	for i := 1; i <= 3; i++ {
		run("batch", sc, "-o", o("p"+strconv.Itoa(i)), "--quiet", "--shard", strconv.Itoa(i)+"/3")
	}
	run("merge", o("p1"), o("p2"), o("p3"), "-o", o("m"))
	sameDirs(t, o("a"), o("b"))
	sameDirs(t, o("a"), o("m"))

	rows := readCSV(t, filepath.Join(o("a"), "statistics.csv"))
	h := index(rows[0])
	if len(rows) < 1000 {
		t.Fatalf("%d statistics rows", len(rows))
	}
	for _, r := range rows[1:] {
		v := func(k string) float64 { x, _ := strconv.ParseFloat(r[h[k]], 64); return x }
		if r[h["n"]] != "200" || !(v("min") <= v("p5") && v("p5") <= v("p50") && v("p50") <= v("p95") && v("p95") <= v("max")) {
			t.Fatalf("row %v: want n = 200 and min ≤ p5 ≤ p50 ≤ p95 ≤ max", r)
		}
	}
	runs := readCSV(t, filepath.Join(o("a"), "runs.csv"))
	rh := index(runs[0])
	if len(runs) != 201 || len(runs[0]) < 11 {
		t.Fatalf("runs.csv: %d rows, %d columns", len(runs), len(runs[0]))
	}
	for _, r := range runs[1:] {
		for k, i := range rh {
			if strings.HasPrefix(k, "tc.") || strings.Contains(k, "_gain") || strings.HasSuffix(k, "_share") {
				if x, _ := strconv.ParseFloat(r[i], 64); x < 0 || x > 1 {
					t.Fatalf("run %s: %s = %v outside [0, 1]", r[0], k, x)
				}
			}
		}
		a, _ := strconv.ParseFloat(r[rh["tc.recycling.recyclate_output[plastics]"]], 64)
		b, _ := strconv.ParseFloat(r[rh["tc.recycling.recycling_residue[plastics]"]], 64)
		if math.Abs(a+b-1) > 1e-12 {
			t.Fatalf("run %s: plastics recycling split %v + 0 + %v = %v", r[0], a, b, a+b)
		}
	}

	src, err := os.ReadFile(sc)
	if err != nil {
		t.Fatal(err)
	}
	other := o("seed2.yaml")
	src = bytes.Replace(src, []byte("  runs: 200\n"), []byte("  runs: 20\n  seed: 2\n"), 1)
	src = bytes.Replace(src, []byte("data_dir: ../../shared/data"), []byte("data_dir: "+data), 1)
	os.WriteFile(other, src, 0o644)
	run("batch", other, "-o", o("s2"), "--quiet")
	r2 := readCSV(t, filepath.Join(o("s2"), "runs.csv"))
	for c := 1; c < len(r2[0]); c++ {
		if r2[1][c] == runs[1][c] && !strings.Contains(r2[0][c], "waste_generated") {
			t.Errorf("seed 2, run 0: %s = %s as with seed 1", r2[0][c], r2[1][c])
		}
	}
}
