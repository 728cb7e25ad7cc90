package report_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/circular-partners/junkan/internal/testutil"
	"github.com/circular-partners/junkan/output/chart"
	"github.com/circular-partners/junkan/output/report"
)

// TestMapAllJapan draws every one of the 1,741 municipalities of the
// SSDSE file: from its N03 polygon, or marked at its office when the
// simplified national file has none.
func TestMapAllJapan(t *testing.T) {
	needFont(t)
	data := testutil.DataDir(t)
	f, err := os.Open(filepath.Join(data, "jp_municipalities_ssdse_a_2026.csv"))
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
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	var regs []report.ManifestRegion
	values := map[string]float64{}
	for _, r := range rows[1:] {
		regs = append(regs, report.ManifestRegion{Code: r[col["code5"]], Name: r[col["municipality_name"]], Prefecture: r[col["pref_name"]]})
		values[r[col["code5"]]] = float64(len(regs) % 7)
	}
	if len(regs) != 1741 {
		t.Fatalf("%d municipalities in the SSDSE file, want 1741", len(regs))
	}
	geoms, err := report.LoadBoundaries(filepath.Join(data, "jp_municipal_boundaries_n03_2021_s0001_designated_city.geojson"), "N03_007")
	if err != nil {
		t.Fatal(err)
	}
	points, err := report.LoadPoints(filepath.Join(data, "jp_municipal_offices.csv"))
	if err != nil {
		t.Fatal(err)
	}
	without := 0
	for _, g := range regs {
		if geoms[g.Code] == nil {
			without++
		}
	}
	m := &chart.Map{Title: "全国", Quantity: "値", Unit: "t", Areas: report.MunicipalityAreas(regs, values, geoms, points)}
	st, err := chart.NewStyle("ja", "")
	if err != nil {
		t.Fatal(err)
	}
	svg, _, err := chart.Render(m, st, 11*vg.Inch, 10*vg.Inch, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if m.DrawnPolygons+m.DrawnPoints != 1741 || m.NotDrawn != 0 || m.DrawnPoints != without || without == 0 {
		t.Errorf("drawn %d polygons + %d points (%d not drawn), want %d + %d", m.DrawnPolygons, m.DrawnPoints, m.NotDrawn, 1741-without, without)
	}
	if !strings.Contains(string(svg), "境界データなし") {
		t.Error("legend does not mark the municipalities without a boundary")
	}
	if d := os.Getenv("JUNKAN_FIGURES"); d != "" {
		png, _, _ := chart.Render(m, st, 11*vg.Inch, 10*vg.Inch, "png")
		os.WriteFile(filepath.Join(d, "map_japan.png"), png, 0o644)
	}
}

// TestMapsSaitama: the report of the Saitama run has the municipality map
// (63 polygons) and the block map with facilities and hauls.
func TestMapsSaitama(t *testing.T) {
	needFont(t)
	dir := saitama(t)
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Blocks == nil || len(r.Blocks.Facilities) == 0 || len(r.Blocks.Hauls) == 0 {
		t.Fatalf("Saitama run without blocks, facilities or hauls: %+v", r.Blocks)
	}
	fd := os.Getenv("JUNKAN_FIGURES")
	var buf strings.Builder
	if err := report.Write(&buf, []*report.Run{r}, report.Options{FigureDir: fd}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	maps := html[strings.Index(html, `<section id="maps">`):]
	maps = maps[:strings.Index(maps, "</section>")]
	if n := strings.Count(maps, "<svg"); n != 2 {
		t.Errorf("%d maps, want the municipality map and the block map", n)
	}
	for _, want := range []string{"広域化ブロック", "施設（面積∝能力 t/日）", "搬入（直線）", "正距円筒図法"} {
		if !strings.Contains(maps, want) {
			t.Errorf("maps lack %q", want)
		}
	}
}
