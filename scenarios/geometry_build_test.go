package scenarios_test

import (
	"strings"
	"testing"

	"github.com/circular-partners/junkan/regions"
)

// Municipalities can be located by their boundary polygons alone; the
// centroid of 川口市 (11203) lies within 5 km of its office.
func TestBuildBoundaryCentroids(t *testing.T) {
	dir := dataDir(t)
	yaml := municipalityScenario(dir, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total",
		`  boundaries: {file: jp_municipal_boundaries_n03_2021_s0001_designated_city.geojson, code_property: N03_007}
`)
	run, err := buildFile(t, "b.yaml", yaml)
	if err != nil {
		t.Fatal(err)
	}
	for r, g := range run.Config.Regions {
		if !run.HasLocation[r] {
			t.Errorf("%s %s has no location", g.Code, g.Name)
		}
		if g.Code == "11203" {
			office := [2]float64{139.7234, 35.806733} // 川口市役所 {lon, lat}, jp_municipal_offices.csv
			if d := regions.Distance(run.Locations[r], office); d > 5 {
				t.Errorf("川口市 centroid %v is %.1f km from its office", run.Locations[r], d)
			}
		}
	}
}

// Consolidation needs every municipality located: without locations or
// boundaries the error says which municipality and why.
func TestBuildConsolidationNeedsLocations(t *testing.T) {
	dir := dataDir(t)
	yaml := municipalityScenario(dir, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total",
		"") + "consolidation: {incinerators: jp_incineration_facilities_fy2024.csv}\n"
	_, err := buildFile(t, "c.yaml", yaml)
	if err == nil || !strings.Contains(err.Error(), "has no location; consolidation needs one") {
		t.Fatalf("err = %v; want a missing-location error", err)
	}
}
