package output

import (
	"bytes"
	"errors"
	"image/color"
	"math"

	"github.com/circular-partners/junkan/output/chart"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Tornado draws a tornado chart as PNG: one horizontal bar per input,
// from low to high (in the output's unit, as changes from center), the
// largest swing on top. names, low and high have equal lengths; center is
// the reference value (drawn as the axis at 0). Values must be finite.
func Tornado(title, xLabel string, names []string, low, high []float64) ([]byte, error) {
	n := len(names)
	if n == 0 || len(low) != n || len(high) != n {
		return nil, errors.New("output: tornado needs one low and high value per input")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	// Bars are drawn bottom-up: reverse so the first (largest) is on top.
	lo, hi := make(plotter.Values, n), make(plotter.Values, n)
	labels := make([]string, n)
	for i := 0; i < n; i++ {
		lo[n-1-i], hi[n-1-i], labels[n-1-i] = low[i], high[i], names[i]
	}
	w := vg.Points(9)
	bl, err := plotter.NewBarChart(lo, w)
	if err != nil {
		return nil, err
	}
	bl.Horizontal = true
	bl.Offset = w / 2
	bl.Color = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	bl.LineStyle.Width = 0
	bh, err := plotter.NewBarChart(hi, w)
	if err != nil {
		return nil, err
	}
	bh.Horizontal = true
	bh.Offset = -w / 2
	bh.Color = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	bh.LineStyle.Width = 0
	p.Add(bl, bh, plotter.NewGrid())
	p.Legend.Add("input at its low quintile", bl)
	p.Legend.Add("input at its high quintile", bh)
	// The legend in the room left above the first bar, clear of the bars
	// and of the axis' numbers.
	p.Legend.Top = true
	p.Legend.Left = false
	p.NominalY(labels...)
	p.X.Tick.Marker = plainTicks{}
	var m float64
	for i := range low {
		m = max(m, math.Abs(low[i]), math.Abs(high[i]))
	}
	if m > 0 {
		p.X.Min, p.X.Max = -1.15*m, 1.15*m
	}
	p.Y.Max += 1.2 // room for the legend above the first bar
	height := vg.Length(1.0*float64(n)+4) * vg.Centimeter
	// Drawn with a margin on each side: the axis makes room for the longest
	// input name by its measured width, which falls a little short, and the
	// legend's swatches reach the right edge.
	c := vgimg.New(8*vg.Inch, height)
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, vg.Points(12), -vg.Points(12), 0, 0))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// plainTicks are gonum's default ticks labelled in plain numbers with
// thousands separators (not 25000.00 nor 2.5e+04).
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	dec := 0
	for _, t := range ts {
		if t.Label != "" && t.Value != math.Trunc(t.Value) {
			dec = 2
		}
	}
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = chart.FormatNumber(ts[i].Value, dec)
		}
	}
	return ts
}
