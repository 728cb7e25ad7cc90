package sim

import (
	"math"
	"testing"

	"github.com/circular-partners/junkan/model"
	"gonum.org/v1/gonum/floats/scalar"
)

// durablesConfig: region A (1,000 persons, constant) puts 10 t/yr of
// appliances into use (0.01 t/person/yr), fixed lifetime 3 years, 20 % of
// discards reused, reused products living half as long (1.5 years → they
// leave one year later). Appliances are all ferrous. Region B has no
// people but 10 t/yr of ferrous demand; A has 2 t/yr.
func durablesConfig() *Config {
	mats := []model.Material{{ID: "ferrous"}, {ID: "appliances", Durable: true}}
	var fe, ap model.Params
	fe[model.GenerationFactor] = 1
	fe[model.RecyclingYield] = 0.9
	fe[model.HighGradeShare] = 0.5
	fe[model.MaxRecycledContent] = 0.5
	fe[model.AshContent] = 1
	ap[model.GenerationFactor] = 1
	ap[model.ReuseShare] = 0.2
	ap[model.SeparateCollection] = 0.5
	ap[model.SortingYield] = 0.8
	ap[model.AshContent] = 0.1
	return &Config{
		BaseYear: 2023, EndYear: 2027, Materials: mats,
		Regions: []Region{
			{Code: "A", Archetype: model.ArchetypeB, Population: 1000, RecyclingRate: -1},
			{Code: "B", Archetype: model.ArchetypeA, Population: 0, RecyclingRate: -1},
		},
		Composition: []float64{1, 0, 1, 0},
		Params:      []model.Params{fe, ap, fe, ap},
		Products: []Product{{Material: 1, InflowPerCapita: 0.01, Lifetime: model.Lifetime{Kind: model.Fixed, A: 3},
			ReuseLifeFactor: 0.5, Composition: []float64{1, 0}}},
		Demand:          []float64{2, 0, 10, 0},
		DemandHighShare: []float64{0.5, 0},
	}
}

func TestDurablesByHand(t *testing.T) {
	m, err := New(durablesConfig())
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	// Steady state before the base year, with the base reuse share: each
	// year 10 t are put into use, 2 t of them reused units (leaving after 1
	// year) and 8 t new (leaving after 3 years); the stock is
	// 8 × 3 + 2 × 1 = 26 t. From the base year on nothing changes, so every
	// year discards 10 t, reuses 2 t, puts 8 t of new units into use and
	// keeps a stock of 26 t.
	checkStock(t, res, []stockYear{
		{10, 2, 8, 26}, {10, 2, 8, 26}, {10, 2, 8, 26}, {10, 2, 8, 26}, {10, 2, 8, 26},
	})
	const tol = 1e-12
	// FY2023 product waste 8 t: 4 t dismantled, of which 3.2 t go to
	// ferrous recycling (yield 0.9 → 2.88 t recyclate, half high grade)
	// and 0.8 t are a dismantling residue; the 0.32 t recycling residue of
	// the ferrous comes back to the appliances: 4 t mixed + 0.8 + 0.32 t
	// residues = 5.12 t incinerated, ash 0.512 t landfilled.
	ap := res.Cell(0, 0, 1)
	fe := res.Cell(0, 0, 0)
	for _, c := range []struct {
		name string
		got  float64
		want float64
	}{
		{"appliances dismantled", ap[model.Dismantled], 3.2},
		{"appliances incinerated", ap[model.Incinerated], 5.12},
		{"appliances final disposal", ap[model.FinalDisposal], 0.512},
		{"appliances residue from materials", ap[model.ResidueFromMaterials], 0.32},
		{"ferrous returned residue", fe[model.ReturnedResidue], 0.32},
		{"ferrous incinerated", fe[model.Incinerated], 0},
		{"ferrous dismantled input", fe[model.DismantledInput], 3.2},
		{"ferrous recyclate", fe[model.RecyclateOutput], 2.88},
		// Local offtake: A's demand 2 t × 50 % max recycled content, half
		// in each grade: 0.5 t high and 0.5 t low taken locally.
		{"A local high", fe[model.RecyclateLocalHigh], 0.5},
		{"A local low", fe[model.RecyclateLocalLow], 0.5},
		// B can take 2.5 t per grade: all of A's remaining 0.94 + 0.94 t.
		{"A to other regions high", fe[model.RecyclateOtherRegionsHigh], 0.94},
		{"A to other regions low", fe[model.RecyclateOtherRegionsLow], 0.94},
		{"A outside", fe[model.RecyclateOutsideHigh] + fe[model.RecyclateOutsideLow], 0},
		{"A used", fe[model.RecyclateUsed], 1},
		{"B received", res.Cell(0, 1, 0)[model.RecyclateReceived], 1.88},
		{"B used", res.Cell(0, 1, 0)[model.RecyclateUsed], 1.88},
	} {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, tol, tol) {
			t.Errorf("FY2023 %s = %v; want %v", c.name, c.got, c.want)
		}
	}
	// Inlet-side circular use rate of the run: 2.88 t used of 12 t demand.
	var f model.Flows
	pop := res.Sum(&f, 0, nil, -1)
	if got := model.InletCircularUseRate.Value(&f, pop, 2023); !scalar.EqualWithinAbsOrRel(got, 24, tol, tol) {
		t.Errorf("inlet circular use rate = %v %%; want 24 %%", got)
	}
}

func TestLifetimeExtension(t *testing.T) {
	cfg := durablesConfig()
	cfg.EndYear = 2035
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Cohorts entering from FY2024 on live 1/3 longer: 4 years instead of
	// 3, so FY2027 discards only the reused products of FY2026 (new FY2024
	// products now leave in FY2028).
	res, err := m.Run(&Variant{Name: "design", Elements: []ElementUse{{Start: 2024,
		Effects: []model.Effect{{Param: model.LifetimeExtension, Material: "appliances", Op: model.Add, Magnitude: 1.0 / 3}}}}})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := m.Run(&Variant{Name: "b"})
	if got, was := res.Cell(4, 0, 1)[model.Discarded], base.Cell(4, 0, 1)[model.Discarded]; !(got < was) {
		t.Errorf("FY2027 discards with longer lifetimes %v; want fewer than %v", got, was)
	}
	if got, was := res.Cell(12, 0, 1)[model.Stock], base.Cell(12, 0, 1)[model.Stock]; !(got > was) {
		t.Errorf("FY2035 stock with longer lifetimes %v; want more than %v", got, was)
	}
}

// Calibration scales the separate collection of the MSW materials only:
// products keep their own collection rates.
func TestCalibrationLeavesProducts(t *testing.T) {
	cfg := durablesConfig()
	cfg.Params[0][model.SeparateCollection] = 0.5 // ferrous MSW
	cfg.Params[0][model.SortingYield] = 1
	cfg.Params[0][model.AshContent] = 0
	cfg.Regions[0].RecyclingRate = 0.3 // needs a multiplier of 0.6
	cfg.Params[1][model.SeparateCollection] = 0.7
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Multiplier[0]; math.Abs(got-0.6) > 1e-9 {
		t.Errorf("multiplier %v; want 0.6", got)
	}
	if got := m.BaseParams(0, 1)[model.SeparateCollection]; got != 0.7 {
		t.Errorf("appliances separate collection %v after calibration; want 0.7", got)
	}
}

// From a steady state without reuse, reuse of 20 % from FY2023 on: the
// cohort bookkeeping by hand. Past cohorts (10 t/yr, 3 years) leave 10 t
// in each of FY2023–2025.
//
//	y0: discarded 10, reused 2, new 8 (leaves y3), reused cohort leaves y1; stock 30
//	y1: discarded 10 + 2 = 12, reused 2.4, new 7.6; stock 28
//	y2: discarded 10 + 2.4 = 12.4, reused 2.48, new 7.52; stock 25.6
//	y3: discarded 8 + 2.48 = 10.48, reused 2.096, new 7.904; stock 25.12
//	y4: discarded 7.6 + 2.096 = 9.696, reused 1.9392, new 8.0608; stock 25.424
func TestDurablesReuseTransient(t *testing.T) {
	cfg := durablesConfig()
	cfg.Params[1][model.ReuseShare] = 0
	cfg.Params[3][model.ReuseShare] = 0
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "reuse", Elements: []ElementUse{{Start: 2023,
		Effects: []model.Effect{{Param: model.ReuseShare, Material: "appliances", Op: model.Add, Magnitude: 0.2}}}}})
	if err != nil {
		t.Fatal(err)
	}
	checkStock(t, res, []stockYear{
		{10, 2, 8, 30}, {12, 2.4, 7.6, 28}, {12.4, 2.48, 7.52, 25.6}, {10.48, 2.096, 7.904, 25.12},
		{9.696, 1.9392, 8.0608, 25.424},
	})
}

// A stock drained to zero does not trip the balance check on rounding:
// after new units stop entering, the stock empties over the lifetimes and
// its running sum may end a few 1e-14 t below zero.
func TestDrainedStock(t *testing.T) {
	for _, lt := range []model.Lifetime{{Kind: model.Weibull, A: 3, B: 13.985}, {Kind: model.Lognormal, A: 1.1513, B: 0.3575},
		{Kind: model.Normal, A: 12, B: 4}} {
		for _, pop := range []float64{1000, 12345.6, 987654.3, 3.7e6} {
			cfg := durablesConfig()
			cfg.EndYear = 2150
			cfg.Regions[0].Population = pop
			cfg.Products[0].Lifetime = lt
			cfg.Params[1][model.ReuseShare] = 0
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Run(&Variant{Name: "stop", Elements: []ElementUse{{Start: 2023,
				Effects: []model.Effect{{Param: model.GenerationFactor, Material: "appliances", Op: model.Relative, Magnitude: -1}}}}}); err != nil {
				t.Errorf("%v, population %v: %v", lt.Kind, pop, err)
			}
		}
	}
}

// A region's results do not depend on the other regions of the run, even
// when their products' lifetimes differ (more distinct lifetimes in a year
// than the lifetime cache first holds).
func TestLifetimeCacheIndependent(t *testing.T) {
	two := durablesConfig()
	two.EndYear = 2040
	two.Regions[1].Population = 800
	two.Params[1][model.LifetimeExtension] = 1   // A: fixed 3 → 6 years
	two.Params[3][model.LifetimeExtension] = 0.2 // B: 3.6 years
	one := *two
	one.Regions = two.Regions[:1]
	one.Composition, one.Params, one.Demand = two.Composition[:2], two.Params[:2], two.Demand[:2]
	run := func(cfg *Config) *Result {
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.SetWorkers(1)
		res, err := m.Run(&Variant{Name: "b"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(two), run(&one)
	for y := 0; y < a.Years; y++ {
		if got, want := a.Cell(y, 0, 1)[model.Discarded], b.Cell(y, 0, 1)[model.Discarded]; got != want {
			t.Fatalf("FY%d: region A discards %v with region B, %v alone", 2023+y, got, want)
		}
	}
}

// stockYear is one fiscal year of the appliances of region 0, in t.
type stockYear struct{ disc, reused, inflow, stock float64 }

// checkStock compares the appliances (material 1) of region 0 year by year
// with want, within 1e-12 relative, and checks the stock is never negative.
func checkStock(t *testing.T, res *Result, want []stockYear) {
	t.Helper()
	const tol = 1e-12
	for y, w := range want {
		f := res.Cell(y, 0, 1)
		for _, c := range []struct {
			fl   model.Flow
			want float64
		}{{model.Discarded, w.disc}, {model.Reused, w.reused}, {model.Inflow, w.inflow}, {model.Stock, w.stock}} {
			if got := f[c.fl]; !scalar.EqualWithinAbsOrRel(got, c.want, tol, tol) {
				t.Errorf("FY%d appliances %s = %v; want %v", 2023+y, c.fl, got, c.want)
			}
		}
		if f[model.Stock] < 0 {
			t.Errorf("FY%d: negative stock", 2023+y)
		}
	}
}
