package regions

import (
	"github.com/circular-partners/junkan/internal/testutil"
	"math"
	"path/filepath"
	"testing"

	"github.com/circular-partners/junkan/model"
)

// dataDir returns the shared data directory: $JUNKAN_DATA_DIR if set, else
// ../shared/data relative to the repository root. It skips the test if the
// directory is missing.
func dataDir(t *testing.T) string { t.Helper(); return testutil.DataDir(t) }

func TestDataMunicipalities(t *testing.T) {
	dir := dataDir(t)
	path := filepath.Join(dir, "jp_municipalities_ssdse_a_2026.csv")
	ms, err := LoadMunicipalities(path, SSDSEColumns(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// SOURCES.md §3: 1,741 basic municipalities.
	if len(ms) != 1741 {
		t.Fatalf("loaded %d municipalities; want 1741", len(ms))
	}
	// First row, read from the file by eye: 01100 札幌市, 2020 census population
	// 1,973,395; private employees 872,779, of which manufacturing 36,948.
	want := Municipality{Code: "01100", Name: "札幌市", Prefecture: "北海道", Population: 1973395,
		Employees: 872779, ManufacturingEmployees: 36948}
	if ms[0] != want {
		t.Errorf("first row = %+v; want %+v", ms[0], want)
	}

	saitama, err := LoadMunicipalities(path, SSDSEColumns(), []string{"埼玉県"})
	if err != nil {
		t.Fatal(err)
	}
	if len(saitama) != 63 {
		t.Errorf("埼玉県 has %d municipalities; want 63", len(saitama))
	}

	offices := filepath.Join(dir, "jp_municipal_offices.csv")
	n, err := LoadLocations(offices, OfficeColumns(), ms)
	if err != nil {
		t.Fatal(err)
	}
	// SOURCES.md §1: all 1,741 SSDSE codes have a coordinate.
	if n != 1741 {
		t.Errorf("located %d municipalities; want 1741", n)
	}
	// Japan's bounding box, roughly: lon 122–154 °E, lat 20–46 °N.
	for _, m := range ms {
		if !m.HasLocation {
			t.Errorf("%s %s has no location", m.Code, m.Name)
			continue
		}
		if lon, lat := m.Location.Lon(), m.Location.Lat(); lon < 122 || lon > 154 || lat < 20 || lat > 46 {
			t.Errorf("%s %s at lon %g lat %g, outside Japan", m.Code, m.Name, lon, lat)
		}
	}
	if p := ms[0].Location; p.Lon() != 141.3543886 || p.Lat() != 43.06208877 {
		t.Errorf("札幌市 office at %v; want {141.3543886 43.06208877} (jp_municipal_offices.csv line 2)", p)
	}

	// Archetype counts with the default thresholds, counted independently with
	// a script over the same file (population >= 200,000; share >= 0.152;
	// population < 10,000).
	c := DefaultClassification()
	counts := map[model.Archetype]int{}
	for i := range ms {
		counts[c.Classify(&ms[i])]++
	}
	wantCounts := map[model.Archetype]int{
		model.ArchetypeA: 38, model.ArchetypeB: 1039, model.ArchetypeC: 92, model.ArchetypeD: 307, model.ArchetypeE: 265,
	}
	for _, a := range model.Archetypes {
		if counts[a] != wantCounts[a] {
			t.Errorf("archetype %v: %d municipalities; want %d", a, counts[a], wantCounts[a])
		}
	}
}

func TestDataPrefectureStats(t *testing.T) {
	dir := dataDir(t)
	stats, err := LoadPrefectureStats(filepath.Join(dir, "jp_prefecture_waste_fy2023_ssdse_e_2026.csv"), SSDSEWasteColumns())
	if err != nil {
		t.Fatal(err)
	}
	// 47 prefectures + 全国 (SOURCES.md §4).
	if len(stats) != 48 {
		t.Errorf("got %d rows; want 48", len(stats))
	}
	cases := []PrefectureStats{
		{Prefecture: "埼玉県", Population: 7379422, WasteT: 2133356, PerCapitaGPerDay: 790, RecyclingRatePct: 24.3, FiscalYear: 2023},
		// National MOE figures FY2023: 3,897万t, 851 g, 19.5 % (SOURCES.md §4, DESIGN §3).
		{Prefecture: "全国", Population: 125068896, WasteT: 38974270, PerCapitaGPerDay: 851, RecyclingRatePct: 19.5, FiscalYear: 2023},
	}
	for _, want := range cases {
		if got := stats[want.Prefecture]; got != want {
			t.Errorf("stats[%s] = %+v; want %+v", want.Prefecture, got, want)
		}
	}
	// Cross-check: per capita = waste / population / 366 days (FY2023) within 0.5 g.
	s := stats["埼玉県"]
	if g := s.WasteT * 1e6 / s.Population / 366; math.Abs(g-s.PerCapitaGPerDay) > 0.5 {
		t.Errorf("埼玉県 per capita from totals = %.2f g; published %g", g, s.PerCapitaGPerDay)
	}
}

func TestDataIncinerators(t *testing.T) {
	dir := dataDir(t)
	fs, err := LoadIncinerators(filepath.Join(dir, "jp_incineration_facilities_fy2024.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1014 {
		t.Fatalf("got %d facilities; want 1014", len(fs))
	}
	// status_change counts of SOURCES.md §5 (the "both" cell is
	// "新設（建設中）, 新設（新規稼働）"; one 廃止 row reads "廃止, 移管").
	wantStatus := map[string]int{
		"":         844,
		"休止":       118,
		"廃止":       21,
		"廃止, 移管":   1,
		"新設（建設中）":  14,
		"新設（新規稼働）": 14,
		"新設（建設中）, 新設（新規稼働）": 2,
	}
	gotStatus := map[string]int{}
	operating := 0
	var capacity, operatingCapacity float64
	for i := range fs {
		f := &fs[i]
		gotStatus[f.Status]++
		capacity += f.CapacityTPerDay
		if f.Operating() {
			operating++
			operatingCapacity += f.CapacityTPerDay
		}
		if !f.HasLocation {
			t.Errorf("%s %s has no site location", f.FacilityCode, f.Name)
		}
	}
	for s, n := range wantStatus {
		if gotStatus[s] != n {
			t.Errorf("status %q: %d rows; want %d", s, gotStatus[s], n)
		}
	}
	if len(gotStatus) != len(wantStatus) {
		t.Errorf("statuses %v; want only %v", gotStatus, wantStatus)
	}
	// Independent count: blank + newly operating + both.
	wantOperating := wantStatus[""] + wantStatus["新設（新規稼働）"] + wantStatus["新設（建設中）, 新設（新規稼働）"]
	if operating != wantOperating || operating != 860 {
		t.Errorf("%d operating facilities; want %d (= 860)", operating, wantOperating)
	}
	// Raw capacity sum over all rows, SOURCES.md §5: 176,969 t/day.
	if math.Abs(capacity-176969) > 0.5 {
		t.Errorf("capacity sum = %.3f t/day; want 176,969", capacity)
	}
	// Operating fleet capacity, computed with a script over the same rows.
	if math.Abs(operatingCapacity-158956.296) > 1e-6 {
		t.Errorf("operating capacity sum = %.3f t/day; want 158,956.296", operatingCapacity)
	}
}
