package model

import (
	"strings"
	"testing"
)

// Every element magnitude marked assumption, and every recyclate credit,
// states a range that holds its value (for batches to propagate).
func TestAssumedMagnitudesHaveRanges(t *testing.T) {
	n := 0
	for _, f := range Defaults().Facts {
		element := strings.Contains(f.Key, ".") && !strings.HasPrefix(f.Key, "product_composition.") &&
			f.Kind == KindAssumption
		if !element && f.Key != "ghg_credit_recyclate" && f.Key != "plant_utilisation" && f.Key != "cost_haul_per_tkm" {
			continue
		}
		if f.Key == "ghg_credit_recyclate" && (f.Material == "plastics" || f.Material == "ferrous" || f.Material == "aluminium") {
			continue // Japanese sources, no range stated
		}
		lo, hi, ok := f.Range()
		if !ok {
			t.Errorf("%s [%s]: no range in the note", f.Key, f.Material)
			continue
		}
		if f.Value < lo || f.Value > hi {
			t.Errorf("%s [%s]: value %v outside its range %v to %v", f.Key, f.Material, f.Value, lo, hi)
		}
		if element {
			n++
		}
	}
	if n != 13 {
		t.Errorf("%d assumed element magnitudes with ranges; want the 13", n)
	}
	if lo, hi, ok := (Fact{Note: "x. Range -0.9 to 0 (why)"}).Range(); !ok || lo != -0.9 || hi != 0 {
		t.Errorf("Range() = %v, %v, %v", lo, hi, ok)
	}
}
