package scenarios_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/scenarios"
)

// checkBlocks asserts that no plant is above its capacity and that every
// tonne of the regions' base-year load (generation × (1 − recycling rate))
// is assigned.
func checkBlocks(t *testing.T, run *scenarios.Run) {
	t.Helper()
	b := run.Blocks
	if b == nil {
		t.Fatal("no blocks")
	}
	days := float64(model.DaysInFY(run.Config.BaseYear))
	want := 0.0
	for _, g := range run.Config.Regions {
		want += g.Population * g.PerCapitaGPerDay * days * 1e-6 * (1 - max(0, g.RecyclingRate))
	}
	got := 0.0
	for _, blk := range b.Result.Blocks {
		// CBC's primal feasibility tolerance is 1e-7 (relative to the
		// row): a block may exceed its capacity by that much.
		if c := blk.Facility.Capacity; c <= 0 || blk.Tonnes > c*(1+1e-7) {
			t.Errorf("block %s: %.15g t/yr at a plant of capacity %.15g t/yr", blk.ID, blk.Tonnes, c)
		}
		got += blk.Tonnes
	}
	if math.Abs(got-want) > 1e-9*want {
		t.Errorf("%.3f t/yr assigned; the regions' load is %.3f", got, want)
	}
	for code, parts := range b.Result.Parts {
		if len(parts) < 2 {
			t.Errorf("%s: %d parts", code, len(parts))
		}
	}
	for _, g := range b.Result.Groups {
		if b.Solver == "cbc" && (g.Method != "cbc" || !g.HasBound || g.Gap < 0) {
			t.Errorf("group %s: %+v; want a CBC solution with a gap", g.Group, g)
		}
	}
}

// The example scenarios consolidate on the real capacities of the FY2024
// fleet (operating days × utilisation), feasibly.
func TestConsolidationRealCapacities(t *testing.T) {
	d := dataDir(t)
	files := []string{"saitama-2050.yaml"}
	if !testing.Short() {
		files = append(files, "japan-2050.yaml")
	}
	for _, name := range files {
		f, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		run, err := f.Build(d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkBlocks(t, run)
		t.Logf("%s: %d plants today → %d blocks, %d regions split, solver %s", name,
			run.Blocks.StatusQuoPlants, len(run.Blocks.Result.Blocks), len(run.Blocks.Result.Parts), run.Blocks.Solver)
	}
}

// With candidates existing, Saitama's largest city (さいたま市 11100,
// about 294,000 t/yr in the base year) exceeds every single plant and is
// split among several.
func TestConsolidationSplitsSaitamaCity(t *testing.T) {
	d := dataDir(t)
	f, err := scenarios.Load("saitama-2050.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.Build(d)
	if err != nil {
		t.Fatal(err)
	}
	largest := 0.0
	for _, blk := range run.Blocks.Result.Blocks {
		largest = max(largest, blk.Facility.Capacity)
	}
	var load float64
	for _, g := range run.Config.Regions {
		if g.Code == "11100" {
			load = g.Population * g.PerCapitaGPerDay * float64(model.DaysInFY(2023)) * 1e-6 * (1 - g.RecyclingRate)
		}
	}
	if load <= largest {
		t.Skipf("11100's %.0f t/yr fits one plant (%.0f)", load, largest)
	}
	if parts := run.Blocks.Result.Parts["11100"]; len(parts) < 2 {
		t.Errorf("11100 (%.0f t/yr, largest plant %.0f t/yr) in %d parts; want split", load, largest, len(parts))
	}
}

// consolidationScenario is Saitama with wide-area consolidation by the
// heuristic (scale-invariant decisions) and extra YAML appended to the
// consolidation section; params is a parameters section (or "").
func consolidationScenario(d, municipalities, cons, params string) string {
	return `name: t
base_year: 2023
end_year: 2025
data_dir: ` + d + `
regions:
  source: municipalities
  municipalities:
    file: ` + municipalities + `
    columns: {code: code5, name: municipality_name, prefecture: pref_name, population: population_sanitation_total}
    prefectures: [埼玉県]
  locations:
    file: jp_municipal_offices.csv
    columns: {code: code5, lon: lon, lat: lat}
  waste_statistics:
    file: jp_prefecture_waste_fy2023_ssdse_e_2026.csv
    columns: {prefecture: pref_name, population: population_sanitation_total_persons, waste_t: waste_total_generated_t,
              per_capita_g_per_day: waste_per_capita_g_per_day, recycling_rate_pct: recycling_rate_pct, fiscal_year: fiscal_year}
` + params + `variants:
  - name: baseline
consolidation:
  incinerators: jp_incineration_facilities_fy2024.csv
  candidates: existing
  solver: heuristic
` + cons
}

// A detour_factor set under parameters: lengthens the blocks' hauls as it
// does transport: same blocks, t·km × 1.5/1.26.
func TestConsolidationDetourOverride(t *testing.T) {
	d := dataDir(t)
	base, err := buildFile(t, "a.yaml", consolidationScenario(d, "jp_municipalities_ssdse_a_2026.csv", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	over, err := buildFile(t, "b.yaml", consolidationScenario(d, "jp_municipalities_ssdse_a_2026.csv", "",
		"parameters:\n  - {key: detour_factor, value: 1.5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	b0, b1 := base.Blocks.Result, over.Blocks.Result
	if len(b0.Blocks) != len(b1.Blocks) {
		t.Fatalf("%d blocks vs %d", len(b0.Blocks), len(b1.Blocks))
	}
	if r := b1.TKm / b0.TKm; math.Abs(r-1.5/1.26) > 1e-9 {
		t.Errorf("t·km ratio %.12f; want 1.5/1.26 = %.12f", r, 1.5/1.26)
	}
}

// A partial run counts as "plants today" only the plants sited in its own
// municipalities, not its prefecture's.
func TestConsolidationPartialPlantsToday(t *testing.T) {
	d := dataDir(t)
	src, err := os.ReadFile(filepath.Join(d, "jp_municipalities_ssdse_a_2026.csv"))
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{"11100": true, "11201": true, "11203": true, "11208": true, "11222": true}
	lines := strings.Split(string(src), "\n")
	var sub []string
	sub = append(sub, lines[0])
	for _, l := range lines[1:] {
		if len(l) >= 5 && keep[l[:5]] {
			sub = append(sub, l)
		}
	}
	if len(sub) != 1+len(keep) {
		t.Fatalf("%d rows kept; want %d (is code5 the first column?)", len(sub)-1, len(keep))
	}
	dir := t.TempDir()
	part := filepath.Join(dir, "part.csv")
	if err := os.WriteFile(part, []byte(strings.Join(sub, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run, err := buildFile(t, "p.yaml", consolidationScenario(d, part, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := regions.LoadIncinerators(filepath.Join(d, "jp_incineration_facilities_fy2024.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want, pref := 0, 0
	for _, fa := range fs {
		if fa.Operating() && fa.Prefecture == "埼玉県" {
			pref++
			if keep[fa.SiteCode] {
				want++
			}
		}
	}
	if got := run.Blocks.StatusQuoPlants; got != want || want == 0 || want == pref {
		t.Errorf("plants today %d; want %d (of the prefecture's %d)", got, want, pref)
	}
	checkBlocks(t, run)
}
