package sim

import (
	"testing"

	"github.com/circular-partners/junkan/model"
)

// edgeConfig is durablesConfig with a fixed lifetime of years, no reuse
// and the run from FY2023 to end.
func edgeConfig(years float64, end int) *Config {
	cfg := durablesConfig()
	cfg.EndYear = end
	cfg.Params[1][model.ReuseShare] = 0
	cfg.Params[3][model.ReuseShare] = 0
	cfg.Products[0].Lifetime = model.Lifetime{Kind: model.Fixed, A: years}
	return cfg
}

// Fixed 5-year lifetimes extended by 3 (× 4 = 20 years) for cohorts
// entering from FY2024: the pre-base and FY2023 cohorts (10 t/yr) leave
// after 5 years, through FY2028; nothing leaves in FY2029–FY2043; the
// FY2024 cohort leaves in FY2044, after 20 years. The stock grows from
// 10 × 5 = 50 t by 10 t/yr from FY2029 to 200 t in FY2043 and stays there.
func TestLifetimeExtensionBeyondBuffer(t *testing.T) {
	m, err := New(edgeConfig(5, 2050))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "x3", Elements: []ElementUse{{Start: 2024,
		Effects: []model.Effect{{Param: model.LifetimeExtension, Material: "appliances", Op: model.Add, Magnitude: 3}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var want []stockYear
	for fy := 2023; fy <= 2050; fy++ {
		w := stockYear{disc: 10, inflow: 10, stock: 50}
		switch {
		case fy >= 2029 && fy <= 2043:
			w.disc, w.stock = 0, 50+10*float64(fy-2028)
		case fy >= 2044:
			w.stock = 200
		}
		want = append(want, w)
	}
	checkStock(t, res, want)
}

// A product generation factor of 0.5 under parameters applies to the
// spin-up too: 1,000 persons × 0.01 t × 0.5 = 5 t/yr enter, 5 t/yr leave
// (fixed 3 years) and the stock stays at 15 t from the base year on.
func TestGenerationFactorSteadyState(t *testing.T) {
	cfg := edgeConfig(3, 2030)
	cfg.Params[1][model.GenerationFactor] = 0.5
	cfg.Params[3][model.GenerationFactor] = 0.5
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(&Variant{Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	var want []stockYear
	for range 8 {
		want = append(want, stockYear{disc: 5, inflow: 5, stock: 15})
	}
	checkStock(t, res, want)
}
