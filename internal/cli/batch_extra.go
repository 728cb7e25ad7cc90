package cli

import (
	"bytes"
	"strconv"

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

func addTornado(files map[string][]byte, t *batchTables, b *batchSetup) error { return nil }
