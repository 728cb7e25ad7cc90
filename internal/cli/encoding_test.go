package cli_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/internal/testutil"
)

// encScenario reads the municipalities from mun (with encoding enc if not
// empty) and the rest from the shared data.
func encScenario(data, mun, enc string) string {
	e := ""
	if enc != "" {
		e = "\n    encoding: " + enc
	}
	return `name: enc
base_year: 2023
end_year: 2026
seed: 1
regions:
  source: municipalities
  municipalities:
    file: ` + mun + e + `
    columns:
      code: code5
      name: municipality_name
      prefecture: pref_name
      population: population_sanitation_total
      employees: employees_private
      manufacturing_employees: employees_private_manufacturing
  locations:
    file: ` + filepath.Join(data, "jp_municipal_offices.csv") + `
    columns: {code: code5, lon: lon, lat: lat}
  waste_statistics:
    file: ` + filepath.Join(data, "jp_prefecture_waste_fy2023_ssdse_e_2026.csv") + `
    columns:
      prefecture: pref_name
      population: population_sanitation_total_persons
      waste_t: waste_total_generated_t
      per_capita_g_per_day: waste_per_capita_g_per_day
      recycling_rate_pct: recycling_rate_pct
      fiscal_year: fiscal_year
variants:
  - name: baseline
  - name: ai-sorting
    inherits: baseline
    elements:
      - {element: ai_sorting, start_year: 2024, ramp_years: 2}
outputs:
  plots: false
`
}

// TestCP932Input: the Saitama rows of the shared municipal CSV, re-encoded
// as CP932 with CRLF line ends, give byte-identical outputs (manifest
// aside, which records the encoding), detected or declared; bytes that are
// neither UTF-8 nor CP932 give exit 2 with file, line and byte offset.
func TestCP932Input(t *testing.T) {
	data := testutil.DataDir(t)
	src, err := os.ReadFile(filepath.Join(data, "jp_municipalities_ssdse_a_2026.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	keep := []string{lines[0]}
	for _, l := range lines[1:] {
		if strings.Contains(l, ",埼玉県,") {
			keep = append(keep, l)
		}
	}
	if len(keep) != 64 {
		t.Fatalf("%d Saitama rows; want 63", len(keep)-1)
	}
	dir := t.TempDir()
	utf8Path := writeFile(t, dir, "mun-utf8.csv", strings.Join(keep, "\n")+"\n")
	sjis, err := japanese.ShiftJIS.NewEncoder().String(strings.Join(keep, "\r\n") + "\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if sjis == strings.Join(keep, "\r\n")+"\r\n" {
		t.Fatal("re-encoding changed nothing")
	}
	cp932Path := writeFile(t, dir, "mun-cp932.csv", sjis)
	runOut := func(name, yaml string) string {
		out := filepath.Join(dir, name)
		p := writeFile(t, dir, name+".yaml", yaml)
		if code, _, stderr := run(t, "run", p, "-o", out, "--quiet"); code != cli.ExitOK {
			t.Fatalf("%s: exit %d\n%s", name, code, stderr)
		}
		return out
	}
	a := runOut("utf8", encScenario(data, utf8Path, ""))
	b := runOut("cp932", encScenario(data, cp932Path, ""))
	c := runOut("cp932-declared", encScenario(data, cp932Path, "cp932"))
	for _, other := range []string{b, c} {
		entries, _ := os.ReadDir(a)
		n := 0
		for _, e := range entries {
			if e.IsDir() || e.Name() == "manifest.json" || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			x, _ := os.ReadFile(filepath.Join(a, e.Name()))
			y, err := os.ReadFile(filepath.Join(other, e.Name()))
			if err != nil || !bytes.Equal(x, y) {
				t.Errorf("%s differs between the UTF-8 and the CP932 input (%v)", e.Name(), err)
			}
			n++
		}
		if n < 4 {
			t.Errorf("compared %d files", n)
		}
	}
	// The manifest records the encoding read.
	var mf struct {
		Inputs []struct{ Role, Path, Encoding string } `json:"inputs"`
	}
	raw, _ := os.ReadFile(filepath.Join(b, "manifest.json"))
	if err := json.Unmarshal(raw, &mf); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, in := range mf.Inputs {
		if in.Role == "municipalities" {
			found = in.Encoding == "cp932"
		}
		if in.Role == "locations" && in.Encoding != "utf-8" {
			t.Errorf("locations read as %q; want utf-8", in.Encoding)
		}
	}
	if !found {
		t.Errorf("manifest inputs %+v: municipalities not recorded as cp932", mf.Inputs)
	}

	// Declared wrongly: the first byte that is not UTF-8, located.
	p := writeFile(t, dir, "wrong.yaml", encScenario(data, cp932Path, "utf-8"))
	code, _, stderr := run(t, "validate", p)
	if code != cli.ExitUsage || !strings.Contains(stderr, cp932Path+":2:") || !strings.Contains(stderr, "byte offset") ||
		!strings.Contains(stderr, "encoding: cp932") {
		t.Errorf("CP932 declared utf-8: exit %d\n%s", code, stderr)
	}
	// Random bytes that are no text: exit 2, file, line, byte offset.
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	junk = append([]byte("code5,pref_name\n"), junk...)
	jp := filepath.Join(dir, "junk.csv")
	if err := os.WriteFile(jp, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	p = writeFile(t, dir, "junk.yaml", encScenario(data, jp, ""))
	code, _, stderr = run(t, "run", p, "-o", filepath.Join(dir, "junk-out"))
	if code != cli.ExitUsage || !strings.Contains(stderr, jp+":") || !strings.Contains(stderr, "byte offset") ||
		!strings.Contains(stderr, "neither") && !strings.Contains(stderr, "nor Shift_JIS") {
		t.Errorf("random bytes: exit %d\n%s", code, stderr)
	}
	if exists(filepath.Join(dir, "junk-out")) {
		t.Error("output written for a bad input")
	}
	// An unknown encoding name is a scenario error at its key.
	p = writeFile(t, dir, "badenc.yaml", encScenario(data, utf8Path, "latin1"))
	if code, _, stderr := run(t, "validate", p); code != cli.ExitUsage || !strings.Contains(stderr, "regions.municipalities.encoding") {
		t.Errorf("encoding latin1: exit %d\n%s", code, stderr)
	}
}

// TestBOM: --bom and outputs.csv_bom start every CSV with a UTF-8 BOM;
// without them no CSV has one.
func TestBOM(t *testing.T) {
	dir := t.TempDir()
	check := func(out string, want bool) {
		t.Helper()
		csvs, _ := filepath.Glob(filepath.Join(out, "*.csv"))
		if len(csvs) < 2 {
			t.Fatalf("%d CSV files in %s", len(csvs), out)
		}
		for _, p := range csvs {
			b, _ := os.ReadFile(p)
			if got := bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")); got != want {
				t.Errorf("%s: BOM %v; want %v", filepath.Base(p), got, want)
			}
			if want {
				// After the BOM, the same bytes as without it.
				plain, _ := os.ReadFile(filepath.Join(dir, "plain", filepath.Base(p)))
				if !bytes.Equal(b[3:], plain) {
					t.Errorf("%s: after the BOM the content differs from the run without", filepath.Base(p))
				}
			}
		}
	}
	y := head + "  - name: x\n    inherits: baseline\n    elements: [{element: ai_sorting, start_year: 2025}]\n" +
		"targets: [{indicator: waste_per_capita, year: 2030, change_pct: -5}]\nvalidation: {final_disposal_t: 3156322, final_disposal_source: MOE}\n"
	p := writeFile(t, dir, "s.yaml", y)
	for _, tc := range []struct {
		name string
		args []string
		yaml string
		want bool
	}{
		{"plain", nil, y, false},
		{"flag", []string{"--bom"}, y, true},
		{"yaml", nil, y + "outputs: {csv_bom: true}\n", true},
	} {
		p = writeFile(t, dir, tc.name+".yaml", tc.yaml)
		out := filepath.Join(dir, tc.name)
		if code, _, stderr := run(t, append([]string{"run", p, "-o", out, "--quiet"}, tc.args...)...); code != cli.ExitOK {
			t.Fatalf("%s: exit %d\n%s", tc.name, code, stderr)
		}
		check(out, tc.want)
	}
}
