package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/internal/testutil"
	"github.com/circular-partners/junkan/output/xlsx"
)

// python returns a python3 that has openpyxl (Debian's python3-openpyxl),
// or skips the test; with JUNKAN_REQUIRE_TOOLS=1 a missing one fails it.
func python(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			return p
		}
	}
	if os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" {
		t.Fatal("python3 with openpyxl not found (apt-get install python3-openpyxl)")
	}
	t.Skip("python3 with openpyxl not found")
	return ""
}

// dumpScript prints every sheet of a workbook as JSON: names, and per
// sheet the cells (value, type, number format), frozen panes and tables.
const dumpScript = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "data": {}}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([[c.value, type(c.value).__name__, c.number_format] for c in row])
    out["data"][ws.title] = {"rows": rows, "freeze": ws.freeze_panes,
        "tables": [t.ref for t in ws.tables.values()]}
# read-only mode trusts each sheet's declared size: it must see every row
ro = openpyxl.load_workbook(sys.argv[1], read_only=True)
out["read_only_rows"] = {ws.title: sum(1 for _ in ws.iter_rows()) for ws in ro.worksheets}
json.dump(out, sys.stdout, ensure_ascii=False)
`

type cellDump [3]any // value, python type name, number format

type sheetDump struct {
	Rows   [][]cellDump `json:"rows"`
	Freeze string       `json:"freeze"`
	Tables []string     `json:"tables"`
}

type workbookDump struct {
	Sheets       []string             `json:"sheets"`
	Data         map[string]sheetDump `json:"data"`
	ReadOnlyRows map[string]int       `json:"read_only_rows"`
}

// readWorkbook reads path with openpyxl, an independent reader.
func readWorkbook(t *testing.T, py, path string) workbookDump {
	t.Helper()
	script := filepath.Join(t.TempDir(), "dump.py")
	if err := os.WriteFile(script, []byte(dumpScript), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(py, script, path).Output()
	if err != nil {
		t.Fatalf("openpyxl could not read %s: %v", path, err)
	}
	var d workbookDump
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	for name, sh := range d.Data {
		if n := d.ReadOnlyRows[name]; n != len(sh.Rows) {
			t.Errorf("sheet %s: openpyxl read-only mode sees %d rows, the full reader %d (declared size wrong)", name, n, len(sh.Rows))
		}
	}
	return d
}

// totals reads timeseries.csv into level → "scenario|region|year|material|indicator" → value.
func totals(t *testing.T, path string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	out := map[string]float64{}
	head := true
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if head {
			head = false
			continue
		}
		if rec[1] != "total" && rec[1] != "region" {
			continue
		}
		if rec[1] == "region" && rec[5] != "all" && rec[5] != "msw" {
			continue
		}
		v, err := strconv.ParseFloat(rec[7], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.Join([]string{rec[0], rec[1], rec[2], rec[4], rec[5], rec[6]}, "|")] = v
	}
	return out
}

func num(t *testing.T, c cellDump, where string) float64 {
	t.Helper()
	if c[1] != "float" && c[1] != "int" {
		t.Fatalf("%s: %v is a %v, not a number", where, c[0], c[1])
	}
	return c[0].(float64)
}

// checkWorkbook asserts that the comparison, yearly and municipality
// sheets of out/summary.xlsx hold numbers equal to the timeseries.csv
// rows they come from, for every variant, year and scope.
func checkWorkbook(t *testing.T, py, out, lang string, variants int) {
	t.Helper()
	d := readWorkbook(t, py, filepath.Join(out, cli.WorkbookFile))
	ts := totals(t, filepath.Join(out, "timeseries.csv"))
	names := map[string]string{"comparison": "比較", "yearly": "年次推移", "regions": "市区町村"}
	if lang == "en" {
		names = map[string]string{"comparison": "Comparison", "yearly": "Yearly totals", "regions": "Municipalities"}
	}
	// Comparison: scope, year, variant, the indicators, their changes.
	cmp, ok := d.Data[names["comparison"]]
	if !ok || d.Sheets[0] != names["comparison"] {
		t.Fatalf("sheets %q: no %s first", d.Sheets, names["comparison"])
	}
	if cmp.Freeze != "A2" || len(cmp.Tables) != 1 {
		t.Errorf("comparison: freeze %q, tables %v; want A2 and one filtered table", cmp.Freeze, cmp.Tables)
	}
	hdr := cmp.Rows[0]
	nc := len(xlsx.Columns)
	if len(hdr) != 3+2*nc {
		t.Fatalf("comparison header has %d columns", len(hdr))
	}
	for i, c := range xlsx.Columns {
		if hdr[3+i][0] != c.Header(lang) || hdr[3+nc+i][0] != c.ChangeHeader(lang) {
			t.Errorf("comparison column %d: %v / %v; want %q / %q", i, hdr[3+i][0], hdr[3+nc+i][0], c.Header(lang), c.ChangeHeader(lang))
		}
	}
	checked, years := 0, map[float64]bool{}
	ref := map[string]float64{}
	for i, row := range cmp.Rows[1:] {
		scope, fy, variant := row[0][0].(string), num(t, row[1], "year"), row[2][0].(string)
		years[fy] = true
		for k, c := range xlsx.Columns {
			key := fmt.Sprintf("%s|total|total|%d|%s|%s", variant, int(fy), scope, c.Indicator)
			want, ok := ts[key]
			if !ok && c.Indicator == "population" {
				// Population has rows of material all only.
				key = fmt.Sprintf("%s|total|total|%d|all|population", variant, int(fy))
				want, ok = ts[key]
			}
			if !ok {
				t.Fatalf("comparison row %d: no timeseries row %s", i+2, key)
			}
			got := num(t, row[3+k], key)
			if got != want {
				t.Errorf("comparison %s = %v; timeseries.csv %v", key, got, want)
			}
			if row[3+k][2] == "General" {
				t.Errorf("comparison %s has no number format", key)
			}
			rk := fmt.Sprintf("%s|%d|%s", scope, int(fy), c.Indicator)
			if _, ok := ref[rk]; !ok {
				ref[rk] = want // the first variant comes first
			}
			if ch := num(t, row[3+nc+k], key); math.Abs(ch-(want-ref[rk])) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("comparison change %s = %v; want %v", key, ch, want-ref[rk])
			}
			checked++
		}
	}
	if len(cmp.Rows)-1 < variants*len(years) || checked == 0 {
		t.Errorf("comparison: %d rows for %d variants × %d years", len(cmp.Rows)-1, variants, len(years))
	}
	// Yearly totals: every year of every variant.
	yr := d.Data[names["yearly"]]
	for _, row := range yr.Rows[1:] {
		scope, variant, fy := row[0][0].(string), row[1][0].(string), num(t, row[2], "year")
		for k, c := range xlsx.Columns {
			key := fmt.Sprintf("%s|total|total|%d|%s|%s", variant, int(fy), scope, c.Indicator)
			if c.Indicator == "population" {
				key = fmt.Sprintf("%s|total|total|%d|all|population", variant, int(fy))
			}
			if got, want := num(t, row[3+k], key), ts[key]; got != want {
				t.Errorf("yearly %s = %v; timeseries.csv %v", key, got, want)
			}
		}
	}
	// Municipalities: each region in the report years, where
	// timeseries.csv has region rows of that indicator.
	mun := d.Data[names["regions"]]
	n := 0
	for _, row := range mun.Rows[1:] {
		code, scope, variant, fy := row[0][0].(string), row[4][0].(string), row[5][0].(string), num(t, row[6], "year")
		for k, c := range xlsx.Columns {
			key := fmt.Sprintf("%s|region|%s|%d|%s|%s", variant, code, int(fy), scope, c.Indicator)
			if want, ok := ts[key]; ok {
				n++
				if got := num(t, row[7+k], key); got != want {
					t.Errorf("municipalities %s = %v; timeseries.csv %v", key, got, want)
				}
			}
		}
	}
	if n == 0 {
		t.Errorf("municipalities: no cell matched a timeseries.csv region row")
	}
}

// TestWorkbookDefault: the embedded default's summary.xlsx, read back by
// openpyxl, equals timeseries.csv, in Japanese and English.
func TestWorkbookDefault(t *testing.T) {
	py := python(t)
	for _, lang := range []string{"ja", "en"} {
		out := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := run(t, "run", "-o", out, "--quiet", "--lang", lang); code != cli.ExitOK {
			t.Fatalf("run: exit %d\n%s", code, stderr)
		}
		checkWorkbook(t, py, out, lang, 4)
	}
	if code, _, stderr := run(t, "run", "-o", filepath.Join(t.TempDir(), "x"), "--lang", "fr"); code != cli.ExitUsage || !strings.Contains(stderr, "want ja or en") {
		t.Errorf("--lang fr: exit %d\n%s", code, stderr)
	}
}

// TestWorkbookSaitama is the acceptance case: scenarios/saitama-2050.yaml
// on the shared data.
func TestWorkbookSaitama(t *testing.T) {
	if testing.Short() {
		t.Skip("a full Saitama run")
	}
	data := testutil.DataDir(t)
	py := python(t)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := run(t, "run", filepath.Join("..", "..", "scenarios", "saitama-2050.yaml"), "--data", data, "-o", out, "--quiet")
	if code != cli.ExitOK {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	checkWorkbook(t, py, out, "ja", 2)
}
