package output

import (
	"bytes"
	"errors"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
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
	p.Legend.Top = false
	p.Legend.Left = true
	p.Legend.YOffs = -vg.Points(4)
	p.NominalY(labels...)
	var m float64
	for i := range low {
		m = max(m, math.Abs(low[i]), math.Abs(high[i]))
	}
	if m > 0 {
		p.X.Min, p.X.Max = -1.15*m, 1.15*m
	}
	p.Y.Min -= 1.2 // room for the legend below the last bar
	height := vg.Length(1.0*float64(n)+4) * vg.Centimeter
	wt, err := p.WriterTo(7*vg.Inch, height, "png")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
