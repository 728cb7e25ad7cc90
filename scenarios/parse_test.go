package scenarios_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/circular-partners/junkan/scenarios"
)

// head is the valid start of the test scenarios: seven lines, so that a
// case's own lines start at line 8.
const head = `name: t
base_year: 2023
end_year: 2050
regions:
  source: synthetic
variants:
  - name: baseline
`

// variant2 adds a second variant with one element at lines 8–11; the
// element's fields follow at line 12.
const variant2 = head + `  - name: x
    inherits: baseline
    elements:
      - element: ai_sorting
`

// want is one error expected in a file: its line, field path and a piece
// of its message.
type want struct {
	line int
	path string
	msg  string
}

// checkErrors asserts that err is an invalid-scenario error naming file
// that contains every error of ws (and possibly more when exact is false).
func checkErrors(t *testing.T, file string, err error, exact bool, ws ...want) {
	t.Helper()
	if err == nil {
		t.Fatalf("Parse: no error; want %v", ws)
	}
	if !errors.Is(err, scenarios.ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) = false for %v", err)
	}
	var list scenarios.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T is not an ErrorList: %v", err, err)
	}
	msg := err.Error()
	for _, e := range list {
		if e.File != file || !strings.Contains(e.Error(), file) {
			t.Errorf("error %q does not name file %q", e, file)
		}
	}
	for _, w := range ws {
		found := false
		for _, e := range list {
			if e.Line == w.line && e.Path == w.path && strings.Contains(e.Err.Error(), w.msg) {
				found = true
				// The message itself names file, line and field.
				s := e.Error()
				if !strings.HasPrefix(s, file+":"+itoa(w.line)+":") || !strings.Contains(s, w.path) {
					t.Errorf("message %q: want prefix %s:%d: and field %s", s, file, w.line, w.path)
				}
			}
		}
		if !found {
			t.Errorf("no error at line %d, field %q, containing %q; got:\n%s", w.line, w.path, w.msg, msg)
		}
	}
	if exact && len(list) != len(ws) {
		t.Errorf("got %d errors, want %d:\n%s", len(list), len(ws), msg)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestParseBadInput(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []want
	}{
		{"unknown key", head + "    rtae: 1\n",
			[]want{{8, "variants[0].rtae", `unknown key "rtae" under variants[0]; valid keys: name, inherits, elements`}}},
		{"unknown top-level key", head + "colour: red\n",
			[]want{{8, "colour", `unknown key "colour" at the top level; valid keys: name, description`}}},
		{"unknown key in flow mapping", head + "outputs: {plots: true, plot: false}\n",
			[]want{{8, "outputs.plot", `unknown key "plot" under outputs (did you mean "plots"?); valid keys: region_materials, plots`}}},
		{"duplicate key", head + "name: u\n",
			[]want{{8, "name", `key "name" already defined at line 1`}}},
		{"duplicate nested key", head + `transfer_coefficients:
  - process: reuse
    shares: {reused: 0.5, waste_generated: 0.5}
    process: collection
`, []want{{11, "transfer_coefficients[0].process", `key "process" already defined at line 9`}}},
		{"duplicate map key", head + "composition: {paper: 0.5, paper: 0.5}\n",
			[]want{{8, "composition.paper", `key "paper" already defined`}}},
		{"wrong type string for int", strings.Replace(head, "end_year: 2050", "end_year: soon", 1),
			[]want{{3, "end_year", `expected a whole number, found "soon"`}}},
		{"wrong type scalar for list", head + "    elements: 3\n",
			[]want{{8, "variants[0].elements", "expected a list"}}},
		{"wrong type list for string", head + "description: [a, b]\n",
			[]want{{8, "description", "expected a single value, found a list"}}},
		{"wrong type bool", head + "outputs:\n  plots: maybe\n",
			[]want{{9, "outputs.plots", `expected true or false, found "maybe"`}}},
		{"non-integer start year", variant2 + "        start_year: 2026.5\n",
			[]want{{12, "variants[1].elements[0].start_year", "2026.5 is not an integer"}}},
		{"non-integer ramp years", variant2 + "        start_year: 2026\n        ramp_years: 2.5\n",
			[]want{{13, "variants[1].elements[0].ramp_years", "2.5 is not an integer"}}},
		{"non-integer seed", head + "seed: 1.5\n",
			[]want{{8, "seed", "1.5 is not an integer"}}},
		{"negative seed", head + "seed: -1\n",
			[]want{{8, "seed", "-1 is negative: want a whole number from 0 to 18446744073709551615"}}},
		{"NaN", head + "parameters:\n  - key: recycling_yield\n    value: .nan\n",
			[]want{{10, "parameters[0].value", "numbers must be finite"}}},
		{"Inf", head + "parameters:\n  - key: recycling_yield\n    value: -.Inf\n",
			[]want{{10, "parameters[0].value", "numbers must be finite"}}},
		{"Inf in flow mapping", head + "transfer_coefficients: [{process: reuse, shares: {reused: .inf, waste_generated: 0}}]\n",
			[]want{{8, "transfer_coefficients[0].shares.reused", "numbers must be finite"}}},
		{"NaN population change", strings.Replace(head, "  source: synthetic", "  source: synthetic\n  population_change_per_year: .NaN", 1),
			[]want{{6, "regions.population_change_per_year", "numbers must be finite"}}},
		{"overflowing float", head + "parameters:\n  - key: recycling_yield\n    value: 1e999\n",
			[]want{{10, "parameters[0].value", "1e999 is too large for a number"}}},
		{"parameter share above 1", head + "parameters:\n  - key: recycling_yield\n    value: 1.2\n",
			[]want{{10, "parameters[0].value", "outside its domain [0, 1]"}}},
		{"parameter share below 0", head + "parameters:\n  - key: separate_collection_share\n    value: -0.1\n",
			[]want{{10, "parameters[0].value", "outside its domain"}}},
		{"TC share below 0", head + "transfer_coefficients:\n  - process: recycling\n    shares: {recyclate_output: -0.1, process_loss: 0.4, recycling_residue: 0.7}\n",
			[]want{{10, "transfer_coefficients[0].shares.recyclate_output", "share -0.1 outside [0, 1]"}}},
		{"composition share above 1", head + "composition:\n  paper: 1.5\n  food: 0\n  plastics: 0\n  glass: 0\n  ferrous: 0\n  aluminium: 0\n  textiles: 0\n  wood: 0\n  other: -0.5\n",
			[]want{{9, "composition.paper", "share 1.5 outside [0, 1]"}, {17, "composition.other", "share -0.5 outside [0, 1]"}}},
		{"gap magnitude outside [0,1]", variant2 + "        start_year: 2026\n        magnitudes: {ai_sorting.sorting_yield_gain: 1.5}\n",
			[]want{{13, "variants[1].elements[0].magnitudes.ai_sorting.sorting_yield_gain", "1.5 outside [0, 1]"}}},
		{"relative magnitude below -1", strings.Replace(variant2, "ai_sorting", "collection_incentives", 1) + "        start_year: 2026\n        magnitudes:\n          collection_incentives.generation_change: -1.5\n",
			[]want{{14, "variants[1].elements[0].magnitudes.collection_incentives.generation_change", "below −1"}}},
		{"unknown magnitude", variant2 + "        start_year: 2026\n        magnitudes: {ai_sorting.sorting_yield_gian: 0.5}\n",
			[]want{{13, "variants[1].elements[0].magnitudes.ai_sorting.sorting_yield_gian", `did you mean "ai_sorting.sorting_yield_gain"?`}}},
		{"lifetime domain", head + "products:\n  - id: appliances\n    lifetime: {distribution: weibull, shape: 0, scale: 10}\n",
			[]want{{10, "products[0].lifetime.shape", "Weibull shape 0 must be > 0"}}},
		{"lognormal sigma", head + "products:\n  - id: appliances\n    lifetime: {distribution: lognormal, mu: 2, sigma: -1}\n",
			[]want{{10, "products[0].lifetime.sigma", "σ -1 must be > 0"}}},
		{"negative mean", head + "products:\n  - id: appliances\n    lifetime: {distribution: normal, mean: -3, sd: 1}\n",
			[]want{{10, "products[0].lifetime.mean", "mean -3 years must be > 0"}}},
		{"product composition", head + "products:\n  - id: appliances\n    composition: {ferrous: 0.5, plastics: 0.4}\n",
			[]want{{10, "products[0].composition", "sum to 0.9"}}},
		{"unknown product", head + "products:\n  - id: appliance\n",
			[]want{{9, "products[0].id", `did you mean "appliances"?`}}},
		{"TC sum not 1", head + "transfer_coefficients: [{process: recycling, material: plastics, shares: {recyclate_output: 0.1, process_loss: 0.2, recycling_residue: 0.71}}]\n",
			[]want{{8, "transfer_coefficients[0].shares", "transfer coefficients sum to 1.01, want 1 within 1e-9"}}},
		{"TC output missing", head + "transfer_coefficients:\n  - process: reuse\n    shares: {reused: 0.5}\n",
			[]want{{10, "transfer_coefficients[0].shares", "output waste_generated missing"},
				{10, "transfer_coefficients[0].shares", "sum to 0.5"}}},
		{"TC reuse all", head + "transfer_coefficients:\n  - process: reuse\n    shares: {reused: 1, waste_generated: 0}\n",
			[]want{{10, "transfer_coefficients[0].shares.reused", "outside [0, 0.999999]"}}},
		{"TC unknown output", head + "transfer_coefficients:\n  - process: reuse\n    shares: {reused: 0.5, wasted: 0.5}\n",
			[]want{{10, "transfer_coefficients[0].shares.wasted", "not an output of reuse"}, {10, "transfer_coefficients[0].shares", "output waste_generated missing"}}},
		{"TC unknown process", head + "transfer_coefficients:\n  - process: recyclin\n    shares: {a: 1}\n",
			[]want{{9, "transfer_coefficients[0].process", `unknown process "recyclin" (did you mean "recycling"?)`}}},
		{"composition sum not 1", head + "composition: {food: 0.4, paper: 0.2, plastics: 0.2, glass: 0.03, ferrous: 0.005, aluminium: 0.005, textiles: 0.01, wood: 0.07, other: 0.05}\n",
			[]want{{8, "composition", "shares sum to 0.97"}}},
		{"unknown material", head + "parameters:\n  - key: recycling_yield\n    material: plastic\n    value: 0.5\n",
			[]want{{10, "parameters[0].material", `unknown material or product "plastic" (did you mean "plastics"?)`}}},
		{"unknown material in composition", head + "composition: {paper: 1, glas: 0, plastics: 0, food: 0, glass: 0, ferrous: 0, aluminium: 0, textiles: 0, wood: 0, other: 0}\n",
			[]want{{8, "composition.glas", `unknown material "glas" (did you mean "glass"?)`}}},
		{"material missing in composition", head + "composition: {paper: 1, plastics: 0, food: 0, glass: 0, ferrous: 0, aluminium: 0, textiles: 0, wood: 0}\n",
			[]want{{8, "composition", "material other missing"}}},
		{"unknown archetype", head + "parameters:\n  - key: recycling_yield\n    archetype: f\n    value: 0.5\n",
			[]want{{10, "parameters[0].archetype", `unknown archetype "f"`}}},
		{"unknown parameter", head + "parameters:\n  - key: recycling_yeld\n    value: 0.5\n",
			[]want{{9, "parameters[0].key", `unknown parameter "recycling_yeld" (did you mean "recycling_yield"?)`}}},
		{"unknown element with suggestion", strings.Replace(variant2, "element: ai_sorting", "element: ai_sortin", 1) + "        start_year: 2026\n",
			[]want{{11, "variants[1].elements[0].element", `unknown element "ai_sortin" (did you mean "ai_sorting"?)`}}},
		{"start year after horizon", variant2 + "        start_year: 2060\n",
			[]want{{12, "variants[1].elements[0].start_year", "2060 outside the horizon 2023–2050"}}},
		{"start year before horizon", variant2 + "        start_year: 2020\n",
			[]want{{12, "variants[1].elements[0].start_year", "2020 outside the horizon"}}},
		{"start year missing", variant2 + "        ramp_years: 2\n",
			[]want{{11, "variants[1].elements[0].start_year", "missing"}}},
		{"bad ramp", variant2 + "        start_year: 2026\n        ramp: cubic\n",
			[]want{{13, "variants[1].elements[0].ramp", `"cubic": want linear or logistic`}}},
		{"inheritance cycle", head + "  - name: a\n    inherits: b\n  - name: b\n    inherits: a\n",
			[]want{{9, "variants[1].inherits", "inheritance cycle: a → b → a"}, {11, "variants[2].inherits", "inheritance cycle: b → a → b"}}},
		{"self inheritance", head + "  - name: a\n    inherits: a\n",
			[]want{{9, "variants[1].inherits", "inheritance cycle"}}},
		{"unknown parent", head + "  - name: a\n    inherits: baseline2\n",
			[]want{{9, "variants[1].inherits", `unknown variant "baseline2" (did you mean "baseline"?)`}}},
		{"duplicate variant names", head + "  - name: baseline\n",
			[]want{{8, "variants[1].name", `variant "baseline" already defined at variants[0]`}}},
		{"no variants", strings.TrimSuffix(head, "variants:\n  - name: baseline\n"),
			[]want{{1, "variants", "missing"}}},
		{"missing name", strings.Replace(head, "name: t\n", "description: x\n", 1),
			[]want{{1, "name", "missing"}}},
		{"end before base", strings.Replace(head, "end_year: 2050", "end_year: 2020", 1),
			[]want{{3, "end_year", "must be ≥ base_year 2023"}}},
		{"unknown source", strings.Replace(head, "source: synthetic", "source: synthetc", 1),
			[]want{{5, "regions.source", `"synthetc": want synthetic or municipalities`}}},
		{"municipalities without mapping", strings.Replace(head, "source: synthetic", "source: municipalities", 1),
			[]want{{5, "regions.municipalities", "missing: source municipalities needs"}}},
		{"missing column mapping", strings.Replace(head, "source: synthetic", "source: municipalities\n  municipalities:\n    file: m.csv\n    columns: {code: code5, name: n, prefecture: p}", 1),
			[]want{{8, "regions.municipalities.columns.population", "missing: name the CSV column holding the population"}}},
		{"duplicate override code", strings.Replace(head, "source: synthetic", "source: synthetic\n  overrides:\n    - code: synthetic-a\n    - code: synthetic-a", 1),
			[]want{{8, "regions.overrides[1].code", `region "synthetic-a" already overridden at overrides[0]`}}},
		{"recycling rate above 100", strings.Replace(head, "source: synthetic", "source: synthetic\n  overrides:\n    - {code: synthetic-a, recycling_rate_pct: 120}", 1),
			[]want{{7, "regions.overrides[0].recycling_rate_pct", "outside [0, 100]"}}},
		{"empty file", "", []want{{1, "", "empty scenario file"}}},
		{"only comments", "# nothing here\n\n", []want{{1, "", "empty scenario file"}}},
		{"only a document marker", "---\n", []want{{2, "", "must be a mapping"}}},
		{"not a mapping", "- name: t\n", []want{{1, "", "must be a mapping"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := scenarios.Parse("bad.yaml", ".", []byte(tc.yaml))
			if f != nil {
				t.Errorf("Parse returned a File with the error")
			}
			checkErrors(t, "bad.yaml", err, true, tc.want...)
		})
	}
}

// TestParseSyntaxErrors: yaml's own syntax errors have a line (yaml.v3
// sometimes reports the line before the offending one) but no field.
func TestParseSyntaxErrors(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		line int // the offending line
		msg  string
	}{
		{"unclosed flow sequence", head + "  - name: [x\n", 8, "a list in [ ] is not closed"},
		{"tab indentation", head + "\tname: x\n", 8, "a tab in the indentation"},
		{"bad indentation", "name: t\n  base_year: 2023\n", 2, "check the indentation of this line"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenarios.Parse("syn.yaml", ".", []byte(tc.yaml))
			var list scenarios.ErrorList
			if !errors.As(err, &list) || len(list) != 1 || !errors.Is(err, scenarios.ErrInvalid) {
				t.Fatalf("Parse: %v; want one ErrInvalid", err)
			}
			e := list[0]
			if e.File != "syn.yaml" || e.Line < tc.line-1 || e.Line > tc.line || !strings.Contains(e.Err.Error(), tc.msg) {
				t.Errorf("got %q; want syn.yaml line %d (or the one before), %q", e, tc.line, tc.msg)
			}
		})
	}
}

// TestParseDroppedElements: yaml drops sequence elements it cannot decode
// and does not decode mappings with repeated keys; validation must not
// then report errors at the wrong index or "missing" fields.
func TestParseDroppedElements(t *testing.T) {
	y := head + "  - 3\n  - name: x\n    inherits: nope\n"
	_, err := scenarios.Parse("d.yaml", ".", []byte(y))
	// The elements after it keep their index.
	checkErrors(t, "d.yaml", err, true, want{8, "variants[1]", "expected keys (key: value) under variants[1], found the number 3"},
		want{10, "variants[2].inherits", `unknown variant "nope"`})

	// A repeated key in one transfer coefficient: the other errors of
	// the file are still reported.
	y = head + `transfer_coefficients:
  - process: reuse
    process: reuse
    shares: {reused: 1, waste_generated: 0}
parameters:
  - {key: recycling_yield, value: 2}
`
	_, err = scenarios.Parse("d.yaml", ".", []byte(y))
	checkErrors(t, "d.yaml", err, true,
		want{10, "transfer_coefficients[0].process", "already defined at line 9"},
		want{11, "transfer_coefficients[0].shares.reused", "outside [0, 0.999999]"},
		want{13, "parameters[0].value", "outside its domain"})
}

func TestParseAllErrorsAtOnce(t *testing.T) {
	// Four different problems: an unknown key and a non-integer (found
	// while decoding), an unknown material and a start year outside the
	// horizon (found by validation).
	y := head + `    colour: red
  - name: x
    inherits: baseline
    elements:
      - element: ai_sorting
        start_year: 2051
        ramp_years: 1.5
parameters:
  - key: recycling_yield
    material: glas
    value: 0.5
`
	_, err := scenarios.Parse("many.yaml", ".", []byte(y))
	checkErrors(t, "many.yaml", err, true,
		want{8, "variants[0].colour", `unknown key "colour"`},
		want{13, "variants[1].elements[0].start_year", "2051 outside the horizon"},
		want{14, "variants[1].elements[0].ramp_years", "1.5 is not an integer"},
		want{17, "parameters[0].material", `unknown material or product "glas"`},
	)
	// In file order.
	var list scenarios.ErrorList
	errors.As(err, &list)
	for i := 1; i < len(list); i++ {
		if list[i].Line < list[i-1].Line {
			t.Errorf("errors not in file order: line %d after line %d", list[i].Line, list[i-1].Line)
		}
	}
	if n := strings.Count(err.Error(), "\n  many.yaml:"); n != 4 {
		t.Errorf("message lists %d errors, want 4:\n%v", n, err)
	}
}

// TestParseThreeErrors is the acceptance case: three different errors in
// one file are all reported by one call.
func TestParseThreeErrors(t *testing.T) {
	y := `name: t
base_year: 2023
end_year: 2050
regions:
  source: synthetic
  synthetic:
    archetypes: [a, x]
variants:
  - name: baseline
  - name: baseline
parameters:
  - key: sorting_yield
    value: 1.5
`
	_, err := scenarios.Parse("three.yaml", ".", []byte(y))
	checkErrors(t, "three.yaml", err, true,
		want{7, "regions.synthetic.archetypes[1]", `unknown archetype "x"`},
		want{10, "variants[1].name", "already defined"},
		want{13, "parameters[0].value", "outside its domain"},
	)
}

// TestParseDecodeErrorsDoNotCascade: a bad end_year is reported once, and
// does not make every start year "outside the horizon".
func TestParseDecodeErrorsDoNotCascade(t *testing.T) {
	y := strings.Replace(variant2, "end_year: 2050", "end_year: 2050.5", 1) + "        start_year: 2030\n"
	_, err := scenarios.Parse("c.yaml", ".", []byte(y))
	checkErrors(t, "c.yaml", err, true, want{3, "end_year", "2050.5 is not an integer"})

	y = strings.Replace(head, "end_year: 2050", "end_year: [2050]", 1)
	_, err = scenarios.Parse("c.yaml", ".", []byte(y))
	checkErrors(t, "c.yaml", err, true, want{3, "end_year", "expected a whole number, found a list"})
}

func TestParseTransferCoefficientOrder(t *testing.T) {
	terms := []string{"recyclate_output: 0.1", "process_loss: 0.2", "recycling_residue: 0.7"}
	bad := []string{"recyclate_output: 0.1", "process_loss: 0.2", "recycling_residue: 0.71"}
	perms := [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, p := range perms {
		ts := []string{terms[p[0]], terms[p[1]], terms[p[2]]}
		y := head + "transfer_coefficients: [{process: recycling, material: plastics, shares: {" + strings.Join(ts, ", ") + "}}]\n"
		f, err := scenarios.Parse("tc.yaml", ".", []byte(y))
		if err != nil {
			t.Errorf("shares {%s}: %v", strings.Join(ts, ", "), err)
			continue
		}
		if got := f.Scenario.TransferCoefficients[0].Shares["recycling_residue"]; got != 0.7 {
			t.Errorf("recycling_residue = %v; want 0.7", got)
		}
		// The same in block style.
		y = head + "transfer_coefficients:\n  - process: recycling\n    material: plastics\n    shares:\n      " + strings.Join(ts, "\n      ") + "\n"
		if _, err := scenarios.Parse("tc.yaml", ".", []byte(y)); err != nil {
			t.Errorf("block shares %v: %v", ts, err)
		}
		bs := []string{bad[p[0]], bad[p[1]], bad[p[2]]}
		y = head + "transfer_coefficients: [{process: recycling, material: plastics, shares: {" + strings.Join(bs, ", ") + "}}]\n"
		_, err = scenarios.Parse("tc.yaml", ".", []byte(y))
		checkErrors(t, "tc.yaml", err, true, want{8, "transfer_coefficients[0].shares", "sum to 1.01"})
	}
}

func TestParseCodesStayStrings(t *testing.T) {
	for _, code := range []string{`01100`, `"01100"`, `'01100'`} {
		y := strings.Replace(head, "source: synthetic", "source: synthetic\n  overrides:\n    - code: "+code, 1) +
			"parameters:\n  - key: recycling_yield\n    regions: [" + code + ", 00001]\n    value: 0.5\n"
		f, err := scenarios.Parse("codes.yaml", ".", []byte(y))
		if err != nil {
			t.Fatalf("code %s: %v", code, err)
		}
		if got := f.Scenario.Regions.Overrides[0].Code; got != "01100" {
			t.Errorf("code: %s decoded as %q; want \"01100\"", code, got)
		}
		if got := f.Scenario.Parameters[0].Regions; len(got) != 2 || got[0] != "01100" || got[1] != "00001" {
			t.Errorf("regions: [%s, 00001] decoded as %q", code, got)
		}
	}
}

func TestParseMergeKeys(t *testing.T) {
	y := `horizon: &h {base_year: 2023, end_year: 2050}
name: t
<<: *h
regions: {source: synthetic}
variants: [{name: baseline}]
`
	// horizon is not a field, but the merge itself must not make base_year
	// and end_year "missing".
	_, err := scenarios.Parse("merge.yaml", ".", []byte(y))
	checkErrors(t, "merge.yaml", err, true, want{1, "horizon", `unknown key "horizon" at the top level`})
	y = `name: t
<<: {base_year: 2023, end_year: 2050}
regions: {source: synthetic}
variants: [{name: baseline}]
`
	if _, err := scenarios.Parse("merge.yaml", ".", []byte(y)); err != nil {
		t.Errorf("merge key: %v", err)
	}
}

// aliasBomb is a "billion laughs" document: 10⁹ nodes once expanded.
const aliasBomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
`

func TestParseAliasBomb(t *testing.T) {
	// Must fail fast (indexing is bounded), not expand every alias.
	start := time.Now()
	_, err := scenarios.Parse("bomb.yaml", ".", []byte(aliasBomb))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Parse took %v", d)
	}
	if !errors.Is(err, scenarios.ErrInvalid) {
		t.Errorf("alias bomb: err = %v; want ErrInvalid", err)
	}
	// The same bomb in a scenario whose fields follow it: no field is
	// reported missing because the expansion stopped first.
	y := strings.Replace(aliasBomb, "i: &i", `name: t
base_year: 2023
end_year: 2050
regions: {source: synthetic}
variants: [{name: b, elements: [{element: ai_sorting, start_year: 2025, archetypes: [*h]}]}]
zz: &i`, 1)
	_, err = scenarios.Parse("bomb.yaml", ".", []byte(y))
	if err == nil || strings.Contains(err.Error(), "missing") || !strings.Contains(err.Error(), "aliases expand to more than") {
		t.Errorf("alias bomb in a scenario: %v", err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(variant2+"        start_year: 2099\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := scenarios.Load(path)
	checkErrors(t, path, err, true, want{12, "variants[1].elements[0].start_year", "outside the horizon"})

	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = scenarios.Load(path)
	checkErrors(t, path, err, true, want{1, "", "empty scenario file"})

	missing := filepath.Join(dir, "nope.yaml")
	_, err = scenarios.Load(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Load(%q) = %v; want ErrNotExist naming the file", missing, err)
	}

	if err := os.WriteFile(path, []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Dir != dir || f.Path != path {
		t.Errorf("Load: Path %q Dir %q; want %q, %q", f.Path, f.Dir, path, dir)
	}
}

func TestValidScenarios(t *testing.T) {
	f, err := scenarios.Default()
	if err != nil {
		t.Fatalf("Default(): %v", err)
	}
	if f.Scenario.Name != "default" || len(f.Scenario.Variants) < 2 {
		t.Errorf("Default(): name %q, %d variants", f.Scenario.Name, len(f.Scenario.Variants))
	}
	for _, name := range []string{"saitama-2050.yaml", "japan-2050.yaml"} {
		f, err := scenarios.Load(name)
		if err != nil {
			t.Errorf("Load(%s): %v", name, err)
			continue
		}
		if f.Scenario.Regions.Source != "municipalities" || f.Scenario.BaseYear != 2023 || f.Scenario.EndYear != 2050 {
			t.Errorf("Load(%s): source %q, %d–%d", name, f.Scenario.Regions.Source, f.Scenario.BaseYear, f.Scenario.EndYear)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	cases := []struct {
		e    scenarios.Error
		want string
	}{
		{scenarios.Error{File: "a.yaml", Line: 3, Column: 5, Path: "x.y", Err: errors.New("bad")}, "a.yaml:3:5: x.y: bad"},
		{scenarios.Error{File: "a.yaml", Line: 3, Path: "x", Err: errors.New("bad")}, "a.yaml:3: x: bad"},
		{scenarios.Error{File: "a.yaml", Err: errors.New("bad")}, "a.yaml: bad"},
	}
	for _, tc := range cases {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q; want %q", got, tc.want)
		}
		if !errors.Is(&tc.e, scenarios.ErrInvalid) {
			t.Errorf("%q does not wrap ErrInvalid", tc.want)
		}
	}
}
