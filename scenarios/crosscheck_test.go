package scenarios_test

import (
	"testing"

	"github.com/circular-partners/junkan/scenarios"
)

// TestTargetDirectionContradicts checks that a target whose direction
// contradicts the sign of its change_pct is refused: it would count as met
// in the base year and score 100 % whatever the run does.
func TestTargetDirectionContradicts(t *testing.T) {
	for name, tc := range map[string]struct {
		target string
		want   []want
	}{
		"decrease with a rise": {"  - {indicator: final_disposal, year: 2030, change_pct: 10, direction: decrease}\n",
			[]want{{9, "targets[0].direction", "decrease contradicts change_pct +10 %"}}},
		"increase with a fall": {"  - {indicator: recycling_rate, year: 2030, change_pct: -5, direction: increase}\n",
			[]want{{9, "targets[0].direction", "increase contradicts change_pct -5 %"}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := scenarios.Parse("t.yaml", ".", []byte(head+"targets:\n"+tc.target))
			checkErrors(t, "t.yaml", err, true, tc.want...)
		})
	}
	for _, ok := range []string{
		"  - {indicator: final_disposal, year: 2030, change_pct: -10, direction: decrease}\n",
		"  - {indicator: final_disposal, year: 2030, change_pct: 10}\n", // the sign sets the direction
		"  - {indicator: final_disposal, year: 2030, change_pct: 0, direction: decrease}\n",
		"  - {indicator: final_disposal, year: 2030, value: 1000, direction: decrease}\n",
	} {
		if _, err := scenarios.Parse("t.yaml", ".", []byte(head+"targets:\n"+ok)); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
