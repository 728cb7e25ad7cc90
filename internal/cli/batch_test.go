package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, errb.String()
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = b
		}
		return nil
	})
	return out
}

func sameDirs(t *testing.T, a, b string) {
	t.Helper()
	da, db := readDir(t, a), readDir(t, b)
	if len(da) == 0 || len(da) != len(db) {
		t.Fatalf("%s has %d files, %s %d", a, len(da), b, len(db))
	}
	for k, v := range da {
		if !bytes.Equal(v, db[k]) {
			t.Errorf("%s differs between %s and %s", k, a, b)
		}
	}
}

func TestBatchDeterministicShardsMerge(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join("testdata", "tiny-batch.yaml")
	o := func(n string) string { return filepath.Join(dir, n) }
	if c, e := runCLI(t, "batch", sc, "-o", o("a"), "--quiet"); c != 0 {
		t.Fatal(e)
	}
	if c, e := runCLI(t, "batch", sc, "-o", o("b"), "--quiet", "--workers", "1"); c != 0 {
		t.Fatal(e)
	}
	if c, e := runCLI(t, "batch", sc, "-o", o("c"), "--quiet", "--workers", "3"); c != 0 {
		t.Fatal(e)
	}
	for i := 1; i <= 3; i++ {
		if c, e := runCLI(t, "batch", sc, "-o", o("p"+strconv.Itoa(i)), "--quiet", "--shard", strconv.Itoa(i)+"/3"); c != 0 {
			t.Fatal(e)
		}
	}
	if c, e := runCLI(t, "merge", o("p3"), o("p1"), o("p2"), "-o", o("m")); c != 0 {
		t.Fatal(e)
	}
	sameDirs(t, o("a"), o("b"))
	sameDirs(t, o("a"), o("c"))
	sameDirs(t, o("a"), o("m"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"merge", o("p1"), o("p2"), "-o", o("x")}, "merge: shard 3 of 3 missing (junkan batch S.yaml --shard i/3 writes shard i)"},
		{[]string{"merge", o("p1"), o("p1"), o("p2"), o("p3"), "-o", o("x")}, "given twice"},
	} {
		code, e := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, e, c.want)
		}
	}
	checkBatchInvariants(t, o("a"))
}

// checkBatchInvariants: p5 ≤ p50 ≤ p95 and min ≤ mean ≤ max in every row;
// every sampled TC share in [0, 1] and the glass recycling split (with
// its fixed process_loss of 0.05) summing to 1 in every run.
func checkBatchInvariants(t *testing.T, dir string) {
	t.Helper()
	rows := readCSV(t, filepath.Join(dir, "statistics.csv"))
	h := index(rows[0])
	for _, r := range rows[1:] {
		v := func(k string) float64 { x, _ := strconv.ParseFloat(r[h[k]], 64); return x }
		if !(v("p5") <= v("p50") && v("p50") <= v("p95") && v("min") <= v("p5") && v("p95") <= v("max")) {
			t.Fatalf("percentiles out of order: %v", r)
		}
		if m := v("mean"); m < v("min")*(1-1e-12)-1e-9 || m > v("max")*(1+1e-12)+1e-9 {
			t.Fatalf("mean outside [min, max]: %v", r)
		}
	}
	runs := readCSV(t, filepath.Join(dir, "runs.csv"))
	rh := index(runs[0])
	for _, r := range runs[1:] {
		a, _ := strconv.ParseFloat(r[rh["tc.recycling.recyclate_output[glass]"]], 64)
		b, _ := strconv.ParseFloat(r[rh["tc.recycling.recycling_residue[glass]"]], 64)
		if a < 0 || a > 1 || b < 0 || b > 1 || math.Abs(a+b+0.05-1) > 1e-12 {
			t.Fatalf("run %s: glass split %v + %v + 0.05 ≠ 1", r[0], a, b)
		}
	}
}

func readCSV(t *testing.T, p string) [][]string {
	t.Helper()
	fh, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func index(h []string) map[string]int {
	m := map[string]int{}
	for i, k := range h {
		m[k] = i
	}
	return m
}

func TestBatchSeedChangesValues(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, bytes.Replace(src, []byte("batch: {runs: 40}"), []byte("batch: {runs: 40, seed: 2}"), 1), 0o644)
	if c, e := runCLI(t, "batch", filepath.Join("testdata", "tiny-batch.yaml"), "-o", filepath.Join(dir, "a"), "--quiet"); c != 0 {
		t.Fatal(e)
	}
	if c, e := runCLI(t, "batch", other, "-o", filepath.Join(dir, "b"), "--quiet"); c != 0 {
		t.Fatal(e)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a", "runs.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "b", "runs.csv"))
	if bytes.Equal(a, b) {
		t.Error("seed 2 gives the same runs as seed 1")
	}
}

// TestBatchParquetByDuckDB: statistics.parquet and runs.parquet hold the
// rows of the CSV files, read back by DuckDB.
func TestBatchParquetByDuckDB(t *testing.T) {
	dir := t.TempDir()
	if c, e := runCLI(t, "batch", filepath.Join("testdata", "tiny-batch.yaml"), "-o", dir+"/a", "--quiet"); c != 0 {
		t.Fatal(e)
	}
	rows := readCSV(t, filepath.Join(dir, "a", "statistics.csv"))
	h := index(rows[0])
	var sum float64
	for _, r := range rows[1:] {
		x, _ := strconv.ParseFloat(r[h["p95"]], 64)
		sum += x
	}
	got := testutil.DuckDB(t, "SELECT count(*)::DOUBLE AS n, sum(p95) AS s, min(year) AS y FROM '"+filepath.Join(dir, "a", "statistics.parquet")+"'")
	var res []struct {
		N, Y float64
		S    float64
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil || len(res) != 1 {
		t.Fatalf("%v: %s", err, got)
	}
	if int(res[0].N) != len(rows)-1 || math.Abs(res[0].S-sum) > 1e-9*math.Abs(sum) || res[0].Y != 2023 {
		t.Errorf("duckdb: %s; want n %d, sum of p95 %v, first year 2023", got, len(rows)-1, sum)
	}
	got = testutil.DuckDB(t, "SELECT count(*) AS n FROM '"+filepath.Join(dir, "a", "runs.parquet")+"' WHERE \"tc.recycling.recyclate_output[glass]\" BETWEEN 0 AND 1")
	if !strings.Contains(got, `"n":"40"`) && !strings.Contains(got, `"n":40`) {
		t.Errorf("runs.parquet: %s; want 40 runs with the glass share in [0, 1]", got)
	}
}

// TestBatchMethods runs every sampler on the tiny batch: the number of
// runs each design gives, and sensitivity.csv with one row per output and
// input for sobol and morris.
func TestBatchMethods(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	const inputs, outputs = 5, 10 // uncertain numbers; variants × indicators
	for _, c := range []struct {
		batch string
		runs  int
		sens  bool
	}{
		{"{method: latin_hypercube, runs: 30}", 30, false},
		{"{method: grid, grid_levels: 2}", 32, false},
		{"{method: sobol, runs: 8, bootstrap: 20}", 8 * (inputs + 2), true},
		{"{method: morris, runs: 4}", 4 * (inputs + 1), true},
	} {
		p := filepath.Join(dir, "s.yaml")
		os.WriteFile(p, bytes.Replace(src, []byte("batch: {runs: 40}"), []byte("batch: "+c.batch), 1), 0o644)
		out := filepath.Join(dir, "o")
		if code, e := runCLI(t, "batch", p, "-o", out, "--quiet"); code != 0 {
			t.Fatalf("%s: %s", c.batch, e)
		}
		if runs := readCSV(t, filepath.Join(out, "runs.csv")); len(runs)-1 != c.runs {
			t.Errorf("%s: %d runs; want %d", c.batch, len(runs)-1, c.runs)
		}
		_, err := os.Stat(filepath.Join(out, "sensitivity.csv"))
		if c.sens != (err == nil) {
			t.Errorf("%s: sensitivity.csv exists %v; want %v", c.batch, err == nil, c.sens)
		}
		if c.sens {
			if rows := readCSV(t, filepath.Join(out, "sensitivity.csv")); len(rows)-1 != inputs*outputs {
				t.Errorf("%s: %d sensitivity rows; want %d", c.batch, len(rows)-1, inputs*outputs)
			}
		}
	}
}

// TestMergeForeignShard: a shard of another batch (another seed) is
// refused by merge with exit status 2 and nothing written.
func TestMergeForeignShard(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, bytes.Replace(src, []byte("batch: {runs: 40}"), []byte("batch: {runs: 40, seed: 9}"), 1), 0o644)
	sc := filepath.Join("testdata", "tiny-batch.yaml")
	for i, s := range []string{sc, other} {
		if c, e := runCLI(t, "batch", s, "-o", filepath.Join(dir, "p"+strconv.Itoa(i+1)), "--quiet", "--shard", strconv.Itoa(i+1)+"/2"); c != 0 {
			t.Fatal(e)
		}
	}
	code, e := runCLI(t, "merge", filepath.Join(dir, "p1"), filepath.Join(dir, "p2"), "-o", filepath.Join(dir, "m"))
	if code != 2 || !strings.Contains(e, "another batch") {
		t.Errorf("foreign shard: exit %d, %q", code, e)
	}
	if _, err := os.Stat(filepath.Join(dir, "m")); !os.IsNotExist(err) {
		t.Error("merge of a foreign shard wrote an output")
	}
}

// TestBatchShardFlag: a shard that is empty, out of range or not i/n is
// a usage error (exit 2) that says what to type, before anything runs.
func TestBatchShardFlag(t *testing.T) {
	dir := t.TempDir()
	for _, a := range []string{"-1s", "0s"} {
		code, e := runCLI(t, "batch", "no-such.yaml", "-o", filepath.Join(dir, "out"), "--quiet", "--checkpoint-every", a)
		if code != 2 || !strings.Contains(e, "want a positive duration") {
			t.Errorf("--checkpoint-every %s: exit %d, %q; want 2 and what to type", a, code, e)
		}
	}
	for _, s := range []string{"", "0/3", "4/3", "a/b", "2", "1/0"} {
		code, e := runCLI(t, "batch", "no-such.yaml", "-o", filepath.Join(dir, "out"), "--quiet", "--shard", s)
		if code != 2 || !strings.Contains(e, "want i/n with 1 ≤ i ≤ n") {
			t.Errorf("--shard %q: exit %d, %q; want 2 and what to type", s, code, e)
		}
	}
}

// TestBatchLinearAgreesWithWhole: the saitama example's runs by the
// linear path, by its archetype sums (the example's levels are total and
// archetype) and by the linear path's cells, give every cell the whole
// engine gives, to rounding; and statistics that need an offtake flow
// (inlet circular use rate) take the whole engine, as the manifest says.
func TestBatchLinearAgreesWithWhole(t *testing.T) {
	data := testutil.DataDir(t)
	b, err := newBatchSetup(filepath.Join("..", "..", "scenarios", "saitama-2050-batch.yaml"), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !b.linear || !b.sums {
		t.Fatalf("the saitama batch does not take the linear path's sums: %s", b.linearWhy)
	}
	sampling, err := b.f.NewSampling(b.run, b.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	runs := []int{0, 1, 2, 3, 4, 5}
	collect := func(linear, sums bool) map[int][]float64 {
		b.linear, b.sums = linear, sums
		got := map[int][]float64{}
		var mu sync.Mutex
		if err := simulateRuns(b, sampling, runs, 2, make(chan struct{}), func(r int, y, row []float64) {
			mu.Lock()
			got[r] = slices.Clone(y)
			mu.Unlock()
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	sums, lin, whole := collect(true, true), collect(true, false), collect(false, false)
	for _, r := range runs {
		for c, w := range whole[r] {
			if l := lin[r][c]; math.Abs(l-w) > 1e-12*math.Abs(w)+1e-9 {
				t.Fatalf("run %d, %+v: linear %v, whole %v", r, b.layout.Cells[c], l, w)
			}
			if l := sums[r][c]; math.Abs(l-w) > 1e-12*math.Abs(w)+1e-9 {
				t.Fatalf("run %d, %+v: linear sums %v, whole %v", r, b.layout.Cells[c], l, w)
			}
		}
	}
	// An indicator that reads recyclate_used: the whole engine.
	src, _ := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	src = bytes.Replace(src, []byte("batch: {runs: 40}"), []byte("batch: {runs: 12, indicators: [inlet_circular_use_rate, final_disposal]}"), 1)
	sc := filepath.Join(t.TempDir(), "s.yaml")
	os.WriteFile(sc, src, 0o644)
	out := filepath.Join(t.TempDir(), "out")
	if c, e := runCLI(t, "batch", sc, "-o", out, "--quiet"); c != 0 {
		t.Fatal(e)
	}
	mf, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if !bytes.Contains(mf, []byte(`"engine": "whole"`)) || !bytes.Contains(mf, []byte("offtake")) {
		t.Errorf("manifest of a batch reading recyclate_used:\n%s", mf)
	}
}
