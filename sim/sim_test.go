package sim

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/model"
	"gonum.org/v1/gonum/floats/scalar"
)

var twoMaterials = []model.Material{{ID: "paper"}, {ID: "glass"}}

// paperP and glassP are the hand-checked parameters of the two-region test.
func paperP() model.Params {
	var p model.Params
	p[model.GenerationFactor] = 1
	p[model.SeparateCollection] = 0.4
	p[model.SortingYield] = 0.9
	p[model.RecyclingYield] = 0.8
	p[model.DirectLandfillShare] = 0.1
	p[model.AshContent] = 0.1
	p[model.AshRecycling] = 0.5
	return p
}

func glassP() model.Params {
	var p model.Params
	p[model.GenerationFactor] = 1
	p[model.SeparateCollection] = 0.8
	p[model.SortingYield] = 0.95
	p[model.RecyclingYield] = 0.9
	p[model.ResidueLandfill] = 0.5
	p[model.DirectLandfillShare] = 0.1
	p[model.AshContent] = 1
	p[model.AshRecycling] = 0.5
	return p
}

// twoRegions: A has 1,000 persons at 1,000 g/person/day, half paper, half
// glass, constant population; B has 500 persons at 800 g/person/day, all
// paper, population −10 %/yr. No calibration.
func twoRegions() *Config {
	return &Config{
		BaseYear: 2023, EndYear: 2024, Materials: twoMaterials,
		Regions: []Region{
			{Code: "A", Archetype: model.ArchetypeC, Population: 1000, PerCapitaGPerDay: 1000, RecyclingRate: -1},
			{Code: "B", Archetype: model.ArchetypeE, Population: 500, PerCapitaGPerDay: 800, PopulationChange: -0.1, RecyclingRate: -1},
		},
		Composition: []float64{0.5, 0.5, 1, 0},
		Params:      []model.Params{paperP(), glassP(), paperP(), glassP()},
	}
}

func TestTwoRegionsByHand(t *testing.T) {
	m, err := New(twoRegions())
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "baseline"})
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-12
	// FY2023 has 366 days: region A generates 1,000 × 1,000 g × 366 d = 366 t,
	// 183 t of paper and 183 t of glass.
	want := map[string]struct {
		y, r, i int
		f       model.Flows
	}{
		// paper: S = 183×0.4 = 73.2; M = 109.8; DL = 10.98; sorted = 65.88;
		// residue 7.32; recyclate = 52.704; recycling residue 13.176;
		// incinerated = 98.82 + 20.496 = 119.316; ash 11.9316; loss to air
		// 107.3844; ash recycled = ash landfilled = 5.9658;
		// final disposal = 10.98 + 5.9658 = 16.9458.
		"A paper 2023": {0, 0, 0, model.Flows{
			model.Discarded: 183, model.WasteGenerated: 183, model.SeparatelyCollected: 73.2, model.MixedCollected: 109.8,
			model.DirectLandfill: 10.98, model.SortedToRecycling: 65.88, model.SortingResidue: 7.32,
			model.RecyclateOutput: 52.704, model.RecyclingResidue: 13.176, model.Incinerated: 119.316,
			model.CombustionLoss: 107.3844, model.Ash: 11.9316, model.AshRecycled: 5.9658, model.AshLandfilled: 5.9658,
			model.FinalDisposal: 16.9458, model.Inflow: 183,
			// No high-grade share and no manufacturing demand: all recyclate
			// is low grade and leaves the system.
			model.RecyclateLow: 52.704, model.RecyclateOutsideLow: 52.704}},
		// glass: S = 146.4; M = 36.6; DL = 3.66; sorted = 139.08; residue
		// 7.32; recyclate 125.172; recycling residue 13.908; residues 21.228,
		// half landfilled (10.614); incinerated = 32.94 + 10.614 = 43.554,
		// all ash; ash recycled = landfilled = 21.777;
		// final disposal = 3.66 + 10.614 + 21.777 = 36.051.
		"A glass 2023": {0, 0, 1, model.Flows{
			model.Discarded: 183, model.WasteGenerated: 183, model.SeparatelyCollected: 146.4, model.MixedCollected: 36.6,
			model.DirectLandfill: 3.66, model.SortedToRecycling: 139.08, model.SortingResidue: 7.32,
			model.RecyclateOutput: 125.172, model.RecyclingResidue: 13.908, model.ResidueLandfilled: 10.614,
			model.Incinerated: 43.554, model.Ash: 43.554, model.AshRecycled: 21.777, model.AshLandfilled: 21.777,
			model.FinalDisposal: 36.051, model.Inflow: 183, model.RecyclateLow: 125.172, model.RecyclateOutsideLow: 125.172}},
		// B in FY2024 (365 days): 500 × 0.9 = 450 persons × 800 g × 365 d =
		// 131.4 t of paper: S = 52.56, M = 78.84, DL = 7.884, sorted = 47.304,
		// residue 5.256, recyclate 37.8432, recycling residue 9.4608,
		// incinerated = 70.956 + 14.7168 = 85.6728, ash 8.56728,
		// loss to air 77.10552, ash recycled 4.28364, final disposal
		// 7.884 + 4.28364 = 12.16764.
		"B paper 2024": {1, 1, 0, model.Flows{
			model.Discarded: 131.4, model.WasteGenerated: 131.4, model.SeparatelyCollected: 52.56, model.MixedCollected: 78.84,
			model.DirectLandfill: 7.884, model.SortedToRecycling: 47.304, model.SortingResidue: 5.256,
			model.RecyclateOutput: 37.8432, model.RecyclingResidue: 9.4608, model.Incinerated: 85.6728,
			model.CombustionLoss: 77.10552, model.Ash: 8.56728, model.AshRecycled: 4.28364, model.AshLandfilled: 4.28364,
			model.FinalDisposal: 12.16764, model.Inflow: 131.4, model.RecyclateLow: 37.8432, model.RecyclateOutsideLow: 37.8432}},
		"B glass 2024": {1, 1, 1, model.Flows{}},
	}
	for name, w := range want {
		got := res.Cell(w.y, w.r, w.i)
		for f := model.Flow(0); f < model.NumFlows; f++ {
			if !scalar.EqualWithinAbsOrRel(got[f], w.f[f], tol, tol) {
				t.Errorf("%s: %s = %.12g; want %.12g", name, f, got[f], w.f[f])
			}
		}
	}
	if got := res.Population[1*2+1]; !scalar.EqualWithinAbsOrRel(got, 450, tol, tol) {
		t.Errorf("population B 2024 = %v; want 450", got)
	}
	// Recycling rate of A in 2023: (65.88 + 5.9658 + 139.08 + 21.777) / 366.
	var f model.Flows
	pop := res.Sum(&f, 0, []int{0}, -1)
	if got, want := model.RecyclingRate.Value(&f, pop, 2023), 232.7028/366*100; !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("recycling rate A = %v; want %v", got, want)
	}
	if got := model.WastePerCapita.Value(&f, pop, 2023); !scalar.EqualWithinAbsOrRel(got, 1000, tol, tol) {
		t.Errorf("waste per capita A = %v; want 1000", got)
	}
}

func TestCalibration(t *testing.T) {
	// One material, separate collection 0.5, sorting yield 1, no ash
	// recycling: recycling rate = 0.5·k, so a target of 0.3 needs k = 0.6.
	var p model.Params
	p[model.GenerationFactor] = 1
	p[model.SeparateCollection] = 0.5
	p[model.SortingYield] = 1
	p[model.RecyclingYield] = 1
	p[model.AshContent] = 0.1
	cfg := &Config{BaseYear: 2023, EndYear: 2023, Materials: twoMaterials[:1],
		Regions:     []Region{{Code: "X", Archetype: model.ArchetypeD, Population: 100, PerCapitaGPerDay: 900, RecyclingRate: 0.3}},
		Composition: []float64{1}, Params: []model.Params{p}}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Multiplier[0]; !scalar.EqualWithinAbsOrRel(got, 0.6, 1e-9, 1e-9) {
		t.Errorf("multiplier = %v; want 0.6", got)
	}
	res, _ := m.Run(&Variant{Name: "b"})
	c := res.Cell(0, 0, 0)
	if got := c[model.SortedToRecycling] / c[model.WasteGenerated]; !scalar.EqualWithinAbsOrRel(got, 0.3, 1e-9, 1e-9) {
		t.Errorf("recycling rate = %v; want 0.3", got)
	}
	// Unreachable: even collecting everything separately gives 1.0, but
	// with sorting yield 0.5 the maximum is 0.5.
	cfg.Params[0][model.SortingYield] = 0.5
	cfg.Regions[0].RecyclingRate = 0.6
	if _, err := New(cfg); !errors.Is(err, ErrCalibration) {
		t.Errorf("New with unreachable target: err = %v; want ErrCalibration", err)
	}
}

func TestElementRamp(t *testing.T) {
	cfg := twoRegions()
	cfg.EndYear = 2026
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	v := &Variant{Name: "ai", Elements: []ElementUse{{Element: "ai_sorting", Start: 2024, RampYears: 2,
		Archetypes: []model.Archetype{model.ArchetypeC},
		Effects:    []model.Effect{{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.5}}}}}
	res, err := m.Run(v)
	if err != nil {
		t.Fatal(err)
	}
	// Paper sorting yield 0.9: FY2023 unchanged; FY2024 weight 1/2 →
	// 0.9 + 0.5×0.5×0.1 = 0.925; FY2025 on, weight 1 → 0.95. Region B
	// (archetype e) is never touched.
	for _, c := range []struct {
		y, r int
		want float64
	}{{0, 0, 0.9}, {1, 0, 0.925}, {2, 0, 0.95}, {3, 0, 0.95}, {2, 1, 0.9}} {
		f := res.Cell(c.y, c.r, 0)
		if got := f[model.SortedToRecycling] / f[model.SeparatelyCollected]; !scalar.EqualWithinAbsOrRel(got, c.want, 1e-12, 1e-12) {
			t.Errorf("year %d region %d: sorting yield %v; want %v", 2023+c.y, c.r, got, c.want)
		}
	}
}

func TestMassBalanceEveryCell(t *testing.T) {
	cfg := twoRegions()
	cfg.EndYear = 2050
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "x", Elements: []ElementUse{{Start: 2030, RampYears: 5,
		Effects: []model.Effect{{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.7},
			{Param: model.GenerationFactor, Op: model.Relative, Magnitude: -0.2},
			{Param: model.ReuseShare, Op: model.Add, Magnitude: 0.1}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for k := range res.Flows {
		f := &res.Flows[k]
		var sinks float64
		for _, s := range model.Sinks {
			sinks += f[s]
		}
		if w := f[model.WasteGenerated]; math.Abs(w-sinks) > 1e-9*w+1e-9 {
			t.Fatalf("cell %d: waste_generated %v ≠ Σ sinks %v", k, w, sinks)
		}
		if w := f[model.WasteGenerated]; math.Abs(w-f[model.SeparatelyCollected]-f[model.MixedCollected]) > 1e-9*w+1e-9 {
			t.Fatalf("cell %d: waste_generated ≠ separately + mixed", k)
		}
		for fl, v := range f {
			if v < 0 || math.IsNaN(v) {
				t.Fatalf("cell %d: %s = %v", k, model.Flow(fl), v)
			}
		}
	}
}

func TestConfigErrors(t *testing.T) {
	cfg := twoRegions()
	cfg.Composition[0] = 0.6 // region A sums to 1.1
	cfg.Params[1][model.SortingYield] = 1.5
	_, err := New(cfg)
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("err = %v; want ErrConfig", err)
	}
	for _, s := range []string{"composition sums to 1.1", "sorting_yield = 1.5"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

func TestStepAllocs(t *testing.T) {
	cfg := twoRegions()
	m, _ := New(cfg)
	v := &Variant{Elements: []ElementUse{{Start: 2023, Effects: []model.Effect{{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.5}}}}}
	st, err := m.newStepper(v)
	defer st.close()
	if err != nil {
		t.Fatal(err)
	}
	res, _ := m.Run(v)
	if n := testing.AllocsPerRun(100, func() { _ = st.step(res, 1) }); n != 0 {
		t.Errorf("step allocates %v times; want 0", n)
	}
}
