package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/cli"
)

// TestInputLimits checks that inputs beyond the size and line limits of
// package limit fail at once with exit 2, naming the file and the limit.
func TestInputLimits(t *testing.T) {
	ownDataFiles(t)
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil {
			t.Skip("no sparse files:", err)
		}
		return p
	}
	oneLine := writeFile(t, dir, "one.csv", strings.Repeat("a", 1<<20+10))
	big := sparse("big.csv", 2<<30)
	hugeYAML := sparse("huge.yaml", 2<<30)
	geo := sparse("b.geojson", 600<<20)
	boundaries := "  boundaries: {file: " + geo + ", code_property: N03_007}\n"
	writeFile(t, dir, "tiny.csv", tinyCSV)
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"scenario /dev/zero", []string{"validate", "/dev/zero"}, []string{"/dev/zero: more than 8 MiB read, the limit for a scenario file"}},
		{"scenario of 2 GiB", []string{"validate", hugeYAML}, []string{"huge.yaml: the file is 2.0 GiB, more than 8 MiB, the limit for a scenario file"}},
		{"CSV without a newline", []string{"validate", writeFile(t, dir, "a.yaml", munScenario(oneLine, "pop", ""))},
			[]string{"one.csv:1: a line longer than 1 MiB, the limit for a line of a CSV file"}},
		{"CSV of 2 GiB", []string{"validate", writeFile(t, dir, "b.yaml", munScenario(big, "pop", ""))},
			[]string{"big.csv: the file is 2.0 GiB, more than 256 MiB, the limit for a CSV file"}},
		{"CSV /dev/zero", []string{"validate", writeFile(t, dir, "c.yaml", munScenario("/dev/zero", "pop", ""))},
			[]string{"/dev/zero:1: a line longer than 1 MiB"}},
		{"GeoJSON of 600 MiB", []string{"validate", writeFile(t, dir, "d.yaml", munScenario("tiny.csv", "pop", boundaries))},
			[]string{"b.geojson: the file is 600 MiB, more than 512 MiB, the limit for a GeoJSON file"}},
	}
	for _, tc := range cases {
		code, _, stderr := run(t, tc.args...)
		if code != cli.ExitUsage {
			t.Errorf("%s: exit %d; want 2\n%s", tc.name, code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.name, w, stderr)
			}
		}
	}
}
