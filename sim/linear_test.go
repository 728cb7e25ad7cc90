package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/circular-partners/junkan/model"
)

// linearNeed is every flow the linear path offers.
func linearNeed() []model.Flow {
	var need []model.Flow
	for f := model.Flow(0); f < model.NumFlows; f++ {
		if !slices.Contains(offtakeFlows[:], f) {
			need = append(need, f)
		}
	}
	return need
}

// compareLinear runs v by Stream and by StreamLinear and fails on any kept
// flow that differs beyond rounding: 1e-12 of the largest mass flow (of
// the largest account, for accounts) of the cell, plus 1e-12 relative.
func compareLinear(t *testing.T, m *Model, v *Variant, need []model.Flow) {
	t.Helper()
	var full []model.Flows
	var pops []float64
	if err := m.Stream(v, nil, func(yr *Year) error {
		full = append(full, yr.Flows...)
		pops = append(pops, yr.Population...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	n, worst := 0, 0.0
	err := m.StreamLinear(v, need, nil, func(yr *Year) error {
		if yr.Flows != nil {
			t.Fatal("the linear path handed over whole cells")
		}
		K := len(yr.Keep)
		RM := len(yr.Kept) / K
		for c := 0; c < RM; c++ {
			want := &full[yr.Index*RM+c]
			var got model.Flows
			for j, fl := range yr.Keep {
				got[fl] = yr.Kept[c*K+j]
			}
			var massScale, accScale float64
			for fl := range want {
				if model.Flow(fl) < model.FirstAccount {
					massScale = max(massScale, math.Abs(want[fl]))
				} else {
					accScale = max(accScale, math.Abs(want[fl]))
				}
			}
			for _, fl := range need {
				sc := massScale
				if fl >= model.FirstAccount {
					sc = accScale
				}
				d := math.Abs(got[fl] - want[fl])
				if d > 1e-12*sc+1e-12*math.Abs(want[fl]) || math.IsNaN(got[fl]) {
					t.Fatalf("FY%d cell %d %s: linear %v, engine %v", yr.Year, c, fl, got[fl], want[fl])
				}
				if sc > 0 {
					worst = max(worst, d/sc)
				}
				n++
			}
		}
		for r, p := range yr.Population {
			if p != pops[yr.Index*len(yr.Population)+r] {
				t.Fatalf("FY%d region %d: population %v, engine %v", yr.Year, r, p, pops[yr.Index*len(yr.Population)+r])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("nothing compared")
	}
	t.Logf("%d values, largest difference %.2g of the cell's scale", n, worst)
}

// TestStreamLinearEqualsStream: all-Japan-like regions with durables,
// manufacturing demand, elements ramping in at different years, one
// restricted to an archetype, one with region start years and
// per-region scales, lifetime extension and reuse; and the baseline.
func TestStreamLinearEqualsStream(t *testing.T) {
	cfg := japanLikeN(t, true, 300)
	R := len(cfg.Regions)
	starts, scale := make([]int, R), make([]float64, R)
	for r := range starts {
		starts[r] = 2025 + r%9
		scale[r] = 0.5 + float64(r%7)/4
	}
	ai := ElementUse{Element: "ai_sorting", Start: 2028, RampYears: 4, Archetypes: []model.Archetype{model.ArchetypeB},
		Effects: []model.Effect{{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.25}}}
	incent := ElementUse{Element: "collection_incentives", Start: 2026, RampYears: 5, Effects: []model.Effect{
		{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.081},
		{Param: model.GenerationFactor, Op: model.Relative, Magnitude: -0.051},
		{Param: model.ReuseShare, Op: model.Add, Magnitude: 0.05},
		{Param: model.LifetimeExtension, Op: model.Add, Magnitude: 0.2}}}
	wide := ElementUse{Element: "wide_area", RampYears: 1, RegionStart: starts, Effects: []model.Effect{
		{Param: model.HaulKm, Op: model.Add, Magnitude: 12}, {Param: model.CostIncineration, Op: model.Relative, Magnitude: -0.1}},
		Scale: [][]float64{scale, nil}}
	chem := ElementUse{Element: "advanced_recycling", Start: 2030, RampYears: 3, Effects: []model.Effect{
		{Param: model.ChemicalShare, Op: model.Add, Magnitude: 0.2, Material: "plastics"},
		{Param: model.RecyclingYield, Op: model.GapClose, Magnitude: 0.3}}}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []*Variant{{Name: "baseline"}, {Name: "all", Elements: []ElementUse{incent, ai, wide, chem}}} {
		for _, workers := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/workers=%d", v.Name, workers), func(t *testing.T) {
				m.SetWorkers(workers)
				compareLinear(t, m, v, linearNeed())
				compareLinear(t, m, v, []model.Flow{model.WasteGenerated, model.FinalDisposal, model.GHGNet})
			})
		}
	}
}

// TestStreamLinearRefuses: sub-steps and offtake flows are not offered.
func TestStreamLinearRefuses(t *testing.T) {
	cfg := japanLikeN(t, false, 20)
	m, _ := New(cfg)
	if m.CanStreamLinear([]model.Flow{model.RecyclateUsed}) {
		t.Error("recyclate_used offered by the linear path")
	}
	if err := m.StreamLinear(&Variant{}, []model.Flow{model.RecyclateReceived}, nil, func(*Year) error { return nil }); err == nil {
		t.Error("StreamLinear computed an offtake flow")
	}
	cfg.StepsPerYear = 4
	m, _ = New(cfg)
	if m.CanStreamLinear([]model.Flow{model.WasteGenerated}) {
		t.Error("sub-steps offered by the linear path")
	}
}

// TestStreamLinearChemicalGroupDismantled: plastics with group
// collection, chemical recycling at its own cost and dismantled input from
// products, where the municipality's share of recycling costs is a ratio
// of flows; its product with the input is linear, and the paths agree.
func TestStreamLinearChemicalGroupDismantled(t *testing.T) {
	cfg := japanLikeN(t, true, 120)
	M := len(cfg.Materials)
	pl := model.MaterialIndex(cfg.Materials, "plastics")
	for k := range cfg.Products {
		cfg.Products[k].Composition[pl] = 0.2
		cfg.Products[k].Composition[model.MaterialIndex(cfg.Materials, "other")] = 0.3
	}
	for r := range cfg.Regions {
		p := &cfg.Params[r*M+pl]
		p[model.GroupCollectionShare] = 0.05
		p[model.ChemicalShare] = 0.3
		p[model.ChemicalCost] = p[model.CostRecycling] + 20000
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	compareLinear(t, m, &Variant{}, linearNeed())
}

// BenchmarkStreamLinearJapan: the all-Japan-like baseline with durables
// handed over year by year, computing the eight flows of the batch's
// default indicators by the linear path, against Stream (the whole
// engine, one worker each) in the same loop: x_stream is Stream's time
// over the linear path's.
func BenchmarkStreamLinearJapan(b *testing.B) {
	cfg := japanLike(b, true)
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	m.SetWorkers(1)
	need := []model.Flow{model.GroupCollected, model.SortedToRecycling, model.WasteGenerated, model.FuelCementOutput,
		model.AshRecycled, model.FinalDisposal, model.CostTotal, model.GHGNet}
	v := &Variant{Name: "baseline"}
	var bl, bs Result
	var sink float64
	yield := func(yr *Year) error { sink += yr.Population[0]; return nil }
	m.StreamLinear(v, need, &bl, yield)
	m.Stream(v, &bs, yield)
	var tl, ts time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if err := m.StreamLinear(v, need, &bl, yield); err != nil {
			b.Fatal(err)
		}
		tl += time.Since(t0)
		b.StopTimer()
		t1 := time.Now()
		if err := m.Stream(v, &bs, yield); err != nil {
			b.Fatal(err)
		}
		ts += time.Since(t1)
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(tl.Seconds()*1e3/n, "linear-ms")
	b.ReportMetric(ts.Seconds()*1e3/n, "stream-ms")
	b.ReportMetric(ts.Seconds()/tl.Seconds(), "x_stream")
}

// TestCheckLinear: the guard passes where the paths agree and names the
// value where they do not (a unit response spoiled by hand).
func TestCheckLinear(t *testing.T) {
	m, err := New(japanLikeN(t, true, 60))
	if err != nil {
		t.Fatal(err)
	}
	need := []model.Flow{model.WasteGenerated, model.FinalDisposal}
	if err := m.CheckLinear(&Variant{Name: "b"}, need); err != nil {
		t.Fatal(err)
	}
	// A year of the linear path spoiled by 1e-6 in one value is caught.
	var full []model.Flows
	m.Stream(&Variant{}, nil, func(yr *Year) error {
		if yr.Index == 3 {
			full = append(full, yr.Flows...)
		}
		return nil
	})
	n := 0
	m.StreamLinear(&Variant{}, need, nil, func(yr *Year) error {
		if yr.Index != 3 {
			return nil
		}
		if err := m.diffLinear(&Variant{}, full, yr); err != nil {
			t.Fatalf("unspoiled year: %v", err)
		}
		yr.Kept[7*len(yr.Keep)+slices.Index(yr.Keep, model.WasteGenerated)] *= 1 + 1e-6
		err := m.diffLinear(&Variant{Name: "x"}, full, yr)
		if err == nil || !strings.Contains(err.Error(), "FY2026") {
			t.Errorf("spoiled year: %v; want the value named", err)
		}
		n++
		return nil
	})
	if n != 1 {
		t.Fatal("year 3 not compared")
	}
}
