package output

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/output/parquet"
	"github.com/circular-partners/junkan/sim"
)

// TestRoundValue: roundValue is the value of timeseries.csv read back by
// strconv.ParseFloat, bit for bit, on both the fast and the exact paths.
func TestRoundValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	vs := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.99999999999e-7, 1e-7, 1e21, 9.999999999995e20,
		123456789012.5, 0.5, 2.5e-6, 999999999999.5, 1.2345678901249999, math.MaxFloat64, math.SmallestNonzeroFloat64}
	for range 200000 {
		v := math.Pow(10, rng.Float64()*40-15) * float64(1-2*rng.IntN(2))
		vs = append(vs, v, math.Nextafter(v, 0), math.Float64frombits(rng.Uint64()))
	}
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		want, err := strconv.ParseFloat(string(appendValue(nil, v)), 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := roundValue(v); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("roundValue(%v) = %v; the CSV's %s reads %v", v, got, appendValue(nil, v), want)
		}
	}
}

// writeFormat writes results with Options opt and format, and returns the
// output directory.
func writeFormat(t *testing.T, results []*sim.Result, opt Options, format string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	opt.TimeseriesFormat = format
	if err := Write(dir, results, opt); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestTimeseriesParquetAsFromCSV: timeseries.parquet written from the rows
// is, byte for byte, the file parquet.FromCSV makes of timeseries.csv
// (columns, types, dictionary encoding, row groups and pages), for
// format parquet and both, at 1, 2 and 3 workers, with and without
// per-material region rows, blocks and a region selection; format parquet
// writes no CSV, and the marker lists the Parquet file with its hash.
func TestTimeseriesParquetAsFromCSV(t *testing.T) {
	// 300 regions × 28 years: about 800,000 rows, 7 row groups.
	big := runConfig(t, bigConfig(300, 3, 2023, 2050), testVariants)
	small := runConfig(t, testConfig(2026), testVariants)
	blocks := &Blocks{IDs: []string{"b,1", "b2"}, RegionBlock: []int{1, 0}, Locations: []orb.Point{{141, 43}, {139.7, 35.7}},
		Facility: []orb.Point{{139.7, 35.7}, {141, 43}}, FacilityName: []string{"P1", "P2"}, Existing: []bool{true, false},
		TonnesPerYear: []float64{100, 200}, CapacityTPerDay: []float64{0.3, 0.6}, HaulKm: []float64{0, 0}, Solver: "heuristic"}
	sel, err := SelectRows([]string{"waste_generated", "population", "recycling_rate"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		results []*sim.Result
		opt     Options
	}{
		{"big", big, Options{}},
		{"region materials, blocks, bom", small, Options{RegionMaterials: true, Blocks: blocks, CSVBOM: true}},
		{"selection, blocks", small, Options{RegionRows: sel, Blocks: blocks}},
	}
	for _, c := range cases {
		var first []byte
		for _, workers := range []int{1, 2, 3} {
			opt := c.opt
			opt.Workers = workers
			both := writeFormat(t, c.results, opt, "both")
			csvData, err := os.ReadFile(filepath.Join(both, TimeseriesFile))
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := parquet.FromCSV(&want, bytes.NewReader(csvData), "timeseries", timeseriesKinds); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(both, TimeseriesParquetFile))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s, %d workers: timeseries.parquet (%d bytes) is not FromCSV's file of timeseries.csv (%d bytes)", c.name, workers, len(got), want.Len())
			}
			csvOnly := writeFormat(t, c.results, opt, "")
			if b, err := os.ReadFile(filepath.Join(csvOnly, TimeseriesFile)); err != nil || !bytes.Equal(b, csvData) {
				t.Errorf("%s, %d workers: format both changed timeseries.csv (%v)", c.name, workers, err)
			}
			pqOnly := writeFormat(t, c.results, opt, "parquet")
			if _, err := os.Stat(filepath.Join(pqOnly, TimeseriesFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: format parquet wrote timeseries.csv (%v)", c.name, err)
			}
			b, err := os.ReadFile(filepath.Join(pqOnly, TimeseriesParquetFile))
			if err != nil || !bytes.Equal(b, got) {
				t.Errorf("%s, %d workers: format parquet wrote another timeseries.parquet than both (%v)", c.name, workers, err)
			}
			if err := CheckDir(pqOnly); err != nil { // the marker's hashes are those of the files
				t.Errorf("%s: %v", c.name, err)
			}
			if first == nil {
				first = got
			} else if !bytes.Equal(got, first) {
				t.Errorf("%s: %d workers give other bytes than 1", c.name, workers)
			}
		}
		if c.name == "big" {
			if n := bytes.Count(first, []byte("PAR1")); n < 2 {
				t.Errorf("big: %d magic numbers", n)
			}
		}
	}
}

// TestTimeseriesParquetFailure: a non-finite value halfway through the
// second variant, or a failing file, leaves no output directory and no
// temporary directory beside it, and an earlier output untouched.
func TestTimeseriesParquetFailure(t *testing.T) {
	results := runConfig(t, bigConfig(300, 3, 2023, 2050), testVariants)
	bad := *results[1]
	bad.Flows = append([]model.Flows(nil), bad.Flows...)
	bad.Flows[(20*300+250)*3+1][model.Ash] = math.Inf(1) // FY2043, region 250
	for _, format := range []string{"parquet", "both"} {
		for _, workers := range []int{1, 2} {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			err := Write(dir, []*sim.Result{results[0], &bad}, Options{TimeseriesFormat: format, Workers: workers})
			if !errors.Is(err, ErrNonFinite) {
				t.Errorf("%s, %d workers: error %v; want ErrNonFinite", format, workers, err)
			}
			if names := dirNames(t, parent); len(names) != 0 {
				t.Errorf("%s, %d workers: left %v", format, workers, names)
			}
			// Over an earlier output: kept as it was.
			if err := Write(dir, results[:1], Options{TimeseriesFormat: format}); err != nil {
				t.Fatal(err)
			}
			before := dirNames(t, dir)
			if err := Write(dir, []*sim.Result{results[0], &bad}, Options{TimeseriesFormat: format, Workers: workers}); err == nil {
				t.Error("no error")
			}
			if err := CheckDir(dir); err != nil || fmt.Sprint(dirNames(t, dir)) != fmt.Sprint(before) || len(dirNames(t, parent)) != 1 {
				t.Errorf("%s, %d workers: earlier output %v (%v), beside it %v", format, workers, dirNames(t, dir), err, dirNames(t, parent))
			}
		}
	}
	// A file that fails: the error is the file's.
	k, err := newPQSink(failingWriter{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	rows := &pqRows{}
	rows.startRun(pqRun{scenario: "s", level: LevelTotal, region: "total", archetype: "all", year: 2023, material: "all"})
	for i := range 3 * parquet.RowGroupRows {
		rows.kind = append(rows.kind, uint8(i%numKinds))
		rows.val = append(rows.val, float64(i))
	}
	err = k.add(rows)
	if err == nil {
		err = k.close()
	}
	if !errors.Is(err, errDiskFull) {
		t.Errorf("failing file: %v", err)
	}
	k.abort()
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errDiskFull }

// TestTimeseriesParquetBounded: however many rows, the sink holds at most
// workers + 1 row groups (one being filled, the others being encoded),
// and the file has one row group per parquet.RowGroupRows rows.
func TestTimeseriesParquetBounded(t *testing.T) {
	for _, workers := range []int{1, 2, 3} {
		var cw countWriter
		k, err := newPQSink(&cw, workers)
		if err != nil {
			t.Fatal(err)
		}
		const groups = 12
		rows := &pqRows{}
		for i := range groups * parquet.RowGroupRows / 1000 {
			rows.reset()
			rows.startRun(pqRun{scenario: "s", level: LevelRegion, region: strconv.Itoa(i), archetype: "a", year: 2023, material: "all"})
			for j := range 1000 {
				rows.kind = append(rows.kind, uint8(j%numKinds))
				rows.val = append(rows.val, float64(j))
			}
			if err := k.add(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := k.close(); err != nil {
			t.Fatal(err)
		}
		if k.made > workers+1 {
			t.Errorf("%d workers: %d row groups held at once", workers, k.made)
		}
		if n := len(k.pw.File().Metadata().RowGroups); n != groups {
			t.Errorf("%d workers: %d row groups written; want %d", workers, n, groups)
		}
	}
}

// BenchmarkWriteTimeseriesParquet is BenchmarkWriteTimeseries (3 variants
// of all Japan's size) writing timeseries.parquet instead of the CSV
// (csv: the CSV as in BenchmarkWriteTimeseries, in the same run, for the
// ratio), on one goroutine per CPU.
func BenchmarkWriteTimeseriesParquet(b *testing.B) {
	variants := []*sim.Variant{{Name: "baseline"}, testVariants[1], {Name: "third"}}
	results := runConfig(b, bigConfig(1741, 9, 2023, 2050), variants)
	sums := make([]*groups, len(results))
	for i, res := range results {
		sums[i] = sumGroupsBlocks(res, nil, false)
	}
	for _, format := range []string{"csv", "parquet"} {
		b.Run(format, func(b *testing.B) {
			var cw countWriter
			rows := 0
			for b.Loop() {
				cw = countWriter{}
				var t *tsWriter
				if format == "csv" {
					t, _ = newTSWriter(&cw, nil)
				} else {
					t, _ = newTSWriter(nil, nil)
					t.sink, _ = newPQSink(&cw, runtime.GOMAXPROCS(0))
				}
				for i, res := range results {
					t.writeResultParallel(res, sums[i], false, runtime.GOMAXPROCS(0))
				}
				if err := t.flush(); err != nil {
					b.Fatal(err)
				}
				if t.sink != nil {
					if err := t.sink.close(); err != nil {
						b.Fatal(err)
					}
				}
				rows = t.rows
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(cw.n)/1e6, "MB")
		})
	}
}
