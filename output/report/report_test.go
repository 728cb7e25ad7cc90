package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/internal/testutil"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/output/chart"
	"github.com/circular-partners/junkan/output/report"
)

func needFont(t *testing.T) {
	t.Helper()
	if chart.FindFont() == "" {
		if os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" {
			t.Fatalf("no CJK font; install %s", chart.FontPackage)
		}
		t.Skipf("no CJK font (install %s)", chart.FontPackage)
	}
}

// runScenario runs junkan into a new directory and returns it.
func runScenario(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	var so, se bytes.Buffer
	if code := cli.Main(append([]string{"run", "-o", out}, args...), &so, &se); code != 0 {
		t.Fatalf("junkan run %v: exit %d: %s", args, code, se.String())
	}
	return out
}

var (
	saitamaOnce sync.Once
	saitamaDir  string
)

// saitama runs scenarios/saitama-2050.yaml once for the package's tests.
func saitama(t *testing.T) string {
	t.Helper()
	data := testutil.DataDir(t)
	saitamaOnce.Do(func() {
		dir, err := os.MkdirTemp("", "junkan-report-saitama-")
		if err != nil {
			t.Fatal(err)
		}
		saitamaDir = filepath.Join(dir, "out")
		var so, se bytes.Buffer
		if code := cli.Main([]string{"run", "../../scenarios/saitama-2050.yaml", "-o", saitamaDir, "--data", data}, &so, &se); code != 0 {
			t.Fatalf("junkan run saitama: exit %d: %s", code, se.String())
		}
	})
	if saitamaDir == "" {
		t.Fatal("saitama run failed earlier")
	}
	return saitamaDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if saitamaDir != "" {
		os.RemoveAll(filepath.Dir(saitamaDir))
	}
	os.Exit(code)
}

var sectionTitles = []string{"実行内容", "主要指標の比較", "主要指標の推移", "ごみの行き先（処理経路）", "地域類型別",
	"物質フロー（サンキー図）", "地図", "目標の達成度（CPs 形式）", "要素別の寄与（アトリビューション）", "基準年度の検証", "パラメータと出典"}

var headlineNames = []string{"1人1日当たりごみ排出量", "リサイクル率", "最終処分量", "焼却処理量", "1人当たり処理費用",
	"温室効果ガス排出量（正味）", "CE市場規模", "雇用", "入口側の循環利用率", "出口側の循環利用率"}

// externalRef finds a reference the browser would fetch: src, href,
// xlink:href, url(...), @import or srcset pointing anywhere but the page
// itself or a data: URI.
var externalRef = regexp.MustCompile(`(?i)(?:\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)|url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)|@import)`)

// CheckSelfContained fails if html refers to anything outside itself
// (data: URIs allowed) or has a script.
func checkSelfContained(t *testing.T, html string) {
	t.Helper()
	for _, m := range externalRef.FindAllStringIndex(html, -1) {
		frag := html[m[0]:min(len(html), m[1]+20)]
		if strings.Contains(strings.ToLower(frag), "data:image/png;base64") || strings.Contains(strings.ToLower(frag), "data:image/jpg;base64") {
			continue
		}
		t.Errorf("external reference in the report: %q", frag)
	}
	if strings.Contains(strings.ToLower(html), "<script") {
		t.Error("the report has a script")
	}
}

func TestReportSaitama(t *testing.T) {
	needFont(t)
	dir := saitama(t)
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, []*report.Run{r}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, s := range sectionTitles {
		if !strings.Contains(html, "<h2>"+s+"</h2>") {
			t.Errorf("section %q missing", s)
		}
	}
	checkSelfContained(t, html)
	// One chart per headline indicator in the trends section.
	trends := html[strings.Index(html, `<section id="trends">`):]
	trends = trends[:strings.Index(trends, "</section>")]
	for _, n := range headlineNames {
		if !strings.Contains(trends, "<figcaption>"+n) {
			t.Errorf("no chart for %s", n)
		}
	}
	if n := strings.Count(trends, "<svg"); n != len(headlineNames) {
		t.Errorf("%d charts in the trends section, want %d", n, len(headlineNames))
	}
	checkTable(t, html, filepath.Join(dir, output.SummaryFile))
}

// checkTable checks that every base- and end-year cell of the headline
// table equals summary.json (MSW scope when present) exactly, and the
// differences equal end-year minus the first variant's.
func checkTable(t *testing.T, html, summaryPath string) {
	t.Helper()
	b, err := os.ReadFile(summaryPath)
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Variants []struct {
			Name     string `json:"name"`
			BaseYear int    `json:"base_year"`
			EndYear  int    `json:"end_year"`
			Total    struct {
				BaseYear map[string]float64 `json:"base_year"`
				EndYear  map[string]float64 `json:"end_year"`
			} `json:"total"`
			TotalMSW *struct {
				BaseYear map[string]float64 `json:"base_year"`
				EndYear  map[string]float64 `json:"end_year"`
			} `json:"total_msw"`
		} `json:"variants"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`<tr data-variant="([^"]*)" data-year="(\d+)"( data-diff="1")?>(.*?)</tr>`)
	cell := regexp.MustCompile(`data-key="([a-z0-9_]+)" data-value="([^"]*)"`)
	keys := []string{"waste_per_capita_g_per_day", "recycling_rate_pct", "final_disposal_t", "incinerated_t", "cost_per_capita_jpy",
		"ghg_net_tco2e", "ce_market_jpy", "jobs_fte", "inlet_circular_use_rate_pct", "outlet_circular_use_rate_pct"}
	checked := 0
	for _, m := range row.FindAllStringSubmatch(html, -1) {
		name, year, diff := m[1], m[2], m[3] != ""
		var base, end, first map[string]float64
		var fy0, fy1 int
		for i, v := range sum.Variants {
			b, e := v.Total.BaseYear, v.Total.EndYear
			if v.TotalMSW != nil {
				b, e = v.TotalMSW.BaseYear, v.TotalMSW.EndYear
			}
			if i == 0 {
				first = e
			}
			if v.Name == name {
				base, end, fy0, fy1 = b, e, v.BaseYear, v.EndYear
			}
		}
		if base == nil {
			t.Errorf("table row of unknown variant %q", name)
			continue
		}
		y, _ := strconv.Atoi(year)
		var want map[string]float64
		switch {
		case diff:
			want = map[string]float64{}
			for _, k := range keys {
				want[k] = end[k] - first[k]
			}
		case y == fy0:
			want = base
		case y == fy1:
			want = end
		default:
			continue
		}
		cells := cell.FindAllStringSubmatch(m[4], -1)
		if len(cells) != len(keys) {
			t.Errorf("row %s %s: %d cells, want %d", name, year, len(cells), len(keys))
		}
		for _, c := range cells {
			got, err := strconv.ParseFloat(c[2], 64)
			if err != nil || got != want[c[1]] {
				t.Errorf("row %s FY%s diff=%v %s = %s, summary.json %v", name, year, diff, c[1], c[2], want[c[1]])
			}
			checked++
		}
	}
	if want := len(sum.Variants) * 3 * len(keys); checked != want {
		t.Errorf("%d table cells checked, want %d", checked, want)
	}
}

// TestSankeySaitama checks the Sankey of the Saitama baseline FY2023: each
// band's tonnes equal the flows of timeseries.csv (read here on its own),
// widths are to scale, and the reuse and residue loops are drawn.
func TestSankeySaitama(t *testing.T) {
	needFont(t)
	dir := saitama(t)
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	flows := csvFlows(t, filepath.Join(dir, output.TimeseriesFile), "baseline", "2023")
	sk, idx, _, err := r.Sankey("ja", "baseline", 2023)
	if err != nil {
		t.Fatal(err)
	}
	st, err := chart.NewStyle("ja", "")
	if err != nil {
		t.Fatal(err)
	}
	lay, err := sk.Layout(11*vg.Inch, 6.2*vg.Inch, st)
	if err != nil {
		t.Fatal(err)
	}
	loops := map[string]bool{}
	for i, l := range sk.Links {
		def := report.SankeyLinks[idx[i]]
		want := 0.0
		var names []string
		for _, term := range def.Terms {
			v, ok := flows[term.Flow]
			if !ok {
				t.Fatalf("flow %s not in timeseries.csv", term.Flow)
			}
			want += term.Sign * v
			names = append(names, term.Flow)
		}
		if math.Abs(l.Value-want) > 1e-9*math.Max(1, want) {
			t.Errorf("link %s → %s: %v t, CSV %v t (%s)", sk.Nodes[l.From].Name, sk.Nodes[l.To].Name, l.Value, want, strings.Join(names, ", "))
		}
		if w := float64(lay.Width[i]) / lay.Scale; math.Abs(w-want) > 1e-6*math.Max(1, want) {
			t.Errorf("link %s → %s drawn %v t wide, CSV %v t", sk.Nodes[l.From].Name, sk.Nodes[l.To].Name, w, want)
		}
		if lay.Loop[i] {
			loops[names[0]] = true
		}
	}
	if !loops["reused"] || !loops["incinerated"] || len(loops) != 2 {
		t.Errorf("loops %v: want the reuse loop and residues → incineration", loops)
	}
	// The loops' tonnes by hand: residues back to incineration =
	// incinerated − (mixed − direct landfill − fuel/cement).
	back := flows["incinerated"] - (flows["mixed_collected"] - flows["direct_landfill"] - flows["fuel_cement_input"])
	if !(back > 0) || math.Abs(back-(flows["sorting_residue"]+flows["recycling_residue"]+flows["returned_residue"]-flows["residue_landfilled"])) > 1e-6*back {
		t.Errorf("residue loop %v t does not close with the residues", back)
	}
	svg, _, err := chart.Render(sk, st, 11*vg.Inch, 6.2*vg.Inch, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(svg), "ループ"); n != 2 {
		t.Errorf("%d loop labels drawn, want 2", n)
	}
	if !strings.Contains(string(svg), chart.FormatNumber(back, 0)+" t") {
		t.Errorf("residue loop label %s t not drawn", chart.FormatNumber(back, 0))
	}
}

// csvFlows reads the level total, material all rows of one variant and
// year from timeseries.csv.
func csvFlows(t *testing.T, path, variant, year string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.ReuseRecord = true
	out := map[string]float64{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec[0] == variant && rec[1] == "total" && rec[4] == year && rec[5] == "all" {
			v, err := strconv.ParseFloat(rec[7], 64)
			if err != nil {
				t.Fatal(err)
			}
			out[rec[6]] = v
		}
	}
	return out
}

// TestReportDefault reports on the embedded default (no data files), in
// Japanese and English, and compares two runs.
func TestReportDefault(t *testing.T) {
	needFont(t)
	a := runScenario(t)
	b := runScenario(t)
	ra, err := report.Load(a)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := report.Load(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ja", "en"} {
		var buf bytes.Buffer
		if err := report.Write(&buf, []*report.Run{ra}, report.Options{Lang: lang}); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		checkSelfContained(t, buf.String())
		if lang == "ja" {
			checkTable(t, buf.String(), filepath.Join(a, output.SummaryFile))
		}
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, []*report.Run{ra, rb}, report.Options{Format: "png"}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	checkSelfContained(t, html)
	if !strings.Contains(html, "シナリオ比較") || strings.Count(html, `<section id="trends">`) != 1 {
		t.Error("comparison page has no title or trends section")
	}
	if err := report.Write(&buf, []*report.Run{ra}, report.Options{Variants: []string{"no-such-variant"}}); err == nil {
		t.Error("unknown variant accepted")
	}
}

// TestWriteFileKeepsUserFiles: WriteFile replaces an earlier report but
// refuses a file (or directory) that it did not write, leaving it as it was.
func TestWriteFileKeepsUserFiles(t *testing.T) {
	needFont(t)
	r, err := report.Load(runScenario(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "r.html")
	for i := 0; i < 2; i++ { // new, then replacing its own
		if err := report.WriteFile(page, []*report.Run{r}, report.Options{}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	notes := filepath.Join(dir, "my-notes.txt")
	if err := os.WriteFile(notes, []byte("my notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{notes, dir} {
		if err := report.WriteFile(p, []*report.Run{r}, report.Options{}); !errors.Is(err, report.ErrNotReport) {
			t.Errorf("%s: got %v, want ErrNotReport", p, err)
		}
	}
	if b, _ := os.ReadFile(notes); string(b) != "my notes" {
		t.Errorf("user file changed: %q", b)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := report.Load(dir); err == nil || !strings.Contains(err.Error(), "summary.json") {
		t.Errorf("empty dir: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "summary.json"), []byte(`{"variants":[{"name":"baseline","base_year":2023,"end_year":2025}]}`), 0o644)
	if _, err := report.Load(dir); err == nil || !strings.Contains(err.Error(), "timeseries.csv") {
		t.Errorf("no timeseries: %v", err)
	}
	// A run with outputs.format: parquet is a junkan output: say what is
	// missing and how to get it (was "not a junkan output directory").
	os.WriteFile(filepath.Join(dir, "timeseries.parquet"), []byte("PAR1"), 0o644)
	want := "has timeseries.parquet but no timeseries.csv: the report reads the CSV; run the scenario again with outputs.format: both (or csv)"
	if _, err := report.Load(dir); err == nil || !strings.Contains(err.Error(), want) || errors.Is(err, report.ErrNotRun) {
		t.Errorf("parquet only: %v; want %q", err, want)
	}
	os.Remove(filepath.Join(dir, "timeseries.parquet"))
	os.WriteFile(filepath.Join(dir, "timeseries.csv"), []byte("scenario,level\nx\n"), 0o644)
	if _, err := report.Load(dir); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad header: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "timeseries.csv"), []byte("scenario,level,region,archetype,year,material,indicator,value,unit\nbaseline,total,total,all,2023,all,waste_generated,abc,t\n"), 0o644)
	if _, err := report.Load(dir); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad value: %v", err)
	}
}

// TestBatchBands: with a batch's statistics.csv the charts draw p5–p95
// bands around the median.
func TestBatchBands(t *testing.T) {
	needFont(t)
	a := runScenario(t)
	r, err := report.Load(a)
	if err != nil {
		t.Fatal(err)
	}
	bd := t.TempDir()
	m := r.Scope()
	csvText := "scenario,level,region,archetype,year,material,indicator,unit,n,mean,p5,p50,p95\n" +
		"baseline,total,total,all,2023," + m + ",final_disposal,t,100,10,9,10,11\n" +
		"baseline,total,total,all,2024," + m + ",final_disposal,t,100,10,8,10,12\n"
	os.WriteFile(filepath.Join(bd, "statistics.csv"), []byte(csvText), 0o644)
	if err := r.LoadBatch(bd); err != nil {
		t.Fatal(err)
	}
	b := r.Batch[report.Key{Variant: "baseline", Level: "total", Scope: "total", Material: m, Indicator: "final_disposal"}]
	if len(b.P95) < 2 || b.P95[1] != 12 || b.P5[0] != 9 {
		t.Fatalf("band %+v", b)
	}
	// Bands of 10 t against the run's final disposal: not this scenario's
	// batch; bands at the run's own base-year value: no note.
	if note := r.BatchMismatch(); !strings.Contains(note, "all 1 series") || !strings.Contains(note, "final_disposal in 2023: median 10") {
		t.Errorf("mismatch note %q", note)
	}
	k := report.Key{Variant: "baseline", Level: "total", Scope: "total", Material: m, Indicator: "final_disposal"}
	own := r.Series[k][0]
	r.Batch[k].P50[0] = own * 1.1
	if note := r.BatchMismatch(); note != "" {
		t.Errorf("a median 10 %% above the run's value: note %q", note)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, []*report.Run{r}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "p5–p95") {
		t.Error("no band note")
	}
	os.WriteFile(filepath.Join(bd, "statistics.csv"), []byte("scenario,level\n"), 0o644)
	if err := r.LoadBatch(bd); err == nil {
		t.Error("statistics.csv without p5/p50/p95 accepted")
	}
	// A directory without statistics.csv, or a shard's partial, is named
	// with what to give instead (was Go's "open …: no such file or directory").
	os.Remove(filepath.Join(bd, "statistics.csv"))
	want := "report: " + bd + " has no statistics.csv: the bands come from the output directory of junkan batch or junkan merge"
	if err := r.LoadBatch(bd); err == nil || err.Error() != want {
		t.Errorf("no statistics.csv: %v; want %q", err, want)
	}
	os.WriteFile(filepath.Join(bd, "partial.bin"), []byte("x"), 0o644)
	want = "report: " + bd + " is one shard's partial result: merge the shards first (junkan merge part-1 … -o DIR) and give DIR"
	if err := r.LoadBatch(bd); err == nil || err.Error() != want {
		t.Errorf("a partial: %v; want %q", err, want)
	}
}
