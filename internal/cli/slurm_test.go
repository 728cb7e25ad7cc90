package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

// TestSlurmArrayShards submits docs/slurm-array.sh as a Slurm array job of
// three shards running the built binary, merges the partials and compares
// the result byte for byte with a one-machine batch. Needs a running Slurm
// (.ci/slurm.sh start); skipped without one unless JUNKAN_REQUIRE_TOOLS=1.
func TestSlurmArrayShards(t *testing.T) {
	if testing.Short() {
		t.Skip("Slurm array job")
	}
	sbatch, err := exec.LookPath("sbatch")
	if err != nil {
		testutil.MissingTool(t, "sbatch not found (start Slurm with .ci/slurm.sh start): %v", err)
	}
	if out, err := exec.Command("sinfo", "-h", "-o", "%t").Output(); err != nil || !strings.Contains(string(out), "idle") && !strings.Contains(string(out), "mix") && !strings.Contains(string(out), "alloc") {
		testutil.MissingTool(t, "no Slurm node up (sinfo: %q, %v)", out, err)
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "junkan")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/junkan").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sc, _ := filepath.Abs(filepath.Join("testdata", "tiny-batch.yaml"))
	script, _ := filepath.Abs(filepath.Join("..", "..", "docs", "slurm-array.sh"))
	out := filepath.Join(dir, "mc")
	cmd := exec.Command(sbatch, "--wait", "--array=1-3", "--output="+filepath.Join(dir, "slurm-%a.txt"), script, sc, out)
	cmd.Env = append(os.Environ(), "JUNKAN="+bin)
	if b, err := cmd.CombinedOutput(); err != nil {
		logs, _ := filepath.Glob(filepath.Join(dir, "slurm-*.txt"))
		for _, l := range logs {
			s, _ := os.ReadFile(l)
			t.Logf("%s:\n%s", l, s)
		}
		t.Fatalf("sbatch: %v\n%s", err, b)
	}
	merged := filepath.Join(dir, "merged")
	if b, err := exec.Command(bin, "merge", out+"/shard-1", out+"/shard-2", out+"/shard-3", "-o", merged).CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, b)
	}
	one := filepath.Join(dir, "one")
	if b, err := exec.Command(bin, "batch", sc, "-o", one, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("batch: %v\n%s", err, b)
	}
	sameDirs(t, one, merged)
}
