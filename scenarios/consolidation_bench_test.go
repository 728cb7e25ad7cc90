package scenarios

import (
	"errors"
	"testing"

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
// (cbc; skipped without CBC) and with the heuristic alone (heuristic).
func BenchmarkConsolidateJapanScenario(b *testing.B) {
	ds, ss, opt := japanConsolidation(b)
	for _, solver := range []string{"cbc", "heuristic"} {
		b.Run(solver, func(b *testing.B) {
			o := opt
			o.Solver = ""
			if solver == "cbc" {
				if o.Solver = regions.FindCBC(); o.Solver == "" {
					testutil.MissingTool(b, "cbc not found; apt-get install coinor-cbc")
				}
			}
			var res *regions.Consolidation
			for b.Loop() {
				var err error
				if res, err = regions.Consolidate(ds, ss, o); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res.Blocks)), "blocks")
			b.ReportMetric(res.TKm/1e9, "Gt·km/yr")
		})
	}
}
