package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// rects is a plotter of filled rectangles in data coordinates, with an
// optional label at the end of each.
type rects struct {
	r      []rect
	labels bool
	st     *Style
}

type rect struct {
	x0, x1, y0, y1 float64
	fill           color.Color
	label          string
}

func (rs *rects) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	ts := textStyle(rs.st, sizeNote, color.Black)
	ts.YAlign = draw.YCenter
	for _, r := range rs.r {
		if !finite(r.x0) || !finite(r.x1) || !finite(r.y0) || !finite(r.y1) {
			continue
		}
		pts := []vg.Point{{X: tx(r.x0), Y: ty(r.y0)}, {X: tx(r.x1), Y: ty(r.y0)}, {X: tx(r.x1), Y: ty(r.y1)}, {X: tx(r.x0), Y: ty(r.y1)}}
		c.FillPolygon(r.fill, c.ClipPolygonXY(pts))
		if rs.labels && r.label != "" {
			x := math.Max(r.x0, r.x1)
			pt := vg.Point{X: tx(x) + vg.Points(3), Y: (ty(r.y0) + ty(r.y1)) / 2}
			if c.Contains(pt) {
				c.FillText(ts, pt, r.label)
			}
		}
	}
}

func (rs *rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, r := range rs.r {
		for _, x := range []float64{r.x0, r.x1} {
			if finite(x) {
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
		for _, y := range []float64{r.y0, r.y1} {
			if finite(y) {
				ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
			}
		}
	}
	return
}

// Achievement draws targets' achievement (%) as horizontal bars over the
// Circular Partners' bands 0–19, 20–39, 40–59, 60–79, 80–99 and 100 %.
type Achievement struct {
	Title string
	Rows  []AchievementRow
}

// AchievementRow is one bar: a target in one variant.
type AchievementRow struct {
	Label string
	Pct   float64
	Index int // colour index
}

// Draw implements [Figure].
func (a *Achievement) Draw(c draw.Canvas, st *Style) ([]string, error) {
	var notes []string
	if len(a.Rows) == 0 {
		drawMessage(c, st, a.Title, st.T("目標なし", "no targets"))
		return nil, nil
	}
	lo, hi := 0.0, 110.0
	bad := 0
	names := make([]string, len(a.Rows))
	rs := &rects{labels: true, st: st}
	n := len(a.Rows)
	for i, row := range a.Rows {
		names[n-1-i] = row.Label
		y := float64(n - 1 - i)
		v := row.Pct
		if !finite(v) {
			bad++
			continue
		}
		disp := math.Max(-50, math.Min(v, 200))
		lo, hi = math.Min(lo, disp-5), math.Max(hi, disp+15)
		rs.r = append(rs.r, rect{0, disp, y - 0.35, y + 0.35, VariantColor(row.Index), FormatNumber(v, 0) + "%"})
	}
	if bad > 0 {
		notes = append(notes, leftOut(st, bad, st.T("NaN・無限大", "NaN or infinite")))
	}
	c = drawNotes(c, st, notes)
	p := newPlot(st, a.Title, st.T("達成度 (%)", "achievement (%)"), "")
	p.NominalY(names...)
	p.Y.Tick.Label.Font = st.Size(7.5)
	bands := &rects{st: st}
	shades := []color.Color{color.RGBA{0xf7, 0xf7, 0xf7, 255}, color.RGBA{0xea, 0xea, 0xea, 255}}
	for k := 0; k < 5; k++ {
		bands.r = append(bands.r, rect{float64(20 * k), float64(20*k + 20), -0.5, float64(n) - 0.5, shades[k%2], ""})
	}
	bands.r = append(bands.r, rect{100, math.Max(hi, 110), -0.5, float64(n) - 0.5, color.RGBA{0xdf, 0xf0, 0xdf, 255}, ""})
	p.Add(bands)
	p.Add(rs)
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Tick.Marker = bandTicks{}
	p.Draw(c)
	return notes, nil
}

// bandTicks marks the CPs band limits.
type bandTicks struct{}

func (bandTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, v := range []float64{-40, -20, 0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200} {
		if v >= lo && v <= hi {
			ts = append(ts, plot.Tick{Value: v, Label: FormatNumber(v, 0)})
		}
	}
	return ts
}

// Waterfall draws the decomposition of a change into steps, horizontal:
// one bar per step from the running sum, then the total.
type Waterfall struct {
	Title      string
	Quantity   string
	Unit       string
	Steps      []Step
	TotalLabel string
	Total      float64 // drawn as the last bar; a note says if steps do not sum to it
}

// Step is one contribution of a [Waterfall].
type Step struct {
	Label string
	Value float64
}

// Draw implements [Figure].
func (w *Waterfall) Draw(c draw.Canvas, st *Style) ([]string, error) {
	var notes []string
	maxAbs, cum := math.Abs(w.Total), 0.0
	bad := 0
	for _, s := range w.Steps {
		if !finite(s.Value) {
			bad++
			continue
		}
		cum += s.Value
		maxAbs = math.Max(maxAbs, math.Max(math.Abs(cum), math.Abs(s.Value)))
	}
	if bad > 0 {
		notes = append(notes, leftOut(st, bad, st.T("NaN・無限大", "NaN or infinite")))
	}
	if !finite(w.Total) {
		notes = append(notes, st.T("合計が NaN・無限大", "total is NaN or infinite"))
	} else if d := math.Abs(cum - w.Total); d > 1e-6*math.Max(1, maxAbs) {
		notes = append(notes, fmt.Sprintf(st.T("寄与の和 %s が合計 %s と一致しません", "contributions sum to %s, not %s"), FormatNumber(cum, 2), FormatNumber(w.Total, 2)))
	}
	c = drawNotes(c, st, notes)
	if len(w.Steps) == 0 {
		drawMessage(c, st, w.Title, st.T("データがありません", "no data"))
		return notes, nil
	}
	sc := st.ScaleFor(w.Unit, maxAbs)
	n := len(w.Steps) + 1
	names := make([]string, n)
	rs := &rects{labels: true, st: st}
	cum = 0
	dec := decimalsFor(maxAbs / sc.Div / 100)
	for i, s := range w.Steps {
		y := float64(n - 1 - i)
		names[n-1-i] = s.Label
		if !finite(s.Value) {
			continue
		}
		col := color.Color(color.RGBA{0x1f, 0x77, 0xb4, 255})
		if s.Value < 0 {
			col = color.RGBA{0xff, 0x7f, 0x0e, 255}
		}
		rs.r = append(rs.r, rect{cum, cum + s.Value, y - 0.35, y + 0.35, col, signed(s.Value/sc.Div, dec)})
		cum += s.Value
	}
	names[0] = w.TotalLabel
	if finite(w.Total) {
		rs.r = append(rs.r, rect{0, w.Total, -0.35, 0.35, colGrey, signed(w.Total/sc.Div, dec)})
	}
	p := newPlot(st, w.Title, axisLabel(w.Quantity, sc.Unit), "")
	p.NominalY(names...)
	p.Y.Tick.Label.Font = st.Size(8)
	p.X.Tick.Marker = humanTicks{div: sc.Div}
	p.Add(plotter.NewGrid())
	p.Add(rs)
	xmin, xmax, _, _ := rs.DataRange()
	if !finite(xmin) {
		xmin, xmax = -1, 1
	}
	span := math.Max(xmax-xmin, maxAbs*0.1)
	if span == 0 {
		span = 1
	}
	p.X.Min, p.X.Max = math.Min(0, xmin)-0.05*span, math.Max(0, xmax)+0.25*span
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.Draw(c)
	return notes, nil
}

func signed(v float64, dec int) string {
	s := FormatNumber(v, dec)
	if v > 0 {
		return "+" + s
	}
	return s
}
