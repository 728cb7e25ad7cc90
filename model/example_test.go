package model_test

import (
	"fmt"

	"github.com/circular-partners/junkan/model"
)

// One tonne of paper through the chain, with the mass balance of every
// process.
func ExampleFlows_Step() {
	var p model.Params
	p[model.SeparateCollection] = 0.4
	p[model.SortingYield] = 0.9
	p[model.RecyclingYield] = 0.8
	p[model.DirectLandfillShare] = 0.1
	p[model.AshContent] = 0.1
	p[model.AshRecycling] = 0.5
	var f model.Flows
	f.Step(1, &p)
	for _, fl := range []model.Flow{model.WasteGenerated, model.SortedToRecycling, model.Incinerated, model.FinalDisposal} {
		fmt.Printf("%-20s %.4f t\n", fl, f[fl])
	}
	for i := range model.Processes {
		r, _ := model.Processes[i].Residual(&f)
		fmt.Printf("%s: residual %.1g t\n", model.Processes[i].Name, r)
	}
	// Output:
	// waste_generated      1.0000 t
	// sorted_to_recycling  0.3600 t
	// incinerated          0.6520 t
	// final_disposal       0.0926 t
	// use: residual 0 t
	// reuse: residual 0 t
	// collection: residual 0 t
	// sorting: residual 0 t
	// recycling: residual 0 t
	// dispatch: residual 0 t
	// fuel_cement: residual 0 t
	// incineration: residual 0 t
	// ash_treatment: residual 0 t
	// landfill: residual 0 t
	// grading: residual 0 t
	// offtake: residual 0 t
	// manufacturing: residual 0 t
	// system: residual 0 t
}
