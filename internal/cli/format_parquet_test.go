package cli

import (
	"encoding/json"
	"fmt"
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
	// The report needs the CSV: refused at once, nothing written.
	p := filepath.Join(dir, "report.yaml")
	os.WriteFile(p, []byte(strings.NewReplacer("plots: false", "plots: false, report: true", "FORMAT", "parquet").Replace(yaml)), 0o644)
	if c, e := runCLI(t, "run", p, "-o", filepath.Join(dir, "r")); c != 2 || !strings.Contains(e, "outputs.report reads timeseries.csv") {
		t.Errorf("format parquet with a report: exit %d, %s", c, e)
	}
	if _, err := os.Stat(filepath.Join(dir, "r")); !os.IsNotExist(err) {
		t.Errorf("format parquet with a report left %s (%v)", filepath.Join(dir, "r"), err)
	}
}

// TestRunTimeseriesParquetRows: the table DuckDB reads from
// timeseries.parquet (written from the rows, not converted from the CSV)
// is timeseries.csv row for row, in order: every text, the year as an
// INTEGER and the value as the DOUBLE the CSV's text reads as; format
// parquet writes the same file as both.
func TestRunTimeseriesParquetRows(t *testing.T) {
	dir := t.TempDir()
	yaml := "name: rows\nbase_year: 2023\nend_year: 2025\nregions: {source: synthetic}\n" +
		"variants: [{name: baseline}, {name: \"ai, sorted\", elements: [{element: ai_sorting, start_year: 2024}]}]\n" +
		"outputs: {format: FORMAT, plots: false, region_materials: true}\n"
	for _, format := range []string{"both", "parquet"} {
		p := filepath.Join(dir, format+".yaml")
		os.WriteFile(p, []byte(strings.ReplaceAll(yaml, "FORMAT", format)), 0o644)
		if c, e := runCLI(t, "run", p, "-o", filepath.Join(dir, format)); c != 0 {
			t.Fatal(e)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "both", "timeseries.parquet"))
	b, _ := os.ReadFile(filepath.Join(dir, "parquet", "timeseries.parquet"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("format parquet and both: %d and %d bytes of timeseries.parquet, not the same", len(b), len(a))
	}
	rows := readCSV(t, filepath.Join(dir, "both", "timeseries.csv"))
	p := filepath.Join(dir, "both", "timeseries.parquet")
	types := testutil.DuckDB(t, "SELECT string_agg(column_name || ' ' || column_type, ', ' ORDER BY column_name) AS s FROM (DESCRIBE SELECT * FROM '"+p+"')")
	if want := `[{"s":"archetype VARCHAR, indicator VARCHAR, level VARCHAR, material VARCHAR, region VARCHAR, scenario VARCHAR, unit VARCHAR, value DOUBLE, year INTEGER"}]`; types != want {
		t.Errorf("columns %s; want %s", types, want)
	}
	// Every column chunk has its minimum and maximum (for readers'
	// filters), though the page headers have no statistics.
	stats := testutil.DuckDB(t, "SELECT count(*) = count(stats_min_value) AND count(*) = count(stats_max_value) AND count(*) = 9 * count(DISTINCT row_group_id) AS ok FROM parquet_metadata('"+p+"')")
	if stats != `[{"ok":true}]` {
		t.Errorf("column chunks without statistics: %s", stats)
	}
	got := testutil.DuckDB(t, "SELECT scenario, level, region, archetype, year, material, indicator, value, unit FROM read_parquet('"+p+"', file_row_number = true) ORDER BY file_row_number")
	var back []struct {
		Scenario, Level, Region, Archetype string
		Year                               int
		Material, Indicator                string
		Value                              float64
		Unit                               string
	}
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != len(rows)-1 || len(rows) < 1000 {
		t.Fatalf("DuckDB reads %d rows; timeseries.csv has %d", len(back), len(rows)-1)
	}
	if strings.Join(rows[0], ",") != "scenario,level,region,archetype,year,material,indicator,value,unit" {
		t.Fatalf("header %v", rows[0])
	}
	bad := 0
	for i, r := range rows[1:] {
		x := back[i]
		v, err := strconv.ParseFloat(r[7], 64)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(x.Scenario, x.Level, x.Region, x.Archetype, x.Year, x.Material, x.Indicator, x.Unit) != fmt.Sprint(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[8]) ||
			math.Float64bits(x.Value) != math.Float64bits(v) {
			if bad++; bad <= 5 {
				t.Errorf("row %d: DuckDB %+v; CSV %v", i+1, x, r)
			}
		}
	}
}
