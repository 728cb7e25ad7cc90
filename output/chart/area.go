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

// box is a legend thumbnail: a filled square.
type box struct{ c color.Color }

func (b box) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(b.c, pts)
}

// Layer is one band of a [Stacked] panel: values per year.
type Layer struct {
	Name  string
	Color color.Color
}

// Panel is one small multiple of a [Stacked] chart: a variant.
type Panel struct {
	Title  string
	X      []float64   // fiscal years
	Values [][]float64 // [layer][year]
}

// Stacked draws stacked areas, one small multiple per panel (variant),
// sharing the Y axis range, with one legend for the layers.
type Stacked struct {
	Title    string
	Quantity string
	Unit     string
	Layers   []Layer
	Panels   []Panel
	Cols     int // panels per row (default 3)
}

// Draw implements [Figure].
func (s *Stacked) Draw(c draw.Canvas, st *Style) ([]string, error) {
	var notes []string
	if len(s.Panels) == 0 || len(s.Layers) == 0 {
		drawMessage(c, st, s.Title, st.T("データがありません", "no data"))
		return nil, nil
	}
	bad, neg := 0, 0
	top := 0.0
	for _, p := range s.Panels {
		for k := range p.X {
			sum := 0.0
			for l := range s.Layers {
				if l >= len(p.Values) || k >= len(p.Values[l]) {
					continue
				}
				v := p.Values[l][k]
				switch {
				case !finite(v):
					bad++
				case v < 0:
					neg++
				default:
					sum += v
				}
			}
			top = math.Max(top, sum)
		}
	}
	if n := leftOut(st, bad, st.T("NaN・無限大", "NaN or infinite")); n != "" {
		notes = append(notes, n)
	}
	if neg > 0 {
		notes = append(notes, fmt.Sprintf(st.T("負の値 %d 個を 0 として描画", "%d negative values drawn as 0"), neg))
	}
	sc := st.ScaleFor(s.Unit, top)
	ts := textStyle(st, sizeTitle, color.Black)
	ts.XAlign = draw.XCenter
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - ts.Rectangle(s.Title).Size().Y}, s.Title)
	c = draw.Crop(c, 0, 0, 0, -vg.Points(sizeTitle*2))
	c = drawNotes(c, st, notes)
	var entries []entry
	for _, l := range s.Layers {
		entries = append(entries, entry{l.Name, box{l.Color}})
	}
	// The legend lists layers top-down as they are stacked (last on top).
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	c = splitLegend(c, st, entries, "")
	cols := s.Cols
	if cols <= 0 {
		cols = 3
	}
	cols = min(cols, len(s.Panels))
	rows := (len(s.Panels) + cols - 1) / cols
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(4), PadY: vg.Points(6)}
	for i, pn := range s.Panels {
		pc := tiles.At(c, i%cols, i/cols)
		p := newPlot(st, pn.Title, "", "")
		p.Title.TextStyle.Font = st.Size(9)
		p.Title.Padding = vg.Points(2)
		p.X.Tick.Marker = yearTicks{}
		p.Y.Tick.Marker = humanTicks{div: sc.Div}
		p.X.Tick.Label.Font = st.Size(7)
		p.Y.Tick.Label.Font = st.Size(7)
		if i%cols == 0 {
			p.Y.Label.Text = axisLabel(s.Quantity, sc.Unit)
			p.Y.Label.TextStyle.Font = st.Size(8)
		}
		if i/cols == rows-1 {
			p.X.Label.Text = st.T("年度", "fiscal year")
			p.X.Label.TextStyle.Font = st.Size(8)
		}
		lower := make([]float64, len(pn.X))
		for l, layer := range s.Layers {
			upper := make([]float64, len(pn.X))
			for k := range pn.X {
				v := 0.0
				if l < len(pn.Values) && k < len(pn.Values[l]) && finite(pn.Values[l][k]) && pn.Values[l][k] > 0 {
					v = pn.Values[l][k]
				}
				upper[k] = lower[k] + v
			}
			var poly plotter.XYs
			for k, x := range pn.X {
				if finite(x) {
					poly = append(poly, plotter.XY{X: x, Y: upper[k]})
				}
			}
			for k := len(pn.X) - 1; k >= 0; k-- {
				if finite(pn.X[k]) {
					poly = append(poly, plotter.XY{X: pn.X[k], Y: lower[k]})
				}
			}
			if len(poly) >= 3 {
				if pg, err := plotter.NewPolygon(poly); err == nil {
					pg.Color = layer.Color
					pg.LineStyle = draw.LineStyle{Color: white, Width: vg.Points(0.3)}
					p.Add(pg)
				}
			}
			lower = upper
		}
		p.Y.Min = 0
		if top > 0 {
			p.Y.Max = top * 1.03
		} else {
			p.Y.Max = 1
		}
		if len(pn.X) == 0 {
			p.X.Min, p.X.Max = 0, 1
			p.Title.Text += st.T("（データなし）", " (no data)")
		}
		p.Draw(pc)
	}
	return notes, nil
}

// Bars is a grouped bar chart: groups on the X axis (e.g. archetypes),
// one bar per series (variant) in each group, legend outside.
type Bars struct {
	Title    string
	Quantity string
	Unit     string
	Groups   []string
	Series   []BarSeries
}

// BarSeries is one series of [Bars]: a value per group.
type BarSeries struct {
	Name   string
	Values []float64
	Index  int
}

// Draw implements [Figure].
func (b *Bars) Draw(c draw.Canvas, st *Style) ([]string, error) {
	var notes []string
	if len(b.Groups) == 0 || len(b.Series) == 0 {
		drawMessage(c, st, b.Title, st.T("データがありません", "no data"))
		return nil, nil
	}
	maxAbs := 0.0
	bad := 0
	for _, s := range b.Series {
		for _, v := range s.Values {
			if finite(v) {
				maxAbs = math.Max(maxAbs, math.Abs(v))
			} else {
				bad++
			}
		}
	}
	if n := leftOut(st, bad, st.T("NaN・無限大", "NaN or infinite")); n != "" {
		notes = append(notes, n)
	}
	sc := st.ScaleFor(b.Unit, maxAbs)
	c = drawNotes(c, st, notes)
	var entries []entry
	rs := &rects{st: st}
	n := float64(len(b.Series))
	w := 0.8 / n
	for i, s := range b.Series {
		entries = append(entries, entry{s.Name, box{VariantColor(s.Index)}})
		for g := range b.Groups {
			if g >= len(s.Values) || !finite(s.Values[g]) {
				continue
			}
			x0 := float64(g) - 0.4 + float64(i)*w
			rs.r = append(rs.r, rect{x0, x0 + w*0.92, 0, s.Values[g], VariantColor(s.Index), ""})
		}
	}
	c = splitLegend(c, st, entries, "")
	p := newPlot(st, b.Title, "", axisLabel(b.Quantity, sc.Unit))
	p.NominalX(b.Groups...)
	p.X.Tick.Label.Font = st.Size(8)
	p.Y.Tick.Marker = humanTicks{div: sc.Div}
	p.Add(&plotter.Grid{Vertical: draw.LineStyle{}, Horizontal: draw.LineStyle{Color: colLight, Width: vg.Points(0.5)}})
	p.Add(rs)
	p.X.Min, p.X.Max = -0.5, float64(len(b.Groups))-0.5
	_, _, ymin, ymax := rs.DataRange()
	if !finite(ymin) {
		ymin, ymax = 0, 1
	}
	p.Y.Min, p.Y.Max = math.Min(0, ymin), math.Max(0, ymax)
	if p.Y.Min == p.Y.Max {
		p.Y.Max = 1
	}
	p.Y.Max += 0.04 * (p.Y.Max - p.Y.Min)
	p.Draw(c)
	return notes, nil
}

var _ plot.Plotter = (*rects)(nil)
