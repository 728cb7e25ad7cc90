package parquet_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
	"github.com/circular-partners/junkan/output/parquet"
)

func sample() *parquet.Table {
	return &parquet.Table{Name: "t", Columns: []parquet.Column{
		{Name: "region", Strings: []string{"11203", "01100", "total"}},
		{Name: "year", Ints: []int32{2023, 2024, 2050}},
		{Name: "value", Floats: []float64{1.5, -2.25e10, 0.1}},
		{Name: "p95", Floats: []float64{math.NaN(), 3, 4}},
		{Name: "名前", Strings: []string{"川口市", "札幌市", "全体"}},
	}}
}

// TestWriteReadByDuckDB reads the file back with DuckDB (an independent
// reader): types, values, nulls, leading zeros and Japanese text.
func TestWriteReadByDuckDB(t *testing.T) {
	var a, b bytes.Buffer
	if err := parquet.Write(&a, sample()); err != nil {
		t.Fatal(err)
	}
	parquet.Write(&b, sample())
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same table, different bytes")
	}
	p := filepath.Join(t.TempDir(), "t.parquet")
	os.WriteFile(p, a.Bytes(), 0o644)
	got := testutil.DuckDB(t, "SELECT region, year, value, p95, \"名前\" AS name, typeof(year) AS ty, typeof(value) AS tv FROM '"+p+"' ORDER BY year")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(got), &rows); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	want := []map[string]any{
		{"region": "11203", "year": 2023.0, "value": 1.5, "p95": nil, "name": "川口市", "ty": "INTEGER", "tv": "DOUBLE"},
		{"region": "01100", "year": 2024.0, "value": -2.25e10, "p95": 3.0, "name": "札幌市", "ty": "INTEGER", "tv": "DOUBLE"},
		{"region": "total", "year": 2050.0, "value": 0.1, "p95": 4.0, "name": "全体", "ty": "INTEGER", "tv": "DOUBLE"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %v", rows)
	}
	for i := range want {
		for k, v := range want[i] {
			if rows[i][k] != v {
				t.Errorf("row %d %s = %#v; want %#v (all: %s)", i, k, rows[i][k], v, got)
			}
		}
	}
}

func TestWriteErrors(t *testing.T) {
	bad := &parquet.Table{Columns: []parquet.Column{{Name: "a", Floats: []float64{1}}, {Name: "b", Floats: []float64{1, 2}}}}
	if err := parquet.Write(&bytes.Buffer{}, bad); err == nil {
		t.Error("columns of different lengths accepted")
	}
	dup := &parquet.Table{Columns: []parquet.Column{{Name: "a", Floats: []float64{1}}, {Name: "a", Floats: []float64{1}}}}
	if err := parquet.Write(&bytes.Buffer{}, dup); err == nil {
		t.Error("repeated column accepted")
	}
}
