package output

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Plot size: 6 × 4 inches, 576 × 384 pixels at gonum/plot's 96 dpi.
const (
	plotWidth  = 6 * vg.Inch
	plotHeight = 4 * vg.Inch
)

// plotSpec is one time-series plot of the total level.
type plotSpec struct {
	file, title, ylabel string
	value               func(f *model.Flows, pop float64, fy int) float64
}

var plotSpecs = []plotSpec{
	{"waste_per_capita.png", "Waste per capita (all regions)", "waste per capita (g/person/day)",
		model.WastePerCapita.Value},
	{"recycling_rate.png", "Recycling rate (all regions)", "recycling rate (%)",
		model.RecyclingRate.Value},
	{"final_disposal.png", "Final disposal (all regions)", "final disposal (t)",
		func(f *model.Flows, _ float64, _ int) float64 { return f[model.FinalDisposal] }},
	{"incinerated.png", "Incinerated (all regions)", "incinerated (t)",
		func(f *model.Flows, _ float64, _ int) float64 { return f[model.Incinerated] }},
}

// series returns, per result, the points (fiscal year, value) of spec at
// the total level, without non-finite values.
func (spec *plotSpec) series(baseYear int, totals []*groups) []plotter.XYs {
	out := make([]plotter.XYs, len(totals))
	for i, gs := range totals {
		xys := make(plotter.XYs, 0, gs.Y)
		for y := 0; y < gs.Y; y++ {
			fy := baseYear + y
			m := gs.M // all materials; with products, the MSW materials (comparable with MOE figures)
			if gs.durables {
				m = gs.M + 1
			}
			v := spec.value(gs.cell(numArchetypes, y, m), gs.pop[numArchetypes*gs.Y+y], fy)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			xys = append(xys, plotter.XY{X: float64(fy), Y: v})
		}
		out[i] = xys
	}
	return out
}

// writePlots writes the plots of plotSpecs into dir, one line per result.
func writePlots(dir string, results []*sim.Result) error {
	totals := make([]*groups, len(results))
	names := make([]string, len(results))
	for i, res := range results {
		totals[i] = sumGroups(res)
		names[i] = res.Variant
	}
	if len(results) == 0 {
		return nil
	}
	return writePlotsGroups(dir, names, results[0].BaseYear, totals)
}

// writePlotsGroups writes the plots from the group sums of each variant.
func writePlotsGroups(dir string, names []string, baseYear int, totals []*groups) error {
	for k := range plotSpecs {
		spec := &plotSpecs[k]
		p := plot.New()
		// The scope is named on every plot: the non-durable materials,
		// what the Ministry's figures (ごみ総排出量, リサイクル率) cover.
		p.Title.Text = spec.title + " — MSW (MOE scope)"
		if len(totals) > 0 && totals[0].durables {
			p.Title.Text += ", products excluded"
		}
		if len(names) > 6 { // many variants: a smaller legend
			p.Legend.TextStyle.Font.Size = vg.Points(7)
		}
		p.X.Label.Text = "fiscal year"
		p.X.Tick.Marker = yearTicks{}
		p.Y.Label.Text = spec.ylabel
		p.Y.Min = 0 // all plotted quantities are ≥ 0; start the axis at 0
		p.Legend.Top = true
		p.Add(plotter.NewGrid())
		for i, xys := range spec.series(baseYear, totals) {
			if len(xys) == 0 {
				continue
			}
			l, err := plotter.NewLine(xys)
			if err != nil {
				return fmt.Errorf("output: plot %s, variant %s: %w", spec.file, names[i], err)
			}
			l.Color = plotutil.Color(i)
			l.Dashes = plotutil.Dashes(i)
			l.Width = vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(names[i], l)
		}
		if p.Y.Max > 0 { // headroom for the legend
			p.Y.Max *= max(1.15, 1+0.05*float64(len(names)))
		}
		if err := p.Save(plotWidth, plotHeight, filepath.Join(dir, spec.file)); err != nil {
			return fmt.Errorf("output: plot %s: %w", spec.file, err)
		}
	}
	return nil
}

// yearTicks marks whole fiscal years: labelled ticks every 1, 2, 5, 10,
// 20, 50 … years (at most 8 of them), unlabelled ticks on the other years
// when there are at most 60.
type yearTicks struct{}

var _ plot.Ticker = yearTicks{}

func (yearTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := math.Ceil(min), math.Floor(max)
	if !(hi >= lo) || hi-lo > 1e6 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	step := 1.0
	for i := 0; (hi-lo)/step > 7; i++ {
		step *= [...]float64{2, 2.5, 2}[i%3] // 1, 2, 5, 10, 20, 50, …
	}
	var ts []plot.Tick
	for y := lo; y <= hi; y++ {
		switch {
		case math.Mod(y, step) == 0:
			ts = append(ts, plot.Tick{Value: y, Label: strconv.Itoa(int(y))})
		case hi-lo <= 60:
			ts = append(ts, plot.Tick{Value: y})
		}
	}
	return ts
}
