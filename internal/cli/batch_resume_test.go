package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/circular-partners/junkan/internal/testutil"
)

// TestBatchResumeAfterKill interrupts a batch of the built binary
// (SIGINT, SIGTERM, SIGHUP, SIGQUIT, then SIGKILL) once some runs are done, resumes it with
// --resume and compares the result with an uninterrupted batch.
func TestBatchResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "junkan")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/junkan").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src, _ := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	sc := filepath.Join(dir, "s.yaml")
	// More and longer runs, so that the signal comes halfway.
	src = bytes.Replace(src, []byte("end_year: 2030"), []byte("end_year: 2050"), 1)
	src = bytes.Replace(src, []byte("batch: {runs: 40}"), []byte("batch: {runs: 1000}"), 1)
	os.WriteFile(sc, src, 0o644)
	one := filepath.Join(dir, "one")
	if b, err := exec.Command(bin, "batch", sc, "-o", one, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	resumed := 0
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGKILL} {
		out := filepath.Join(dir, "out-"+sig.String())
		out = strings.ReplaceAll(out, " ", "_")
		cmd := exec.Command(bin, "batch", sc, "-o", out, "--quiet", "--workers", "1", "--checkpoint-every", "50ms")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ckpt := out + ".inprogress/checkpoint.bin"
		deadline := time.Now().Add(60 * time.Second)
		for {
			if st, err := os.Stat(ckpt); err == nil && st.Size() > 0 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("%v: no checkpoint after 60 s", sig)
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		if err == nil {
			t.Logf("%v: the batch finished before the signal", sig)
		} else if sig != syscall.SIGKILL {
			// Caught signals: exit 1 as junkan run, the signal by name.
			name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM",
				syscall.SIGHUP: "SIGHUP", syscall.SIGQUIT: "SIGQUIT"}[sig]
			if c := cmd.ProcessState.ExitCode(); c != 1 || !strings.Contains(stderr.String(), "interrupted ("+name+")") {
				t.Errorf("%v: exit %d, stderr %q; want 1 and interrupted (%s)", sig, c, stderr.String(), name)
			}
		}
		if _, err := os.Stat(filepath.Join(out, "statistics.csv")); err == nil {
			t.Logf("%v: output complete before the signal", sig)
			continue
		}
		resume := exec.Command(bin, "batch", sc, "-o", out, "--quiet", "--resume")
		if b, err := resume.CombinedOutput(); err != nil {
			t.Fatalf("%v: resume: %v\n%s\nfirst: %s", sig, err, b, stderr.String())
		}
		sameDirs(t, one, out)
		resumed++
		if _, err := os.Stat(out + ".inprogress"); !os.IsNotExist(err) {
			t.Errorf("%v: checkpoint directory left after the resumed batch", sig)
		}
	}
	if resumed == 0 {
		t.Error("every batch finished before its signal: nothing was resumed")
	}
}

// TestBatchSignalDuringSetUp: a SIGINT while an all-Japan batch is still
// setting up (loading, probing, the engine guards: about a second) ends it
// with exit 1, the signal by name, and nothing written.
func TestBatchSignalDuringSetUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data := testutil.DataDir(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "junkan")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/junkan").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, "batch", filepath.Join("testdata", "japan-batch.yaml"), "-o", out, "--quiet", "--data", data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if c := cmd.ProcessState.ExitCode(); c != 1 || !strings.Contains(stderr.String(), "interrupted (SIGINT) during set-up") {
		t.Errorf("exit %d, stderr %q; want 1 and interrupted (SIGINT) during set-up", c, stderr.String())
	}
	for _, p := range []string{out, out + ".inprogress"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s written by a batch interrupted during set-up", p)
		}
	}
}
