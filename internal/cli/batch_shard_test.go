package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestBatchEmptyShards: a batch of 3 runs in 5 shards (a scheduler array
// of more tasks than runs) has two shards without runs; each writes an
// empty partial and says so, even with --quiet, and the 5 merged equal
// the batch on one machine.
func TestBatchEmptyShards(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "tiny-batch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sc := filepath.Join(dir, "s.yaml")
	os.WriteFile(sc, bytes.Replace(src, []byte("batch: {runs: 40}"), []byte("batch: {runs: 3}"), 1), 0o644)
	o := func(n string) string { return filepath.Join(dir, n) }
	if c, e := runCLI(t, "batch", sc, "-o", o("one"), "--quiet"); c != 0 {
		t.Fatal(e)
	}
	var parts []string
	for i := 1; i <= 5; i++ {
		p := o("p" + strconv.Itoa(i))
		c, e := runCLI(t, "batch", sc, "-o", p, "--quiet", "--shard", strconv.Itoa(i)+"/5")
		if c != 0 {
			t.Fatal(e)
		}
		// Runs of shard i of 5: [(i−1)·3/5, i·3/5): none for shards 1 and 3.
		empty := i == 1 || i == 3
		want := "junkan: batch tiny-batch: shard " + strconv.Itoa(i) + "/5 has no runs (the batch has 3 runs, fewer than its 5 shards)"
		if got := strings.Contains(e, want); got != empty {
			t.Errorf("shard %d/5: stderr %q; want the note of an empty shard: %v", i, e, empty)
		}
		parts = append(parts, p)
	}
	if c, e := runCLI(t, append([]string{"merge", "-o", o("m")}, parts...)...); c != 0 || !strings.Contains(e, "merged 5 shards (3 runs)") {
		t.Fatalf("merge: exit %d, %q", c, e)
	}
	sameDirs(t, o("one"), o("m"))
}
