package batch

import (
	"bytes"
	"math"
	"math/big"
	"math/rand/v2"
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
		// Stats of the cells on three goroutines (as the outputs are
		// computed), after Settle.
		sh.Settle()
		got := make([][]float64, cells)
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				buf := make([]float64, runs)
				for c := w; c < cells; c += 3 {
					got[c] = sh.Stats(c, stats, make([]float64, len(stats)), buf)
				}
			})
		}
		wg.Wait()
		w := make([]float64, len(stats))
		for c := range cells {
			one.Stats(c, stats, w, make([]float64, runs))
			if !slices.Equal(got[c], w) {
				t.Errorf("exact %v cell %d: AddShared %v; Add %v", exact, c, got[c], w)
			}
		}
		for r := range runs {
			if !slices.Equal(sh.Row(r), row(r)) {
				t.Fatalf("exact %v: row %d = %v", exact, r, sh.Row(r))
			}
		}
	}
}

// TestSumsExact: the fixed-point sums (and their spills) of values that
// cancel, span 10^±40, reach 1e150 or 1e-200, subnormals and zeros are
// the exact Σx and Σx² (big.Float), after adding in blocks and one by
// one, merging shards of other bases and a round trip through Encode.
func TestSumsExact(t *testing.T) {
	const cells, runs = 6, 300
	rng := rand.New(rand.NewPCG(5, 6))
	val := make([][]float64, runs)
	for r := range val {
		val[r] = []float64{
			1e6 * (1 + 0.2*rng.NormFloat64()),                                     // narrow
			[]float64{1e16, 1, -1e16, 3.5}[r%4] * (1 + float64(r/4)),              // cancelling
			math.Pow(10, 80*rng.Float64()-40) * float64(1-2*rng.IntN(2)),          // wide: spills
			[]float64{1e150, 1e-200, -7, 0}[r%4],                                  // outside [−500, 347]
			[]float64{5e-324, 0, math.SmallestNonzeroFloat64 * 3, -2.5e-310}[r%4], // subnormals
			float64(r % 3), // zeros first, integers
		}
	}
	want := make([][2]*big.Float, cells)
	for c := range want {
		s1, s2 := new(big.Float).SetPrec(8000), new(big.Float).SetPrec(8000)
		for r := range runs {
			x := new(big.Float).SetPrec(8000).SetFloat64(val[r][c])
			s1.Add(s1, x)
			s2.Add(s2, x.Mul(x, x))
		}
		want[c] = [2]*big.Float{s1, s2}
	}
	check := func(name string, a *Accumulator) {
		t.Helper()
		a.settle()
		for c := range cells {
			s1, s2, nf := a.s.big(c)
			if nf || s1.Cmp(want[c][0]) != 0 || s2.Cmp(want[c][1]) != 0 {
				t.Errorf("%s: cell %d: Σx %v Σx² %v; want %v %v", name, c, s1, s2, want[c][0], want[c][1])
			}
		}
	}
	row := []float64{}
	one := NewAccumulator(cells, runs, 0, false)
	for r := runs - 1; r >= 0; r-- {
		one.Add(r, val[r], row)
	}
	check("one by one", one)
	blocks := NewAccumulator(cells, runs, 0, false)
	for r := range runs {
		blocks.AddShared(r, val[r], row)
	}
	check("blocks", blocks)
	// Shards of every 7th run from another offset: their first values,
	// hence bases, differ.
	m := NewAccumulator(cells, runs, 0, false)
	for p := range 7 {
		s := NewAccumulator(cells, runs, 0, false)
		for r := (p * 3) % 7; r < runs; r += 7 {
			s.AddShared(r, val[r], row)
		}
		var buf bytes.Buffer
		if err := s.Encode(&buf, "fp"); err != nil {
			t.Fatal(err)
		}
		d, err := DecodeAccumulator(&buf, "fp")
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Merge(d); err != nil {
			t.Fatal(err)
		}
	}
	check("merged shards", m)
	// A value that is not finite makes the cell's mean and sd NaN.
	nf := NewAccumulator(2, 2, 0, true)
	nf.Add(0, []float64{1, 2}, row)
	nf.Add(1, []float64{math.Inf(1), 3}, row)
	st := []Statistic{{"mean", 0}, {"sd", 0}, {"max", 0}}
	got := nf.Stats(0, st, make([]float64, 3), nil)
	if !math.IsNaN(got[0]) || !math.IsNaN(got[1]) || got[2] != math.Inf(1) {
		t.Errorf("cell with +Inf: %v; want NaN, NaN, +Inf", got)
	}
	if got := nf.Stats(1, st, make([]float64, 3), nil); got[0] != 2.5 || got[1] != math.Sqrt(0.5) {
		t.Errorf("cell 2, 3: %v; want mean 2.5, sd √0.5", got)
	}
}
