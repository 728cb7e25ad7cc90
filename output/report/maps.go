package report

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/circular-partners/junkan/output/chart"
	"github.com/circular-partners/junkan/regions"
)

// MunicipalityAreas returns the map areas of the run's regions: boundary
// from geoms (code → Polygon or MultiPolygon) when present, else the point
// from points; values by code (NaN when absent).
func MunicipalityAreas(regs []ManifestRegion, values map[string]float64, geoms map[string]orb.Geometry, points map[string]orb.Point) []chart.Area {
	out := make([]chart.Area, 0, len(regs))
	for _, g := range regs {
		a := chart.Area{Code: g.Code, Name: g.Name, Prefecture: g.Prefecture, Value: math.NaN(), Group: -1}
		if v, ok := values[g.Code]; ok {
			a.Value = v
		}
		switch gm := geoms[g.Code].(type) {
		case orb.Polygon:
			a.Geom = orb.MultiPolygon{gm}
		case orb.MultiPolygon:
			a.Geom = gm
		}
		if p, ok := points[g.Code]; ok {
			a.Point, a.HasPoint = p, true
		}
		out = append(out, a)
	}
	return out
}

// LoadBoundaries reads municipal boundaries (GeoJSON, lon/lat) keyed by the
// string property codeProperty (N03_007 in the N03 files); features with
// null geometry or no code are skipped, split municipalities merged.
func LoadBoundaries(path, codeProperty string) (map[string]orb.Geometry, error) {
	if codeProperty == "" {
		codeProperty = "N03_007"
	}
	g, _, err := regions.LoadBoundariesWith(path, codeProperty, regions.LenientBoundaryOptions())
	return g, err
}

// LoadPoints reads municipal locations from a CSV with columns for the
// code (code5 or code) and lon, lat in decimal degrees, such as
// jp_municipal_offices.csv.
func LoadPoints(path string) (map[string]orb.Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ci, xi, yi := -1, -1, -1
	for i, h := range head {
		switch strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") {
		case "code5", "code":
			if ci < 0 {
				ci = i
			}
		case "lon", "longitude":
			xi = i
		case "lat", "latitude":
			yi = i
		}
	}
	if ci < 0 || xi < 0 || yi < 0 {
		return nil, fmt.Errorf("%s: no code5/code, lon and lat columns", path)
	}
	out := map[string]orb.Point{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) <= max(ci, xi, yi) {
			continue
		}
		x, e1 := strconv.ParseFloat(rec[xi], 64)
		y, e2 := strconv.ParseFloat(rec[yi], 64)
		if e1 != nil || e2 != nil || x < -180 || x > 180 || y < -90 || y > 90 {
			continue
		}
		out[rec[ci]] = orb.Point{x, y}
	}
	return out, nil
}

// input returns the path of the run's input of role, or "".
func (r *Run) input(role string) string {
	for _, in := range r.Manifest.Inputs {
		if in.Role == role {
			return in.Path
		}
	}
	return ""
}

var mapNames = map[string][2]string{
	"waste_per_capita": {"1人1日当たりごみ排出量", "Waste per capita"}, "recycling_rate": {"リサイクル率", "Recycling rate"},
	"final_disposal": {"最終処分量", "Final disposal"}, "cost_per_capita": {"1人当たり処理費用", "Cost per capita"},
	"ghg_net": {"温室効果ガス排出量（正味）", "GHG net"}, "waste_generated": {"ごみ総排出量", "Waste generated"}, "population": {"人口", "Population"},
}

func (b *builder) secMaps() (section, error) {
	st := b.st
	s := section{ID: "maps", Title: st.T("地図", "Maps")}
	ind := b.opt.MapIndicator
	if ind == "" {
		ind = "waste_per_capita"
	}
	var notes []string
	for _, r := range b.runs {
		geoms := map[string]orb.Geometry{}
		bpath := b.opt.Boundaries
		if bpath == "" {
			bpath = r.input("boundaries")
		}
		if bpath != "" {
			g, err := LoadBoundaries(bpath, b.opt.BoundaryCode)
			if err != nil {
				notes = append(notes, st.T("境界ファイルを読めません: ", "boundaries not read: ")+err.Error())
			} else {
				geoms = g
			}
		} else {
			notes = append(notes, st.T("境界ファイルの指定なし（--boundaries）。役場位置のみ描画。", "no boundary file (--boundaries); office points only."))
		}
		points := map[string]orb.Point{}
		if lp := r.input("locations"); lp != "" {
			if p, err := LoadPoints(lp); err == nil {
				points = p
			}
		}
		if r.Blocks != nil {
			for _, m := range r.Blocks.Municipalities {
				points[m.Code] = m.At
			}
		}
		variant := r.Variants[0]
		y := r.Years[len(r.Years)-1]
		yi := r.YearIndex(y)
		values := map[string]float64{}
		for _, g := range r.Manifest.Regions {
			if ser := r.Get(Key{variant, "region", g.Code, "all", ind}); ser != nil {
				values[g.Code] = ser[yi]
			}
		}
		nm, ok := mapNames[ind]
		if !ok {
			nm = [2]string{ind, ind}
		}
		q := st.T(nm[0], nm[1])
		title := fmt.Sprintf(st.T("%s（%s、FY%d、市区町村別）", "%s (%s, FY%d, by municipality)"), q, variant, y)
		if len(b.runs) > 1 {
			title = r.Name + ": " + title
		}
		m := &chart.Map{Title: title, Quantity: q, Unit: r.Units[ind], Areas: MunicipalityAreas(r.Manifest.Regions, values, geoms, points)}
		if len(values) == 0 {
			notes = append(notes, fmt.Sprintf(st.T("timeseries.csv に地域別の %s がありません（outputs.region_indicators）。", "timeseries.csv has no region rows of %s (outputs.region_indicators)."), ind))
		}
		w, h := mapSize(m.Areas)
		f, err := b.fig(title, m, w, h)
		if err != nil {
			return s, err
		}
		s.Figures = append(s.Figures, f)
		if bm := r.Blocks; bm != nil {
			idx := map[string]int{}
			for i, fc := range bm.Facilities {
				idx[fc.Block] = i
			}
			group := map[string]int{}
			for _, mb := range bm.Municipalities {
				if k, ok := idx[mb.Block]; ok {
					group[mb.Code] = k
				}
			}
			bmap := &chart.Map{Title: fmt.Sprintf(st.T("広域化ブロック: %d ブロック・施設、搬入ルート", "Consolidation: %d blocks and facilities, hauls"), len(bm.Facilities)),
				Categorical: true, Areas: MunicipalityAreas(r.Manifest.Regions, nil, geoms, points)}
			if len(b.runs) > 1 {
				bmap.Title = r.Name + ": " + bmap.Title
			}
			for i := range bmap.Areas {
				if k, ok := group[bmap.Areas[i].Code]; ok {
					bmap.Areas[i].Group = k
				}
			}
			for _, fc := range bm.Facilities {
				bmap.Facilities = append(bmap.Facilities, chart.MapFacility{At: fc.At, CapacityTPerDay: fc.CapacityTPerDay, Existing: fc.Existing})
			}
			for _, hl := range bm.Hauls {
				bmap.Hauls = append(bmap.Hauls, chart.MapLine{From: hl.From, To: hl.To})
			}
			f, err := b.fig(bmap.Title, bmap, w, h)
			if err != nil {
				return s, err
			}
			s.Figures = append(s.Figures, f)
		}
	}
	s.Intro = st.T("市区町村の境界（国土数値情報 行政区域 N03 2021年1月1日、簡略化）で塗り分け（5分位）。太線は都道府県界と海岸線。境界のない市区町村は役場位置に▲。投影は正距円筒図法（経度に cos(中心緯度) を乗じる）で、距離・面積は図から計算していません。",
		"Municipalities filled from their boundaries (MLIT N03, 2021-01-01, simplified), in 5 quantile classes. Thick lines: prefecture borders and coasts. Municipalities without a boundary: ▲ at their office. Projection: equirectangular (longitude × cos of the central latitude); no distance or area is computed from the drawing.")
	if len(notes) > 0 {
		s.Body = template.HTML(`<p class="note">` + esc(strings.Join(notes, " ")) + "</p>")
	}
	return s, nil
}

// mapSize returns the figure size (inches) that fits the areas' shape.
func mapSize(areas []chart.Area) (w, h float64) {
	minLon, minLat, maxLon, maxLat := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, a := range areas {
		b := a.Geom.Bound()
		if len(a.Geom) == 0 {
			if !a.HasPoint {
				continue
			}
			b = a.Point.Bound()
		}
		minLon, minLat = math.Min(minLon, b.Min[0]), math.Min(minLat, b.Min[1])
		maxLon, maxLat = math.Max(maxLon, b.Max[0]), math.Max(maxLat, b.Max[1])
	}
	if !(maxLon > minLon) || !(maxLat > minLat) {
		return 9, 6
	}
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	ratio := (maxLat - minLat) / ((maxLon - minLon) * k) // height / width of the map
	w = 11
	mapW := w - 2.1
	h = math.Min(10, math.Max(4.5, mapW*ratio+0.8))
	return w, h
}
