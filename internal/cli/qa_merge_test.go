package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeRefusesDamagedPartial: a partial whose partial.bin has three
// bytes flipped (which the decoder may read as other numbers) or is cut
// short is refused with exit 2 and no output, and the intact shards still
// merge.
func TestMergeRefusesDamagedPartial(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join("testdata", "tiny-batch.yaml")
	o := func(n string) string { return filepath.Join(dir, n) }
	for _, i := range []string{"1", "2"} {
		if c, e := runCLI(t, "batch", sc, "-o", o("p"+i), "--quiet", "--shard", i+"/2"); c != 0 {
			t.Fatal(e)
		}
	}
	bin := filepath.Join(o("p2"), "partial.bin")
	good, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), good...)
	k := len(flipped) * 7 / 10
	for i := k; i < k+3; i++ {
		flipped[i] ^= 0x5a
	}
	for name, b := range map[string][]byte{"flipped": flipped, "short": good[:len(good)-8]} {
		if err := os.WriteFile(bin, b, 0o644); err != nil {
			t.Fatal(err)
		}
		code, e := runCLI(t, "merge", o("p1"), o("p2"), "-o", o("m"))
		if code != 2 || !strings.Contains(e, "changed or damaged") {
			t.Errorf("%s partial: exit %d, %q; want 2 and changed or damaged", name, code, e)
		}
		if _, err := os.Stat(o("m")); err == nil {
			t.Errorf("%s partial: output written", name)
		}
	}
	if err := os.WriteFile(bin, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, e := runCLI(t, "merge", o("p1"), o("p2"), "-o", o("m")); code != 0 {
		t.Fatalf("intact partials: exit %d, %s", code, e)
	}
}

// TestMergeOutputNotAPartial: merge -o onto one of its partial directories
// (which the swap would delete) or inside one is refused with exit 2 and
// the shard left as it was.
func TestMergeOutputNotAPartial(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join("testdata", "tiny-batch.yaml")
	o := func(n string) string { return filepath.Join(dir, n) }
	for _, i := range []string{"1", "2"} {
		if c, e := runCLI(t, "batch", sc, "-o", o("p"+i), "--quiet", "--shard", i+"/2"); c != 0 {
			t.Fatal(e)
		}
	}
	before := readDir(t, o("p1"))
	for _, out := range []string{o("p1"), filepath.Join(o("p1"), "merged")} {
		code, e := runCLI(t, "merge", o("p1"), o("p2"), "-o", out)
		if code != 2 || !strings.Contains(e, "partial") {
			t.Errorf("-o %s: exit %d, %q; want 2", out, code, e)
		}
	}
	after := readDir(t, o("p1"))
	if len(after) != len(before) {
		t.Fatalf("p1 had %d files, has %d", len(before), len(after))
	}
	for k, v := range before {
		if string(after[k]) != string(v) {
			t.Errorf("p1/%s changed", k)
		}
	}
	if _, err := os.Stat(filepath.Join(o("p1"), "merged")); err == nil {
		t.Error("p1/merged written")
	}
}
