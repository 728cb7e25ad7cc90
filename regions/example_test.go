package regions_test

import (
	"fmt"

	"github.com/circular-partners/junkan/regions"
)

func ExampleClassification_Classify() {
	c := regions.Classification{
		LargePopulationMin:     200_000, // persons
		VerySmallPopulationMax: 10_000,  // persons
		ManufacturingShareMin:  0.2,     // fraction of private employees
	}
	if err := c.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []regions.Municipality{
		{Name: "industrial city", Population: 400_000, Employees: 180_000, ManufacturingEmployees: 60_000},
		{Name: "factory town", Population: 30_000, Employees: 12_000, ManufacturingEmployees: 5_000},
		{Name: "commercial city", Population: 900_000, Employees: 400_000, ManufacturingEmployees: 30_000},
		{Name: "regional centre", Population: 60_000, Employees: 25_000, ManufacturingEmployees: 2_500},
		{Name: "island village", Population: 2_000, Employees: 500, ManufacturingEmployees: 20},
	} {
		fmt.Printf("%-16s %.3f %v\n", m.Name, m.ManufacturingShare(), c.Classify(&m))
	}
	// Output:
	// industrial city  0.333 a
	// factory town     0.417 b
	// commercial city  0.075 c
	// regional centre  0.100 d
	// island village   0.040 e
}
