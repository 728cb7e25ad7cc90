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

// TestRowsMatchingNothing checks that parameter, transfer-coefficient and
// element rows whose filters select no region of the run are located
// errors (they would change nothing).
func TestRowsMatchingNothing(t *testing.T) {
	const ab = "name: t\nbase_year: 2023\nend_year: 2030\nregions:\n  source: synthetic\n  synthetic: {archetypes: [a, b]}\nvariants:\n  - name: baseline\n"
	for name, tc := range map[string]struct {
		yaml string
		want want
	}{
		"parameter for an absent archetype": {ab + "parameters: [{key: sorting_yield, archetype: e, value: 0.5}]\n",
			want{9, "parameters[0]", "matches no region of the run (archetypes e)"}},
		"transfer coefficients for an absent archetype": {ab + "transfer_coefficients: [{process: recycling, archetype: c, shares: {recyclate_output: 0.5, process_loss: 0, recycling_residue: 0.5}}]\n",
			want{9, "transfer_coefficients[0]", "matches no region of the run (archetypes c)"}},
		"element for absent archetypes": {ab + "  - name: x\n    inherits: baseline\n    elements:\n      - {element: ai_sorting, start_year: 2025, archetypes: [d, e]}\n",
			want{12, "variants[1].elements[0]", "matches no region of the run (archetypes d, e)"}},
	} {
		t.Run(name, func(t *testing.T) {
			f, err := scenarios.Parse("t.yaml", ".", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Build(".")
			checkErrors(t, "t.yaml", err, true, tc.want)
		})
	}
	f, err := scenarios.Parse("t.yaml", ".", []byte(ab+"parameters: [{key: sorting_yield, archetype: a, value: 0.5}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Build("."); err != nil {
		t.Errorf("a row that matches: %v", err)
	}
}
