package sim

import (
	"math"
	"testing"

	"github.com/circular-partners/junkan/model"
)

// elementsConfig is a small run with the default parameters, materials,
// products and manufacturing demand: two regions, FY2023–2030.
func elementsConfig(t *testing.T) *Config {
	t.Helper()
	cfg := japanLike(t, true)
	M := len(cfg.Materials)
	cfg.Regions = cfg.Regions[:2]
	cfg.Composition = cfg.Composition[:2*M]
	cfg.Params = cfg.Params[:2*M]
	cfg.Demand = cfg.Demand[:2*M]
	cfg.EndYear = 2030
	return cfg
}

// runElement runs the baseline and a variant with element id alone (its
// default effects, magnitudes overridden by mags), from FY2024 at full
// strength, and returns both results.
func runElement(t *testing.T, cfg *Config, id string, mags map[string]float64, scale [][]float64) (base, v *Result, use ElementUse) {
	t.Helper()
	lib, err := model.Library(model.Defaults(), cfg.Materials)
	if err != nil {
		t.Fatal(err)
	}
	el, err := model.FindElement(lib, id)
	if err != nil {
		t.Fatal(err)
	}
	use = ElementUse{Element: id, Start: 2024}
	for _, ef := range el.Effects {
		if m, ok := mags[ef.Key]; ok {
			ef.Magnitude = m
		}
		use.Effects = append(use.Effects, ef)
	}
	if scale != nil {
		use.Effects = append(use.Effects, model.Effect{Key: "haul", Param: model.HaulKm, Op: model.Add, Magnitude: 1})
		use.Scale = make([][]float64, len(use.Effects))
		use.Scale[len(use.Effects)-1] = scale[0]
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if base, err = m.Run(&Variant{Name: "baseline"}); err != nil {
		t.Fatal(err)
	}
	if v, err = m.Run(&Variant{Name: id, Elements: []ElementUse{use}}); err != nil {
		t.Fatal(err)
	}
	return base, v, use
}

func total(res *Result, y int) model.Flows {
	var f model.Flows
	res.Sum(&f, y, nil, -1)
	return f
}

func magnitude(t *testing.T, key string) float64 {
	v, err := model.Defaults().Value(key, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Each element alone moves the indicators the way its documentation says,
// by the amount its magnitude gives (checked on one cell where the change
// is a closed formula).
func TestElementEffects(t *testing.T) {
	cfg := elementsConfig(t)
	paper := model.MaterialIndex(cfg.Materials, "paper")
	plastics := model.MaterialIndex(cfg.Materials, "plastics")
	appl := model.MaterialIndex(cfg.Materials, "appliances")
	const y = 3 // FY2026, full strength
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))+1e-12 }
	ratio := func(f *model.Flows, a, b model.Flow) float64 { return f[a] / f[b] }

	t.Run("collection_incentives", func(t *testing.T) {
		base, v, _ := runElement(t, cfg, "collection_incentives", nil, nil)
		g, dg := magnitude(t, "collection_incentives.separate_collection_gain"), magnitude(t, "collection_incentives.generation_change")
		b, e := base.Cell(y, 0, paper), v.Cell(y, 0, paper)
		s := ratio(b, model.SeparatelyCollected, model.WasteGenerated)
		if got, want := ratio(e, model.SeparatelyCollected, model.WasteGenerated), s+g*(1-s); !near(got, want) {
			t.Errorf("separate collection share %v; want %v", got, want)
		}
		if got, want := e[model.WasteGenerated], b[model.WasteGenerated]*(1+dg); !near(got, want) {
			t.Errorf("paper waste generated %v; want %v", got, want)
		}
		tb, tv := total(base, y), total(v, y)
		if !(model.RecyclingRate.Value(&tv, 1, 2026) > model.RecyclingRate.Value(&tb, 1, 2026)) {
			t.Error("recycling rate did not rise")
		}
	})
	t.Run("ai_sorting", func(t *testing.T) {
		base, v, _ := runElement(t, cfg, "ai_sorting", nil, nil)
		g := magnitude(t, "ai_sorting.sorting_yield_gain")
		b, e := base.Cell(y, 0, plastics), v.Cell(y, 0, plastics)
		sy := ratio(b, model.SortedToRecycling, model.SeparatelyCollected)
		if got, want := ratio(e, model.SortedToRecycling, model.SeparatelyCollected), sy+g*(1-sy); !near(got, want) {
			t.Errorf("sorting yield %v; want %v", got, want)
		}
		tb, tv := total(base, y), total(v, y)
		if !(tv[model.SortedToRecycling] > tb[model.SortedToRecycling]) || !(tv[model.FinalDisposal] < tb[model.FinalDisposal]) {
			t.Error("sorting to recycling did not rise or final disposal did not fall")
		}
	})
	t.Run("advanced_recycling", func(t *testing.T) {
		base, v, _ := runElement(t, cfg, "advanced_recycling", nil, nil)
		g := magnitude(t, "advanced_recycling.recycling_yield_gain")
		b, e := base.Cell(y, 0, paper), v.Cell(y, 0, paper)
		in := func(f *model.Flows) float64 { return f[model.SortedToRecycling] + f[model.DismantledInput] }
		ry := b[model.RecyclateOutput] / in(b)
		if got, want := e[model.RecyclateOutput]/in(e), ry+g*(1-ry); !near(got, want) {
			t.Errorf("recycling yield %v; want %v", got, want)
		}
		// Plastics: a share of the recycling input goes to chemical recycling.
		cs := magnitude(t, "advanced_recycling.chemical_share_plastics")
		pl := v.Cell(y, 0, plastics)
		if got, want := pl[model.ChemicalRecyclingInput], cs*in(pl); !near(got, want) {
			t.Errorf("chemical recycling input %v; want %v", got, want)
		}
		tb, tv := total(base, y), total(v, y)
		if !(tv[model.RecyclateOutput] > tb[model.RecyclateOutput]) || !(tv[model.CEMarket] > tb[model.CEMarket]) {
			t.Error("recyclate or CE market did not rise")
		}
	})
	t.Run("arterial_venous_linkage", func(t *testing.T) {
		base, v, _ := runElement(t, cfg, "arterial_venous_linkage", nil, nil)
		g := magnitude(t, "arterial_venous_linkage.high_grade_gain")
		b, e := base.Cell(y, 0, plastics), v.Cell(y, 0, plastics)
		h := ratio(b, model.RecyclateHigh, model.RecyclateOutput)
		if got, want := ratio(e, model.RecyclateHigh, model.RecyclateOutput), h+g*(1-h); !near(got, want) {
			t.Errorf("high-grade share %v; want %v", got, want)
		}
		tb, tv := total(base, y), total(v, y)
		if !(tv[model.RecyclateHigh] > tb[model.RecyclateHigh]) || tv[model.RecyclateUsed] < tb[model.RecyclateUsed] {
			t.Error("high-grade recyclate did not rise, or use fell")
		}
	})
	t.Run("cross_supply_chain_design", func(t *testing.T) {
		base, v, _ := runElement(t, cfg, "cross_supply_chain_design", nil, nil)
		g := magnitude(t, "cross_supply_chain_design.reuse_gain")
		b, e := base.Cell(y, 0, appl), v.Cell(y, 0, appl)
		r0 := ratio(b, model.Reused, model.Discarded)
		if got, want := ratio(e, model.Reused, model.Discarded), r0+g*(1-r0); !near(got, want) {
			t.Errorf("reuse share of appliances %v; want %v", got, want)
		}
		dg := magnitude(t, "cross_supply_chain_design.dismantling_yield_gain")
		dy := ratio(b, model.Dismantled, model.SeparatelyCollected)
		if got, want := ratio(e, model.Dismantled, model.SeparatelyCollected), dy+dg*(1-dy); !near(got, want) {
			t.Errorf("dismantling yield %v; want %v", got, want)
		}
		// Longer lifetimes alone (no extra reuse, whose products live
		// shorter): fewer discards and a larger stock.
		base, v, _ = runElement(t, cfg, "cross_supply_chain_design", map[string]float64{"cross_supply_chain_design.reuse_gain": 0}, nil)
		if !(v.Cell(6, 0, appl)[model.Stock] > base.Cell(6, 0, appl)[model.Stock]) ||
			!(v.Cell(6, 0, appl)[model.Discarded] < base.Cell(6, 0, appl)[model.Discarded]) {
			t.Error("longer lifetimes did not raise the stock and cut discards")
		}
	})
	t.Run("consumer_experience_services", func(t *testing.T) {
		base, v, _ := runElement(t, cfg, "consumer_experience_services",
			map[string]float64{"consumer_experience_services.generation_change": -0.02}, nil)
		b, e := base.Cell(y, 0, paper), v.Cell(y, 0, paper)
		if got, want := e[model.WasteGenerated], b[model.WasteGenerated]*0.98; !near(got, want) {
			t.Errorf("waste generated %v; want %v (−2 %%)", got, want)
		}
	})
	t.Run("reskilling_education", func(t *testing.T) {
		base, v, _ := runElement(t, cfg, "reskilling_education",
			map[string]float64{"reskilling_education.jobs_per_10kt_gain": 0.05}, nil)
		tb, tv := total(base, y), total(v, y)
		if got, want := tv[model.Jobs], tb[model.Jobs]*1.05; !near(got, want) {
			t.Errorf("jobs %v; want %v (+5 %%)", got, want)
		}
	})
	t.Run("wide_area_consolidation", func(t *testing.T) {
		haul := []float64{10, 0} // region 0 hauls 10 km to its block's plant (12.6 road km: no relay), region 1 hosts it
		base, v, _ := runElement(t, cfg, "wide_area_consolidation", nil, [][]float64{haul})
		b, e := base.Cell(y, 0, paper), v.Cell(y, 0, paper)
		p := cfg.Params[paper]
		collected := b[model.SeparatelyCollected] + b[model.MixedCollected]
		if got, want := e[model.Transport]-b[model.Transport], collected*10*p[model.DetourFactor]; !near(got, want) {
			t.Errorf("extra t·km %v; want %v", got, want)
		}
		c := magnitude(t, "wide_area_consolidation.treatment_cost_change")
		// plus the haul priced at cost_haul_per_tkm
		if got, want := e[model.CostTotal]-b[model.CostTotal],
			c*(b[model.Incinerated]*p[model.CostIncineration]+b[model.SeparatelyCollected]*p[model.CostSorting])+
				collected*10*p[model.DetourFactor]*p[model.CostHaulPerTKm]; !near(got, want) {
			t.Errorf("cost change %v; want %v", got, want)
		}
		tb, tv := total(base, y), total(v, y)
		if !(tv[model.Transport] > tb[model.Transport]) || !(tv[model.CostTotal] < tb[model.CostTotal]) {
			t.Error("t·km did not rise or cost did not fall")
		}
		// A 10 km haul (12.6 road km) stays below relay_km: collection
		// trucks; a 30 km haul goes through a relay station in large trucks.
		if got, want := e[model.GHGGross]-b[model.GHGGross], collected*10*p[model.DetourFactor]*p[model.GHGTransportPerTKm]; !near(got, want) {
			t.Errorf("extra GHG of a short haul %v; want %v", got, want)
		}
		base, v, _ = runElement(t, cfg, "wide_area_consolidation", nil, [][]float64{{30, 0}})
		b, e = base.Cell(y, 0, paper), v.Cell(y, 0, paper)
		if got, want := e[model.GHGGross]-b[model.GHGGross], collected*30*p[model.DetourFactor]*p[model.GHGTransportPerTKmHaul]; !near(got, want) {
			t.Errorf("extra GHG of a relayed haul %v; want %v", got, want)
		}
		// With a haul cost (JPY per t·km), the haul is paid for.
		priced := *cfg
		priced.Params = append([]model.Params(nil), cfg.Params...)
		for k := range priced.Params {
			priced.Params[k][model.CostHaulPerTKm] = 50
		}
		base, v, _ = runElement(t, &priced, "wide_area_consolidation", nil, [][]float64{haul})
		b, e = base.Cell(y, 0, paper), v.Cell(y, 0, paper)
		if got, want := e[model.CostTotal]-b[model.CostTotal],
			c*(b[model.Incinerated]*p[model.CostIncineration]+b[model.SeparatelyCollected]*p[model.CostSorting])+
				collected*10*p[model.DetourFactor]*50; !near(got, want) {
			t.Errorf("cost change with a priced haul %v; want %v", got, want)
		}
	})
}
