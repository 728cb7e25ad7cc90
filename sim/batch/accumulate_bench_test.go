package batch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// benchRuns returns k runs of values for cells cells shaped like a batch's
// region-level statistics: per cell a magnitude between 1 and 10¹² (tonnes,
// yen, rates), each run within ±20 % of it, 6 % of the cells negative and
// 0.1 % zero.
func benchRuns(cells, k int) [][]float64 {
	rng := rand.New(rand.NewPCG(7, 8))
	base := make([]float64, cells)
	for c := range base {
		base[c] = math.Pow(10, 12*rng.Float64())
		switch u := rng.Float64(); {
		case u < 0.001:
			base[c] = 0
		case u < 0.06:
			base[c] = -base[c]
		}
	}
	ys := make([][]float64, k)
	for r := range ys {
		ys[r] = make([]float64, cells)
		for c := range ys[r] {
			ys[r][c] = base[c] * (1 + 0.2*(2*rng.Float64()-1))
		}
	}
	return ys
}

// BenchmarkAccumulatorAdd adds runs of 100,000 cells (percentiles from the
// sketch, as a batch of region-level statistics has them) to an
// accumulator by [Accumulator.AddShared]: from one goroutine, and from two
// as junkan batch's workers add them
// (metric ns/value: per value added, the run's time over its cells).
func BenchmarkAccumulatorAdd(b *testing.B) {
	const cells, runs = 100_000, 1 << 12
	ys := benchRuns(cells, 16)
	row := []float64{1, 2}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var a *Accumulator
			n := 0
			for b.Loop() {
				if a == nil || n+workers > runs {
					b.StopTimer()
					a, n = NewAccumulator(cells, runs, len(row), false), 0
					b.StartTimer()
				}
				// workers runs at once, as junkan batch's workers add them.
				var wg sync.WaitGroup
				for w := range workers {
					wg.Go(func() { a.AddShared(n+w, ys[(n+w)%len(ys)], row) })
				}
				wg.Wait()
				n += workers
			}
			a.Count() // the runs still gathered
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(workers*b.N)/cells, "ns/value")
		})
	}
}
