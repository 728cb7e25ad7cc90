package cli

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestCSVMassBalance runs the embedded default (with durable products and
// all its variants) and walks timeseries.csv: for every scenario, level,
// region, year and material, waste_generated = separately_collected +
// mixed_collected, and the whole chain closes: waste_generated +
// dismantled_input + residue_from_materials = recyclate_output +
// combustion_loss + process_loss + ash_recycled + final_disposal +
// dismantled + returned_residue. For material "all" the transfers cancel
// and waste_generated = Σ sinks.
func TestCSVMassBalance(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"run", "-o", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := os.Open(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ scenario, level, region, year, material string }
	cells := map[key]map[string]float64{}
	var order []key
	for _, r := range rows[1:] {
		k := key{r[0], r[1], r[2], r[4], r[5]}
		if cells[k] == nil {
			cells[k] = map[string]float64{}
			order = append(order, k)
		}
		v, err := strconv.ParseFloat(r[7], 64)
		if err != nil {
			t.Fatalf("row %v: %v", r, err)
		}
		cells[k][r[6]] = v
	}
	if len(order) == 0 {
		t.Fatal("no rows")
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))+1e-6 }
	checked := 0
	for _, k := range order {
		c := cells[k]
		w := c["waste_generated"]
		if !near(w, c["separately_collected"]+c["mixed_collected"]) {
			t.Errorf("%v: waste_generated %v ≠ separately + mixed %v", k, w, c["separately_collected"]+c["mixed_collected"])
		}
		sinks := c["recyclate_output"] + c["combustion_loss"] + c["process_loss"] + c["ash_recycled"] + c["final_disposal"]
		in := w + c["dismantled_input"] + c["residue_from_materials"]
		out := sinks + c["dismantled"] + c["returned_residue"]
		if !near(in, out) {
			t.Errorf("%v: chain does not close: in %v, out %v", k, in, out)
		}
		if k.material == "all" && !near(w, sinks) {
			t.Errorf("%v: all materials: waste_generated %v ≠ Σ sinks %v", k, w, sinks)
		}
		if k.material == "all" && c["discarded"] > 0 && !near(c["inflow"]+c["reused"]-c["stock_change"], c["discarded"]) {
			t.Errorf("%v: use does not close", k)
		}
		checked++
	}
	if checked < 1000 {
		t.Errorf("only %d cells checked", checked)
	}
}
