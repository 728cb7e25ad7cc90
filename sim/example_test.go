package sim_test

import (
	"fmt"
	"math"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// A three-year run (FY2023 has 366 days: 5,000 × 850 g × 366 d = 1,555.5 t) of one small town with two materials, printing the
// generation, final disposal and the system mass balance of each year.
func Example() {
	p := func(sep, sortYield float64) model.Params {
		var q model.Params
		q[model.GenerationFactor] = 1
		q[model.SeparateCollection] = sep
		q[model.SortingYield] = sortYield
		q[model.RecyclingYield] = 0.9
		q[model.AshContent] = 0.1
		return q
	}
	cfg := &sim.Config{
		BaseYear: 2023, EndYear: 2025,
		Materials: []model.Material{{ID: "paper"}, {ID: "food"}},
		Regions: []sim.Region{{Code: "town", Archetype: model.ArchetypeE, Population: 5000,
			PopulationChange: -0.01, PerCapitaGPerDay: 850, RecyclingRate: -1}},
		Composition: []float64{0.6, 0.4},
		Params:      []model.Params{p(0.5, 0.9), p(0.1, 0.8)},
	}
	m, err := sim.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := m.Run(&sim.Variant{Name: "baseline"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for y := 0; y < res.Years; y++ {
		var f model.Flows
		res.Sum(&f, y, nil, -1)
		var sinks float64
		for _, s := range model.Sinks {
			sinks += f[s]
		}
		closes := math.Abs(f[model.WasteGenerated]-sinks) <= 1e-9*f[model.WasteGenerated]
		fmt.Printf("FY%d: generated %.1f t, final disposal %.2f t, generated = Σ sinks: %v\n",
			res.Year(y), f[model.WasteGenerated], f[model.FinalDisposal], closes)
	}
	// Output:
	// FY2023: generated 1555.5 t, final disposal 113.27 t, generated = Σ sinks: true
	// FY2024: generated 1535.7 t, final disposal 111.83 t, generated = Σ sinks: true
	// FY2025: generated 1520.4 t, final disposal 110.71 t, generated = Σ sinks: true
}
