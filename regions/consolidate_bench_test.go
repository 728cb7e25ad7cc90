package regions

import (
	"math"
	"path/filepath"
	"testing"
)

// japanInstance builds the all-Japan consolidation of BenchmarkConsolidateJapan
// from ../shared/data, skipping if files are missing:
//
//   - demands: the 1,741 municipalities at their office points, tonnes =
//     population_sanitation_total (SSDSE-A H5507, 2023) × 851 g/person/day
//     (national FY2023, jp_msw_facts.csv) × 366 days (FY2023 has 29 Feb 2024)
//     / 1e6, grouped by prefecture;
//   - candidates: the 860 operating incinerators (Incinerator.Operating) at
//     their approximate site coordinates, capacity = capacity_t_per_day × 280
//     operating days/yr, plus one uncapacitated new site at every municipal
//     office ("new:" + code), each in its prefecture;
//   - per prefecture P = round(0.5 × operating plants), at least 1.
func japanInstance(tb testing.TB) ([]Demand, []Site, ConsolidationOptions) {
	tb.Helper()
	dir := sharedDataDir(tb)
	for _, f := range []string{"jp_municipalities_ssdse_a_2026.csv", "jp_municipal_offices.csv", "jp_incineration_facilities_fy2024.csv"} {
		requireFile(tb, filepath.Join(dir, f))
	}
	cols := SSDSEColumns()
	cols.Population = "population_sanitation_total"
	ms, err := LoadMunicipalities(filepath.Join(dir, "jp_municipalities_ssdse_a_2026.csv"), cols, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := LoadLocations(filepath.Join(dir, "jp_municipal_offices.csv"), OfficeColumns(), ms); err != nil {
		tb.Fatal(err)
	}
	ds, err := DemandsFromMunicipalities(ms, func(m *Municipality) float64 { return m.Population * 851 * 366 / 1e6 })
	if err != nil {
		tb.Fatal(err)
	}
	fs, err := LoadIncinerators(filepath.Join(dir, "jp_incineration_facilities_fy2024.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	var operating []Incinerator
	plants := make(map[string]int)
	for _, f := range fs {
		if f.Operating() {
			operating = append(operating, f)
			plants[f.Prefecture]++
		}
	}
	ss, err := SitesFromIncinerators(operating, 280)
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range ds {
		ss = append(ss, Site{ID: "new:" + d.Code, Location: d.Location, Group: d.Group})
	}
	groupP := make(map[string]int)
	for _, d := range ds {
		groupP[d.Group] = max(1, int(math.Round(0.5*float64(plants[d.Group]))))
	}
	opt := ConsolidationOptions{WithinGroups: true, GroupP: groupP, P: 1, Detour: 1.26}
	return ds, ss, opt
}

func TestDataConsolidateJapan(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	ds, ss, opt := japanInstance(t)
	if len(ds) != 1741 {
		t.Errorf("%d demands; want 1741", len(ds))
	}
	res, err := Consolidate(ds, ss, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkSolution(t, 0, ds, ss, opt, res)
	total, existing := 0.0, 0
	for _, b := range res.Blocks {
		total += b.Tonnes
		if b.Facility.Existing {
			existing++
		}
	}
	t.Logf("%d demands, %d candidates → %d blocks (%d at existing plants); %.2f Mt/yr, %.3g t·km/yr, mean haul %.1f km",
		len(ds), len(ss), len(res.Blocks), existing, total/1e6, res.TKm, res.TKm/total)
}

func BenchmarkConsolidateJapan(b *testing.B) {
	ds, ss, opt := japanInstance(b)
	b.ReportAllocs()
	var res *Consolidation
	for b.Loop() {
		var err error
		if res, err = Consolidate(ds, ss, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(res.Blocks)), "blocks")
	b.ReportMetric(res.TKm/1e9, "Gt·km/yr")
}
