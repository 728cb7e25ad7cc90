package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestDaysInFY(t *testing.T) {
	for _, c := range []struct{ fy, want int }{
		{2023, 366}, // February 2024 has 29 days
		{2024, 365},
		{2099, 365}, // 2100 is not a leap year
		{2399, 366}, // 2400 is
		{2027, 366},
	} {
		if got := DaysInFY(c.fy); got != c.want {
			t.Errorf("DaysInFY(%d) = %d; want %d", c.fy, got, c.want)
		}
	}
	// The published national FY2023 figure: 38,974,270 t ÷ 125,068,896
	// persons ÷ 366 d = 851 g/person/day (rounded).
	if got := PerCapitaGPerDay(38974270, 125068896, 2023); math.Round(got) != 851 {
		t.Errorf("national FY2023 per capita = %v; want 851 after rounding", got)
	}
	if got := PerCapitaGPerDay(10, 0, 2023); got != 0 {
		t.Errorf("per capita with no population = %v; want 0", got)
	}
}

func TestRampWeight(t *testing.T) {
	for _, c := range []struct {
		r              Ramp
		y, start, year int
		want           float64
	}{
		{Linear, 2025, 2026, 4, 0},
		{Linear, 2026, 2026, 4, 0.25},
		{Linear, 2027, 2026, 4, 0.5},
		{Linear, 2029, 2026, 4, 1},
		{Linear, 2040, 2026, 4, 1},
		{Linear, 2026, 2026, 0, 1},
		{Linear, 2026, 2026, 1, 1},
		{Logistic, 2025, 2026, 4, 0},
		{Logistic, 2029, 2026, 4, 1},
		{Logistic, 2027, 2026, 4, 0.5}, // x = 1/2: the midpoint of the logistic
	} {
		if got := c.r.Weight(c.y, c.start, c.year); !scalar.EqualWithinAbs(got, c.want, 1e-12) {
			t.Errorf("%v.Weight(%d, %d, %d) = %v; want %v", c.r, c.y, c.start, c.year, got, c.want)
		}
	}
	// Logistic ramps rise monotonically.
	prev := 0.0
	for y := 2026; y < 2036; y++ {
		w := Logistic.Weight(y, 2026, 10)
		if w < prev {
			t.Fatalf("logistic weight falls at %d", y)
		}
		prev = w
	}
}

func TestOpApply(t *testing.T) {
	for _, c := range []struct {
		op      Op
		v, m, w float64
		want    float64
	}{
		{GapClose, 0.8, 0.5, 1, 0.9},    // 0.8 + 0.5×0.2
		{GapClose, 0.8, 0.5, 0.5, 0.85}, // half strength
		{Relative, 0.4, -0.1, 1, 0.36},
		{Add, 0.1, 0.05, 1, 0.15},
	} {
		if got := c.op.Apply(c.v, c.m, c.w); !scalar.EqualWithinAbs(got, c.want, 1e-12) {
			t.Errorf("%v.Apply(%v, %v, %v) = %v; want %v", c.op, c.v, c.m, c.w, got, c.want)
		}
	}
}

func TestStepClosesAndCheckersAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 10000; n++ {
		var p Params
		p[GenerationFactor] = 1
		for k := ReuseShare; k < LifetimeExtension; k++ {
			p[k] = rng.Float64()
			if n%7 == 0 {
				p[k] = float64(rng.IntN(2)) // exact 0 and 1 edges
			}
		}
		p.Clamp()
		var f Flows
		f.Step(rng.Float64()*1e6, &p)
		if i, r := CheckBalance(&f); i >= 0 {
			t.Fatalf("Step does not close: process %s residual %v", Processes[i].Name, r)
		}
		// Tamper with one flow: both checkers must catch it at the same
		// process.
		g := f
		k := Flow(rng.IntN(int(NumFlows)))
		if k == Stock || k == ManufacturingDemand || k == ChemicalRecyclingInput || k >= FirstAccount { // a level, a bound and accounts: in no balance
			continue
		}
		g[k] += 1
		i1, r1 := CheckBalance(&g)
		i2, r2 := CheckBalanceGeneric(&g)
		if i1 < 0 || i1 != i2 || !scalar.EqualWithinAbsOrRel(r1, r2, 1e-6, 1e-9) {
			t.Fatalf("tampered %s: CheckBalance = %d,%v; generic = %d,%v", k, i1, r1, i2, r2)
		}
	}
	var f Flows
	f[Ash] = math.NaN()
	if i, _ := CheckBalance(&f); i < 0 {
		t.Error("NaN flow not caught")
	}
	f[Ash] = -1
	if i, _ := CheckBalance(&f); i < 0 {
		t.Error("negative flow not caught")
	}
	// The fast path reads sign bits: a −0 flow and a negative stock change
	// are no violation; a negative value of any mass flow is, and a
	// non-finite account.
	var p Params
	p[SeparateCollection], p[SortingYield], p[RecyclingYield], p[AshContent] = 0.3, 0.9, 0.8, 0.1
	var z Flows
	z.Step(100, &p)
	z[RecyclateOtherRegionsLow] = math.Copysign(0, -1)
	if i, r := CheckBalance(&z); i >= 0 {
		t.Errorf("−0 flow: process %s, residual %v", Processes[i].Name, r)
	}
	for k := Flow(0); k < FirstAccount; k++ {
		if k == StockChange {
			continue
		}
		g := z
		g[k] = -1e-300
		if i, _ := CheckBalance(&g); i != 0 {
			t.Errorf("negative %s: process %d, want 0 (use)", k, i)
		}
	}
	for k := FirstAccount; k < NumFlows; k++ {
		g := z
		g[k] = math.Inf(-1)
		if i, _ := CheckBalance(&g); i < 0 {
			t.Errorf("infinite %s not caught", k)
		}
	}
}

func TestZeroInputNoNaN(t *testing.T) {
	var p Params
	for k := range p {
		p[k] = 0.5
	}
	var f Flows
	f.Step(0, &p)
	for i, v := range f {
		if v != 0 {
			t.Errorf("%s = %v for zero input; want 0", Flow(i), v)
		}
	}
	if got := RecyclingRate.Value(&f, 0, 2023); got != 0 {
		t.Errorf("recycling rate of nothing = %v; want 0", got)
	}
}

func TestDefaultsTable(t *testing.T) {
	tab := Defaults()
	mats := DefaultMaterials()
	for _, a := range Archetypes {
		var sum float64
		for _, m := range mats {
			p, err := tab.CellParams(a, m.ID)
			if err != nil {
				t.Fatalf("archetype %s: %v", a, err)
			}
			for k := ReuseShare; k < NumParams; k++ {
				if k.IsShare() && (p[k] < 0 || p[k] > 1) {
					t.Errorf("%s %s: %s = %v outside [0,1]", a, m.ID, k, p[k])
				}
				if math.IsNaN(p[k]) || math.IsInf(p[k], 0) {
					t.Errorf("%s %s: %s = %v", a, m.ID, k, p[k])
				}
			}
			if p[RecyclingYield]+p[ProcessLossShare] > 1 {
				t.Errorf("%s %s: recycling yield + process loss > 1", a, m.ID)
			}
			c, err := tab.Value("composition", a, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			sum += c
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("archetype %s: composition sums to %v", a, sum)
		}
		if _, err := tab.Value("synthetic_population", a, ""); err != nil {
			t.Error(err)
		}
	}
	for _, f := range tab.Facts {
		switch f.Kind {
		case KindCited, KindDerived:
			if strings.TrimSpace(f.Source) == "" {
				t.Errorf("%s (%s, %s): %s without source", f.Key, f.Archetype, f.Material, f.Kind)
			}
		case KindAssumption:
			if strings.TrimSpace(f.Note) == "" {
				t.Errorf("%s (%s, %s): assumption without reasoning", f.Key, f.Archetype, f.Material)
			}
		}
		if f.Kind == KindDerived && strings.TrimSpace(f.Note) == "" {
			t.Errorf("%s: derived without arithmetic", f.Key)
		}
	}
}

func TestLookupPrecedence(t *testing.T) {
	tab := &Table{Facts: []Fact{
		{Key: "k", Archetype: "*", Material: "*", Value: 1},
		{Key: "k", Archetype: "*", Material: "paper", Value: 2},
		{Key: "k", Archetype: "b", Material: "*", Value: 3},
		{Key: "k", Archetype: "b", Material: "paper", Value: 4},
	}}
	for _, c := range []struct {
		a    Archetype
		mat  string
		want float64
	}{{ArchetypeA, "glass", 1}, {ArchetypeA, "paper", 2}, {ArchetypeB, "glass", 3}, {ArchetypeB, "paper", 4}, {0, "", 1}} {
		if got, _ := tab.Value("k", c.a, c.mat); got != c.want {
			t.Errorf("Value(k, %q, %q) = %v; want %v", c.a, c.mat, got, c.want)
		}
	}
}

func TestLibrary(t *testing.T) {
	lib, err := Library(Defaults(), DefaultMaterials())
	if err != nil {
		t.Fatal(err)
	}
	if len(lib) != 8 {
		t.Fatalf("%d elements; want the 8 of the working group", len(lib))
	}
	for _, id := range []string{"collection_incentives", "ai_sorting"} {
		e, err := FindElement(lib, id)
		if err != nil || !e.Implemented() {
			t.Errorf("%s: not implemented (%v)", id, err)
		}
	}
	_, err = FindElement(lib, "ai_sortng")
	if err == nil || !strings.Contains(err.Error(), `did you mean "ai_sorting"`) {
		t.Errorf("FindElement(ai_sortng) error = %v; want a suggestion", err)
	}
}

// One tonne through group collection and the fuel and cement routes,
// computed by hand: g = 0.1, separately collected 0.9 × 0.4, direct
// landfill 0.54 × 0.1, fuel 0.486 × 0.2, recycling input 0.324 + 0.1.
func TestGroupCollectionAndFuelCementByHand(t *testing.T) {
	var p Params
	p[GroupCollectionShare] = 0.1
	p[SeparateCollection] = 0.4
	p[SortingYield] = 0.9
	p[RecyclingYield] = 0.8
	p[DirectLandfillShare] = 0.1
	p[FuelCementShare] = 0.2
	p[AshContent] = 0.1
	p[AshRecycling] = 0.5
	var f Flows
	f.Step(1, &p)
	want := map[Flow]float64{GroupCollected: 0.1, SeparatelyCollected: 0.36, MixedCollected: 0.54, DirectLandfill: 0.054,
		FuelCementInput: 0.0972, FuelCementOutput: 0.0972, SortedToRecycling: 0.324, RecyclateOutput: 0.3392,
		RecyclingResidue: 0.0848, Incinerated: 0.5096, Ash: 0.05096, AshRecycled: 0.02548, FinalDisposal: 0.07948,
		CombustionLoss: 0.45864}
	for fl, v := range want {
		if math.Abs(f[fl]-v) > 1e-12 {
			t.Errorf("%s = %.12g, want %.12g", fl, f[fl], v)
		}
	}
	var sinks float64
	for _, s := range Sinks {
		sinks += f[s]
	}
	if math.Abs(sinks-1) > 1e-12 {
		t.Errorf("sinks sum to %.15g, want 1", sinks)
	}
	if pi, r := CheckBalance(&f); pi >= 0 {
		t.Errorf("process %s does not close: %g", Processes[pi].Name, r)
	}
	if got := RecyclingRate.Value(&f, 1, 2023); math.Abs(got-54.668) > 1e-9 {
		t.Errorf("recycling rate %.12g %%, want 54.668", got)
	}
	// The municipality does not pay for recycling what groups sell.
	p[CostRecycling] = 1000
	f.Account(&p)
	if got, want := f[CostTotal], 324.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("cost_total %.12g, want %.12g (recycling of the municipal part only)", got, want)
	}
}

// Every flow set to NaN (either sign) or ±Inf is caught by CheckBalance,
// which agrees with CheckBalanceGeneric on the process, and a flow on both
// sides of no process escapes the sign test.
func TestCheckBalanceNonFinite(t *testing.T) {
	var p Params
	p[SeparateCollection], p[SortingYield], p[RecyclingYield], p[AshContent], p[AshRecycling] = 0.3, 0.9, 0.8, 0.1, 0.25
	var z Flows
	z.Step(100, &p)
	z.Account(&p)
	if i, r := CheckBalance(&z); i >= 0 {
		t.Fatalf("Step does not close: %s %v", Processes[i].Name, r)
	}
	for k := Flow(0); k < NumFlows; k++ {
		for _, v := range []float64{math.NaN(), -math.NaN(), math.Copysign(math.NaN(), -1), math.Inf(1), math.Inf(-1)} {
			g := z
			g[k] = v
			i1, r1 := CheckBalance(&g)
			i2, r2 := CheckBalanceGeneric(&g)
			if i1 < 0 || i1 != i2 || math.Float64bits(r1) != math.Float64bits(r2) {
				t.Errorf("%s = %v: CheckBalance = %d,%v; generic = %d,%v", k, v, i1, r1, i2, r2)
			}
		}
	}
}

// StepMaterialChecked writes the flows of StepMaterial, manufacturing
// demand and Account bit for bit, and gives CheckBalance's verdict; with
// split it leaves the offtake and manufacturing flows as they were.
func TestStepMaterialCheckedAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tab := Defaults()
	for n := 0; n < 20000; n++ {
		var p Params
		if n%3 == 0 {
			p, _ = tab.CellParams(Archetypes[n%5], DefaultMaterials()[n%9].ID)
		} else {
			p[GenerationFactor] = 1
			for k := ReuseShare; k < NumParams; k++ {
				p[k] = rng.Float64()
				if k > LifetimeExtension {
					p[k] = (rng.Float64() - 0.3) * 1e4
				}
				if n%7 == 0 {
					p[k] = float64(rng.IntN(2)) // exact 0 and 1 edges
				}
			}
		}
		p.Clamp()
		disc, dism, dem := rng.Float64()*1e6, 0.0, 0.0
		if n%2 == 0 {
			dism = rng.Float64() * 1e3
		}
		if n%4 < 2 {
			dem = rng.Float64() * 1e5
		}
		switch n % 97 { // out of the domain: the checks must say so
		case 1:
			p[SortingYield], p[SeparateCollection], p[GroupCollectionShare], p[ReuseShare] = 1.5, 0.5, 0, 0
		case 2:
			p[AshContent] = math.NaN()
		case 3:
			disc = math.Inf(1)
		case 4:
			dem = -1
		case 5:
			p[CostIncineration] = math.Inf(1)
		}
		var want Flows
		want.StepMaterial(disc, dism, &p)
		want[ManufacturingDemand] = dem
		want.Account(&p)
		wi, wr := CheckBalance(&want)
		if bad := n%97 >= 1 && n%97 <= 5; bad != (wi >= 0) {
			t.Fatalf("n=%d: CheckBalance = %d, %v (out of the domain: %v)", n, wi, wr, bad)
		}
		for _, split := range []bool{false, true} {
			var got Flows
			for k := range got {
				got[k] = -7 // stale: must be overwritten, or left (split)
			}
			gi, gr := got.StepMaterialChecked(disc, dism, dem, split, &p)
			for k := Flow(0); k < NumFlows; k++ {
				offt := k >= RecyclateLocalHigh && k <= RecyclateUsed && k != ManufacturingDemand
				if split && offt && gi < 0 {
					if got[k] != -7 {
						t.Fatalf("n=%d split: %s written (%v)", n, k, got[k])
					}
					continue
				}
				if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
					t.Fatalf("n=%d split=%v: %s = %v, want %v", n, split, k, got[k], want[k])
				}
			}
			if gi != wi || math.Float64bits(gr) != math.Float64bits(wr) {
				t.Fatalf("n=%d split=%v: check %d,%v, want %d,%v", n, split, gi, gr, wi, wr)
			}
		}
	}
}

// SetOfftake writes the split as the engine did before it (outside = what
// is left, at least 0; used = local + received) and gives CheckOfftake's
// verdict on what it wrote, also for splits that do not close.
func TestSetOfftakeAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var p Params
	p[SeparateCollection], p[SortingYield], p[RecyclingYield], p[HighGradeShare], p[AshContent] = 0.4, 0.9, 0.8, 0.6, 0.1
	fails := 0
	for n := 0; n < 5000; n++ {
		var f Flows
		f.Step(rng.Float64()*1e5, &p)
		f[ManufacturingDemand] = rng.Float64() * 1e4
		hi, lo := f[RecyclateHigh], f[RecyclateLow]
		D := f[ManufacturingDemand]
		lh, ll := min(hi, 0.3*D)*rng.Float64(), min(lo, 0.3*D)*rng.Float64()
		oh, ol := (hi-lh)*rng.Float64(), (lo-ll)*rng.Float64()
		rc := f[ManufacturingDemand] * rng.Float64() * 0.3
		switch n % 50 {
		case 1:
			oh = hi * 2 // more shipped than made
		case 2:
			rc = f[ManufacturingDemand] * 2 // more used than demanded
		case 3:
			ll = -1
		case 4:
			rc = math.NaN()
		case 5:
			f[ManufacturingDemand] = math.Inf(1)
		}
		g := f
		gi, gr := g.SetOfftake(lh, ll, oh, ol, rc)
		w := f
		w[RecyclateLocalHigh], w[RecyclateLocalLow], w[RecyclateOtherRegionsHigh], w[RecyclateOtherRegionsLow] = lh, ll, oh, ol
		w[RecyclateOutsideHigh], w[RecyclateOutsideLow] = max(0, hi-lh-oh), max(0, lo-ll-ol)
		w[RecyclateReceived], w[RecyclateUsed] = rc, lh+ll+rc
		for k := range w {
			if math.Float64bits(g[k]) != math.Float64bits(w[k]) {
				t.Fatalf("n=%d: %s = %v, want %v", n, Flow(k), g[k], w[k])
			}
		}
		wi, wr := CheckOfftake(&w)
		if gi != wi || math.Float64bits(gr) != math.Float64bits(wr) {
			t.Fatalf("n=%d: SetOfftake = %d,%v; CheckOfftake = %d,%v", n, gi, gr, wi, wr)
		}
		if bad := n%50 >= 1 && n%50 <= 5; bad != (gi >= 0) {
			t.Fatalf("n=%d: verdict %d, %v (bad split: %v)", n, gi, gr, bad)
		}
		if gi >= 0 {
			fails++
		}
	}
	if fails == 0 {
		t.Fatal("no split failed")
	}
}
