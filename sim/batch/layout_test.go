package batch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// TestObserveByHand: two regions (archetypes a and c), two materials (one
// a product), one year: the cells are the sums computed by hand.
func TestObserveByHand(t *testing.T) {
	mats := []model.Material{{ID: "paper"}, {ID: "appliances", Durable: true}}
	regs := []sim.Region{{Code: "1", Archetype: model.Archetype('a')}, {Code: "2", Archetype: model.Archetype('c')}}
	res := &sim.Result{BaseYear: 2023, Years: 1, Regions: regs, Materials: mats,
		Population: []float64{1000, 3000}, Flows: make([]model.Flows, 4)}
	// waste_generated: region 1 paper 10, appliances 2; region 2 paper 30, appliances 4.
	res.Cell(0, 0, 0)[model.WasteGenerated] = 10
	res.Cell(0, 0, 1)[model.WasteGenerated] = 2
	res.Cell(0, 1, 0)[model.WasteGenerated] = 30
	res.Cell(0, 1, 1)[model.WasteGenerated] = 4
	l, err := NewLayout(regs, mats, 2023, 1, []string{"v"}, []string{"total", "archetype", "region"},
		[]string{"all", "msw"}, []string{"waste_generated", "waste_per_capita"})
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(l.Cells))
	l.Observe(0, res, y, &Scratch{})
	perCap := func(t, p float64) float64 { return t / p / 366 * 1e6 } // FY2023 has 366 days
	want := map[[4]string]float64{
		{"total", "total", "all", "waste_generated"}: 46, {"total", "total", "msw", "waste_generated"}: 40,
		{"archetype", "a", "all", "waste_generated"}: 12, {"archetype", "c", "msw", "waste_generated"}: 30,
		{"region", "2", "all", "waste_generated"}: 34, {"region", "1", "msw", "waste_generated"}: 10,
		{"total", "total", "msw", "waste_per_capita"}: perCap(40, 4000),
		{"archetype", "c", "all", "waste_per_capita"}: perCap(34, 3000),
	}
	for k, w := range want {
		i := l.Index("v", k[0], k[1], 2023, k[2], k[3])
		if i < 0 {
			t.Fatalf("no cell %v", k)
		}
		if math.Abs(y[i]-w) > 1e-12*w {
			t.Errorf("%v = %v; want %v", k, y[i], w)
		}
	}
	if len(l.Cells) != (1+2+2)*2*2 {
		t.Errorf("%d cells; want 20", len(l.Cells))
	}
}

// TestResolvedIndicatorsAgree checks that every indicator name, resolved
// once by the layout, gives what model.IndicatorValue gives by name.
func TestResolvedIndicatorsAgree(t *testing.T) {
	var f model.Flows
	for k := range f {
		f[k] = float64(3*k+1) * 1.25
	}
	for _, name := range model.IndicatorNames() {
		k, ok := resolveIndicator(name)
		if !ok {
			t.Fatalf("%s not resolved", name)
		}
		want, _, _ := model.IndicatorValue(name, &f, 1234, 2030)
		if got := k.value(&f, 1234, 2030); got != want {
			t.Errorf("%s = %v; model.IndicatorValue gives %v", name, got, want)
		}
	}
	if _, ok := resolveIndicator("no_such_indicator"); ok {
		t.Error("an unknown name resolved")
	}
}

// TestObserveSumsWhatIndicatorsRead checks that summing only the flows the
// indicators read gives, bit for bit, what summing every flow gives, for
// every indicator name, at every level, on random flows.
func TestObserveSumsWhatIndicatorsRead(t *testing.T) {
	res := randomResult([]model.Material{{ID: "paper"}, {ID: "plastics"}, {ID: "appliances", Durable: true}}, 7, 3, 3)
	for _, inds := range [][]string{model.IndicatorNames(),
		{"waste_generated", "final_disposal", "recycling_rate", "ghg_net", "cost_total", "waste_per_capita", "cost_per_capita"}} {
		observeAgainstFullSums(t, res, inds)
	}
}

func observeAgainstFullSums(t *testing.T, res *sim.Result, inds []string) {
	regs, mats := res.Regions, res.Materials
	R, M, Y := len(regs), len(mats), res.Years
	l, err := NewLayout(regs, mats, 2023, Y, []string{"v"}, []string{"total", "archetype", "region"},
		[]string{"all", "msw", "plastics"}, inds)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(l.Cells))
	l.Observe(0, res, y, &Scratch{})
	checked := 0
	for i, c := range l.Cells {
		// The reference: every flow summed per archetype and material over
		// the regions in order, then over archetypes and materials.
		var arch [5][]model.Flows
		var pops [5]float64
		for a := range arch {
			arch[a] = make([]model.Flows, M)
		}
		yi := c.Year - 2023
		for r, g := range regs {
			a := g.Archetype.Index()
			pops[a] += res.Population[yi*R+r]
			for m := range mats {
				arch[a][m].Add(res.Cell(yi, r, m))
			}
		}
		sel := func(m int) bool {
			return c.Material == "all" || (c.Material == "msw" && !mats[m].Durable) || c.Material == mats[m].ID
		}
		var f model.Flows
		var pop float64
		switch c.Level {
		case "total":
			for a := range arch {
				for m := range mats {
					if sel(m) {
						f.Add(&arch[a][m])
					}
				}
				pop += pops[a]
			}
		case "archetype":
			a := model.Archetype(c.Archetype[0]).Index()
			for m := range mats {
				if sel(m) {
					f.Add(&arch[a][m])
				}
			}
			pop = pops[a]
		default:
			r := int(c.Region[0] - 'A')
			for m := range mats {
				if sel(m) {
					f.Add(res.Cell(yi, r, m))
				}
			}
			pop = res.Population[yi*R+r]
		}
		want, _, _ := model.IndicatorValue(c.Indicator, &f, pop, c.Year)
		if math.Float64bits(y[i]) != math.Float64bits(want) {
			t.Fatalf("%+v = %v; summing every flow gives %v", c, y[i], want)
		}
		checked++
	}
	// Every flow is an indicator of its own; these seven indicators read eight
	// flows: waste_generated, the four terms of R (group collection,
	// sorted to recycling, ash recycled, fuel and cement output),
	// final_disposal, ghg_net, cost_total (waste_per_capita and
	// cost_per_capita add none).
	want := int(model.NumFlows)
	if len(inds) < want {
		want = 8
	}
	if checked != len(l.Cells) || len(l.need) != want {
		t.Errorf("%d of %d cells checked, %d of %d flows summed; want %d summed", checked, len(l.Cells), len(l.need), model.NumFlows, want)
	}
}

// TestObserveNarrowYear: a narrow year (Keep, Kept, as the linear path
// hands it over, with an extra flow kept) gives the cells a whole year
// gives, bit for bit.
func TestObserveNarrowYear(t *testing.T) {
	res := randomResult([]model.Material{{ID: "paper"}, {ID: "appliances", Durable: true}}, 6, 2, 5)
	regs, mats := res.Regions, res.Materials
	R, M, Y := len(regs), len(mats), res.Years
	l, err := NewLayout(regs, mats, 2023, Y, []string{"v"}, []string{"total", "archetype", "region"},
		[]string{"all", "msw"}, []string{"recycling_rate", "ghg_net", "waste_per_capita"})
	if err != nil {
		t.Fatal(err)
	}
	wide, narrow := make([]float64, len(l.Cells)), make([]float64, len(l.Cells))
	l.Observe(0, res, wide, &Scratch{})
	keep := append([]model.Flow{model.Dismantled}, l.Flows()...)
	slices.Sort(keep)
	var s Scratch
	for y := 0; y < Y; y++ {
		yr := res.YearOf(y)
		kept := make([]float64, 0, R*M*len(keep))
		for c := range yr.Flows {
			for _, fl := range keep {
				kept = append(kept, yr.Flows[c][fl])
			}
		}
		yr.Flows, yr.Keep, yr.Kept = nil, keep, kept
		l.ObserveYear(0, &yr, narrow, &s)
	}
	for i := range wide {
		if math.Float64bits(wide[i]) != math.Float64bits(narrow[i]) {
			t.Fatalf("%+v: narrow %v, wide %v", l.Cells[i], narrow[i], wide[i])
		}
	}
}

// randomResult is a Result of R regions (codes A, B, …, archetypes a–e in
// turn), the materials mats and Y years from FY2023, with populations and
// every flow drawn from a PCG seeded with seed.
func randomResult(mats []model.Material, R, Y int, seed uint64) *sim.Result {
	var regs []sim.Region
	for r := 0; r < R; r++ {
		regs = append(regs, sim.Region{Code: string(rune('A' + r)), Archetype: model.Archetypes[r%5]})
	}
	M := len(mats)
	rng := rand.New(rand.NewPCG(seed, seed+1))
	res := &sim.Result{BaseYear: 2023, Years: Y, Regions: regs, Materials: mats,
		Population: make([]float64, Y*R), Flows: make([]model.Flows, Y*R*M)}
	for i := range res.Population {
		res.Population[i] = 1000 + 1e5*rng.Float64()
	}
	for k := range res.Flows {
		for fl := range res.Flows[k] {
			res.Flows[k][fl] = 1e4 * rng.Float64()
		}
	}
	return res
}

// TestObserveGroupSums: a layout without the region level computed from
// archetype sums (GroupKept, GroupPopulation, as
// sim.Model.StreamLinearGroups hands them over with Layout.Groups) gives
// the cells a whole year gives, bit for bit when the sums are added in
// region order; a layout with the region level cannot take them.
func TestObserveGroupSums(t *testing.T) {
	res := randomResult([]model.Material{{ID: "paper"}, {ID: "appliances", Durable: true}}, 7, 2, 9)
	regs, mats := res.Regions, res.Materials
	R, M, Y := len(regs), len(mats), res.Years
	l, err := NewLayout(regs, mats, 2023, Y, []string{"v"}, []string{"total", "archetype"},
		[]string{"all", "msw"}, []string{"recycling_rate", "ghg_net", "waste_per_capita"})
	if err != nil {
		t.Fatal(err)
	}
	gr, ok := l.Groups()
	if !ok || gr.N != 5 || gr.Of[5] != 0 || gr.Of[6] != 1 {
		t.Fatalf("groups %+v, %v: want the archetype index of each region", gr, ok)
	}
	wide, sums := make([]float64, len(l.Cells)), make([]float64, len(l.Cells))
	l.Observe(0, res, wide, &Scratch{})
	keep := append([]model.Flow{model.ReturnedResidue}, l.Flows()...)
	slices.Sort(keep)
	K := len(keep)
	var s Scratch
	for y := 0; y < Y; y++ {
		yr := res.YearOf(y)
		gk, gp := make([]float64, 5*M*K), make([]float64, 5)
		for r := 0; r < R; r++ {
			a := gr.Of[r]
			gp[a] += yr.Population[r]
			for i := 0; i < M; i++ {
				for j, fl := range keep {
					gk[(a*M+i)*K+j] += yr.Flows[r*M+i][fl]
				}
			}
		}
		yr.Flows, yr.Population, yr.Keep, yr.GroupKept, yr.GroupPopulation = nil, nil, keep, gk, gp
		l.ObserveYear(0, &yr, sums, &s)
	}
	for i := range wide {
		if math.Float64bits(wide[i]) != math.Float64bits(sums[i]) {
			t.Fatalf("%+v: from sums %v, wide %v", l.Cells[i], sums[i], wide[i])
		}
	}
	l, _ = NewLayout(regs, mats, 2023, Y, []string{"v"}, []string{"total", "region"}, []string{"all"}, []string{"ghg_net"})
	if _, ok := l.Groups(); ok {
		t.Error("a layout with the region level offered to take archetype sums")
	}
}
