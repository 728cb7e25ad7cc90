package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

// TestRunTimeseriesParquet: outputs.format both writes timeseries.parquet
// with the rows of timeseries.csv (read back by DuckDB); parquet writes it
// alone; an unknown format is a load error.
func TestRunTimeseriesParquet(t *testing.T) {
	dir := t.TempDir()
	const yaml = "name: fmt\nbase_year: 2023\nend_year: 2026\nregions: {source: synthetic}\nvariants: [{name: baseline}]\noutputs: {format: FORMAT, plots: false}\n"
	write := func(format string) string {
		p := filepath.Join(dir, format+".yaml")
		os.WriteFile(p, []byte(strings.ReplaceAll(yaml, "FORMAT", format)), 0o644)
		return p
	}
	if c, e := runCLI(t, "run", write("both"), "-o", filepath.Join(dir, "both")); c != 0 {
		t.Fatal(e)
	}
	rows := readCSV(t, filepath.Join(dir, "both", "timeseries.csv"))
	h := index(rows[0])
	var sum float64
	for _, r := range rows[1:] {
		x, _ := strconv.ParseFloat(r[h["value"]], 64)
		sum += x
	}
	got := testutil.DuckDB(t, "SELECT count(*)::DOUBLE AS n, sum(value) AS s, count(DISTINCT region)::DOUBLE AS regions, min(year) AS y FROM '"+
		filepath.Join(dir, "both", "timeseries.parquet")+"'")
	var res []struct{ N, S, Regions, Y float64 }
	if err := json.Unmarshal([]byte(got), &res); err != nil || len(res) != 1 {
		t.Fatalf("%v: %s", err, got)
	}
	if int(res[0].N) != len(rows)-1 || math.Abs(res[0].S-sum) > 1e-9*math.Abs(sum) || res[0].Y != 2023 {
		t.Errorf("duckdb: %s; want %d rows, sum %v", got, len(rows)-1, sum)
	}
	if c, e := runCLI(t, "run", write("parquet"), "-o", filepath.Join(dir, "pq")); c != 0 {
		t.Fatal(e)
	}
	if _, err := os.Stat(filepath.Join(dir, "pq", "timeseries.csv")); !os.IsNotExist(err) {
		t.Error("format parquet also wrote timeseries.csv")
	}
	if _, err := os.Stat(filepath.Join(dir, "pq", "timeseries.parquet")); err != nil {
		t.Error(err)
	}
	if c, e := runCLI(t, "run", write("xls"), "-o", filepath.Join(dir, "x")); c != 2 || !strings.Contains(e, `unknown format "xls"`) {
		t.Errorf("format xls: exit %d, %s", c, e)
	}
}
