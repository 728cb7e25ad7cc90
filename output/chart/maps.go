package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Area is one municipality of a map: its boundary (nil when the boundary
// file has none) and/or a point (office location) where it is marked
// instead; Value colours it (NaN: no value).
type Area struct {
	Code, Name, Prefecture string
	Geom                   orb.MultiPolygon
	Point                  orb.Point
	HasPoint               bool
	Value                  float64
	Group                  int // block index for categorical maps (-1: none)
}

// MapFacility is a shared facility of a block map.
type MapFacility struct {
	At              orb.Point
	CapacityTPerDay float64
	Existing        bool
}

// MapLine is a haul from a municipality to its facility.
type MapLine struct{ From, To orb.Point }

// Map draws municipalities from their boundary polygons, filled by Value
// in quantile classes (or by Group when Categorical), prefecture outlines,
// and optionally facilities sized by capacity and haul lines. Areas
// without a boundary are marked at their point with a triangle. The
// projection is equirectangular scaled by cos(lat0) at the map's mean
// latitude; the scale bar is measured with great-circle distances.
type Map struct {
	Title       string
	Quantity    string
	Unit        string
	Areas       []Area
	Categorical bool // colour by Group (blocks) instead of Value
	Facilities  []MapFacility
	Hauls       []MapLine
	// Drawn counts, set by Draw: areas drawn as polygons, as points, and
	// not drawn (neither boundary nor point).
	DrawnPolygons, DrawnPoints, NotDrawn int
}

// sequential classes, light to dark (ColorBrewer YlGnBu 5).
var classColors = []color.RGBA{{0xff, 0xff, 0xcc, 255}, {0xa1, 0xda, 0xb4, 255}, {0x41, 0xb6, 0xc4, 255}, {0x2c, 0x7f, 0xb8, 255}, {0x25, 0x34, 0x94, 255}}

var noData = color.RGBA{0xe0, 0xe0, 0xe0, 255}

// breaks returns the upper limits of up to 5 quantile classes of vs.
func breaks(vs []float64) []float64 {
	var xs []float64
	for _, v := range vs {
		if finite(v) {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	var bs []float64
	for k := 1; k <= 5; k++ {
		i := int(math.Ceil(float64(k)*float64(len(xs))/5)) - 1
		b := xs[max(0, min(i, len(xs)-1))]
		if len(bs) == 0 || b > bs[len(bs)-1] {
			bs = append(bs, b)
		}
	}
	return bs
}

func classOf(v float64, bs []float64) int {
	for i, b := range bs {
		if v <= b {
			return i
		}
	}
	return len(bs) - 1
}

// Draw implements [Figure].
func (m *Map) Draw(c draw.Canvas, st *Style) ([]string, error) {
	var notes []string
	m.DrawnPolygons, m.DrawnPoints, m.NotDrawn = 0, 0, 0
	// Bounding box in degrees.
	minLon, minLat, maxLon, maxLat := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(p orb.Point) {
		if finite(p[0]) && finite(p[1]) {
			minLon, maxLon = math.Min(minLon, p[0]), math.Max(maxLon, p[0])
			minLat, maxLat = math.Min(minLat, p[1]), math.Max(maxLat, p[1])
		}
	}
	for _, a := range m.Areas {
		for _, pg := range a.Geom {
			for _, ring := range pg {
				for _, p := range ring {
					grow(p)
				}
			}
		}
		if a.Geom == nil && a.HasPoint {
			grow(a.Point)
		}
	}
	for _, f := range m.Facilities {
		grow(f.At)
	}
	ts := textStyle(st, sizeTitle, color.Black)
	ts.XAlign = draw.XCenter
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - ts.Rectangle(m.Title).Size().Y}, m.Title)
	c = draw.Crop(c, 0, 0, 0, -vg.Points(sizeTitle*2))
	if !(maxLon >= minLon) || !(maxLat >= minLat) {
		m.NotDrawn = len(m.Areas)
		drawMessage(c, st, "", st.T("地図にできる位置・境界がありません", "no boundaries or locations to map"))
		return []string{st.T("位置・境界なし", "no locations")}, nil
	}
	lat0 := (minLat + maxLat) / 2
	k := math.Cos(lat0 * math.Pi / 180)
	// Legend column on the right.
	legendW := vg.Points(150)
	mc := draw.Crop(c, 0, -legendW, vg.Points(22), 0)
	w, h := float64(mc.Max.X-mc.Min.X), float64(mc.Max.Y-mc.Min.Y)
	spanX, spanY := math.Max((maxLon-minLon)*k, 1e-6), math.Max(maxLat-minLat, 1e-6)
	scale := math.Min(w/spanX, h/spanY) // points per projected degree
	ox := float64(mc.Min.X) + (w-spanX*scale)/2
	oy := float64(mc.Min.Y) + (h-spanY*scale)/2
	proj := func(p orb.Point) vg.Point {
		return vg.Point{X: vg.Length(ox + (p[0]-minLon)*k*scale), Y: vg.Length(oy + (p[1]-minLat)*scale)}
	}
	var vals []float64
	for _, a := range m.Areas {
		vals = append(vals, a.Value)
	}
	bs := breaks(vals)
	fill := func(a *Area) color.Color {
		if m.Categorical {
			if a.Group < 0 {
				return noData
			}
			c := VariantColor(a.Group)
			return color.NRGBA{c.R, c.G, c.B, 150}
		}
		if !finite(a.Value) || len(bs) == 0 {
			return noData
		}
		return classColors[classOf(a.Value, bs)+5-len(bs)]
	}
	edge := draw.LineStyle{Color: color.RGBA{0xff, 0xff, 0xff, 255}, Width: vg.Points(0.25)}
	if len(m.Areas) < 200 {
		edge = draw.LineStyle{Color: color.RGBA{0x88, 0x88, 0x88, 255}, Width: vg.Points(0.4)}
	}
	// Prefecture outlines: ring edges that no other municipality of the
	// same prefecture shares (the coast and the borders with others).
	type seg struct{ a, b [2]int64 }
	key := func(p orb.Point) [2]int64 {
		return [2]int64{int64(math.Round(p[0] * 1e6)), int64(math.Round(p[1] * 1e6))}
	}
	segs := map[string]map[seg]int{}
	var missing []string
	for i := range m.Areas {
		a := &m.Areas[i]
		if len(a.Geom) == 0 {
			continue
		}
		var p vg.Path
		for _, pg := range a.Geom {
			for _, ring := range pg {
				if len(ring) < 3 {
					continue
				}
				for j, q := range ring {
					if j == 0 {
						p.Move(proj(q))
					} else {
						p.Line(proj(q))
					}
				}
				p.Close()
				if segs[a.Prefecture] == nil {
					segs[a.Prefecture] = map[seg]int{}
				}
				for j := 1; j < len(ring); j++ {
					s1, s2 := key(ring[j-1]), key(ring[j])
					if s2[0] < s1[0] || (s2[0] == s1[0] && s2[1] < s1[1]) {
						s1, s2 = s2, s1
					}
					segs[a.Prefecture][seg{s1, s2}]++
				}
			}
		}
		c.SetColor(fill(a))
		c.Fill(p)
		c.SetLineStyle(edge)
		c.Stroke(p)
		m.DrawnPolygons++
	}
	outline := draw.LineStyle{Color: color.RGBA{0x33, 0x33, 0x33, 255}, Width: vg.Points(0.7)}
	prefs := make([]string, 0, len(segs))
	for p := range segs {
		prefs = append(prefs, p)
	}
	sort.Strings(prefs)
	for _, pf := range prefs {
		ss := make([]seg, 0)
		for s, n := range segs[pf] {
			if n == 1 {
				ss = append(ss, s)
			}
		}
		slices.SortFunc(ss, func(x, y seg) int {
			for i := 0; i < 2; i++ {
				if x.a[i] != y.a[i] {
					return int(x.a[i] - y.a[i])
				}
			}
			for i := 0; i < 2; i++ {
				if x.b[i] != y.b[i] {
					return int(x.b[i] - y.b[i])
				}
			}
			return 0
		})
		for _, s := range ss {
			a := proj(orb.Point{float64(s.a[0]) / 1e6, float64(s.a[1]) / 1e6})
			b := proj(orb.Point{float64(s.b[0]) / 1e6, float64(s.b[1]) / 1e6})
			c.StrokeLine2(outline, a.X, a.Y, b.X, b.Y)
		}
	}
	// Hauls, then areas without a boundary, then facilities on top.
	for _, l := range m.Hauls {
		a, b := proj(l.From), proj(l.To)
		c.StrokeLine2(draw.LineStyle{Color: color.RGBA{0x44, 0x44, 0x44, 200}, Width: vg.Points(0.6)}, a.X, a.Y, b.X, b.Y)
	}
	for i := range m.Areas {
		a := &m.Areas[i]
		if len(a.Geom) > 0 {
			continue
		}
		if !a.HasPoint {
			m.NotDrawn++
			missing = append(missing, a.Name)
			continue
		}
		pt := proj(a.Point)
		c.DrawGlyph(draw.GlyphStyle{Color: fill(a), Radius: vg.Points(3.2), Shape: draw.TriangleGlyph{}}, pt)
		c.DrawGlyph(draw.GlyphStyle{Color: color.RGBA{0xd6, 0x27, 0x28, 255}, Radius: vg.Points(3.2), Shape: triangleRing{}}, pt)
		m.DrawnPoints++
	}
	maxCap := 0.0
	for _, f := range m.Facilities {
		maxCap = math.Max(maxCap, f.CapacityTPerDay)
	}
	radius := func(cp float64) vg.Length { // area ∝ capacity
		if maxCap <= 0 || !finite(cp) || cp < 0 {
			return vg.Points(3)
		}
		return vg.Points(2 + 10*math.Sqrt(cp/maxCap))
	}
	for _, f := range m.Facilities {
		col := color.RGBA{0xd6, 0x27, 0x28, 255}
		if f.Existing {
			col = color.RGBA{0x11, 0x11, 0x11, 255}
		}
		c.DrawGlyph(draw.GlyphStyle{Color: color.NRGBA{255, 255, 255, 170}, Radius: radius(f.CapacityTPerDay), Shape: draw.CircleGlyph{}}, proj(f.At))
		ring(c, proj(f.At), radius(f.CapacityTPerDay), col)
	}
	// Scale bar: 10, 20, 50 or 100 km, measured along the parallel lat0
	// with great-circle distances.
	kmPerDeg := geo.Distance(orb.Point{minLon, lat0}, orb.Point{minLon + 1, lat0}) / 1000 / k // km per projected degree
	bar := 100.0
	for _, b := range []float64{10, 20, 50, 100, 200} {
		if b/kmPerDeg*scale <= w/4 {
			bar = b
		}
	}
	bl := vg.Length(bar / kmPerDeg * scale)
	y0 := c.Min.Y + vg.Points(8)
	x0 := mc.Min.X + vg.Points(4)
	thick := draw.LineStyle{Color: color.Black, Width: vg.Points(2)}
	c.StrokeLine2(thick, x0, y0, x0+bl, y0)
	ls := textStyle(st, sizeNote, color.Black)
	c.FillText(ls, vg.Point{X: x0 + bl + vg.Points(4), Y: y0 - vg.Points(3)}, fmt.Sprintf("%g km", bar))
	ps := textStyle(st, 7, colGrey)
	c.FillText(ps, vg.Point{X: x0 + bl + vg.Points(40), Y: y0 - vg.Points(3)},
		st.T(fmt.Sprintf("正距円筒図法（経度×cos %.1f°）", lat0), fmt.Sprintf("equirectangular (lon × cos %.1f°)", lat0)))
	// Legend.
	lx := c.Max.X - legendW + vg.Points(8)
	ly := c.Max.Y - vg.Points(6)
	lt := textStyle(st, sizeLegend, color.Black)
	sw := func(col color.Color, label string) {
		c.FillPolygon(col, []vg.Point{{X: lx, Y: ly}, {X: lx + vg.Points(14), Y: ly}, {X: lx + vg.Points(14), Y: ly - vg.Points(10)}, {X: lx, Y: ly - vg.Points(10)}})
		c.FillText(lt, vg.Point{X: lx + vg.Points(18), Y: ly - vg.Points(9)}, label)
		ly -= vg.Points(15)
	}
	if !m.Categorical {
		sc := st.ScaleFor(m.Unit, math.Max(math.Abs(firstOr(bs, 0)), math.Abs(lastOr(bs, 0))))
		c.FillText(lt, vg.Point{X: lx, Y: ly - vg.Points(9)}, axisLabel(m.Quantity, sc.Unit))
		ly -= vg.Points(16)
		lo := math.Inf(1)
		for _, v := range vals {
			if finite(v) {
				lo = math.Min(lo, v)
			}
		}
		dec := 0
		if len(bs) > 0 {
			dec = decimalsFor((lastOr(bs, 0) - lo) / sc.Div / 20)
		}
		prev := lo
		for i, b := range bs {
			sw(classColors[i+5-len(bs)], FormatNumber(prev/sc.Div, dec)+" – "+FormatNumber(b/sc.Div, dec))
			prev = b
		}
		sw(noData, st.T("値なし", "no value"))
	} else {
		c.FillText(lt, vg.Point{X: lx, Y: ly - vg.Points(9)}, st.T("ブロック（色は区別のみ）", "blocks (colours only tell apart)"))
		ly -= vg.Points(16)
	}
	if m.DrawnPoints > 0 {
		c.DrawGlyph(draw.GlyphStyle{Color: color.RGBA{0xd6, 0x27, 0x28, 255}, Radius: vg.Points(3.2), Shape: triangleRing{}}, vg.Point{X: lx + vg.Points(7), Y: ly - vg.Points(5)})
		c.FillText(lt, vg.Point{X: lx + vg.Points(18), Y: ly - vg.Points(9)}, st.T(fmt.Sprintf("境界データなし（役場位置）%d", m.DrawnPoints), fmt.Sprintf("no boundary (office) %d", m.DrawnPoints)))
		ly -= vg.Points(15)
	}
	if len(m.Facilities) > 0 {
		ly -= vg.Points(6)
		c.FillText(lt, vg.Point{X: lx, Y: ly - vg.Points(9)}, st.T("施設（面積∝能力 t/日）", "facilities (area ∝ t/day)"))
		ly -= vg.Points(14)
		for _, cp := range []float64{maxCap, maxCap / 4} {
			r := radius(cp)
			ring(c, vg.Point{X: lx + vg.Points(12), Y: ly - r}, r, color.Black)
			c.FillText(lt, vg.Point{X: lx + vg.Points(28), Y: ly - r - vg.Points(4)}, FormatNumber(cp, 0)+st.T(" t/日", " t/day"))
			ly -= 2*r + vg.Points(6)
		}
		ring(c, vg.Point{X: lx + vg.Points(7), Y: ly - vg.Points(5)}, vg.Points(4), color.Black)
		c.FillText(lt, vg.Point{X: lx + vg.Points(18), Y: ly - vg.Points(9)}, st.T("既存施設", "existing plant"))
		ly -= vg.Points(14)
		ring(c, vg.Point{X: lx + vg.Points(7), Y: ly - vg.Points(5)}, vg.Points(4), color.RGBA{0xd6, 0x27, 0x28, 255})
		c.FillText(lt, vg.Point{X: lx + vg.Points(18), Y: ly - vg.Points(9)}, st.T("新設", "new site"))
		ly -= vg.Points(14)
		if len(m.Hauls) > 0 {
			c.StrokeLine2(draw.LineStyle{Color: color.RGBA{0x44, 0x44, 0x44, 200}, Width: vg.Points(0.6)}, lx, ly-vg.Points(5), lx+vg.Points(14), ly-vg.Points(5))
			c.FillText(lt, vg.Point{X: lx + vg.Points(18), Y: ly - vg.Points(9)}, st.T("搬入（直線）", "haul (straight line)"))
		}
	}
	if m.NotDrawn > 0 {
		n := fmt.Sprintf(st.T("境界も位置もない %d 市区町村は描画なし", "%d municipalities without boundary or location not drawn"), m.NotDrawn)
		if len(missing) <= 5 {
			n += ": " + fmt.Sprint(missing)
		}
		notes = append(notes, n)
	}
	return notes, nil
}

func firstOr(xs []float64, d float64) float64 {
	if len(xs) == 0 {
		return d
	}
	return xs[0]
}

func lastOr(xs []float64, d float64) float64 {
	if len(xs) == 0 {
		return d
	}
	return xs[len(xs)-1]
}

// triangleRing is an unfilled triangle glyph.
type triangleRing struct{}

func (triangleRing) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(0.8)})
	r := sty.Radius + (sty.Radius-sty.Radius*vg.Length(math.Sin(math.Pi/6)))/2
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X - r*vg.Length(math.Cos(math.Pi/6)), Y: pt.Y - r*vg.Length(math.Sin(math.Pi/6))})
	p.Line(vg.Point{X: pt.X + r*vg.Length(math.Cos(math.Pi/6)), Y: pt.Y - r*vg.Length(math.Sin(math.Pi/6))})
	p.Close()
	c.Stroke(p)
}

// ring strokes a circle of radius r at pt, 1.6 pt wide.
func ring(c draw.Canvas, pt vg.Point, r vg.Length, col color.Color) {
	c.SetLineStyle(draw.LineStyle{Color: col, Width: vg.Points(1.6)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Arc(pt, r, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}
