package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The Shapley attribution of a variant's change among its elements sums to
// the total change of every headline indicator within 1e-9 relative.
func TestAttributionSums(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "a.yaml")
	yaml := `name: attribution
base_year: 2023
end_year: 2035
regions: {source: synthetic}
products: [{id: appliances}]
variants:
  - name: baseline
  - name: three
    elements:
      - {element: collection_incentives, start_year: 2025, ramp_years: 3}
      - {element: ai_sorting, start_year: 2026}
      - {element: advanced_recycling, start_year: 2027, ramp_years: 2, ramp: logistic}
outputs: {attribution: [three], plots: false}
`
	if err := os.WriteFile(scen, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"run", scen, "-o", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Attribution []struct {
			Variant    string    `json:"variant"`
			Indicators []string  `json:"indicators"`
			Total      []float64 `json:"total_change"`
			Elements   []struct {
				Element      string    `json:"element"`
				Contribution []float64 `json:"contribution"`
			} `json:"elements"`
		} `json:"attribution"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Attribution) != 1 || len(sum.Attribution[0].Elements) != 3 {
		t.Fatalf("attribution = %+v; want one variant with three elements", sum.Attribution)
	}
	a := sum.Attribution[0]
	nonzero := 0
	for j, ind := range a.Indicators {
		var s float64
		for _, e := range a.Elements {
			s += e.Contribution[j]
		}
		if d := math.Abs(s - a.Total[j]); d > 1e-9*math.Abs(a.Total[j])+1e-9 {
			t.Errorf("%s: contributions sum to %v; total change %v", ind, s, a.Total[j])
		}
		if a.Total[j] != 0 {
			nonzero++
		}
	}
	if nonzero < 5 {
		t.Errorf("only %d indicators changed; the test would be weak", nonzero)
	}
}
