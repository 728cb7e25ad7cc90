package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/circular-partners/junkan/model"
)

// japanLike returns a config shaped like the all-Japan run: 1,741 regions
// (populations drawn log-uniformly between 200 and 3.8 million from a fixed
// seed), the default materials and parameters, FY2023–FY2050, calibrated
// to recycling rates between 10 % and 35 %.
func japanLike(tb testing.TB) *Config {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	tab := model.Defaults()
	mats := model.DefaultMaterials()
	const R = 1741
	cfg := &Config{BaseYear: 2023, EndYear: 2050, Materials: mats}
	for r := 0; r < R; r++ {
		a := model.Archetypes[r%5]
		cfg.Regions = append(cfg.Regions, Region{Code: "r", Archetype: a,
			Population:       200 * pow(19000, rng.Float64()),
			PopulationChange: -0.006, PerCapitaGPerDay: 700 + 300*rng.Float64(), RecyclingRate: 0.10 + 0.25*rng.Float64()})
		for _, m := range mats {
			c, _ := tab.Value("composition", a, m.ID)
			cfg.Composition = append(cfg.Composition, c)
			p, err := tab.CellParams(a, m.ID)
			if err != nil {
				tb.Fatal(err)
			}
			cfg.Params = append(cfg.Params, p)
		}
	}
	return cfg
}

func pow(b, x float64) float64 { return math.Pow(b, x) }

func BenchmarkRunJapan(b *testing.B) {
	cfg := japanLike(b)
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	v := &Variant{Name: "incentives", Elements: []ElementUse{
		{Element: "collection_incentives", Start: 2026, RampYears: 5, Effects: []model.Effect{
			{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.081},
			{Param: model.GenerationFactor, Op: model.Relative, Magnitude: -0.051}}},
		{Element: "ai_sorting", Start: 2028, RampYears: 4, Effects: []model.Effect{
			{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.25}}}}}
	cells := float64(len(cfg.Regions) * len(cfg.Materials) * (cfg.EndYear - cfg.BaseYear + 1))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Run(v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(cells*float64(b.N)/b.Elapsed().Seconds(), "region-material-years/s")
}

// BenchmarkStep measures one fiscal year of all regions (the inner step).
func BenchmarkStep(b *testing.B) {
	cfg := japanLike(b)
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	v := &Variant{}
	res, _ := m.Run(v)
	st, _ := m.newStepper(v)
	b.ReportAllocs()
	for b.Loop() {
		if err := st.step(res, 5); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cfg.Regions)*len(cfg.Materials))*float64(b.N)/b.Elapsed().Seconds(), "region-materials/s")
}

func BenchmarkCalibrate(b *testing.B) {
	cfg := japanLike(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
