package cli_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildJunkan builds the junkan binary into a temporary directory.
func buildJunkan(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("signal tests run on Linux")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to build the binary")
		}
	}
	bin := filepath.Join(t.TempDir(), "junkan")
	cmd := exec.Command(gobin, "build", "-o", bin, "github.com/circular-partners/junkan/cmd/junkan")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// whole checks that dir holds exactly the files its .junkan-output lists,
// each with the listed size and SHA-256, and returns the marker's bytes.
func whole(dir string) ([]byte, error) {
	mb, err := os.ReadFile(filepath.Join(dir, ".junkan-output"))
	if err != nil {
		return nil, err
	}
	var m struct {
		Files []struct {
			Path   string
			Size   int64
			SHA256 string
		}
	}
	if err := json.Unmarshal(mb, &m); err != nil {
		return nil, err
	}
	listed := map[string]bool{".junkan-output": true}
	for _, f := range m.Files {
		listed[f.Path] = true
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		if int64(len(b)) != f.Size || hex.EncodeToString(sum[:]) != f.SHA256 {
			return nil, fmt.Errorf("%s: %d bytes, listed %d, or another hash", f.Path, len(b), f.Size)
		}
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !listed[filepath.ToSlash(rel)] {
			return fmt.Errorf("%s is not listed", rel)
		}
		return nil
	})
	return mb, err
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

const oldScenario = "name: old\nbase_year: 2023\nend_year: 2030\nregions:\n  source: synthetic\nvariants:\n  - name: baseline\n"

const newScenario = `name: new
base_year: 2023
end_year: 2040
regions:
  source: synthetic
variants:
  - name: baseline
  - name: x
    inherits: baseline
    elements:
      - element: ai_sorting
        start_year: 2025
`

// TestSignalsOverEarlierOutput runs junkan over an earlier output and
// sends SIGINT, SIGTERM, SIGHUP or SIGQUIT at seeded random moments over
// the whole run. Every time, the output directory must hold one whole
// output (the earlier or the new one, every listed file with its listed
// size and hash, nothing else), nothing may be left beside it, and the
// exit status and message must say which. JUNKAN_SIGNAL_TRIALS sets the
// number of trials (default 30, 10 with -short).
func TestSignalsOverEarlierOutput(t *testing.T) {
	bin := buildJunkan(t)
	root := t.TempDir()
	runIn := func(dir, scen string) (time.Duration, string) {
		t.Helper()
		cmd := exec.Command(bin, "run", "s.yaml", "-o", "out")
		cmd.Dir = dir
		if scen != "" {
			writeFile(t, dir, "s.yaml", scen)
		}
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("junkan run: %v\n%s", err, out)
		}
		return time.Since(start), string(out)
	}
	tmpl := filepath.Join(root, "old")
	os.Mkdir(tmpl, 0o755)
	runIn(tmpl, oldScenario)
	oldMarker, err := whole(filepath.Join(tmpl, "out"))
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(root, "new")
	os.Mkdir(ref, 0o755)
	var span time.Duration
	for range 3 { // the first run writes, the next two replace
		d, _ := runIn(ref, newScenario)
		span = max(span, d)
	}
	newMarker, err := whole(filepath.Join(ref, "out"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(oldMarker, newMarker) {
		t.Fatal("the earlier and the new output are alike")
	}

	trials := 30
	if testing.Short() {
		trials = 10
	}
	if s := os.Getenv("JUNKAN_SIGNAL_TRIALS"); s != "" {
		if trials, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	sigs := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}
	rng := rand.New(rand.NewPCG(8, 2026))
	count := map[string]int{}
	for i := range trials {
		dir := filepath.Join(root, strconv.Itoa(i))
		copyTree(t, tmpl, dir)
		writeFile(t, dir, "s.yaml", newScenario)
		sig := sigs[rng.IntN(len(sigs))]
		delay := time.Duration(rng.Float64() * 1.1 * float64(span))
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "run", "s.yaml", "-o", "out")
		cmd.Dir, cmd.Stderr = dir, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		msg := stderr.String()
		code := cmd.ProcessState.ExitCode()
		var ee *exec.ExitError
		killed := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled()

		got, werr := whole(filepath.Join(dir, "out"))
		state := "broken"
		switch {
		case werr != nil:
			state = "broken: " + werr.Error()
		case bytes.Equal(got, newMarker):
			state = "new"
		case bytes.Equal(got, oldMarker):
			state = "old"
		}
		name := fmt.Sprintf("trial %d (%v after %v)", i, sig, delay.Round(time.Microsecond))
		if state != "new" && state != "old" {
			t.Errorf("%s: output %s; exit %d\n%s", name, state, code, msg)
			continue
		}
		if es, _ := os.ReadDir(dir); len(es) != 2 {
			var left []string
			for _, e := range es {
				left = append(left, e.Name())
			}
			t.Errorf("%s: left %v beside the output\n%s", name, left, msg)
		}
		sigName := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM",
			syscall.SIGHUP: "SIGHUP", syscall.SIGQUIT: "SIGQUIT"}[sig]
		var outcome string
		switch {
		case code == 0 && strings.Contains(msg, "→ out") && state == "new":
			outcome = "completed"
			if strings.Contains(msg, "received while replacing out; the swap was completed") {
				outcome = "completed, signal held during the swap"
			}
		case code == 1 && strings.Contains(msg, "interrupted ("+sigName+"); earlier output kept in out") && state == "old":
			outcome = "interrupted while writing"
		case code == 1 && strings.Contains(msg, "interrupted ("+sigName+") before any output was written; out is unchanged") && state == "old":
			outcome = "interrupted before writing"
		case (killed || sig == syscall.SIGQUIT && code == 2) && !strings.Contains(msg, "junkan:") && state == "old":
			// The signal came before junkan began to catch signals
			// (process start): nothing was written.
			outcome = "killed at start"
		default:
			t.Errorf("%s: exit %d (killed %v) with output %s\n%s", name, code, killed, state, msg)
			continue
		}
		count[outcome]++
		os.RemoveAll(dir)
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("%-40s %d", k, count[k])
	}
	t.Logf("%d trials, signals spread over %v", trials, (time.Duration(1.1 * float64(span))).Round(time.Millisecond))
}

// TestKilledRunCleanedUp kills junkan (SIGKILL, which cannot be caught) at
// seeded random moments over an earlier output: the output directory must
// still hold one whole output (the swap is one atomic exchange), and the
// next run must remove the temporary directory left behind, say so, and
// write the new output.
func TestKilledRunCleanedUp(t *testing.T) {
	bin := buildJunkan(t)
	root := t.TempDir()
	tmpl := filepath.Join(root, "old")
	os.Mkdir(tmpl, 0o755)
	writeFile(t, tmpl, "s.yaml", oldScenario)
	cmd := exec.Command(bin, "run", "s.yaml", "-o", "out")
	cmd.Dir = tmpl
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	span := 3 * time.Since(start)
	rng := rand.New(rand.NewPCG(9, 2026))
	trials := 8
	if testing.Short() {
		trials = 4
	}
	cleaned := 0
	for i := range trials {
		dir := filepath.Join(root, strconv.Itoa(i))
		copyTree(t, tmpl, dir)
		writeFile(t, dir, "s.yaml", newScenario)
		cmd := exec.Command(bin, "run", "s.yaml", "-o", "out")
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Float64() * float64(span)))
		cmd.Process.Kill()
		cmd.Wait()
		if _, err := whole(filepath.Join(dir, "out")); err != nil {
			t.Errorf("trial %d: after SIGKILL the output is not whole: %v", i, err)
		}
		es, _ := os.ReadDir(dir)
		left := len(es) > 2
		cmd = exec.Command(bin, "run", "s.yaml", "-o", "out")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("trial %d: the run after a kill: %v\n%s", i, err, out)
			continue
		}
		if left {
			cleaned++
			if !strings.Contains(string(out), "left by an interrupted run (pid ") {
				t.Errorf("trial %d: no notice of the removed temporary directory:\n%s", i, out)
			}
		}
		if es, _ := os.ReadDir(dir); len(es) != 2 {
			t.Errorf("trial %d: %d entries beside the output after the next run", i, len(es)-2)
		}
		if _, err := whole(filepath.Join(dir, "out")); err != nil {
			t.Errorf("trial %d: after the next run: %v", i, err)
		}
		os.RemoveAll(dir)
	}
	t.Logf("%d of %d killed runs left a temporary directory, removed by the next run", cleaned, trials)
}

// A signal while run checks a large earlier output (it hashes every file
// of it before replacing it) ends the run with its message and exit 1,
// the earlier output unchanged: signals are caught from the start, not
// only once the check is done (they used to kill the process silently).
func TestRunSignalWhileCheckingEarlierOutput(t *testing.T) {
	bin := buildJunkan(t)
	dir := t.TempDir()
	writeFile(t, dir, "s.yaml", oldScenario)
	run := exec.Command(bin, "run", "s.yaml", "-o", "out", "--quiet")
	run.Dir = dir
	if b, err := run.CombinedOutput(); err != nil {
		t.Fatalf("junkan run: %v\n%s", err, b)
	}
	// A large file in the earlier output, listed in its marker: 256 MiB
	// of zeros, sparse (no disk), which the check hashes in a few tenths
	// of a second.
	out := filepath.Join(dir, "out")
	const size = 256 << 20
	big := filepath.Join(out, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	h := sha256.New()
	zeros := make([]byte, 1<<20)
	for n := 0; n < size; n += len(zeros) {
		h.Write(zeros)
	}
	mp := filepath.Join(out, ".junkan-output")
	var m map[string]any
	mb, err := os.ReadFile(mp)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	m["files"] = append(m["files"].([]any), map[string]any{"path": "big.bin", "size": size, "sha256": hex.EncodeToString(h.Sum(nil))})
	mb, _ = json.Marshal(m)
	if err := os.WriteFile(mp, mb, 0o644); err != nil {
		t.Fatal(err)
	}
	// What is there before, compared after by marker, names, sizes and
	// times (not hashed again: reading the sparse file is slow here).
	state := func() string {
		var b strings.Builder
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err == nil {
				fi, _ := d.Info()
				fmt.Fprintf(&b, "%s %d %d\n", p, fi.Size(), fi.ModTime().UnixNano())
			}
			return nil
		})
		m, _ := os.ReadFile(mp)
		return b.String() + string(m)
	}
	before := state()
	cmd := exec.Command(bin, "run", "s.yaml", "-o", "out", "--quiet")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if c := cmd.ProcessState.ExitCode(); c != 1 || !strings.Contains(stderr.String(), "interrupted (SIGINT) before any output was written; out is unchanged") {
		t.Errorf("exit %d (%v), stderr %q; want 1 and interrupted (SIGINT) before any output was written", c, cmd.ProcessState, stderr.String())
	}
	if state() != before {
		t.Errorf("the earlier output changed")
	}
	if names, _ := os.ReadDir(dir); len(names) != 2 {
		t.Errorf("beside the output: %v; want only s.yaml and out", names)
	}
}
