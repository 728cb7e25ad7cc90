package cli_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/cli"
	"github.com/circular-partners/junkan/internal/testutil"
)

// TestRunQuiet: without --quiet, a run with consolidation prints its
// progress ("junkan: consolidation: …") and the closing line on stderr;
// with --quiet it prints neither, nor the summary table, and only
// warnings could remain; an error is still printed.
func TestRunQuiet(t *testing.T) {
	data := testutil.DataDir(t)
	code, scen, stderr := run(t, "example", "--codes", "11343", "--neighbours-km", "10", "--data", data)
	if code != cli.ExitOK {
		t.Fatalf("example: exit %d\n%s", code, stderr)
	}
	dir := t.TempDir()
	p := writeFile(t, dir, "ogawa.yaml", scen)
	// Quiet first: the loud run after it shows that the lines were due.
	code, stdout, stderr := run(t, "run", p, "-o", filepath.Join(dir, "quiet"), "--quiet")
	if code != cli.ExitOK {
		t.Fatalf("run --quiet: exit %d\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("run --quiet: stdout %q", stdout)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if line != "" && !strings.HasPrefix(line, "junkan: warning: ") {
			t.Errorf("run --quiet printed %q", line)
		}
	}
	code, stdout, stderr = run(t, "run", p, "-o", filepath.Join(dir, "loud"))
	if code != cli.ExitOK {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "junkan: consolidation: ") || !strings.Contains(stderr, " → "+filepath.Join(dir, "loud")) || stdout == "" {
		t.Fatalf("run without --quiet: stdout %q, stderr %q; want the table, consolidation lines and the closing line", stdout, stderr)
	}
	// A batch of the same scenario: no consolidation lines either.
	pb := writeFile(t, dir, "ogawa-batch.yaml", strings.Replace(scen, "\nvariants:",
		"\nparameters:\n  - {key: cost_incineration, value: {distribution: uniform, min: 15000, max: 21000}}\nbatch: {runs: 3}\nvariants:", 1))
	for _, quiet := range []bool{true, false} {
		args := []string{"batch", pb, "-o", filepath.Join(dir, fmt.Sprintf("batch-%v", quiet))}
		if quiet {
			args = append(args, "--quiet")
		}
		code, _, stderr = run(t, args...)
		if code != cli.ExitOK {
			t.Fatalf("batch: exit %d\n%s", code, stderr)
		}
		if got := strings.Contains(stderr, "junkan: consolidation: "); got == quiet {
			t.Errorf("batch, quiet %v: consolidation lines %v: stderr %q", quiet, got, stderr)
		}
	}
	code, _, stderr = run(t, "run", p, "-o", filepath.Join(dir, "no", "parent"), "--quiet")
	if code != cli.ExitUsage || !strings.HasPrefix(stderr, "junkan: ") {
		t.Errorf("run --quiet into a missing parent: exit %d, stderr %q; want exit 2 and the error", code, stderr)
	}
}
