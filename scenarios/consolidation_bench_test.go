//go:build unix

package scenarios

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/circular-partners/junkan/internal/testutil"
	"github.com/circular-partners/junkan/regions"
)

var errCaptured = errors.New("inputs captured")

// japanConsolidation returns the inputs of the consolidation that
// scenarios/japan-2050.yaml builds (1,741 municipalities, the operating
// incinerators at their real capacities plus a new site at every office,
// within prefectures, 100 km haul limit, P per prefecture from the plant
// share, splittable).
func japanConsolidation(b *testing.B) ([]regions.Demand, []regions.Site, regions.ConsolidationOptions) {
	b.Helper()
	d := testutil.DataDir(b)
	f, err := Load("japan-2050.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var ds []regions.Demand
	var ss []regions.Site
	var opt regions.ConsolidationOptions
	consolidate = func(d []regions.Demand, s []regions.Site, o regions.ConsolidationOptions) (*regions.Consolidation, error) {
		ds, ss, opt = d, s, o
		return nil, errCaptured
	}
	defer func() { consolidate = regions.Consolidate }()
	if _, err := f.Build(d); !errors.Is(err, errCaptured) {
		b.Fatalf("building japan-2050.yaml: %v; want its consolidation inputs", err)
	}
	opt.Progress = nil
	return ds, ss, opt
}

// BenchmarkConsolidateJapanScenario solves the consolidation of
// scenarios/japan-2050.yaml (47 prefectures) with CBC as the run does
// (cbc, without the cache of proven results; skipped without CBC), with
// every prefecture's result in the cache (cbc-cached), and with the
// heuristic alone (heuristic).
// cpu-s/op is the CPU time (user + system) of the process and of the
// solver processes, less sensitive than the wall time to other load on the
// machine.
func BenchmarkConsolidateJapanScenario(b *testing.B) {
	ds, ss, opt := japanConsolidation(b)
	for _, solver := range []string{"cbc", "cbc-cached", "heuristic"} {
		b.Run(solver, func(b *testing.B) {
			o := opt
			o.Solver, o.CacheDir = "", ""
			if solver != "heuristic" {
				if o.Solver = regions.FindCBC(); o.Solver == "" {
					testutil.MissingTool(b, "cbc not found; apt-get install coinor-cbc")
				}
			}
			if solver == "cbc-cached" {
				o.CacheDir = b.TempDir()
				if _, err := regions.Consolidate(ds, ss, o); err != nil { // fills the cache
					b.Fatal(err)
				}
			}
			var res *regions.Consolidation
			cpu0 := cpuTime()
			for b.Loop() {
				var err error
				if res, err = regions.Consolidate(ds, ss, o); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(len(res.Blocks)), "blocks")
			b.ReportMetric(res.TKm/1e9, "Gt·km/yr")
		})
	}
}

// cpuTime is the user + system time of this process and its waited-for
// children so far.
func cpuTime() time.Duration {
	var t time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			t += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return t
}
