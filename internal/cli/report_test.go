package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/output/chart"
)

func needFont(t *testing.T) {
	t.Helper()
	if chart.FindFont() == "" {
		if os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" {
			t.Fatalf("no CJK font; install %s", chart.FontPackage)
		}
		t.Skipf("no CJK font (install %s)", chart.FontPackage)
	}
}

func TestReportCommand(t *testing.T) {
	needFont(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, out := range []string{a, b} {
		if code, _, stderr := run(t, "run", "-o", out, "--quiet"); code != cli.ExitOK {
			t.Fatalf("run: exit %d: %s", code, stderr)
		}
	}
	if code, _, stderr := run(t, "report", a); code != cli.ExitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	html, err := os.ReadFile(a + "-report.html")
	if err != nil || !strings.Contains(string(html), "<h2>主要指標の比較</h2>") {
		t.Fatalf("report beside the output: %v", err)
	}
	en := filepath.Join(dir, "en.html")
	if code, _, stderr := run(t, "report", a, "-o", en, "--lang", "en", "--years", "2030", "--variants", "baseline"); code != cli.ExitOK {
		t.Fatalf("report --lang en: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(en); !strings.Contains(string(b), "<h2>Headline comparison</h2>") || !strings.Contains(string(b), "FY2030") {
		t.Error("English report lacks its headings or the report year")
	}
	cmp := filepath.Join(dir, "cmp.html")
	if code, _, stderr := run(t, "compare", a, b, "-o", cmp); code != cli.ExitOK {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(cmp); !strings.Contains(string(b), "シナリオ比較") {
		t.Error("comparison has no title")
	}
	for _, bad := range [][]string{
		{"report"}, {"report", filepath.Join(dir, "missing")}, {"report", a, "--variants", "nope"},
		{"report", a, "--lang", "fr"}, {"report", a, "--years", "x"}, {"compare", a, "-o", cmp}, {"compare", a, b},
		{"report", a, "--sankey-year", "1990"},
	} {
		if code, _, stderr := run(t, bad...); code != cli.ExitUsage {
			t.Errorf("%q: exit %d, want 2: %s", bad, code, stderr)
		}
	}
	// A run again into a, with the report beside it: still replaceable.
	if code, _, stderr := run(t, "run", "-o", a, "--quiet"); code != cli.ExitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
}

// TestOutputsReport: outputs.report writes report.html inside the run's
// outputs (sealed with them: a second run replaces the directory), and
// without a Japanese font the run stops before simulating.
func TestOutputsReport(t *testing.T) {
	needFont(t)
	dir := t.TempDir()
	_, example, _ := run(t, "example")
	example = strings.Replace(example, "\noutputs:\n", "\noutputs:\n  report: true\n", 1)
	if !strings.Contains(example, "report: true") {
		example += "\noutputs:\n  report: true\n"
	}
	scen := writeFile(t, dir, "s.yaml", example+"report:\n  years: [2030]\n")
	out := filepath.Join(dir, "out")
	for i := 0; i < 2; i++ {
		if code, _, stderr := run(t, "run", scen, "-o", out, "--quiet"); code != cli.ExitOK {
			t.Fatalf("run %d: exit %d: %s", i, code, stderr)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, cli.ReportFile))
	if err != nil || !strings.Contains(string(b), "<h2>主要指標の推移</h2>") {
		t.Fatalf("report.html: %v", err)
	}
	saved := chart.FontCandidates
	chart.FontCandidates = nil
	defer func() { chart.FontCandidates = saved }()
	out2 := filepath.Join(dir, "out2")
	code, _, stderr := run(t, "run", scen, "-o", out2, "--quiet")
	if code != cli.ExitUsage || !strings.Contains(stderr, chart.FontPackage) {
		t.Errorf("no font: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out2); err == nil {
		t.Error("output written without a font")
	}
	bad := writeFile(t, dir, "bad.yaml", example+"\nreport:\n  variants: [nope]\n")
	if code, _, stderr := run(t, "validate", bad); code != cli.ExitUsage || !strings.Contains(stderr, "report.variants[0]") {
		t.Errorf("unknown report variant: exit %d, %s", code, stderr)
	}
}
