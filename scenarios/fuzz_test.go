package scenarios_test

import (
	"errors"
	"os"
	"regexp"
	"testing"

	"github.com/circular-partners/junkan/scenarios"
)

// goWordRE finds Go's words for types in a message.
var goWordRE = regexp.MustCompile(`\bstruct\b|\b(?:u?int|float)(?:8|16|32|64)\b|map\[|\[\]\w|\bscenarios\.|unmarshal|!!|\w+Spec\b`)

// FuzzParse checks that Parse never panics, that its errors are all
// invalid-scenario errors naming the file in words without Go type names, and that a scenario it accepts
// builds (synthetic regions: no data files) without panicking.
func FuzzParse(f *testing.F) {
	f.Add(scenarios.DefaultYAML())
	for _, name := range []string{"saitama-2050.yaml", "japan-2050.yaml"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"",
		"---\n",
		"[1, 2]",
		head,
		variant2 + "        start_year: 2026.5\n",
		variant2 + "        start_year: 2030\n        ramp_years: 3\n        ramp: logistic\n        archetypes: [a, b]\n        regions: [synthetic-a]\n        magnitudes: {ai_sorting.sorting_yield_gain: 0.5}\n",
		head + "name: u\n",
		head + "  - name: a\n    inherits: b\n  - name: b\n    inherits: a\n",
		head + "transfer_coefficients: [{process: recycling, material: plastics, shares: {recyclate_output: 0.1, process_loss: 0.2, recycling_residue: 0.7}}]\n",
		head + "parameters:\n  - {key: recycling_yield, value: .nan, regions: [01100]}\n",
		head + "composition: {paper: 0.3, plastics: 0.1, food: 0.3, glass: 0.05, ferrous: 0.05, aluminium: 0.05, textiles: 0.05, wood: 0.05, other: 0.05}\n",
		"name: t\n<<: {base_year: 2023, end_year: 2050}\nregions: {source: synthetic, overrides: [{code: synthetic-a, archetype: b, population: 10}]}\nvariants: [{name: b}]\n",
		"a: &a [x, x]\nb: [*a, *a]\n",
		aliasBomb,
		"regions:\n  source: municipalities\n  municipalities: {file: x.csv}\n",
		// What users get wrong (see TestMistakes).
		"\uFEFF" + head,
		head + "\tseed: 1\n",
		head + "\u3000seed: 1\n",
		head + "seed： 1\n",
		head + "seed: １２\n",
		head + "seed: 012\n",
		head + "seed: 1:30\n",
		head + "seed: 99999999999999999999\n",
		head + "seed: 1,234\n",
		head + "outputs: {plots: yes, region_materials: \"off\"}\n",
		head + "description: |\n  目的：\u3000字下げ\n\tx\n",
		head + "name: \x8c\xb8\n",
		head + "  - nmae: x\n",
		variant2 + "        ramp_years: 010\n        start_year: ２０３０\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := scenarios.Parse("fuzz.yaml", ".", data)
		if err != nil {
			if file != nil {
				t.Fatalf("Parse returned a File and an error: %v", err)
			}
			if !errors.Is(err, scenarios.ErrInvalid) {
				t.Fatalf("Parse error does not wrap ErrInvalid: %v", err)
			}
			var list scenarios.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Parse error is not a non-empty ErrorList: %v", err)
			}
			for _, e := range list {
				if e.File != "fuzz.yaml" || e.Err == nil {
					t.Fatalf("error without file or cause: %#v", e)
				}
				if w := goWordRE.FindString(e.Err.Error()); w != "" {
					t.Fatalf("message names %q (a Go word): %v", w, e)
				}
			}
			return
		}
		if file == nil {
			t.Fatal("Parse returned neither a File nor an error")
		}
		if file.Scenario.Regions.Source != "synthetic" {
			return // Build would read data files
		}
		run, err := file.Build(".")
		if err != nil {
			if !errors.Is(err, scenarios.ErrInvalid) {
				t.Fatalf("Build error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		R, M := len(run.Config.Regions), len(run.Config.Materials)
		if len(run.Config.Composition) != R*M || len(run.Config.Params) != R*M {
			t.Fatalf("Build: %d regions × %d materials, %d composition, %d params", R, M,
				len(run.Config.Composition), len(run.Config.Params))
		}
		if len(run.Variants) != len(file.Scenario.Variants) {
			t.Fatalf("Build: %d variants from %d", len(run.Variants), len(file.Scenario.Variants))
		}
	})
}
