package regions

import (
	"errors"
	"fmt"
	"math"

	"github.com/circular-partners/junkan/model"
)

// Classification holds the thresholds that sort municipalities into the
// archetypes a–e (population scale × main industry, DESIGN §1). The zero value
// is valid but classifies everything as manufacturing-centred; start from
// [DefaultClassification] or set all fields.
type Classification struct {
	// LargePopulationMin: Population >= this is "large" (persons).
	LargePopulationMin float64
	// VerySmallPopulationMax: Population < this is "very small" (persons).
	VerySmallPopulationMax float64
	// ManufacturingShareMin: ManufacturingEmployees/Employees >= this is
	// manufacturing-centred (fraction in [0, 1]).
	ManufacturingShareMin float64
}

// DefaultClassification returns the default thresholds of the embedded
// defaults table (keys large_population_min, very_small_population_max and
// manufacturing_share_min; `junkan params` prints them with sources):
//
//   - LargePopulationMin 200,000 persons: the population requirement of a
//     中核市 (core city) under 地方自治法 art. 252-22.
//   - VerySmallPopulationMax 10,000 persons: a band edge of the 総務省
//     類似団体区分 for towns and villages.
//   - ManufacturingShareMin 0.15195: the national share of manufacturing in
//     private employees, 8,803,565 / 57,937,290 (derived from SSDSE-A-2026,
//     Economic Census 2021), so that "manufacturing-centred" means above the
//     national average.
//
// These are modelling choices, not official archetype definitions; scenarios
// may set their own.
func DefaultClassification() Classification {
	t := model.Defaults()
	v := func(key string) float64 {
		x, err := t.Value(key, 0, "")
		if err != nil {
			panic(err) // the embedded table is complete; model tests check it
		}
		return x
	}
	return Classification{
		LargePopulationMin:     v("large_population_min"),
		VerySmallPopulationMax: v("very_small_population_max"),
		ManufacturingShareMin:  v("manufacturing_share_min"),
	}
}

// Validate reports whether the thresholds are finite and >= 0,
// VerySmallPopulationMax <= LargePopulationMin and ManufacturingShareMin is in [0, 1].
// All problems are returned, joined.
func (c Classification) Validate() error {
	var errs []error
	check := func(name string, v float64) bool {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("regions: classification: %s must be finite, got %g", name, v))
			return false
		}
		if v < 0 {
			errs = append(errs, fmt.Errorf("regions: classification: %s must be >= 0, got %g", name, v))
			return false
		}
		return true
	}
	okLarge := check("LargePopulationMin", c.LargePopulationMin)
	okSmall := check("VerySmallPopulationMax", c.VerySmallPopulationMax)
	if check("ManufacturingShareMin", c.ManufacturingShareMin) && c.ManufacturingShareMin > 1 {
		errs = append(errs, fmt.Errorf("regions: classification: ManufacturingShareMin must be in [0, 1] (a fraction, not %%), got %g",
			c.ManufacturingShareMin))
	}
	if okLarge && okSmall && c.VerySmallPopulationMax > c.LargePopulationMin {
		errs = append(errs, fmt.Errorf("regions: classification: VerySmallPopulationMax %g must be <= LargePopulationMin %g",
			c.VerySmallPopulationMax, c.LargePopulationMin))
	}
	return errors.Join(errs...)
}

// Classify returns the archetype of m:
//
//	manufacturing-centred and large       → a
//	manufacturing-centred, not large      → b (very small manufacturing towns too, DESIGN §1)
//	not manufacturing-centred and large   → c
//	not manufacturing-centred, very small → e
//	otherwise                             → d
//
// A municipality with Employees == 0 is not manufacturing-centred. Classify
// does not validate c; call [Classification.Validate] once beforehand.
func (c Classification) Classify(m *Municipality) model.Archetype {
	manufacturing := m.Employees > 0 && m.ManufacturingEmployees/m.Employees >= c.ManufacturingShareMin
	large := m.Population >= c.LargePopulationMin
	switch {
	case manufacturing && large:
		return model.ArchetypeA
	case manufacturing:
		return model.ArchetypeB
	case large:
		return model.ArchetypeC
	case m.Population < c.VerySmallPopulationMax:
		return model.ArchetypeE
	}
	return model.ArchetypeD
}
