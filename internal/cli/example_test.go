package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/internal/testutil"
)

// officesWithin returns the codes of the basic municipalities whose office
// lies within km of the office of code, by the haversine formula on the
// WGS84 equatorial radius (computed here, apart from the regions package).
func officesWithin(t *testing.T, data, code string, km float64) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(data, "jp_municipal_offices.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	type pt struct{ lat, lon float64 }
	pts := map[string]pt{}
	for _, r := range rows[1:] {
		if r[col["in_ssdse_1741"]] != "1" {
			continue
		}
		lat, _ := strconv.ParseFloat(r[col["lat"]], 64)
		lon, _ := strconv.ParseFloat(r[col["lon"]], 64)
		pts[r[col["code5"]]] = pt{lat, lon}
	}
	rad := math.Pi / 180
	o := pts[code]
	var out []string
	for c, p := range pts {
		dlat, dlon := (p.lat-o.lat)*rad, (p.lon-o.lon)*rad
		h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(o.lat*rad)*math.Cos(p.lat*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
		if d := 2 * 6378.137 * math.Asin(math.Sqrt(h)); d <= km {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// TestExampleCodes: junkan example --codes 11343 --neighbours-km 15 prints
// a scenario of 小川町 and the municipalities around it that runs as it
// is, with a baseline and one variant per element.
func TestExampleCodes(t *testing.T) {
	data := testutil.DataDir(t)
	code, stdout, stderr := run(t, "example", "--codes", "11343", "--neighbours-km", "15", "--data", data)
	if code != cli.ExitOK {
		t.Fatalf("example: exit %d\n%s", code, stderr)
	}
	var s struct {
		Regions struct {
			Municipalities struct {
				Codes []string `yaml:"codes"`
			} `yaml:"municipalities"`
		} `yaml:"regions"`
		Variants []struct {
			Name     string `yaml:"name"`
			Elements []struct {
				Element string `yaml:"element"`
			} `yaml:"elements"`
		} `yaml:"variants"`
	}
	if err := yaml.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("example output is not YAML: %v\n%s", err, stdout)
	}
	got := slices.Clone(s.Regions.Municipalities.Codes)
	slices.Sort(got)
	want := officesWithin(t, data, "11343", 15)
	if !slices.Equal(got, want) || s.Regions.Municipalities.Codes[0] != "11343" {
		t.Errorf("codes %v; want %v with 11343 first", s.Regions.Municipalities.Codes, want)
	}
	if len(want) < 5 {
		t.Errorf("only %d municipalities within 15 km of 小川町", len(want))
	}
	if len(s.Variants) != 9 || s.Variants[0].Name != "baseline" {
		t.Fatalf("variants %+v; want baseline and one per element", s.Variants)
	}
	elems := map[string]bool{}
	for _, v := range s.Variants[1:] {
		if len(v.Elements) != 1 {
			t.Errorf("variant %s has %d elements", v.Name, len(v.Elements))
			continue
		}
		elems[v.Elements[0].Element] = true
	}
	if len(elems) != 8 {
		t.Errorf("elements %v; want the eight", elems)
	}
	if !strings.Contains(stdout, "# 埼玉県小川町 を対象とするシナリオ") {
		t.Errorf("no Japanese comment heading the scenario")
	}
	// It runs as it is.
	dir := t.TempDir()
	p := writeFile(t, dir, "ogawa.yaml", stdout)
	out := filepath.Join(dir, "out")
	if code, table, stderr := run(t, "run", p, "-o", out); code != cli.ExitOK || !strings.Contains(table, "wide_area_consolidation") {
		t.Fatalf("run of the example: exit %d\n%s\n%s", code, table, stderr)
	}
	var sum struct {
		Variants []json.RawMessage `json:"variants"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil || len(sum.Variants) != 9 || !exists(filepath.Join(out, cli.WorkbookFile)) {
		t.Errorf("summary.json: %v, %d variants", err, len(sum.Variants))
	}

	// By name, the same municipality.
	_, byName, _ := run(t, "example", "--name", "小川町", "--data", data)
	_, byCode, _ := run(t, "example", "--codes", "11343", "--data", data)
	if byName == "" || byName != byCode {
		t.Errorf("--name 小川町 and --codes 11343 differ")
	}
	for _, args := range [][]string{
		{"--name", "府中市"},         // two of them: the code or prefecture is needed
		{"--codes", "99999"},      // no such code
		{"--codes", "113433"},     // 6 digits
		{"--neighbours-km", "15"}, // no municipality named
		{"--codes", "11343", "--neighbours-km", "-1"},
	} {
		code, _, stderr := run(t, append(append([]string{"example"}, args...), "--data", data)...)
		if code != cli.ExitUsage || !strings.HasPrefix(stderr, "junkan: example: ") {
			t.Errorf("example %q: exit %d\n%s", args, code, stderr)
		}
	}
	if _, _, stderr := run(t, "example", "--name", "府中市", "--data", data); !strings.Contains(stderr, "13206 東京都府中市") {
		t.Errorf("ambiguous name: %s", stderr)
	}
}
