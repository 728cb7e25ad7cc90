package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/model"
)

// Changing the step from one year to a quarter (or a month) leaves the
// annual totals unchanged within 1e-6 relative, for every flow and account
// of every region, material and year: products with stocks, offtake across
// regions and a ramping element included.
func TestStepLengthInvariance(t *testing.T) {
	base := elementsConfig(t)
	v := &Variant{Name: "v", Elements: []ElementUse{
		{Element: "collection_incentives", Start: 2025, RampYears: 3, Effects: []model.Effect{
			{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.3},
			{Param: model.GenerationFactor, Op: model.Relative, Magnitude: -0.05}}},
		{Element: "cross_supply_chain_design", Start: 2026, Effects: []model.Effect{
			{Param: model.ReuseShare, Material: "appliances", Op: model.GapClose, Magnitude: 0.2},
			{Param: model.LifetimeExtension, Material: "appliances", Op: model.Add, Magnitude: 0.2}}},
	}}
	run := func(n int) *Result {
		cfg := *base
		cfg.StepsPerYear = n
		m, err := New(&cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run(v)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	annual := run(1)
	for _, n := range []int{4, 12} {
		sub := run(n)
		worst := 0.0
		for k := range annual.Flows {
			a, b := &annual.Flows[k], &sub.Flows[k]
			for f := range a {
				d := math.Abs(a[f] - b[f])
				if d > 1e-6*math.Max(math.Abs(a[f]), math.Abs(b[f]))+1e-9 {
					t.Fatalf("%d steps: cell %d, %s: %v vs annual %v", n, k, model.Flow(f), b[f], a[f])
				}
				if a[f] != 0 {
					worst = math.Max(worst, d/math.Abs(a[f]))
				}
			}
		}
		t.Logf("%d steps per year: largest relative difference %.2g", n, worst)
	}
	cfg := *base
	cfg.StepsPerYear = 3
	if _, err := New(&cfg); err == nil {
		t.Error("StepsPerYear 3 accepted")
	}
}

// The results do not depend on how many goroutines step the regions:
// every value is bitwise identical.
func TestWorkersDeterministic(t *testing.T) {
	cfg := japanLike(t, true)
	cfg.Regions = cfg.Regions[:300]
	M := len(cfg.Materials)
	cfg.Composition, cfg.Params, cfg.Demand = cfg.Composition[:300*M], cfg.Params[:300*M], cfg.Demand[:300*M]
	v := &Variant{Name: "v", Elements: []ElementUse{{Start: 2026, RampYears: 4, Effects: []model.Effect{
		{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.3},
		{Param: model.HighGradeShare, Op: model.GapClose, Magnitude: 0.3}}}}}
	var first []model.Flows
	for _, w := range []int{1, 2, 3, 5} {
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.SetWorkers(w)
		res, err := m.Run(v)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res.Flows
			continue
		}
		for k := range first {
			if first[k] != res.Flows[k] {
				t.Fatalf("%d workers: cell %d differs from 1 worker", w, k)
			}
		}
	}
}

// With several workers, the chunks of regions are taken in any order
// (a worker that is done takes the others' chunks): the error returned is
// still that of the first region, in region order, that fails, whatever
// the number of workers.
func TestWorkersFirstError(t *testing.T) {
	cfg := japanLikeN(t, false, 300)
	for r := range cfg.Regions {
		cfg.Regions[r].Code = fmt.Sprintf("r%03d", r)
	}
	// A population this large makes the waste, hence a flow, overflow
	// to +Inf in the base year: a region the engine refuses.
	for _, r := range []int{250, 100, 290} {
		cfg.Regions[r].Population = 1e307
	}
	for _, w := range []int{1, 2, 3, 5} {
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.SetWorkers(w)
		_, err = m.Run(&Variant{Name: "v"})
		if err == nil || !strings.Contains(err.Error(), "region r100,") {
			t.Errorf("%d workers: error %v; want the one of region r100", w, err)
		}
	}
}

// A year stepped by several goroutines allocates nothing either (the
// hand-offs included).
func TestStepAllocsWorkers(t *testing.T) {
	cfg := japanLikeN(t, true, 300)
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.SetWorkers(3)
	v := &Variant{Elements: []ElementUse{{Start: 2023, Effects: []model.Effect{{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.5}}}}}
	res, _ := m.Run(v)
	st, err := m.newStepper(v)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if st.crew == nil || len(st.crew.next) != 3 {
		t.Fatalf("want 3 workers")
	}
	if n := testing.AllocsPerRun(50, func() { _ = st.step(res, 1) }); n != 0 {
		t.Errorf("step allocates %v times; want 0", n)
	}
}
