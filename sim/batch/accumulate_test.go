package batch

import (
	"bytes"
	"math"
	"slices"
	"sync"
	"testing"
)

// TestAddSharedSameAsAdd: runs added by AddShared from four goroutines,
// in blocks and with a checkpoint between (some runs still gathered),
// give the statistics of runs added one by one by Add.
func TestAddSharedSameAsAdd(t *testing.T) {
	for _, exact := range []bool{true, false} {
		const cells, runs = 37, 100 // cells not a multiple of the stripes
		value := func(r, c int) float64 {
			return math.Cos(float64(r*cells+c)) * math.Pow(10, float64(c%9)-3) * float64(1-2*(c%5/4))
		}
		row := func(r int) []float64 { return []float64{float64(r), 0.5} }
		one := NewAccumulator(cells, runs, 2, exact)
		y := make([]float64, cells)
		for r := range runs {
			for c := range y {
				y[c] = value(r, c)
			}
			one.Add(r, y, row(r))
		}
		sh := NewAccumulator(cells, runs, 2, exact)
		add := func(lo, hi int) {
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Go(func() {
					y := make([]float64, cells)
					for r := lo + w; r < hi; r += 4 {
						for c := range y {
							y[c] = value(r, c)
						}
						sh.AddShared(r, y, row(r))
						clear(y) // AddShared keeps a copy
					}
				})
			}
			wg.Wait()
		}
		add(0, 45) // 45 runs: two blocks and 13 gathered
		var buf bytes.Buffer
		if err := sh.Encode(&buf, "fp"); err != nil {
			t.Fatal(err)
		}
		ck, err := DecodeAccumulator(&buf, "fp")
		if err != nil {
			t.Fatal(err)
		}
		if ck.Count() != 45 || sh.Count() != 45 || !ck.Has(44) || ck.Has(45) {
			t.Fatalf("exact %v: checkpoint after 45 runs holds %d (accumulator %d)", exact, ck.Count(), sh.Count())
		}
		add(45, runs)
		if sh.Count() != runs {
			t.Fatalf("exact %v: count %d; want %d", exact, sh.Count(), runs)
		}
		stats := []Statistic{{"mean", 0}, {"sd", 0}, {"min", 0}, {"max", 0}, {"p5", 5}, {"p50", 50}, {"p95", 95}}
		g, w := make([]float64, len(stats)), make([]float64, len(stats))
		for c := range cells {
			one.Stats(c, stats, w, make([]float64, runs))
			sh.Stats(c, stats, g, make([]float64, runs))
			if !slices.Equal(g, w) {
				t.Errorf("exact %v cell %d: AddShared %v; Add %v", exact, c, g, w)
			}
		}
		for r := range runs {
			if !slices.Equal(sh.Row(r), row(r)) {
				t.Fatalf("exact %v: row %d = %v", exact, r, sh.Row(r))
			}
		}
	}
}
