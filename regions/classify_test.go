package regions

import (
	"math"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/model"
)

func TestClassify(t *testing.T) {
	c := Classification{LargePopulationMin: 100_000, VerySmallPopulationMax: 10_000, ManufacturingShareMin: 0.2}
	cases := []struct {
		name          string
		pop, emp, mfg float64
		want          model.Archetype
	}{
		{"a: large, manufacturing", 500_000, 1000, 300, model.ArchetypeA},
		{"a: at both boundaries", 100_000, 1000, 200, model.ArchetypeA},
		{"b: just below large", 99_999, 1000, 200, model.ArchetypeB},
		{"b: very small manufacturing", 500, 100, 50, model.ArchetypeB},
		{"b: zero population, manufacturing", 0, 10, 10, model.ArchetypeB},
		{"c: large, share just below", 100_000, 1000, 199.999, model.ArchetypeC},
		{"c: large, no employees", 2_000_000, 0, 0, model.ArchetypeC},
		{"d: at very-small boundary", 10_000, 1000, 10, model.ArchetypeD},
		{"d: just below large", 99_999, 1000, 0, model.ArchetypeD},
		{"e: just below very small", 9_999, 1000, 10, model.ArchetypeE},
		{"e: no employees", 5_000, 0, 0, model.ArchetypeE},
		{"e: zero population", 0, 0, 0, model.ArchetypeE},
	}
	for _, tc := range cases {
		m := Municipality{Population: tc.pop, Employees: tc.emp, ManufacturingEmployees: tc.mfg}
		if got := c.Classify(&m); got != tc.want {
			t.Errorf("%s: Classify(pop %g, emp %g, mfg %g) = %v; want %v", tc.name, tc.pop, tc.emp, tc.mfg, got, tc.want)
		}
	}
}

func TestClassificationValidate(t *testing.T) {
	cases := []struct {
		name string
		c    Classification
		want []string // substrings; nil = valid
	}{
		{"default", DefaultClassification(), nil},
		{"zero", Classification{}, nil},
		{"equal bands", Classification{LargePopulationMin: 5, VerySmallPopulationMax: 5, ManufacturingShareMin: 1}, nil},
		{"bands reversed", Classification{LargePopulationMin: 5, VerySmallPopulationMax: 6}, []string{"VerySmallPopulationMax 6 must be <= LargePopulationMin 5"}},
		{"NaN", Classification{LargePopulationMin: math.NaN()}, []string{"LargePopulationMin must be finite"}},
		{"Inf", Classification{LargePopulationMin: 1, VerySmallPopulationMax: math.Inf(1)}, []string{"VerySmallPopulationMax must be finite"}},
		{"negative", Classification{VerySmallPopulationMax: -1}, []string{"VerySmallPopulationMax must be >= 0"}},
		{"percent share", Classification{ManufacturingShareMin: 20}, []string{"ManufacturingShareMin must be in [0, 1]"}},
		{"two errors", Classification{LargePopulationMin: -1, ManufacturingShareMin: -0.1}, []string{"LargePopulationMin", "ManufacturingShareMin"}},
	}
	for _, tc := range cases {
		err := tc.c.Validate()
		if (err == nil) != (tc.want == nil) {
			t.Errorf("%s: Validate() = %v; want error %v", tc.name, err, tc.want != nil)
			continue
		}
		for _, s := range tc.want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: Validate() = %q; want it to contain %q", tc.name, err, s)
			}
		}
	}
}
