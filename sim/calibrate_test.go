package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/circular-partners/junkan/model"
)

// cellAt must compute what StepMaterial computes.
func TestCellAtMatchesStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 2000; n++ {
		var p model.Params
		for k := model.ReuseShare; k < model.LifetimeExtension; k++ {
			p[k] = rng.Float64()
		}
		p[model.ReuseShare] = 0
		p.Clamp()
		w := 10 * rng.Float64()
		sigma := p[model.SeparateCollection]
		num, mixed, rest, ar, sorted, fuel := cellAt(w, &p, sigma)
		var f model.Flows
		f.Step(w, &p)
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"recycled", num, model.Recycled(&f)}, {"mixed", mixed, f[model.MixedCollected]},
			{"rest", rest, f[model.MixedCollected] - f[model.DirectLandfill]}, {"ash recycled", ar, f[model.AshRecycled]},
			{"sorted", sorted, f[model.SortedToRecycling]}, {"fuel", fuel, f[model.FuelCementOutput]}} {
			if math.Abs(c.got-c.want) > 1e-12*math.Max(1, c.want) {
				t.Fatalf("case %d: %s = %.15g, Step gives %.15g", n, c.name, c.got, c.want)
			}
		}
	}
}

// surveyJapan is japanLike with a survey row per region: group collection
// 0–8 %, direct landfill 0–20 % of waste treated, R′ 12–40 % and R − R′
// 0–25 points (every 50th region with an R′ of 90 %, beyond what
// separate collection reaches).
func surveyJapan(tb testing.TB) *Config {
	cfg := japanLike(tb, true)
	rng := rand.New(rand.NewPCG(5, 6))
	for r := range cfg.Regions {
		g := &cfg.Regions[r]
		r2 := 0.12 + 0.28*rng.Float64()
		g.Survey = &Survey{GroupCollectionRate: 0.08 * rng.Float64(), DirectLandfillRate: 0.2 * rng.Float64(), RecyclingRateR2: r2}
		g.RecyclingRate = r2 + 0.25*rng.Float64()
		if r%50 == 0 { // R′ beyond separate collection, R reached through fuel
			g.Survey.DirectLandfillRate, g.Survey.RecyclingRateR2, g.RecyclingRate = 0.01, 0.9, 0.92
		}
	}
	cfg.GroupCollectionWeights = make([]float64, len(cfg.Materials))
	for i, m := range cfg.Materials {
		switch m.ID {
		case "paper", "textiles", "glass", "ferrous", "aluminium":
			cfg.GroupCollectionWeights[i] = 1
		}
	}
	return cfg
}

// Every survey figure is reached in the base year, region by region, and
// every tonne still ends in one sink.
func TestCalibrateSurvey(t *testing.T) {
	cfg := surveyJapan(t)
	cfg.EndYear = cfg.BaseYear
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "baseline"})
	if err != nil {
		t.Fatal(err)
	}
	M := len(cfg.Materials)
	for r, g := range cfg.Regions {
		var f model.Flows
		for i := 0; i < M; i++ {
			if !cfg.Materials[i].Durable {
				f.Add(res.Cell(0, r, i))
			}
		}
		sv := g.Survey
		w := f[model.WasteGenerated]
		cal := m.Calibrations[r]
		if len(cal.Unreached) > 0 {
			t.Logf("region %d: %v", r, cal.Unreached)
		}
		if got := f[model.GroupCollected] / w; math.Abs(got-sv.GroupCollectionRate) > 1e-9 {
			t.Errorf("region %d: group collection %.12g, want %.12g", r, got, sv.GroupCollectionRate)
		}
		if got := f[model.DirectLandfill] / (w - f[model.GroupCollected]); math.Abs(got-sv.DirectLandfillRate) > 1e-9 {
			t.Errorf("region %d: direct landfill %.12g of treated, want %.12g", r, got, sv.DirectLandfillRate)
		}
		if got := model.Recycled(&f) / w; math.Abs(got-g.RecyclingRate) > 1e-9 {
			t.Errorf("region %d: R %.12g, want %.12g (%v)", r, got, g.RecyclingRate, cal.Unreached)
		}
		r2 := (f[model.GroupCollected] + f[model.SortedToRecycling]) / w
		if len(cal.Unreached) == 0 && math.Abs(r2-sv.RecyclingRateR2) > 1e-9 {
			t.Errorf("region %d: R′ %.12g, want %.12g", r, r2, sv.RecyclingRateR2)
		}
		if len(cal.Unreached) > 0 && r%50 != 0 {
			t.Errorf("region %d: unexpected unreached %v", r, cal.Unreached)
		}
		var sinks float64
		for _, s := range model.Sinks {
			sinks += f[s]
		}
		// Over the MSW rows of a region, dismantled input from products and
		// the residues returned to them are transfers.
		if in := w + f[model.DismantledInput]; math.Abs(in-sinks-f[model.ReturnedResidue]) > 1e-9*in {
			t.Errorf("region %d: sinks %.12g + returned %.12g, want %.12g", r, sinks, f[model.ReturnedResidue], in)
		}
	}
}

// Without a survey row, calibration reaches R on separate collection alone
// as before; the closed form agrees with a bisection on the simulated rate.
func TestCalibrateClosedFormAgreesWithBisection(t *testing.T) {
	cfg := japanLike(t, false)
	cfg.Regions = cfg.Regions[:50]
	M := len(cfg.Materials)
	cfg.Composition, cfg.Params, cfg.Demand = cfg.Composition[:50*M], cfg.Params[:50*M], cfg.Demand[:50*M]
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for r, g := range cfg.Regions {
		cells := cfg.Params[r*M : (r+1)*M]
		comp := cfg.Composition[r*M : (r+1)*M]
		rate := func(k float64) float64 {
			var num, den float64
			for i := range cells {
				p := cells[i]
				p[model.SeparateCollection] = math.Min(1, k*p[model.SeparateCollection])
				var f model.Flows
				f.Step(comp[i], &p)
				num += model.Recycled(&f)
				den += f[model.WasteGenerated]
			}
			return num / den
		}
		a, b := 0.0, 50.0
		for range 200 {
			mid := (a + b) / 2
			if rate(mid) < g.RecyclingRate {
				a = mid
			} else {
				b = mid
			}
		}
		if got := m.Multiplier[r]; math.Abs(got-a) > 1e-9*a {
			t.Errorf("region %d: multiplier %.15g, bisection %.15g", r, got, a)
		}
	}
}

// BenchmarkCalibrateJapan measures the calibration of all Japan alone
// (1,741 regions, nine materials and three products), without and with a
// survey row per region; ns/op is per run of every region.
func BenchmarkCalibrateJapan(b *testing.B) {
	for _, sv := range []bool{false, true} {
		name := "prefecture"
		cfg := japanLike(b, true)
		if sv {
			name, cfg = "survey", surveyJapan(b)
		}
		b.Run(name, func(b *testing.B) {
			R, M := len(cfg.Regions), len(cfg.Materials)
			cells := slices.Clone(cfg.Params)
			terms, order, scratch := make([]mswTerms, 0, M), make([]int, 0, M), make([]float64, M)
			b.ReportAllocs()
			for b.Loop() {
				copy(cells, cfg.Params)
				for r := 0; r < R; r++ {
					if _, err := calibrateRegion(&cfg.Regions[r], cells[r*M:(r+1)*M], cfg.Composition[r*M:(r+1)*M],
						cfg.Materials, cfg.GroupCollectionWeights, terms, order, scratch); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/japan")
		})
	}
	// As New calibrates: the regions in contiguous ranges on one goroutine
	// per CPU (calWorkers), each copying its part of the parameters first.
	for _, sv := range []bool{false, true} {
		name := "prefecture-parallel"
		cfg := japanLike(b, true)
		if sv {
			name, cfg = "survey-parallel", surveyJapan(b)
		}
		b.Run(name, func(b *testing.B) {
			R, M := len(cfg.Regions), len(cfg.Materials)
			m := &Model{cfg: *cfg, base: make([]model.Params, R*M), disc: make([]float64, R*M),
				Multiplier: make([]float64, R), Calibrations: make([]Calibration, R)}
			W := calWorkers(R)
			for b.Loop() {
				if err := m.calibrate(W); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/japan")
			b.ReportMetric(float64(W), "workers")
		})
	}
	// The bisection calibration replaced (200 halvings on the simulated
	// rate, as before), for the ratio in one run.
	b.Run("bisection-before", func(b *testing.B) {
		cfg := japanLike(b, true)
		R, M := len(cfg.Regions), len(cfg.Materials)
		cells := slices.Clone(cfg.Params)
		for b.Loop() {
			copy(cells, cfg.Params)
			for r := 0; r < R; r++ {
				bisectCalibrate(cells[r*M:(r+1)*M], cfg.Composition[r*M:(r+1)*M], cfg.Regions[r].RecyclingRate)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/japan")
	})
	// The copy of the parameters each iteration above needs, alone.
	b.Run("copy-only", func(b *testing.B) {
		cfg := japanLike(b, true)
		cells := slices.Clone(cfg.Params)
		for b.Loop() {
			copy(cells, cfg.Params)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/japan")
	})
}

// Two municipalities computed by hand (FY2023, 366 days; paper and other,
// half each). A has a survey row: 1,000 persons × 1,000 g/day = 366 t,
// group collection 10 % = 36.6 t (all paper, the only eligible material),
// direct landfill 5 % of the 329.4 t treated = 16.47 t, R = R′ = 30 % =
// 109.8 t = 36.6 t group + 73.2 t sorted: paper's 146.4 t collected by
// the municipality must be half separated, so the multiplier on its 0.4
// share is 1.25; mixed collection is 73.2 t paper + 183 t other, landfilled
// directly at 16.47/256.2. B has no row: R = 20 % = 73.2 t sorted from its
// 183 t of paper at the share 0.4, multiplier 1.
func TestTwoMunicipalitiesSurveyByHand(t *testing.T) {
	mats := []model.Material{{ID: "paper"}, {ID: "other"}}
	var paper, other model.Params
	paper[model.GenerationFactor], other[model.GenerationFactor] = 1, 1
	paper[model.SeparateCollection], paper[model.SortingYield], paper[model.RecyclingYield] = 0.4, 1, 1
	paper[model.AshContent], other[model.AshContent] = 0.1, 0.2
	paper[model.DirectLandfillShare], other[model.DirectLandfillShare] = 0.3, 0.3 // replaced in A by calibration
	paper[model.DetourFactor], other[model.DetourFactor] = 1, 1
	cfg := &Config{BaseYear: 2023, EndYear: 2023, Materials: mats,
		Regions: []Region{
			{Code: "A", Archetype: model.Archetypes[0], Population: 1000, PerCapitaGPerDay: 1000, RecyclingRate: 0.3,
				Survey: &Survey{GroupCollectionRate: 0.1, DirectLandfillRate: 0.05, RecyclingRateR2: 0.3}},
			{Code: "B", Archetype: model.Archetypes[0], Population: 1000, PerCapitaGPerDay: 1000, RecyclingRate: 0.2},
		},
		Composition:            []float64{0.5, 0.5, 0.5, 0.5},
		Params:                 []model.Params{paper, other, paper, other},
		GroupCollectionWeights: []float64{1, 0},
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "baseline"})
	if err != nil {
		t.Fatal(err)
	}
	d := 16.47 / 256.2
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %.12g, want %.12g", name, got, want)
		}
	}
	if got := m.Multiplier[0]; math.Abs(got-1.25) > 1e-12 {
		t.Errorf("A: multiplier %v, want 1.25", got)
	}
	if got := m.Multiplier[1]; math.Abs(got-1) > 1e-12 {
		t.Errorf("B: multiplier %v, want 1", got)
	}
	ap, ao := res.Cell(0, 0, 0), res.Cell(0, 0, 1)
	near("A paper waste_generated", ap[model.WasteGenerated], 183)
	near("A paper group_collected", ap[model.GroupCollected], 36.6)
	near("A paper separately_collected", ap[model.SeparatelyCollected], 73.2)
	near("A paper mixed_collected", ap[model.MixedCollected], 73.2)
	near("A paper direct_landfill", ap[model.DirectLandfill], 73.2*d)
	near("A other direct_landfill", ao[model.DirectLandfill], 183*d)
	near("A paper recyclate_output", ap[model.RecyclateOutput], 36.6+73.2) // yield 1: group and sorted
	near("A paper incinerated", ap[model.Incinerated], 73.2*(1-d))
	near("A other ash", ao[model.Ash], 0.2*183*(1-d))
	near("A final_disposal", ap[model.FinalDisposal]+ao[model.FinalDisposal], 16.47+0.1*73.2*(1-d)+0.2*183*(1-d))
	near("A recycled", model.Recycled(ap)+model.Recycled(ao), 109.8)
	bp := res.Cell(0, 1, 0)
	near("B paper group_collected", bp[model.GroupCollected], 0)
	near("B paper sorted_to_recycling", bp[model.SortedToRecycling], 73.2)
	near("B paper direct_landfill", bp[model.DirectLandfill], 0.3*109.8)
	for r := 0; r < 2; r++ {
		for i := 0; i < 2; i++ {
			f := res.Cell(0, r, i)
			var sinks float64
			for _, s := range model.Sinks {
				sinks += f[s]
			}
			near(fmt.Sprintf("region %d material %d: Σ sinks − waste_generated", r, i), sinks-f[model.WasteGenerated], 0)
		}
	}
}

// bisectCalibrate is the calibration this package had before the closed
// form: bisection on the rate computed by stepping every cell (kept for
// BenchmarkCalibrateJapan's ratio).
func bisectCalibrate(cells []model.Params, comp []float64, target float64) float64 {
	rate := func(k float64) float64 {
		var num, den float64
		var f model.Flows
		for i := range cells {
			p := cells[i]
			p[model.SeparateCollection] = math.Min(1, k*p[model.SeparateCollection])
			f.Step(comp[i]/(1-p[model.ReuseShare]), &p)
			num += f[model.SortedToRecycling] + f[model.AshRecycled]
			den += f[model.WasteGenerated]
		}
		if den == 0 {
			return 0
		}
		return num / den
	}
	kmax := 0.0
	for i := range cells {
		if s := cells[i][model.SeparateCollection]; s > 0 && comp[i] > 0 {
			kmax = math.Max(kmax, 1/s)
		}
	}
	a, b := 0.0, kmax
	for range 200 {
		mid := (a + b) / 2
		if rate(mid) < target {
			a = mid
		} else {
			b = mid
		}
		if b-a <= 1e-15*b {
			break
		}
	}
	k := (a + b) / 2
	for i := range cells {
		cells[i][model.SeparateCollection] = math.Min(1, k*cells[i][model.SeparateCollection])
	}
	return k
}
