package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBatchResumeOtherShard: a checkpoint holding runs outside the shard
// being resumed is refused (exit 2) and left in place; one whose runs lie
// inside it is taken. Before, a whole batch's checkpoint resumed with
// --shard 1/2 wrote a partial counting the other shard's runs too.
func TestBatchResumeOtherShard(t *testing.T) {
	sc := filepath.Join("testdata", "tiny-batch.yaml") // 40 runs: shard 1/2 is runs 0-19
	b, err := newBatchSetup(sc, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	acc := b.newAccumulator()
	y := make([]float64, len(b.layout.Cells))
	row := make([]float64, len(b.inputs)+len(b.headline))
	for r := 25; r < 30; r++ {
		acc.Add(r, y, row)
	}
	out := filepath.Join(t.TempDir(), "mc")
	if err := os.MkdirAll(out+".inprogress", 0o755); err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(out+".inprogress", "checkpoint.bin")
	fh, err := os.Create(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.Encode(fh, b.fingerprint); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet", "--resume", "--shard", "1/2")
	want := "holds 5 runs outside shard 1/2 (runs 1 to 20): it was written with another --shard"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("resume --shard 1/2: exit %d, %q; want 2 and %q", code, stderr, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("resume --shard 1/2 refused but wrote %s", out)
	}
	if _, err := os.Stat(ckpt); err != nil {
		t.Errorf("refused resume lost the checkpoint: %v", err)
	}
	if code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet", "--resume", "--shard", "2/2"); code != 0 {
		t.Fatalf("resume --shard 2/2 (runs 21 to 40 hold the checkpoint's): exit %d, %s", code, stderr)
	}
}

// TestBatchResumeNothing: --resume with no checkpoint says so plainly
// (was "open DIR.inprogress/checkpoint.bin: no such file or directory").
func TestBatchResumeNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mc")
	code, stderr := runCLI(t, "batch", filepath.Join("testdata", "tiny-batch.yaml"), "-o", out, "--quiet", "--resume")
	want := "batch: --resume: no checkpoint " + out + ".inprogress/checkpoint.bin to continue from (nothing was interrupted there; run without --resume)"
	if code != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "no such file") {
		t.Errorf("exit %d, %q; want 2 and %q", code, stderr, want)
	}
}

// TestBatchKeepsUserInprogress: a DIR.inprogress that junkan did not make
// (a folder of the user's with files, a file, a symbolic link) is refused
// before the batch, exit 2, and left as it was; the batch used to write
// its checkpoint into the folder and remove it, files and all, at the end.
func TestBatchKeepsUserInprogress(t *testing.T) {
	sc := filepath.Join("testdata", "tiny-batch.yaml")
	dir := t.TempDir()
	out := filepath.Join(dir, "mc")
	work := out + ".inprogress"
	os.Mkdir(work, 0o755)
	os.WriteFile(filepath.Join(work, "thesis.txt"), []byte("mine"), 0o644)
	code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet")
	want := "batch: " + work + " holds thesis.txt, which junkan batch did not write"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("user folder: exit %d, %q; want 2 and %q", code, stderr, want)
	}
	if b, err := os.ReadFile(filepath.Join(work, "thesis.txt")); err != nil || string(b) != "mine" {
		t.Errorf("the user's file: %q, %v", b, err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("refused batch wrote %s", out)
	}
	os.RemoveAll(work)
	os.WriteFile(work, []byte("mine"), 0o644)
	if code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet"); code != 2 || !strings.Contains(stderr, "is not the checkpoint directory") {
		t.Errorf("a file: exit %d, %q", code, stderr)
	}
	os.Remove(work)
	target := filepath.Join(dir, "elsewhere")
	os.Mkdir(target, 0o755)
	os.Symlink(target, work)
	if code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet"); code != 2 || !strings.Contains(stderr, "is not the checkpoint directory") {
		t.Errorf("a symbolic link: exit %d, %q", code, stderr)
	}
	if _, err := os.Lstat(work); err != nil {
		t.Errorf("the link: %v", err)
	}
	os.Remove(work)
	// A checkpoint directory of junkan's own (an empty one here) is used
	// and removed at the end.
	os.Mkdir(work, 0o755)
	if code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet"); code != 0 {
		t.Fatalf("empty checkpoint directory: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(work); !os.IsNotExist(err) {
		t.Errorf("%s left after the batch: %v", work, err)
	}
}

// TestBatchInputNameColumn: an input named "run" or like a result column
// of runs.csv is a located error before the batch (it ran the whole batch,
// then failed with exit 1: "parquet: column run twice", DIR.inprogress left).
func TestBatchInputNameColumn(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"run", "baseline/waste_generated/all/2030"} {
		sc := filepath.Join(dir, "s.yaml")
		s := strings.Replace(string(src), "{distribution: normal, mean: 30000, sd: 5000}", "{distribution: normal, mean: 30000, sd: 5000, name: "+name+"}", 1)
		os.WriteFile(sc, []byte(s), 0o644)
		out := filepath.Join(dir, "mc")
		code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet")
		want := "s.yaml:8:37: parameters[1].value: input name \"" + name + "\" is also a column of runs.csv"
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("name %s: exit %d, %q; want 2 and %q", name, code, stderr, want)
		}
		if _, err := os.Stat(out + ".inprogress"); !os.IsNotExist(err) {
			t.Errorf("name %s: %s.inprogress left", name, out)
		}
	}
}

// TestBatchFreshOverCheckpoint: a batch run without --resume over the
// checkpoint of an interrupted one says that it starts over (the
// checkpoint was replaced without a word).
func TestBatchFreshOverCheckpoint(t *testing.T) {
	sc := filepath.Join("testdata", "tiny-batch.yaml")
	out := filepath.Join(t.TempDir(), "mc")
	os.Mkdir(out+".inprogress", 0o755)
	ckpt := filepath.Join(out+".inprogress", "checkpoint.bin")
	os.WriteFile(ckpt, []byte("x"), 0o644)
	code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet")
	want := "junkan: batch: starting over: " + ckpt + ", the checkpoint of an interrupted batch, is replaced (--resume continues it)"
	if code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, %q; want 0 and %q", code, stderr, want)
	}
	if code, stderr := runCLI(t, "batch", sc, "-o", out, "--quiet"); code != 0 || strings.Contains(stderr, "starting over") {
		t.Errorf("no checkpoint: exit %d, %q; want 0 and no notice", code, stderr)
	}
}

// TestBatchResumeForeign: the checkpoint of another batch (another seed
// here) is refused in plain words (was "…: batch: partial result of
// another batch", the prefix twice and no way out).
func TestBatchResumeForeign(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, []byte(strings.Replace(string(src), "batch: {runs: 40}", "batch: {runs: 40, seed: 9}", 1)), 0o644)
	b, err := newBatchSetup(other, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "mc")
	os.Mkdir(out+".inprogress", 0o755)
	ckpt := filepath.Join(out+".inprogress", "checkpoint.bin")
	fh, err := os.Create(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.newAccumulator().Encode(fh, b.fingerprint); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	code, stderr := runCLI(t, "batch", filepath.Join("testdata", "tiny-batch.yaml"), "-o", out, "--quiet", "--resume")
	want := "batch: --resume: " + ckpt + " is the checkpoint of another batch (other scenario, data, seed, design or outputs): run without --resume to start this one over"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, %q; want 2 and %q", code, stderr, want)
	}
}

// TestMergeMessages: a directory that is not a partial and a scenario the
// shards recorded but that is gone are said plainly (were Go's "open
// X/shard.json: no such file or directory" and "scenarios: open …").
func TestMergeMessages(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sc := filepath.Join(dir, "s.yaml")
	os.WriteFile(sc, src, 0o644)
	p1, p2 := filepath.Join(dir, "p1"), filepath.Join(dir, "p2")
	for i, p := range []string{p1, p2} {
		if code, e := runCLI(t, "batch", sc, "-o", p, "--quiet", "--shard", []string{"1/2", "2/2"}[i]); code != 0 {
			t.Fatal(e)
		}
	}
	plain := filepath.Join(dir, "plain")
	os.Mkdir(plain, 0o755)
	code, e := runCLI(t, "merge", p1, plain, "-o", filepath.Join(dir, "m"))
	if want := "merge: " + plain + " is not a partial result of junkan batch --shard (it has no shard.json)"; code != 2 || !strings.Contains(e, want) {
		t.Errorf("not a partial: exit %d, %q; want 2 and %q", code, e, want)
	}
	os.Remove(sc)
	code, e = runCLI(t, "merge", p1, p2, "-o", filepath.Join(dir, "m"))
	if want := "merge: the shards' scenario " + sc + " cannot be read (merge reads it again, at the path the shards recorded): no such file or directory"; code != 2 || !strings.Contains(e, want) {
		t.Errorf("scenario gone: exit %d, %q; want 2 and %q", code, e, want)
	}
}
