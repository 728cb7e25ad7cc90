package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/output/chart"
)

// tableColumns are the headline figures of the run summary table: name
// with unit, the figure, and its decimals.
var tableColumns = []struct {
	name     string
	get      func(*output.Headline) float64
	decimals int
}{
	{"waste g/person/day", func(h *output.Headline) float64 { return h.WastePerCapita }, 1},
	{"recycling %", func(h *output.Headline) float64 { return h.RecyclingRate }, 1},
	{"final disposal t", func(h *output.Headline) float64 { return h.FinalDisposal }, 0},
	{"incinerated t", func(h *output.Headline) float64 { return h.Incinerated }, 0},
	{"cost JPY/person/yr", func(h *output.Headline) float64 { return h.CostPerCapita }, 0},
	{"GHG net tCO2e", func(h *output.Headline) float64 { return h.GHGNet }, 0},
}

// printSummaryTable writes, per variant, the total headline figures in the
// last report year and (in parentheses) their change from the first
// variant. Runs with durable products show the MOE municipal waste scope
// (msw), comparable with the statistics.
func printSummaryTable(w io.Writer, v *output.View) {
	if len(v.Variants) == 0 {
		return
	}
	fy := v.ReportYears[len(v.ReportYears)-1]
	y := v.Year(fy)
	totals, scope := v.Totals, "all materials"
	if v.TotalsMSW != nil {
		totals, scope = v.TotalsMSW, "municipal waste scope (msw)"
	}
	fmt.Fprintf(w, "FY%d, all regions, %s; in parentheses the change from %s:\n", fy, scope, v.Variants[0])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("variant")
	for _, name := range v.Variants {
		width = max(width, len(name))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-len(s)) }
	head := []string{pad("variant")}
	for _, c := range tableColumns {
		head = append(head, c.name)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	ref := &totals[0][y]
	for i, name := range v.Variants {
		h := &totals[i][y]
		row := []string{pad(name)}
		for _, c := range tableColumns {
			cell := chart.FormatNumber(c.get(h), c.decimals)
			if i > 0 {
				cell += " (" + signed(c.get(h)-c.get(ref), c.decimals) + ")"
			}
			row = append(row, cell)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}

// signed is thousands with a sign (+0 for no change).
func signed(x float64, decimals int) string {
	s := chart.FormatNumber(x, decimals)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}
