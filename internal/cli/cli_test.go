package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"

	"github.com/circular-partners/junkan/internal/cli"
)

// run calls cli.Main and returns its exit status, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// ownDataFiles is for a test whose data files lie beside its scenarios:
// JUNKAN_DATA_DIR, set for the tests that read the shared data, would
// send junkan elsewhere.
func ownDataFiles(t *testing.T) { t.Setenv("JUNKAN_DATA_DIR", "") }

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// head is a valid scenario start of seven lines; a case's lines start at 8.
const head = `name: t
base_year: 2023
end_year: 2030
regions:
  source: synthetic
variants:
  - name: baseline
`

const variant2 = head + `  - name: x
    inherits: baseline
    elements:
      - element: ai_sorting
`

// tinyCSV is a municipalities file of two Saitama municipalities.
const tinyCSV = "code5,pref_name,municipality_name,pop,emp,mfg\n" +
	"11100,埼玉県,さいたま市,1300000,500000,40000\n" +
	"11201,埼玉県,川越市,350000,140000,20000\n"

// munScenario loads tiny.csv from the scenario's directory with the
// population column popCol; extra is appended (line 13 on).
func munScenario(file, popCol, extra string) string {
	return `name: m
base_year: 2023
end_year: 2030
regions:
  source: municipalities
  municipalities:
    file: ` + file + `
    columns:
      code: code5
      name: municipality_name
      prefecture: pref_name
      population: ` + popCol + "\n" + extra + `variants:
  - name: baseline
`
}

func TestRunDefault(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := run(t, "run", "-o", out)
	if code != cli.ExitOK {
		t.Fatalf("run -o DIR = %d; want 0\nstderr: %s", code, stderr)
	}
	for _, f := range []string{"timeseries.csv", "summary.json", "manifest.json"} {
		fi, err := os.Stat(filepath.Join(out, f))
		if err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v (size %d)", f, err, sizeOf(fi))
		}
	}
	pngs, _ := filepath.Glob(filepath.Join(out, "plots", "*.png"))
	if len(pngs) == 0 {
		t.Errorf("no plots/*.png in %s", out)
	}
	if !strings.HasPrefix(stdout, "FY2050, all regions") {
		t.Errorf("stdout = %q; want the summary table (diagnostics go to stderr)", stdout)
	}
	if !strings.HasPrefix(stderr, "junkan: default: 5 regions") {
		t.Errorf("stderr = %q", stderr)
	}
	ts, err := os.ReadFile(filepath.Join(out, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(ts), "scenario,level,region,archetype,year,material,indicator,value,unit\n") {
		t.Errorf("timeseries.csv header: %q", strings.SplitN(string(ts), "\n", 2)[0])
	}
	// The flag may come after the positional scenario too, and the
	// scenario file may be given.
	p := writeFile(t, t.TempDir(), "s.yaml", head)
	out2 := filepath.Join(t.TempDir(), "out2")
	if code, _, stderr := run(t, "run", p, "-o", out2, "--workers", "2"); code != cli.ExitOK || !exists(filepath.Join(out2, "summary.json")) {
		t.Errorf("run FILE -o DIR = %d\nstderr: %s", code, stderr)
	}
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return -1
	}
	return fi.Size()
}

func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	outs := map[string][]string{
		"default":   {"run", "-o", filepath.Join(dir, "a")},
		"again":     {"run", "-o", filepath.Join(dir, "b")},
		"1 worker":  {"run", "--workers", "1", "-o", filepath.Join(dir, "c")},
		"4 workers": {"run", "--workers", "4", "-o", filepath.Join(dir, "d")},
	}
	for name, args := range outs {
		if code, _, stderr := run(t, args...); code != cli.ExitOK {
			t.Fatalf("%s: exit %d\n%s", name, code, stderr)
		}
	}
	for _, f := range []string{"timeseries.csv", "summary.json"} {
		want, err := os.ReadFile(filepath.Join(dir, "a", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"b", "c", "d"} {
			got, err := os.ReadFile(filepath.Join(dir, d, f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs from a/%s", d, f, f)
			}
		}
	}
	// The runs with 1 and 4 workers are compared with each other too (all
	// equal a, so this holds; kept explicit for the acceptance criterion).
	c, _ := os.ReadFile(filepath.Join(dir, "c", "timeseries.csv"))
	d, _ := os.ReadFile(filepath.Join(dir, "d", "timeseries.csv"))
	if !bytes.Equal(c, d) {
		t.Errorf("--workers 1 and --workers 4 give different timeseries.csv")
	}
}

// TestRunBadInput: bad input gives exit status 2, a message naming the
// file, line and field, and no output directory.
func TestRunBadInput(t *testing.T) {
	ownDataFiles(t)
	cases := []struct {
		name string
		yaml string
		csv  string // written as tiny.csv next to the scenario if not ""
		want []string
	}{
		{"unknown key", head + "    rtae: 1\n", "", []string{":8:5:", "variants[0].rtae", `unknown key "rtae" under variants[0]`}},
		{"tab", head + "\tseed: 1\n", "", []string{":8:1:", "a tab in the indentation"}},
		{"full-width space", head + "\u3000seed: 1\n", "", []string{":8:1:", "full-width space"}},
		{"BOM", "\uFEFF" + head, "", []string{":1:1:", "byte-order mark"}},
		{"full-width digits", head + "seed: １２\n", "", []string{":8:7:", "seed", "write 12 in half-width digits"}},
		{"yes for true", head + "outputs: {plots: yes}\n", "", []string{":8:18:", "outputs.plots", "write true or false"}},
		{"octal", head + "seed: 012\n", "", []string{":8:7:", "seed", "YAML 1.1 reads it as octal"}},
		{"duplicate key", head + "base_year: 2024\n", "", []string{":8:", "base_year", "already defined at line 2"}},
		{"wrong type", head + "seed: abc\n", "", []string{":8:7:", "seed", `expected a whole number, found "abc"`}},
		{"non-integer", variant2 + "        start_year: 2026.5\n", "", []string{":12:", "variants[1].elements[0].start_year", "not an integer"}},
		{"NaN", head + "parameters: [{key: recycling_yield, value: .nan}]\n", "", []string{":8:", "parameters[0].value", "finite"}},
		{"Inf", head + "composition: {paper: .inf}\n", "", []string{":8:", "composition.paper", "finite"}},
		{"share outside [0,1]", head + "parameters: [{key: sorting_yield, value: 1.01}]\n", "", []string{":8:", "parameters[0].value", "outside"}},
		{"TC sum", head + "transfer_coefficients: [{process: recycling, material: plastics, shares: {recyclate_output: 0.1, process_loss: 0.2, recycling_residue: 0.71}}]\n", "",
			[]string{":8:", "transfer_coefficients[0].shares", "sum to 1.01"}},
		{"unknown material", head + "parameters: [{key: sorting_yield, material: plastic, value: 0.5}]\n", "", []string{":8:", "parameters[0].material", `did you mean "plastics"`}},
		{"unknown element", strings.Replace(variant2, "ai_sorting", "ai-sorting", 1) + "        start_year: 2026\n", "",
			[]string{":11:", "variants[1].elements[0].element", `did you mean "ai_sorting"`}},
		{"start year outside horizon", variant2 + "        start_year: 2031\n", "", []string{":12:", "variants[1].elements[0].start_year", "outside the horizon"}},
		{"inheritance cycle", head + "  - {name: a, inherits: b}\n  - {name: b, inherits: a}\n", "", []string{":8:", "variants[1].inherits", "cycle"}},
		{"duplicate variant", head + "  - name: baseline\n", "", []string{":8:", "variants[1].name", "already defined"}},
		{"unknown region", strings.Replace(head, "source: synthetic", "source: synthetic\n  overrides: [{code: \"01100\"}]", 1), "",
			[]string{":6:", "regions.overrides[0].code", `unknown region "01100"`}},
		{"empty file", "", "", []string{":1:", "empty scenario file"}},
		{"missing data file", munScenario("nowhere.csv", "pop", ""), "", []string{":7:", "regions.municipalities.file", "nowhere.csv", "not found", "--data DIR"}},
		{"column mapping does not match header", munScenario("tiny.csv", "population", ""), tinyCSV,
			[]string{":7:", "regions.municipalities.file", "tiny.csv", `"population" is not in the header`}},
		{"empty CSV", munScenario("tiny.csv", "pop", ""), "", []string{":7:", "regions.municipalities.file", "tiny.csv", "empty file"}},
		{"unknown municipality", munScenario("tiny.csv", "pop", "  overrides: [{code: 11202}]\n"), tinyCSV,
			[]string{":13:", "regions.overrides[0].code", `unknown region "11202"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, "bad.yaml", tc.yaml)
			if tc.csv != "" || strings.Contains(tc.name, "empty CSV") {
				writeFile(t, dir, "tiny.csv", tc.csv)
			}
			for _, cmd := range []string{"run", "validate"} {
				out := filepath.Join(dir, "out")
				args := []string{cmd, p}
				if cmd == "run" {
					args = append(args, "-o", out)
				}
				code, stdout, stderr := run(t, args...)
				if code != cli.ExitUsage {
					t.Errorf("%s: exit %d; want 2\nstderr: %s", cmd, code, stderr)
				}
				if !strings.Contains(stderr, p+":") {
					t.Errorf("%s: stderr does not name %s:\n%s", cmd, p, stderr)
				}
				for _, w := range tc.want {
					if !strings.Contains(stderr, w) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd, w, stderr)
					}
				}
				if stdout != "" {
					t.Errorf("%s: stdout = %q; want nothing", cmd, stdout)
				}
				for _, w := range []string{"type ", "struct", "[]", "int64", "float64", "map[", "scenarios."} {
					if strings.Contains(stderr, w) {
						t.Errorf("%s: stderr names %q (a Go word):\n%s", cmd, w, stderr)
					}
				}
				if exists(out) {
					t.Errorf("%s: output directory %s exists after bad input", cmd, out)
				}
				// No temporary directory left behind either.
				if m, _ := filepath.Glob(filepath.Join(dir, ".out*")); len(m) > 0 {
					t.Errorf("%s: left %v", cmd, m)
				}
			}
		})
	}
}

func TestRunMissingScenario(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "nope.yaml")
	out := filepath.Join(dir, "out")
	code, _, stderr := run(t, "run", p, "-o", out)
	if code != cli.ExitUsage || !strings.Contains(stderr, p) {
		t.Errorf("run missing file: exit %d; want 2 naming %s\n%s", code, p, stderr)
	}
	if exists(out) {
		t.Errorf("output directory exists after a missing scenario")
	}
}

func TestUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no args", nil, cli.ExitUsage, "Usage:"},
		{"unknown command", []string{"rn"}, cli.ExitUsage, `unknown command "rn" (did you mean "run"?)`},
		{"unknown command far off", []string{"simulate"}, cli.ExitUsage, `unknown command "simulate"`},
		{"run without -o", []string{"run"}, cli.ExitUsage, "-o DIR is required"},
		{"run two scenarios", []string{"run", "a.yaml", "b.yaml", "-o", "x"}, cli.ExitUsage, "one scenario file at most"},
		{"unknown flag", []string{"run", "--nope", "-o", "x"}, cli.ExitUsage, "unknown flag --nope"},
		{"bad workers", []string{"run", "--workers", "many", "-o", "x"}, cli.ExitUsage, `--workers "many" is not a whole number`},
		{"flag without value", []string{"run", "-o"}, cli.ExitUsage, "flag -o needs a value"},
		{"validate without file", []string{"validate"}, cli.ExitUsage, "want exactly one"},
		{"help flag", []string{"run", "-h"}, cli.ExitOK, "usage: junkan run"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, tc.args...)
			if code != tc.code || strings.Count(stderr, tc.want) != 1 {
				t.Errorf("Main(%q) = %d; want %d with %q once in stderr:\n%s", tc.args, code, tc.code, tc.want, stderr)
			}
		})
	}
	if code, stdout, _ := run(t, "help"); code != cli.ExitOK || !strings.Contains(stdout, "Usage:") {
		t.Errorf("help: exit %d, stdout %q", code, stdout)
	}
}

func TestValidate(t *testing.T) {
	ownDataFiles(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "good.yaml", variant2+"        start_year: 2026\n")
	code, stdout, stderr := run(t, "validate", p)
	if code != cli.ExitOK || !strings.Contains(stdout, p+": ok (5 regions, 2 variants, FY2023–FY2030)") {
		t.Errorf("validate good file: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	writeFile(t, dir, "tiny.csv", tinyCSV)
	p = writeFile(t, dir, "mun.yaml", munScenario("tiny.csv", "pop", "  overrides: [{code: 11201, population: 350001}]\n"))
	code, stdout, stderr = run(t, "validate", p)
	if code != cli.ExitOK || !strings.Contains(stdout, "ok (2 regions") {
		t.Errorf("validate municipalities: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestValidateExamples validates the example scenarios against the shared
// data (skipped when it is absent).
func TestValidateExamples(t *testing.T) {
	data := testutil.DataDir(t)
	for _, tc := range []struct {
		file    string
		regions string
	}{{"saitama-2050.yaml", "63 regions"}, {"japan-2050.yaml", "1741 regions"}} {
		p := filepath.Join("..", "..", "scenarios", tc.file)
		code, stdout, stderr := run(t, "validate", p, "--data", data)
		if code != cli.ExitOK || !strings.Contains(stdout, tc.regions) {
			t.Errorf("validate %s: exit %d\nstdout: %s\nstderr: %s", tc.file, code, stdout, stderr)
		}
	}
}

func TestParams(t *testing.T) {
	code, stdout, stderr := run(t, "params")
	if code != cli.ExitOK || !strings.Contains(stdout, "source:") {
		t.Errorf("params: exit %d, stderr %s", code, stderr)
	}
	code, stdout, _ = run(t, "params", "--csv")
	if code != cli.ExitOK || !strings.Contains(strings.SplitN(stdout, "\n", 2)[0], "key") {
		t.Errorf("params --csv: exit %d, first line %q", code, strings.SplitN(stdout, "\n", 2)[0])
	}
}

func TestElements(t *testing.T) {
	code, stdout, stderr := run(t, "elements")
	if code != cli.ExitOK {
		t.Fatalf("elements: exit %d\n%s", code, stderr)
	}
	for _, id := range []string{"wide_area_consolidation", "ai_sorting", "advanced_recycling", "arterial_venous_linkage",
		"cross_supply_chain_design", "collection_incentives", "consumer_experience_services", "reskilling_education"} {
		if !strings.Contains(stdout, id+"  ") {
			t.Errorf("elements does not list %s", id)
		}
	}
}

func TestExampleAndVersion(t *testing.T) {
	code, stdout, _ := run(t, "example")
	if code != cli.ExitOK || !strings.Contains(stdout, "name: default") {
		t.Errorf("example: exit %d", code)
	}
	// The printed example is itself a valid scenario.
	p := writeFile(t, t.TempDir(), "ex.yaml", stdout)
	if code, _, stderr := run(t, "validate", p); code != cli.ExitOK {
		t.Errorf("validate example: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ := run(t, "version"); code != cli.ExitOK || !strings.HasPrefix(stdout, "junkan ") {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
}
