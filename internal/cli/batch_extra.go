package cli

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/output/chart"
	"github.com/circular-partners/junkan/output/parquet"
)

// addParquet adds statistics.parquet, runs.parquet and (with
// sensitivity) sensitivity.parquet: the same tables as the CSV files.
func addParquet(files map[string][]byte, t *batchTables) error {
	add := func(name string, header []string, keys [][]string, vals [][]float64, intCols map[string]bool) error {
		tab := &parquet.Table{Name: name}
		nk := 0 // leading key (text) columns
		if keys != nil {
			nk = len(header) - len(vals[0])
		}
		for c, h := range header {
			col := parquet.Column{Name: h}
			switch {
			case c < nk && intCols[h]:
				col.Ints = make([]int32, len(vals))
				for r := range vals {
					x, _ := strconv.Atoi(keys[r][c])
					col.Ints[r] = int32(x)
				}
			case c < nk:
				col.Strings = make([]string, len(vals))
				for r := range vals {
					col.Strings[r] = keys[r][c]
				}
			case intCols[h]:
				col.Ints = make([]int32, len(vals))
				for r := range vals {
					col.Ints[r] = int32(vals[r][c-nk])
				}
			default:
				col.Floats = make([]float64, len(vals))
				for r := range vals {
					col.Floats[r] = vals[r][c-nk]
				}
			}
			tab.Columns = append(tab.Columns, col)
		}
		var buf bytes.Buffer
		if err := parquet.Write(&buf, tab); err != nil {
			return err
		}
		files[name+".parquet"] = buf.Bytes()
		return nil
	}
	if err := add("statistics", t.statHeader, t.statRows, t.statVals, map[string]bool{"year": true, "n": true}); err != nil {
		return err
	}
	if err := add("runs", t.runHeader, nil, t.runVals, map[string]bool{"run": true}); err != nil {
		return err
	}
	if t.sensHeader != nil {
		return add("sensitivity", t.sensHeader, t.sensRows, t.sensVals, nil)
	}
	return nil
}

// addTornado draws plots/tornado_<indicator>.png for each headline
// output of the last observed variant (the one with the most elements in
// the usual chain of variants): for each input, the mean output over the
// runs where the input is in its lowest fifth and in its highest fifth,
// minus the mean over all runs; inputs sorted by swing. Not for grid,
// sobol and morris designs (their runs are not a sample of the inputs'
// distributions).
func addTornado(files map[string][]byte, t *batchTables, b *batchSetup) error {
	if b.spec.Method != "montecarlo" && b.spec.Method != "latin_hypercube" {
		return nil
	}
	if b.run.Plots == false || len(b.headline) == 0 {
		return nil
	}
	D := len(b.inputs)
	N := len(t.runVals)
	if N < 10 {
		return nil
	}
	nInd := len(b.spec.Indicators)
	last := len(b.headline) - nInd
	for k := last; k < len(b.headline); k++ {
		col := 1 + D + k
		var mean float64
		for _, r := range t.runVals {
			mean += r[col]
		}
		mean /= float64(N)
		type sw struct {
			name     string
			lo, hi   float64
			absSwing float64
		}
		var sws []sw
		idx := make([]int, N)
		for i := 0; i < D; i++ {
			for j := range idx {
				idx[j] = j
			}
			sort.SliceStable(idx, func(a, c int) bool { return t.runVals[idx[a]][1+i] < t.runVals[idx[c]][1+i] })
			q := N / 5
			var lo, hi float64
			for j := 0; j < q; j++ {
				lo += t.runVals[idx[j]][col]
				hi += t.runVals[idx[N-1-j]][col]
			}
			lo, hi = lo/float64(q)-mean, hi/float64(q)-mean
			sws = append(sws, sw{b.inputs[i].Name, lo, hi, math.Abs(hi - lo)})
		}
		sort.SliceStable(sws, func(a, c int) bool { return sws[a].absSwing > sws[c].absSwing })
		var names []string
		var lo, hi []float64
		for _, s := range sws {
			names, lo, hi = append(names, s.name), append(lo, s.lo), append(hi, s.hi)
		}
		name := b.headNames[k]
		cell := b.layout.Cells[b.headline[k]]
		png, err := output.Tornado(name, fmt.Sprintf("change of %s (%s) from its mean %s", cell.Indicator, cell.Unit, chart.FormatNumber(mean, meanDecimals(mean))), names, lo, hi)
		if err != nil {
			return err
		}
		files["plots/tornado_"+cell.Indicator+".png"] = png
	}
	return nil
}

// meanDecimals is how many decimals show a mean in a chart's label: none
// from 100 on (8,085,123), else four significant digits.
func meanDecimals(x float64) int {
	a := math.Abs(x)
	if a >= 100 || a == 0 {
		return 0
	}
	return max(0, 3-int(math.Floor(math.Log10(a))))
}
