package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/model"
)

// TestHelpEverySubcommand: every subcommand answers -h and --help with
// exit 0 and the same form: usage line, description, examples.
func TestHelpEverySubcommand(t *testing.T) {
	code, stdout, _ := run(t, "--help")
	if code != cli.ExitOK {
		t.Fatalf("--help: exit %d", code)
	}
	var names []string
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "junkan" && strings.HasPrefix(line, "  ") {
			names = append(names, f[1])
		}
	}
	if len(names) < 6 {
		t.Fatalf("usage lists %d commands: %q", len(names), names)
	}
	for _, name := range names {
		for _, h := range []string{"-h", "--help"} {
			code, stdout, stderr := run(t, name, h)
			text := stdout + stderr
			if code != cli.ExitOK {
				t.Errorf("%s %s: exit %d\n%s", name, h, code, text)
			}
			for _, want := range []string{"usage: junkan " + name, "\nexamples:\n  junkan " + name} {
				if !strings.Contains(text, want) {
					t.Errorf("%s %s: no %q in\n%s", name, h, want, text)
				}
			}
		}
		if code, _, stderr := run(t, "help", name); code != cli.ExitOK || !strings.Contains(stderr, "usage: junkan "+name) {
			t.Errorf("help %s: exit %d\n%s", name, code, stderr)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, stdout, stderr := run(t, args...)
		if code != cli.ExitOK || !strings.HasPrefix(stdout, "junkan "+cli.Version()) || !strings.Contains(stdout, " go1.") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// TestParamsFilter: every row printed matches the filter, and the count is
// that of the defaults table's matching rows.
func TestParamsFilter(t *testing.T) {
	facts := model.Defaults().Facts
	count := func(keep func(model.Fact) bool) int {
		n := 0
		for _, f := range facts {
			if keep(f) {
				n++
			}
		}
		return n
	}
	cases := []struct {
		args []string
		keep func(model.Fact) bool
	}{
		{[]string{"sorting_yield"}, func(f model.Fact) bool {
			return strings.Contains(strings.ToLower(f.Key+f.Source+f.Note), "sorting_yield")
		}},
		{[]string{"--material", "plastics"}, func(f model.Fact) bool { return f.Material == "plastics" || f.Material == "*" }},
		{[]string{"--kind", "assumption"}, func(f model.Fact) bool { return f.Kind == model.KindAssumption }},
		{[]string{"--material", "plastics", "--kind", "derived", "yield"}, func(f model.Fact) bool {
			return (f.Material == "plastics" || f.Material == "*") && f.Kind == model.KindDerived &&
				strings.Contains(strings.ToLower(f.Key+"\x00"+f.Source+"\x00"+f.Note), "yield")
		}},
	}
	for _, tc := range cases {
		code, stdout, stderr := run(t, append([]string{"params", "--csv"}, tc.args...)...)
		if code != cli.ExitOK {
			t.Errorf("params %q: exit %d\n%s", tc.args, code, stderr)
			continue
		}
		rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := count(tc.keep)
		if want == 0 || want == len(facts) || len(rows)-1 != want {
			t.Errorf("params %q: %d rows; want %d (of %d)", tc.args, len(rows)-1, want, len(facts))
		}
		for _, r := range rows[1:] {
			f := model.Fact{Key: r[0], Archetype: r[1], Material: r[2], Kind: r[5], Source: r[6], Note: r[7]}
			if !tc.keep(f) {
				t.Errorf("params %q printed %v", tc.args, r[:3])
			}
		}
		// The text form says how many of all.
		_, text, _ := run(t, append([]string{"params"}, tc.args...)...)
		if !strings.Contains(text, "parameters:") || !strings.Contains(text, " of ") {
			t.Errorf("params %q: no count line", tc.args)
		}
	}
	for _, args := range [][]string{{"--material", "plastic"}, {"--kind", "guess"}, {"no_such_parameter_word"}} {
		if code, _, stderr := run(t, append([]string{"params"}, args...)...); code != cli.ExitUsage || !strings.Contains(stderr, "params:") {
			t.Errorf("params %q: exit %d\n%s", args, code, stderr)
		}
	}
	if _, _, stderr := run(t, "params", "--material", "plastic"); !strings.Contains(stderr, `did you mean "plastics"`) {
		t.Errorf("params --material plastic: %s", stderr)
	}
}

// TestRunSummaryTable: run prints per variant the last report year's
// figures, equal to summary.json's end-year figures (the default ends in
// 2050, its last report year), and --quiet silences it.
func TestRunSummaryTable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := run(t, "run", "-o", out)
	if code != cli.ExitOK {
		t.Fatalf("run: %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Variants []struct {
			Name     string `json:"name"`
			TotalMSW struct {
				EndYear struct {
					Year          int     `json:"year"`
					WastePerCap   float64 `json:"waste_per_capita_g_per_day"`
					RecyclingRate float64 `json:"recycling_rate_pct"`
					FinalDisposal float64 `json:"final_disposal_t"`
				} `json:"end_year"`
			} `json:"total_msw"`
		} `json:"variants"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2+len(sum.Variants) || !strings.HasPrefix(lines[0], "FY2050, all regions, municipal waste scope (msw); in parentheses the change from baseline") {
		t.Fatalf("table:\n%s", stdout)
	}
	for _, h := range []string{"waste g/person/day", "recycling %", "final disposal t", "cost JPY/person/yr", "GHG net tCO2e"} {
		if !strings.Contains(lines[1], h) {
			t.Errorf("header lacks %q: %s", h, lines[1])
		}
	}
	ref := sum.Variants[0].TotalMSW.EndYear
	for i, v := range sum.Variants {
		e := v.TotalMSW.EndYear
		f := strings.Fields(lines[2+i])
		if f[0] != v.Name {
			t.Errorf("row %d: %q; want variant %s", i, lines[2+i], v.Name)
		}
		want := []string{cli.Thousands(e.WastePerCap, 1), cli.Thousands(e.RecyclingRate, 1), cli.Thousands(e.FinalDisposal, 0)}
		got := []string{f[1], f[2], f[3]}
		if i > 0 {
			want = append(want, "("+cli.Signed(e.WastePerCap-ref.WastePerCap, 1)+")")
			got = []string{f[1], f[3], f[5], f[2]}
		}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s: cell %d = %q; want %q (row %q)", v.Name, k, got[k], want[k], lines[2+i])
			}
		}
	}
	out2 := filepath.Join(t.TempDir(), "out")
	if code, stdout, _ := run(t, "run", "-o", out2, "--quiet"); code != cli.ExitOK || stdout != "" {
		t.Errorf("run --quiet: exit %d, stdout %q", code, stdout)
	}
}

func TestThousands(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		d    int
		want string
	}{{0, 0, "0"}, {-0.04, 1, "0.0"}, {999, 0, "999"}, {1000, 0, "1,000"}, {-1234567.891, 2, "-1,234,567.89"}, {123456, 1, "123,456.0"}} {
		if got := cli.Thousands(tc.x, tc.d); got != tc.want {
			t.Errorf("thousands(%v, %d) = %q; want %q", tc.x, tc.d, got, tc.want)
		}
	}
	if got := cli.Signed(0, 0); got != "+0" {
		t.Errorf("signed(0) = %q", got)
	}
}
