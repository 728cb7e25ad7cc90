package scenarios_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/scenarios"
)

// goWords must never appear in a message about a scenario file: they are
// Go's names for types, not the user's words.
var goWords = []string{"type ", "struct", "[]", "int64", "float64", "uint64", "map[", "scenarios.", "!!", "unmarshal", "Spec"}

// mistake is a scenario with one mistake: where it is reported (line,
// column) and a piece of the message.
type mistake struct {
	name      string
	yaml      string
	line, col int
	msg       string
}

// saitama is a valid scenario reading municipalities, to make typos in
// every section of a real-looking file.
const saitama = `name: t
base_year: 2023
end_year: 2050
regions:
  source: municipalities
  municipalities:
    file: m.csv
    columns:
      code: code
      name: name
      prefecture: prefecture
      population: population
      employees: employees
      manufacturing_employees: manufacturing_employees
  locations:
    file: l.csv
    columns: {code: code, lon: lon, lat: lat}
variants:
  - name: baseline
  - name: ai
    inherits: baseline
    elements:
      - element: ai_sorting
        start_year: 2030
        ramp_years: 5
outputs:
  plots: false
targets:
  - name: 減量
    indicator: waste_per_capita
    year: 2035
    change_pct: -10
`

// sub replaces the first old in s by new, failing loudly if it is absent.
func sub(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("sub: " + old + " not in scenario")
	}
	return strings.Replace(s, old, new, 1)
}

func mistakes() []mistake {
	return []mistake{
		// Typos at every level, each with the nearest valid key.
		{"top-level typo", sub(saitama, "end_year:", "end_yaer:"), 3, 1, `unknown key "end_yaer" at the top level (did you mean "end_year"?)`},
		{"regions typo", sub(saitama, "  source:", "  sorce:"), 5, 3, `unknown key "sorce" under regions (did you mean "source"?); valid keys: source, synthetic, municipalities`},
		{"municipalities typo", sub(saitama, "    file: m.csv", "    fiel: m.csv"), 7, 5, `unknown key "fiel" under regions.municipalities (did you mean "file"?); valid keys: file, columns`},
		{"columns typo", sub(saitama, "      population: population", "      populaton: population"), 12, 7, `unknown key "populaton" under regions.municipalities.columns (did you mean "population"?)`},
		{"flow mapping typo", sub(saitama, "{code: code, lon: lon", "{code: code, lonn: lon"), 17, 27, `unknown key "lonn" under regions.locations.columns (did you mean "lon"?)`},
		{"variant typo", sub(saitama, "    inherits: baseline", "    inherit: baseline"), 21, 5, `unknown key "inherit" under variants[1] (did you mean "inherits"?)`},
		{"element typo", sub(saitama, "        start_year: 2030", "        start_yr: 2030"), 24, 9, `unknown key "start_yr" under variants[1].elements[0] (did you mean "start_year"?)`},
		{"outputs typo", sub(saitama, "  plots: false", "  plot: false"), 27, 3, `unknown key "plot" under outputs (did you mean "plots"?)`},
		{"targets typo", sub(saitama, "    indicator:", "    indicater:"), 30, 5, `unknown key "indicater" under targets[0] (did you mean "indicator"?)`},
		{"full-width key", sub(saitama, "  plots: false", "  ｐｌｏｔｓ: false"), 27, 3, `(did you mean "plots"?) (write keys in half-width characters)`},
		// Characters YAML cannot read as the user meant.
		{"tab indentation", sub(saitama, "    file: m.csv", "\tfile: m.csv"), 7, 1, "a tab in the indentation: YAML indents with spaces only"},
		{"tab after spaces", sub(saitama, "        ramp_years: 5", "      \t  ramp_years: 5"), 25, 7, "a tab in the indentation"},
		{"full-width space indentation", sub(saitama, "  plots: false", "\u3000plots: false"), 27, 1, "a full-width space (U+3000, 全角スペース) in the indentation"},
		{"full-width space after spaces", sub(saitama, "    year: 2035", "  \u3000 year: 2035"), 31, 3, "a full-width space (U+3000"},
		{"full-width colon", sub(saitama, "  plots: false", "  plots： false"), 27, 8, `a full-width colon (：) after "plots": write a half-width colon and a space`},
		{"full-width colon in list item", sub(saitama, "  - name: baseline", "  - name：baseline"), 19, 9, `a full-width colon (：) after "name"`},
		{"BOM at start", "\uFEFF" + saitama, 1, 1, "a byte-order mark (BOM, U+FEFF) at the start of the file: save the file as UTF-8 without BOM"},
		{"BOM inside", sub(saitama, "outputs:", "\uFEFFoutputs:"), 26, 1, "byte-order mark"},
		{"Shift_JIS bytes", sub(saitama, "name: 減量", "name: \x8c\xb8\x97\xca"), 29, 11, "not UTF-8 text: save the scenario as UTF-8"},
		// Numbers.
		{"full-width digits", sub(saitama, "year: 2035", "year: ２０３５"), 31, 11, `"２０３５" is written with full-width (全角) characters: write 2035 in half-width digits`},
		{"full-width digits in a float", sub(saitama, "change_pct: -10", "change_pct: －１０"), 32, 17, "write -10 in half-width digits"},
		{"full-width space in a number", sub(saitama, "ramp_years: 5", "ramp_years: \u30005"), 25, 21, "full-width"},
		{"thousands separators", sub(saitama, "change_pct: -10", "change_pct: -1,000"), 32, 17, `"-1,000" has thousands separators: write -1000 without commas`},
		{"quoted number", sub(saitama, "ramp_years: 5", `ramp_years: "5"`), 25, 21, `"5" is in quotes: write the number without quotes`},
		{"YAML 1.1 octal", sub(saitama, "ramp_years: 5", "ramp_years: 010"), 25, 21, "010 starts with 0: YAML 1.1 reads it as octal, YAML 1.2 as decimal; write 10"},
		{"octal in a float field", sub(saitama, "change_pct: -10", "change_pct: -010"), 32, 17, "write -10 without the leading zero"},
		{"sexagesimal", sub(saitama, "ramp_years: 5", "ramp_years: 1:30"), 25, 21, `"1:30" is not a number here (YAML 1.1 would read it as base-60`},
		{"ramp_years overflow", sub(saitama, "ramp_years: 5", "ramp_years: 99999999999999999999"), 25, 21, "99999999999999999999 is too large: want a whole number from -9223372036854775808 to 9223372036854775807"},
		{"seed overflow", sub(saitama, "outputs:", "seed: 18446744073709551616\noutputs:"), 26, 7, "18446744073709551616 is too large: want a whole number from 0 to 18446744073709551615"},
		{"year overflow", sub(saitama, "year: 2035", "year: 1e30"), 31, 11, "1e30 is too large"},
		{"year with a fraction", sub(saitama, "year: 2035", "year: 2035.5"), 31, 11, "2035.5 is not an integer"},
		{"word for a number", sub(saitama, "ramp_years: 5", "ramp_years: five"), 25, 21, `expected a whole number, found "five"`},
		// Booleans: YAML 1.2 has only true and false.
		{"yes", sub(saitama, "plots: false", "plots: yes"), 27, 10, `"yes" is not a boolean in YAML 1.2: write true or false`},
		{"quoted no", sub(saitama, "plots: false", `plots: "no"`), 27, 10, "write true or false"},
		{"on", sub(saitama, "plots: false", "plots: on"), 27, 10, "write true or false"},
		{"off", sub(saitama, "plots: false", "plots: Off"), 27, 10, "write true or false"},
		{"quoted true", sub(saitama, "plots: false", `plots: "true"`), 27, 10, "expected true or false without quotes"},
		// Values of the wrong kind.
		{"list for a mapping", sub(saitama, "  locations:\n    file: l.csv\n    columns: {code: code, lon: lon, lat: lat}", "  locations: [l.csv]"), 15, 14, "expected keys (key: value) under regions.locations, found a list"},
		{"text for a list", sub(saitama, "      - element: ai_sorting\n        start_year: 2030\n        ramp_years: 5", "      ai_sorting"), 23, 7, `expected a list (items on lines starting with "- ", or [a, b]), found "ai_sorting"`},
		{"mapping for text", sub(saitama, "name: t\n", "name: {ja: t}\n"), 1, 7, "expected a single value, found keys (key: value)"},
		{"missing space after colon", sub(saitama, "  plots: false", "  plots:false"), 27, 3, "(a space is needed after the colon: key: value)"},
		{"list for a number", sub(saitama, "year: 2035", "year: [2035]"), 31, 11, "expected a whole number, found a list"},
		{"bad indentation", sub(saitama, "  source: municipalities", "   source: municipalities"), 5, 0, "not indented like the keys above"},
	}
}

// TestMistakes: each mistaken scenario gives an invalid-scenario error at
// its file:line:column, in words without Go type names.
func TestMistakes(t *testing.T) {
	for _, m := range mistakes() {
		t.Run(m.name, func(t *testing.T) {
			f, err := scenarios.Parse("town.yaml", ".", []byte(m.yaml))
			if err == nil || f != nil {
				t.Fatalf("Parse: no error")
			}
			if !errors.Is(err, scenarios.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			var list scenarios.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not an ErrorList: %v", err)
			}
			found := false
			for _, e := range list {
				if e.Line == 0 || e.Column == 0 {
					t.Errorf("error without line and column: %q", e)
				}
				prefix := fmt.Sprintf("town.yaml:%d:", m.line)
				if m.col > 0 {
					prefix = fmt.Sprintf("town.yaml:%d:%d: ", m.line, m.col)
				}
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Error(), m.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("want an error at %d:%d containing %q; got\n%v", m.line, m.col, m.msg, err)
			}
			for _, w := range goWords {
				if strings.Contains(err.Error(), w) {
					t.Errorf("message names %q (a Go word):\n%v", w, err)
				}
			}
		})
	}
}

// TestSyntaxErrorsPlain: yaml's syntax errors come out in plain words with
// a column.
func TestSyntaxErrorsPlain(t *testing.T) {
	for _, y := range []string{
		saitama + "  - name: [x\n",
		saitama + "oops: {a: 1\n",
		saitama + "  \"unclosed\n",
		"name: t\n  base_year: 2023\n",
		saitama + "x: *nope\n",
		saitama + "x: \"\\q\"\n",
	} {
		_, err := scenarios.Parse("s.yaml", ".", []byte(y))
		var list scenarios.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Errorf("%q: %v; want an ErrorList", y, err)
			continue
		}
		for _, e := range list {
			if e.Line == 0 || e.Column == 0 {
				t.Errorf("%q: error without line and column: %q", y[len(y)-12:], e)
			}
		}
		for _, w := range append(goWords, "yaml: ", "referenced") {
			if strings.Contains(err.Error(), w) {
				t.Errorf("message names %q:\n%v", w, err)
			}
		}
	}
}

// TestCorrectNotFlagged: what the checks look for is fine elsewhere: a
// full-width colon or space in a value, tabs and full-width spaces inside
// block text, true/false, 0, 0.5, 1_000, and numbers quoted in text fields.
func TestCorrectNotFlagged(t *testing.T) {
	y := sub(saitama, "name: t\n", "name: 小川町：基本\ndescription: |\n  目的：　全角スペースで字下げ\n  \u3000二行目\nseed: 0\n")
	y = sub(y, "plots: false", "plots: true\n  region_materials: False")
	y = sub(y, "change_pct: -10", "change_pct: -10.5")
	y = sub(y, "ramp_years: 5", "ramp_years: 1_0")
	y = sub(y, "  - name: baseline", "  - name: \"010\"")
	y = sub(y, "inherits: baseline", "inherits: \"010\"")
	_, err := scenarios.Parse("ok.yaml", ".", []byte(y))
	if err != nil {
		// The data files do not exist: Parse does not read them.
		t.Fatalf("valid scenario rejected: %v", err)
	}
}
