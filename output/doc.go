// Package output writes the results of junkan runs as a tidy time-series
// CSV, a JSON summary, a JSON manifest and PNG plots (DESIGN §9).
//
// All outputs are deterministic: the same results give byte-identical
// files. Numbers are written in their shortest exact decimal form (the
// form of encoding/json: plain decimals for 1e-6 ≤ |v| < 1e21, else
// exponent form), so they parse back to the same float64.
//
// Group figures (archetype and total levels) are sums of the region
// figures; rates are recomputed from the summed flows with
// [model.Indicator.Value], never averaged (DESIGN §6).
//
// The plots/ PNGs are quick English views; the working group's Japanese
// figures and report are in output/chart and output/report.
package output
