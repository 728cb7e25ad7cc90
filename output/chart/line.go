package chart

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one line of a [Lines] chart: Y over X (fiscal years). Lo and
// Hi, when not nil, are a band (e.g. p5 and p95 of a batch) of the same
// length as X. Points where X or Y is not finite are left out.
type Series struct {
	Name   string
	X, Y   []float64
	Lo, Hi []float64
	Index  int // colour and dash index (the variant's position)
}

// Lines is a time-series chart, one line per series, legend outside the
// plot area on the right.
type Lines struct {
	Title    string
	Quantity string // axis quantity, e.g. "最終処分量"
	Unit     string // junkan unit of Y (t, JPY, %, …); the axis shows a human scale
	XLabel   string // "" = fiscal year
	Series   []Series
	LogY     bool // logarithmic Y axis; values ≤ 0 are left out with a note
	ZeroY    bool // start the Y axis at 0 when all values are ≥ 0
}

// Draw implements [Figure].
func (l *Lines) Draw(c draw.Canvas, st *Style) ([]string, error) {
	var notes []string
	nonFinite, nonPos, empty := 0, 0, 0
	maxAbs := 0.0
	type clean struct {
		s      *Series
		xy     plotter.XYs
		lo, hi plotter.XYs
	}
	var cs []clean
	for i := range l.Series {
		s := &l.Series[i]
		cl := clean{s: s}
		n := min(len(s.X), len(s.Y))
		for k := 0; k < n; k++ {
			x, y := s.X[k], s.Y[k]
			if !finite(x) || !finite(y) {
				nonFinite++
				continue
			}
			if l.LogY && y <= 0 {
				nonPos++
				continue
			}
			cl.xy = append(cl.xy, plotter.XY{X: x, Y: y})
			maxAbs = math.Max(maxAbs, math.Abs(y))
			if len(s.Lo) == len(s.X) && len(s.Hi) == len(s.X) && finite(s.Lo[k]) && finite(s.Hi[k]) && (!l.LogY || s.Lo[k] > 0) {
				cl.lo = append(cl.lo, plotter.XY{X: x, Y: s.Lo[k]})
				cl.hi = append(cl.hi, plotter.XY{X: x, Y: s.Hi[k]})
				maxAbs = math.Max(maxAbs, math.Max(math.Abs(s.Lo[k]), math.Abs(s.Hi[k])))
			}
		}
		if len(cl.xy) == 0 {
			empty++
		}
		cs = append(cs, cl)
	}
	if n := leftOut(st, nonFinite, st.T("NaN・無限大", "NaN or infinite")); n != "" {
		notes = append(notes, n)
	}
	if n := leftOut(st, nonPos, st.T("0 以下", "non-positive")); n != "" {
		notes = append(notes, n+st.T("（対数軸）", " (log axis)"))
	}
	if empty > 0 && len(l.Series) > 0 {
		notes = append(notes, st.T(FormatNumber(float64(empty), 0)+" 系列はデータなし", FormatNumber(float64(empty), 0)+" series without data"))
	}
	sc := st.ScaleFor(l.Unit, maxAbs)
	xl := l.XLabel
	if xl == "" {
		xl = st.T("年度", "fiscal year")
	}
	p := newPlot(st, l.Title, xl, axisLabel(l.Quantity, sc.Unit))
	p.X.Tick.Marker = yearTicks{}
	p.Y.Tick.Marker = humanTicks{div: sc.Div}
	if l.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{div: sc.Div}
	}
	p.Add(&plotter.Grid{Vertical: draw.LineStyle{}, Horizontal: draw.LineStyle{Color: colLight, Width: vg.Points(0.5)}})
	var entries []entry
	drawn := 0
	allPos := true
	for _, cl := range cs {
		if len(cl.lo) > 1 {
			band := append(plotter.XYs{}, cl.lo...)
			for k := len(cl.hi) - 1; k >= 0; k-- {
				band = append(band, cl.hi[k])
			}
			if poly, err := plotter.NewPolygon(band); err == nil {
				poly.Color = withAlpha(VariantColor(cl.s.Index), 50)
				poly.LineStyle.Width = 0
				p.Add(poly)
			}
		}
	}
	for _, cl := range cs {
		if len(cl.xy) == 0 {
			continue
		}
		for _, v := range cl.xy {
			allPos = allPos && v.Y >= 0
		}
		ln, err := plotter.NewLine(cl.xy)
		if err != nil {
			continue // cannot happen: points are finite
		}
		ln.Color = VariantColor(cl.s.Index)
		ln.Dashes = VariantDashes(cl.s.Index)
		ln.Width = vg.Points(1.6)
		p.Add(ln)
		if len(cl.xy) == 1 { // a single point: show it
			if sc, err := plotter.NewScatter(cl.xy); err == nil {
				sc.GlyphStyle = draw.GlyphStyle{Color: ln.Color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
				p.Add(sc)
			}
		}
		entries = append(entries, entry{cl.s.Name, ln})
		drawn++
	}
	c = drawNotes(c, st, notes)
	if drawn == 0 {
		drawMessage(c, st, l.Title, st.T("データがありません", "no data"))
		return notes, nil
	}
	if l.ZeroY && allPos && !l.LogY {
		p.Y.Min = 0
	}
	pc := splitLegend(c, st, entries, "")
	p.Draw(pc)
	return notes, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
