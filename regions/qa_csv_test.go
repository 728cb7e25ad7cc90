package regions

import "testing"

// TestSnakeKey: column errors name the scenario's key, never the Go field.
func TestSnakeKey(t *testing.T) {
	for in, want := range map[string]string{
		"Code": "code", "RecyclingRatePct": "recycling_rate_pct", "PerCapitaGPerDay": "per_capita_g_per_day",
		"WasteT": "waste_t", "ManufacturingEmployees": "manufacturing_employees", "": "",
	} {
		if got := snakeKey(in); got != want {
			t.Errorf("snakeKey(%q) = %q, want %q", in, got, want)
		}
	}
}
