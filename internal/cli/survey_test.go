package cli_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/internal/testutil"
)

// surveyYAML is a scenario over the shared data of the municipalities in
// sel (a regions.municipalities line such as `codes: ["11343"]`), with the
// survey, the prefecture statistics, the products and the validation
// files, FY2023 only, baseline only.
func surveyYAML(data, sel string) string {
	return `name: s
base_year: 2023
end_year: 2023
data_dir: ` + data + `
regions:
  source: municipalities
  municipalities:
    file: jp_municipalities_ssdse_a_2026.csv
    columns: {code: code5, name: municipality_name, prefecture: pref_name, population: population_sanitation_total,
      employees: employees_private, manufacturing_employees: employees_private_manufacturing}
    ` + sel + `
  locations:
    file: jp_municipal_offices.csv
    columns: {code: code5, lon: lon, lat: lat}
  waste_statistics:
    file: jp_prefecture_waste_fy2023_ssdse_e_2026.csv
    columns: {prefecture: pref_name, population: population_sanitation_total_persons, waste_t: waste_total_generated_t,
      per_capita_g_per_day: waste_per_capita_g_per_day, recycling_rate_pct: recycling_rate_pct, fiscal_year: fiscal_year}
  waste_survey:
    file: jp_municipal_waste_fy2023_moe.csv
    columns: {code: code5, name: municipality_name, covers: covers_ssdse_code5, population: population_moe,
      total_t: total_waste_t, group_collection_t: group_collection_t_derived, treated_t: treated_amount_t,
      final_disposal_t: final_disposal_t, reduction_rate_pct: reduction_rate_pct, recycling_rate_pct: recycling_rate_r_pct,
      recycling_rate_r2_pct: recycling_rate_r2_pct, flags: flags, fiscal_year: fiscal_year}
products: [{id: appliances}, {id: vehicle_batteries}, {id: construction_materials}]
outputs: {plots: false}
variants:
  - name: baseline
validation:
  prefecture_cost:
    file: jp_prefecture_waste_cost_fy2023_moe.csv
    columns: {prefecture: pref_name, cost_per_capita: cost_per_capita_yen}
`
}

func readTable(t *testing.T, path string) []map[string]string {
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
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[strings.TrimPrefix(h, "\ufeff")] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

func fnum(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

// regionMSW returns, per region code, the base-year msw rows of the
// baseline: indicator → value.
func regionMSW(t *testing.T, out string) map[string]map[string]float64 {
	t.Helper()
	m := map[string]map[string]float64{}
	for _, r := range readTable(t, filepath.Join(out, "timeseries.csv")) {
		if r["scenario"] == "baseline" && r["level"] == "region" && r["material"] == "msw" && r["year"] == "2023" {
			if m[r["region"]] == nil {
				m[r["region"]] = map[string]float64{}
			}
			m[r["region"]][r["indicator"]] = fnum(t, r["value"])
		}
	}
	return m
}

func survey(t *testing.T, data string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range readTable(t, filepath.Join(data, "jp_municipal_waste_fy2023_moe.csv")) {
		out[r["code5"]] = r
	}
	return out
}

// 小川町 (11343) with two neighbours chosen by code: three regions, each
// with its own survey row, msw rows with waste per capita, recycling rate,
// final disposal and cost per capita; regions.csv names the source.
func TestRunCodesOgawa(t *testing.T) {
	data := testutil.DataDir(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "s.yaml", surveyYAML(data, `codes: ["11343", "11342", "11341"]`))
	out := filepath.Join(dir, "out")
	if code, _, stderr := run(t, "run", p, "-o", out, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	regs := readTable(t, filepath.Join(out, "regions.csv"))
	if len(regs) != 3 {
		t.Fatalf("%d regions; want 3", len(regs))
	}
	rows := survey(t, data)
	msw := regionMSW(t, out)
	for _, g := range regs {
		row := rows[g["code"]]
		if g["base_year_source"] != "municipal survey" || g["survey_code"] != g["code"] || g["prefecture"] != "埼玉県" || g["lon"] == "" {
			t.Errorf("regions.csv row %v", g)
		}
		f := msw[g["code"]]
		// 小川町: 7,776 t, 27,924 persons, 366 days → 760.847 g; R 85.73 %.
		wantPC := fnum(t, row["total_waste_t"]) * 1e6 / fnum(t, g["population"]) / 366
		if d := f["waste_per_capita"] - wantPC; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s: msw waste_per_capita %v; want %v", g["code"], f["waste_per_capita"], wantPC)
		}
		if d := f["recycling_rate"] - fnum(t, row["recycling_rate_r_pct"]); d > 1e-6 || d < -1e-6 {
			t.Errorf("%s: msw recycling_rate %v; want %s", g["code"], f["recycling_rate"], row["recycling_rate_r_pct"])
		}
		if gc := f["group_collected"]; gc-fnum(t, row["group_collection_t_derived"]) > 1e-6 || fnum(t, row["group_collection_t_derived"])-gc > 1e-6 {
			t.Errorf("%s: group_collected %v t; want %s", g["code"], gc, row["group_collection_t_derived"])
		}
		for _, k := range []string{"final_disposal", "cost_per_capita"} {
			if _, ok := f[k]; !ok || f[k] <= 0 {
				t.Errorf("%s: msw %s = %v", g["code"], k, f[k])
			}
		}
	}
	if got := msw["11343"]["waste_per_capita"]; got < 760.84 || got > 760.85 {
		t.Errorf("小川町 waste per capita %v; want 760.847 (7,776 t, 27,924 persons)", got)
	}
	// Validation: one final-disposal row per surveyed municipality.
	n := 0
	for _, v := range readTable(t, filepath.Join(out, "validation.csv")) {
		if v["check"] == "final_disposal" && strings.HasPrefix(v["scope"], "113") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d final-disposal rows; want 3", n)
	}
}

// An unknown code is an error naming the nearest codes with their names.
func TestRunUnknownCode(t *testing.T) {
	data := testutil.DataDir(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "s.yaml", surveyYAML(data, `codes: ["11334", "小川町"]`))
	out := filepath.Join(dir, "out")
	code, _, stderr := run(t, "run", p, "-o", out)
	if code != cli.ExitUsage || exists(out) {
		t.Fatalf("exit %d; want 2 and no output: %s", code, stderr)
	}
	for _, w := range []string{"regions.municipalities.codes[0]", `unknown municipality code "11334"`, "11343 (埼玉県 小川町)",
		"regions.municipalities.codes[1]", `"小川町" is a name: its code is 11343`} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
}

// A bad survey file: exit 2, file:line and column, no output.
func TestRunBadSurvey(t *testing.T) {
	ownDataFiles(t)
	const hdr = "code5,municipality_name,total_waste_t,group_collection_t_derived,recycling_rate_r_pct\n"
	cases := []struct {
		name, csv, cols string
		want            []string
	}{
		{"duplicate code", hdr + "11100,さいたま市,400000,9000,23\n11100,さいたま市,1,0,1\n", "", []string{"survey.csv:3:", "column code5", "duplicate", "first on line 2"}},
		{"code not among the regions", hdr + "11100,さいたま市,400000,9000,23\n11999,どこか,1,0,1\n", "", []string{"survey.csv:3:", "column code5", `"11999" is not among the municipalities`}},
		{"negative tonnage", hdr + "11100,さいたま市,-4,0,23\n", "", []string{"survey.csv:2:", "column total_waste_t", "negative"}},
		{"R above 100", hdr + "11100,さいたま市,400000,9000,123\n", "", []string{"survey.csv:2:", "column recycling_rate_r_pct", "above 100"}},
		{"header not matching mapping", hdr + "11100,さいたま市,400000,9000,23\n", "group_collection_t: group_collection_t", []string{"survey.csv:1:", `"group_collection_t" is not in the header`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "tiny.csv", tinyCSV)
			writeFile(t, dir, "survey.csv", tc.csv)
			cols := "code: code5, name: municipality_name, total_t: total_waste_t, group_collection_t: group_collection_t_derived, recycling_rate_pct: recycling_rate_r_pct"
			if tc.cols != "" {
				cols = strings.Replace(cols, "group_collection_t: group_collection_t_derived", tc.cols, 1)
			}
			p := writeFile(t, dir, "bad.yaml", munScenario("tiny.csv", "pop", "  waste_survey:\n    file: survey.csv\n    columns: {"+cols+"}\n"))
			out := filepath.Join(dir, "out")
			code, stdout, stderr := run(t, "run", p, "-o", out)
			if code != cli.ExitUsage || stdout != "" || exists(out) {
				t.Fatalf("exit %d, stdout %q, output exists %v; want 2, nothing: %s", code, stdout, exists(out), stderr)
			}
			for _, w := range append(tc.want, "regions.waste_survey.file") {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// All Japan, FY2023 baseline: every survey row is reproduced at region
// level in msw scope (the 23 wards summed against row 13100): per-capita
// generation within 0.5 %, R within 0.3 points; the nation 38,974,270 t
// and 851 g/person/day.
func TestRunJapanSurveyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("all Japan")
	}
	data := testutil.DataDir(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "s.yaml", surveyYAML(data, ""))
	out := filepath.Join(dir, "out")
	if code, _, stderr := run(t, "run", p, "-o", out, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	pop := map[string]float64{}
	for _, g := range readTable(t, filepath.Join(out, "regions.csv")) {
		pop[g["code"]] = fnum(t, g["population"])
	}
	msw := regionMSW(t, out)
	var W, P float64
	rows := readTable(t, filepath.Join(data, "jp_municipal_waste_fy2023_moe.csv"))
	if len(rows) != 1719 {
		t.Fatalf("%d survey rows", len(rows))
	}
	for _, row := range rows {
		var w, p, rec float64
		for _, c := range strings.Split(row["covers_ssdse_code5"], ";") {
			f := msw[c]
			w += f["waste_generated"]
			p += pop[c]
			rec += f["group_collected"] + f["sorted_to_recycling"] + f["ash_recycled"] + f["fuel_cement_output"]
		}
		W, P = W+w, P+p
		pc, ref := w*1e6/p/366, fnum(t, row["per_capita_total_g_per_day"])
		if d := pc/ref - 1; ref > 0 && (d > 0.005 || d < -0.005) {
			t.Errorf("%s %s: %.1f g/person/day; survey %.1f", row["code5"], row["municipality_name"], pc, ref)
		}
		if d := rec/w*100 - fnum(t, row["recycling_rate_r_pct"]); d > 0.3 || d < -0.3 {
			t.Errorf("%s %s: R %.2f %%; survey %s %%", row["code5"], row["municipality_name"], rec/w*100, row["recycling_rate_r_pct"])
		}
	}
	if d := W - 38974270; d > 1 || d < -1 {
		t.Errorf("Japan generates %.1f t; want 38,974,270 t", W)
	}
	if g := W * 1e6 / P / 366; g < 850.5 || g >= 851.5 {
		t.Errorf("Japan %.2f g/person/day; want 851", g)
	}
	n := 0
	for _, v := range readTable(t, filepath.Join(out, "validation.csv")) {
		if v["check"] == "final_disposal" && v["scope"] != "全国" {
			n++
		}
	}
	if n != 1719 {
		t.Errorf("%d final-disposal rows in validation.csv; want one per survey row (1,719)", n)
	}
}

// A split the scenario sets is not rescaled silently: calibration warns on
// stderr and records both values in the manifest; calibrate: false keeps
// what was written.
func TestRunCalibrationChangesExplicitSplit(t *testing.T) {
	const split = "parameters: [{key: separate_collection_share, material: paper, value: 0.9}]\n"
	for _, off := range []bool{false, true} {
		dir := t.TempDir()
		y := head + split
		if off {
			y += "calibrate: false\n"
		}
		p := writeFile(t, dir, "s.yaml", y)
		out := filepath.Join(dir, "out")
		code, _, stderr := run(t, "run", p, "-o", out, "--quiet")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		warned := strings.Contains(stderr, "warning: region synthetic-a: calibration to the base-year recycling rate changed the separate_collection_share you set (parameters[0]: paper 0.9 →")
		recorded := strings.Contains(string(b), `"calibration_changes"`) && strings.Contains(string(b), `"written": 0.9`)
		if off == warned || off == recorded {
			t.Errorf("calibrate off %v: warned %v, recorded %v; stderr:\n%s", off, warned, recorded, stderr)
		}
		if off && !strings.Contains(string(b), `"calibrated": false`) {
			t.Errorf("manifest does not say the regions are not calibrated")
		}
	}
}
