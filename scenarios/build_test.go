package scenarios_test

import (
	"encoding/csv"
	"errors"
	"github.com/circular-partners/junkan/internal/testutil"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/scenarios"
)

// dataDir returns the shared data directory (env JUNKAN_DATA_DIR, else
// /work/shared/data seen from this package: ../../shared/data), skipping
// the test when it is absent.
func dataDir(t testing.TB) string { t.Helper(); return testutil.DataDir(t) }

// municipalityScenario is a one-variant scenario loading Saitama from the
// data directory dir, with the municipality file and population column
// given; extra is appended.
func municipalityScenario(dir, file, popCol, extra string) string {
	return `name: t
base_year: 2023
end_year: 2030
data_dir: ` + dir + `
regions:
  source: municipalities
  municipalities:
    file: ` + file + `
    columns:
      code: code5
      name: municipality_name
      prefecture: pref_name
      population: ` + popCol + `
    prefectures: [埼玉県]
` + extra + `variants:
  - name: baseline
`
}

func buildFile(t *testing.T, name, yaml string) (*scenarios.Run, error) {
	t.Helper()
	f, err := scenarios.Parse(name, ".", []byte(yaml))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f.Build(f.DataDir(""))
}

func TestBuildSaitama(t *testing.T) {
	d := dataDir(t)
	f, err := scenarios.Load("saitama-2050.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.Build(d)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if n := len(run.Config.Regions); n != 63 {
		t.Fatalf("%d regions; want 63 (埼玉県's municipalities)", n)
	}
	// Each municipality's own FY2023 survey row
	// (jp_municipal_waste_fy2023_moe.csv): per-capita generation so that
	// its tonnage is the row's (SSDSE population; FY2023 has 366 days,
	// April 2023 – March 2024 holding 29 February 2024), R as published.
	rows := readCSV(t, filepath.Join(d, "jp_municipal_waste_fy2023_moe.csv"))
	days := 366.0
	var total float64
	for r, g := range run.Config.Regions {
		row, ok := rows[g.Code]
		if !ok {
			t.Fatalf("%s %s: no survey row", g.Code, g.Name)
		}
		tot := num(t, row["total_waste_t"])
		want := tot * 1e6 / g.Population / days
		if math.Abs(g.PerCapitaGPerDay-want) > 1e-12*want {
			t.Errorf("%s %s: per capita %v g/day; want %v", g.Code, g.Name, g.PerCapitaGPerDay, want)
		}
		if r := num(t, row["recycling_rate_r_pct"]) / 100; math.Abs(g.RecyclingRate-r) > 1e-12 {
			t.Errorf("%s %s: recycling rate %v; want %v", g.Code, g.Name, g.RecyclingRate, r)
		}
		if sv := g.Survey; sv == nil || math.Abs(sv.GroupCollectionRate-num(t, row["group_collection_t_derived"])/tot) > 1e-12 ||
			math.Abs(sv.DirectLandfillRate-(1-num(t, row["reduction_rate_pct"])/100)) > 1e-12 {
			t.Errorf("%s %s: survey figures %+v", g.Code, g.Name, g.Survey)
		}
		if in := run.RegionInfo[r]; in.BaseYearSource != scenarios.SourceSurvey || in.SurveyCode != g.Code {
			t.Errorf("%s %s: base year from %+v", g.Code, g.Name, in)
		}
		total += g.Population * g.PerCapitaGPerDay * days * 1e-6
		if g.Prefecture != "埼玉県" || len(g.Code) != 5 || !strings.HasPrefix(g.Code, "11") {
			t.Errorf("region %s %s in %s", g.Code, g.Name, g.Prefecture)
		}
	}
	// Saitama FY2023 (jp_prefecture_waste_fy2023_ssdse_e_2026.csv): the
	// municipal rows sum to 2,133,355.8 t (the prefecture publishes 2,133,356 t).
	if math.Abs(total-2133355.8) > 1e-6 {
		t.Errorf("Saitama generates %.6f t; want 2,133,355.8 t", total)
	}
	if len(run.Variants) < 4 || run.Variants[0].Name != "baseline" {
		t.Errorf("variants: %d, first %q", len(run.Variants), run.Variants[0].Name)
	}
	// Inherited elements: incentives-ai-sorting has collection_incentives
	// (from its parent) then ai_sorting.
	if v := run.Variants[3]; len(v.Elements) != 2 || v.Elements[0].Element != "collection_incentives" || v.Elements[1].Element != "ai_sorting" {
		t.Errorf("variant %s elements: %+v", v.Name, v.Elements)
	}
	roles := map[string]bool{}
	for _, in := range run.Inputs {
		roles[in.Role] = true
		if len(in.SHA256) != 64 {
			t.Errorf("input %s: sha256 %q", in.Path, in.SHA256)
		}
	}
	for _, r := range []string{"scenario", "municipalities", "locations", "waste_statistics", "incinerators"} {
		if !roles[r] {
			t.Errorf("no input with role %s in %+v", r, run.Inputs)
		}
	}
	if run.Incinerators == nil || run.Stats == nil {
		t.Errorf("validation data not loaded")
	}
}

func TestBuildJapan(t *testing.T) {
	d := dataDir(t)
	f, err := scenarios.Load("japan-2050.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.Build(d)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if n := len(run.Config.Regions); n != 1741 {
		t.Errorf("%d regions; want 1,741 (市区町村)", n)
	}
	if run.RegionMaterials {
		t.Errorf("RegionMaterials = true; japan-2050.yaml sets false")
	}
	if run.FinalDisposalT != 3160000 {
		t.Errorf("FinalDisposalT = %v; want 3160000", run.FinalDisposalT)
	}
}

func TestBuildDefault(t *testing.T) {
	f, err := scenarios.Default()
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.Build(f.DataDir(""))
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if n := len(run.Config.Regions); n != 5 {
		t.Errorf("%d regions; want 5 synthetic", n)
	}
	R, M := len(run.Config.Regions), len(run.Config.Materials)
	for r := 0; r < R; r++ {
		sum := 0.0
		for i := 0; i < M; i++ {
			sum += run.Config.Composition[r*M+i]
		}
		if math.Abs(sum-1) > 1e-6 {
			t.Errorf("region %d: composition sums to %v", r, sum)
		}
	}
}

// TestBuildEmptyComposition: `composition: {}` means the defaults, not
// nine zero shares.
func TestBuildEmptyComposition(t *testing.T) {
	run, err := buildFile(t, "c.yaml", "name: t\nbase_year: 2023\nend_year: 2030\nregions: {source: synthetic}\ncomposition: {}\nvariants: [{name: b}]\n")
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, c := range run.Config.Composition[:len(run.Config.Materials)] {
		sum += c
	}
	if math.Abs(sum-1) > 1e-6 {
		t.Errorf("composition: {} gives shares summing to %v; want the defaults (1)", sum)
	}
}

// checkBuildError asserts an invalid-scenario error at the field path that
// contains every piece of msgs.
func checkBuildError(t *testing.T, err error, path string, msgs ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Build: no error; want one at %s", path)
	}
	if !errors.Is(err, scenarios.ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) = false: %v", err)
	}
	var list scenarios.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T is not an ErrorList: %v", err, err)
	}
	for _, e := range list {
		if e.Path == path && e.Line > 0 {
			s := e.Error()
			ok := true
			for _, m := range msgs {
				ok = ok && strings.Contains(s, m)
			}
			if ok {
				return
			}
		}
	}
	t.Errorf("no error at %s (with a line) containing %q; got:\n%v", path, msgs, err)
}

func TestBuildBadData(t *testing.T) {
	d := dataDir(t)
	tmp := t.TempDir()
	mun := filepath.Join(d, "jp_municipalities_ssdse_a_2026.csv")
	header := "code5,pref_name,municipality_name,population_sanitation_total\n"
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.csv", "")
	headerOnly := write("header.csv", header)

	t.Run("column not in header", func(t *testing.T) {
		_, err := buildFile(t, "col.yaml", municipalityScenario(d, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation", ""))
		checkBuildError(t, err, "regions.municipalities.file", "col.yaml:8:", mun, `"population_sanitation" is not in the header`)
		if !errors.Is(err, regions.ErrMissingColumn) {
			t.Errorf("errors.Is(err, regions.ErrMissingColumn) = false")
		}
	})
	t.Run("missing data file", func(t *testing.T) {
		_, err := buildFile(t, "miss.yaml", municipalityScenario(d, "no_such_file.csv", "population_sanitation_total", ""))
		checkBuildError(t, err, "regions.municipalities.file", "miss.yaml:8:", filepath.Join(d, "no_such_file.csv"))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("errors.Is(err, fs.ErrNotExist) = false")
		}
	})
	t.Run("empty CSV", func(t *testing.T) {
		_, err := buildFile(t, "empty.yaml", municipalityScenario(d, empty, "population_sanitation_total", ""))
		checkBuildError(t, err, "regions.municipalities.file", empty, "empty file")
		if !errors.Is(err, regions.ErrEmptyFile) {
			t.Errorf("errors.Is(err, regions.ErrEmptyFile) = false")
		}
	})
	t.Run("header but no rows", func(t *testing.T) {
		_, err := buildFile(t, "hdr.yaml", municipalityScenario(d, headerOnly, "population_sanitation_total", ""))
		checkBuildError(t, err, "regions.municipalities.file", headerOnly, "empty file")
	})
	t.Run("empty statistics CSV", func(t *testing.T) {
		extra := "  waste_statistics:\n    file: " + empty + "\n    columns: {prefecture: pref_name, per_capita_g_per_day: pc, recycling_rate_pct: rr}\n"
		_, err := buildFile(t, "ws.yaml", municipalityScenario(d, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total", extra))
		checkBuildError(t, err, "regions.waste_statistics.file", empty, "empty file")
	})
	t.Run("missing locations file", func(t *testing.T) {
		extra := "  locations:\n    file: nowhere.csv\n    columns: {code: code5, lon: lon, lat: lat}\n"
		_, err := buildFile(t, "loc.yaml", municipalityScenario(d, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total", extra))
		checkBuildError(t, err, "regions.locations.file", "nowhere.csv")
	})
	t.Run("unknown override code", func(t *testing.T) {
		extra := "  overrides:\n    - code: \"11999\"\n      population: 1000\n"
		_, err := buildFile(t, "ov.yaml", municipalityScenario(d, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total", extra))
		checkBuildError(t, err, "regions.overrides[0].code", "ov.yaml:16:", `unknown region "11999"`)
	})
	t.Run("unknown region in parameter", func(t *testing.T) {
		extra := "parameters:\n  - key: recycling_yield\n    regions: [\"11100\", \"99999\"]\n    value: 0.5\n"
		_, err := buildFile(t, "par.yaml", municipalityScenario(d, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total", extra))
		checkBuildError(t, err, "parameters[0].regions[1]", "par.yaml:17:", `unknown region "99999"`)
	})
	t.Run("unknown region in element", func(t *testing.T) {
		y := municipalityScenario(d, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total", "") +
			"  - name: x\n    elements:\n      - {element: ai_sorting, start_year: 2025, regions: [\"1110\"]}\n"
		_, err := buildFile(t, "el.yaml", y)
		checkBuildError(t, err, "variants[1].elements[0].regions[0]", "el.yaml:19:", `unknown region "1110"`)
	})
	t.Run("unknown prefecture", func(t *testing.T) {
		y := strings.Replace(municipalityScenario(d, "jp_municipalities_ssdse_a_2026.csv", "population_sanitation_total", ""), "[埼玉県]", "[埼玉]", 1)
		_, err := buildFile(t, "pref.yaml", y)
		checkBuildError(t, err, "regions.municipalities.file", "埼玉")
	})
}

// TestBuildSyntheticErrors needs no data: region references are checked
// against the synthetic regions.
func TestBuildSyntheticErrors(t *testing.T) {
	y := `name: t
base_year: 2023
end_year: 2030
regions:
  source: synthetic
  overrides:
    - code: 01100
transfer_coefficients:
  - process: reuse
    regions: [synthetic-a, "99999"]
    shares: {reused: 0.1, waste_generated: 0.9}
variants: [{name: b}]
`
	_, err := buildFile(t, "syn.yaml", y)
	checkBuildError(t, err, "regions.overrides[0].code", "syn.yaml:7:", `unknown region "01100"`)
	checkBuildError(t, err, "transfer_coefficients[0].regions[1]", "syn.yaml:10:", `unknown region "99999"`)
}

// readCSV reads a CSV with a header into rows keyed by the first column.
func readCSV(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out[rec[0]] = row
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
