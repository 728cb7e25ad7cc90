package output_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/sim"
)

func ExampleWriteTimeseries() {
	// One region of 1000 persons generating 1000 g/person/day of one
	// material in FY2023 (366 days): 366 t.
	cfg := &sim.Config{
		BaseYear:    2023,
		EndYear:     2023,
		Materials:   []model.Material{{ID: "paper", NameJA: "紙類"}},
		Regions:     []sim.Region{{Code: "01100", Archetype: model.ArchetypeC, Population: 1000, PerCapitaGPerDay: 1000, RecyclingRate: -1}},
		Composition: []float64{1},
		Params: []model.Params{{model.GenerationFactor: 1, model.SeparateCollection: 0.5, model.SortingYield: 0.75,
			model.RecyclingYield: 0.5, model.AshContent: 0.25}},
	}
	m, err := sim.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(&sim.Variant{Name: "baseline"})
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := output.WriteTimeseries(&buf, []*sim.Result{res}, false); err != nil {
		log.Fatal(err)
	}
	lines := strings.SplitN(buf.String(), "\n", 4)
	fmt.Println(strings.Join(lines[:3], "\n"))
	// Output:
	// scenario,level,region,archetype,year,material,indicator,value,unit
	// baseline,region,01100,c,2023,all,discarded,366,t
	// baseline,region,01100,c,2023,all,reused,0,t
}
