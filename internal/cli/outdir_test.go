package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/internal/outdir"
)

// tree returns every path under dir with its content (directories end
// in /), to compare a directory before and after a refused run.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if fi.IsDir() {
			out = append(out, rel+"/")
			return nil
		}
		b, _ := os.ReadFile(p)
		out = append(out, rel+"="+string(b))
		return nil
	})
	return out
}

// TestRunRefusesForeignOutputDir checks the rule for -o: a directory is
// replaced only if it is empty or holds exactly an earlier output junkan
// wrote; else the run exits 2, names what is there and changes nothing.
func TestRunRefusesForeignOutputDir(t *testing.T) {
	scen := writeFile(t, t.TempDir(), "s.yaml", head)
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
	}{
		"web app with a manifest.json": {map[string]string{"manifest.json": `{"name":"app"}`, "index.html": "<p>"},
			"it holds index.html, manifest.json"},
		"thesis with another tool's timeseries.csv": {map[string]string{"timeseries.csv": "t,v\n", "thesis.tex": "x"},
			"thesis.tex, timeseries.csv"},
		"hidden file only":   {map[string]string{".env": "KEY=1"}, ".env"},
		"a single directory": {map[string]string{"data/a.csv": "1"}, "data/"},
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "o")
			for p, c := range tc.files {
				os.MkdirAll(filepath.Dir(filepath.Join(out, p)), 0o755)
				writeFile(t, out, p, c)
			}
			before := tree(t, out)
			code, _, stderr := run(t, "run", scen, "-o", out)
			if code != cli.ExitUsage || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "refusing to replace it") {
				t.Errorf("exit %d; want 2 naming %q:\n%s", code, tc.want, stderr)
			}
			if after := tree(t, out); !slices.Equal(after, before) {
				t.Errorf("directory changed:\n%v\n%v", before, after)
			}
			if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".o*")); len(m) > 0 {
				t.Errorf("left %v", m)
			}
		})
	}

	// An earlier output with a file added, or a file edited, is refused;
	// the untouched earlier output is replaced.
	out := filepath.Join(t.TempDir(), "o")
	if code, _, stderr := run(t, "run", scen, "-o", out); code != cli.ExitOK {
		t.Fatalf("first run: %d\n%s", code, stderr)
	}
	writeFile(t, out, "my notes.txt", "keep me")
	code, _, stderr := run(t, "run", scen, "-o", out)
	if code != cli.ExitUsage || !strings.Contains(stderr, "holds files junkan did not write: my notes.txt") {
		t.Errorf("added file: exit %d\n%s", code, stderr)
	}
	os.Remove(filepath.Join(out, "my notes.txt"))
	sum := filepath.Join(out, "summary.json")
	b, _ := os.ReadFile(sum)
	os.WriteFile(sum, append(b, ' '), 0o644)
	code, _, stderr = run(t, "run", scen, "-o", out)
	if code != cli.ExitUsage || !strings.Contains(stderr, "changed since junkan wrote them: summary.json") {
		t.Errorf("edited file: exit %d\n%s", code, stderr)
	}
	os.WriteFile(sum, b, 0o644)
	if code, _, stderr := run(t, "run", scen, "-o", out); code != cli.ExitOK {
		t.Errorf("earlier output: exit %d\n%s", code, stderr)
	}
}

// TestRunRefusesInputsInsideOutput checks that a run whose scenario or
// data file lies inside -o is refused before anything is written.
func TestRunRefusesInputsInsideOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if code, _, stderr := run(t, "run", "-o", out); code != cli.ExitOK {
		t.Fatalf("first run: %d\n%s", code, stderr)
	}
	// The scenario inside an earlier output: the output is junkan's but
	// holds the scenario, so it is refused (either rule names it).
	scen := writeFile(t, out, "s.yaml", head)
	before := tree(t, out)
	code, _, stderr := run(t, "run", scen, "-o", out)
	if code != cli.ExitUsage || !strings.Contains(stderr, "s.yaml") {
		t.Errorf("scenario inside -o: exit %d\n%s", code, stderr)
	}
	if !slices.Equal(tree(t, out), before) {
		t.Error("output changed")
	}
	// A data file that is itself a file of an earlier output (written
	// here through outdir, as junkan writes its outputs).
	data := filepath.Join(dir, "prev")
	d, err := outdir.Begin(data, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, d.Path(), "tiny.csv", tinyCSV)
	if err := d.Commit(nil, nil); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, dir, "m.yaml", munScenario(filepath.Join(data, "tiny.csv"), "pop", ""))
	code, _, stderr = run(t, "run", p, "-o", data)
	if code != cli.ExitUsage || !strings.Contains(stderr, "tiny.csv lies inside the output directory") {
		t.Errorf("data file inside -o: exit %d\n%s", code, stderr)
	}
	if !exists(filepath.Join(data, "tiny.csv")) {
		t.Error("data file gone")
	}
	// The working directory as -o.
	t.Chdir(out)
	code, _, stderr = run(t, "run", "-o", ".")
	if code != cli.ExitUsage || !strings.Contains(stderr, "working directory") {
		t.Errorf("-o .: exit %d\n%s", code, stderr)
	}
}
