package regions_test

import (
	"fmt"

	"github.com/circular-partners/junkan/regions"
	"github.com/paulmach/orb"
)

// Four towns on a line, two plants to place: each pair shares one. 0.1° of
// longitude at 36° N is 111.32·cos 36°·0.1 = 9.006 km, 11.35 km by road
// (detour 1.26): 10,000 t × 11.35 km = 113,475 t·km.
func ExampleConsolidate() {
	towns := []regions.Demand{
		{Code: "11201", Location: orb.Point{139.0, 36.0}, Tonnes: 20000},
		{Code: "11202", Location: orb.Point{139.1, 36.0}, Tonnes: 10000},
		{Code: "11203", Location: orb.Point{139.8, 36.0}, Tonnes: 30000},
		{Code: "11204", Location: orb.Point{139.9, 36.0}, Tonnes: 5000},
	}
	var sites []regions.Site
	for _, t := range towns {
		sites = append(sites, regions.Site{ID: "new:" + t.Code, Location: t.Location})
	}
	res, err := regions.Consolidate(towns, sites, regions.ConsolidationOptions{P: 2, Detour: 1.26})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range res.Blocks {
		fmt.Printf("%s: %v, %.0f t/yr, %.0f t·km/yr\n", b.ID, b.Members, b.Tonnes, b.TKm)
	}
	// Output:
	// new:11201: [11201 11202], 30000 t/yr, 113475 t·km/yr
	// new:11203: [11203 11204], 35000 t/yr, 56737 t·km/yr
}
