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

// linearElements returns the element uses of the linear path's tests on
// R regions: incentives with lifetime extension and reuse on every
// region; AI sorting on archetype b (with reuse too, if aiReuse); wide
// area with region start years and per-region scales on parameters the
// products' cohorts do not read; chemical recycling of plastics.
func linearElements(R int, aiReuse bool) (incent, ai, wide, chem ElementUse) {
	starts, scale := make([]int, R), make([]float64, R)
	for r := range starts {
		starts[r] = 2025 + r%9
		scale[r] = 0.5 + float64(r%7)/4
	}
	ai = ElementUse{Element: "ai_sorting", Start: 2028, RampYears: 4, Archetypes: []model.Archetype{model.ArchetypeB},
		Effects: []model.Effect{{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.25}}}
	if aiReuse {
		ai.Effects = append(ai.Effects, model.Effect{Param: model.ReuseShare, Op: model.Add, Magnitude: 0.02})
	}
	incent = ElementUse{Element: "collection_incentives", Start: 2026, RampYears: 5, Effects: []model.Effect{
		{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.081},
		{Param: model.GenerationFactor, Op: model.Relative, Magnitude: -0.051},
		{Param: model.ReuseShare, Op: model.Add, Magnitude: 0.05},
		{Param: model.LifetimeExtension, Op: model.Add, Magnitude: 0.2}}}
	wide = ElementUse{Element: "wide_area", RampYears: 1, RegionStart: starts, Effects: []model.Effect{
		{Param: model.HaulKm, Op: model.Add, Magnitude: 12}, {Param: model.CostIncineration, Op: model.Relative, Magnitude: -0.1}},
		Scale: [][]float64{scale, nil}}
	chem = ElementUse{Element: "advanced_recycling", Start: 2030, RampYears: 3, Effects: []model.Effect{
		{Param: model.ChemicalShare, Op: model.Add, Magnitude: 0.2, Material: "plastics"},
		{Param: model.RecyclingYield, Op: model.GapClose, Magnitude: 0.3}}}
	return incent, ai, wide, chem
}

// chemicalDismantled returns an all-Japan-like configuration of n regions
// whose plastics have group collection and chemical recycling at its own
// cost, and whose products are dismantled into plastics and other.
func chemicalDismantled(t testing.TB, n int) *Config {
	cfg := japanLikeN(t, true, n)
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
	return cfg
}

// TestStreamLinearEqualsStream: all-Japan-like regions with durables,
// manufacturing demand, elements ramping in at different years, one
// restricted to an archetype, one with region start years and
// per-region scales, lifetime extension and reuse; and the baseline.
func TestStreamLinearEqualsStream(t *testing.T) {
	cfg := japanLikeN(t, true, 300)
	R := len(cfg.Regions)
	incent, ai, wide, chem := linearElements(R, false)
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
	m, err := New(chemicalDismantled(t, 120))
	if err != nil {
		t.Fatal(err)
	}
	compareLinear(t, m, &Variant{}, linearNeed())
}

// BenchmarkStreamLinearJapan: the all-Japan-like baseline with durables
// handed over year by year, computing the eight flows of the batch's
// default indicators by the linear path, against Stream (the whole
// engine, one worker each) in the same loop: x_stream is Stream's time
// over the linear path's; groups-ms the linear path's archetype sums
// (StreamLinearGroups), x_groups Stream's time over theirs.
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
	var bl, bs, bg Result
	var sink float64
	yield := func(yr *Year) error { sink += yr.Population[0]; return nil }
	yieldG := func(yr *Year) error { sink += yr.GroupPopulation[0]; return nil }
	gr := Groups{Of: make([]int, len(cfg.Regions)), N: 5}
	for r, g := range cfg.Regions {
		gr.Of[r] = g.Archetype.Index()
	}
	m.StreamLinear(v, need, &bl, yield)
	m.Stream(v, &bs, yield)
	m.StreamLinearGroups(v, need, gr, &bg, yieldG)
	var tl, ts, tg time.Duration
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
		t2 := time.Now()
		if err := m.StreamLinearGroups(v, need, gr, &bg, yieldG); err != nil {
			b.Fatal(err)
		}
		tg += time.Since(t2)
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(tl.Seconds()*1e3/n, "linear-ms")
	b.ReportMetric(ts.Seconds()*1e3/n, "stream-ms")
	b.ReportMetric(tg.Seconds()*1e3/n, "groups-ms")
	b.ReportMetric(ts.Seconds()/tl.Seconds(), "x_stream")
	b.ReportMetric(ts.Seconds()/tg.Seconds(), "x_groups")
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

// compareGroups runs v by Stream and by StreamLinearGroups with the
// regions grouped by archetype (every seventh region in no group) and
// fails on any group sum that differs from the sum of the engine's cells
// beyond rounding: 1e-12 of the sum of the cells' largest flows, plus
// 1e-12 relative. It returns the number of classes the path stepped.
func compareGroups(t *testing.T, m *Model, v *Variant, need []model.Flow) int {
	t.Helper()
	R, M := len(m.cfg.Regions), len(m.cfg.Materials)
	gr := Groups{Of: make([]int, R), N: 5}
	for r, g := range m.cfg.Regions {
		gr.Of[r] = g.Archetype.Index()
		if r%7 == 3 {
			gr.Of[r] = -1
		}
	}
	var want, scale, pop []float64
	if err := m.Stream(v, nil, func(yr *Year) error {
		w, s, p := make([]float64, 5*M*int(model.NumFlows)), make([]float64, 5*M*2), make([]float64, 5)
		for r, g := range gr.Of {
			if g < 0 {
				continue
			}
			p[g] += yr.Population[r]
			for i := 0; i < M; i++ {
				f := yr.Cell(r, i)
				mass, acc := cellScales(f)
				s[(g*M+i)*2] += mass
				s[(g*M+i)*2+1] += acc
				for fl, x := range f {
					w[(g*M+i)*int(model.NumFlows)+fl] += x
				}
			}
		}
		want, scale, pop = append(want, w...), append(scale, s...), append(pop, p...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var buf Result
	n := 0
	if err := m.StreamLinearGroups(v, need, gr, &buf, func(yr *Year) error {
		if yr.Flows != nil || yr.Kept != nil || yr.Population != nil {
			t.Fatal("the group path handed over cells")
		}
		K := len(yr.Keep)
		for g := 0; g < 5; g++ {
			if p, w := yr.GroupPopulation[g], pop[yr.Index*5+g]; math.Abs(p-w) > 1e-12*w {
				t.Fatalf("FY%d group %d: population %v, engine %v", yr.Year, g, p, w)
			}
			for i := 0; i < M; i++ {
				for j, fl := range yr.Keep {
					sc := scale[(yr.Index*5*M+g*M+i)*2]
					if fl >= model.FirstAccount {
						sc = scale[(yr.Index*5*M+g*M+i)*2+1]
					}
					w := want[(yr.Index*5*M+g*M+i)*int(model.NumFlows)+int(fl)]
					got := yr.GroupKept[(g*M+i)*K+j]
					if !(math.Abs(got-w) <= 1e-12*sc+1e-12*math.Abs(w)) {
						t.Fatalf("FY%d group %d material %s %s: sum %v, engine %v", yr.Year, g, m.cfg.Materials[i].ID, fl, got, w)
					}
					n++
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("nothing compared")
	}
	return len(buf.lin.classRep)
}

// TestStreamLinearGroupsEqualsStream: the group sums of the linear path
// equal the sums of the engine's cells, with durables and the elements of
// TestStreamLinearEqualsStream (lifetime extension and reuse on every
// region; a use on one archetype; region start years and scales on
// parameters the products' cohorts do not read), with regions of two
// population changes, and with chemical recycling, group collection and
// dismantled input; the regions fall into as many classes as their
// products' cohorts differ.
func TestStreamLinearGroupsEqualsStream(t *testing.T) {
	cfg := japanLikeN(t, true, 300)
	R := len(cfg.Regions)
	incent, ai, wide, chem := linearElements(R, true)
	need := []model.Flow{model.WasteGenerated, model.FinalDisposal, model.GHGNet, model.Stock, model.Reused, model.CostTotal}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if q := compareGroups(t, m, &Variant{Name: "baseline"}, linearNeed()); q != 1 {
		t.Errorf("baseline: %d classes, want 1 (one population change, same products)", q)
	}
	all := &Variant{Name: "all", Elements: []ElementUse{incent, ai, wide, chem}}
	if q := compareGroups(t, m, all, linearNeed()); q != 2 {
		t.Errorf("all elements: %d classes, want 2 (archetype b's reuse differs)", q)
	}
	compareGroups(t, m, all, need)
	for r := range cfg.Regions {
		if r%3 == 0 {
			cfg.Regions[r].PopulationChange = 0.004
		}
	}
	if m, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	if q := compareGroups(t, m, all, need); q != 4 {
		t.Errorf("two population changes: %d classes, want 4", q)
	}
	cfg = chemicalDismantled(t, 120)
	if m, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	compareGroups(t, m, &Variant{}, linearNeed())
	if err := m.CheckLinearGroups(&Variant{}, need, Groups{Of: make([]int, len(cfg.Regions)), N: 1}); err != nil {
		t.Error(err)
	}
}
