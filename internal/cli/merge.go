package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/sim/batch"
)

func mergeCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", stderr)
	out := fs.String("o", "", "output `DIR` (required)")
	data := fs.String("data", dataDirDefault(), "data `DIR` for relative data paths of the scenario")
	dirs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(dirs) == 0 {
		fs.Usage()
		return badInput(errors.New("merge: partial directories and -o DIR are required"))
	}
	if err := output.CheckDir(*out); err != nil {
		return badInput(err)
	}
	if err := checkMergeOutput(*out, dirs); err != nil {
		return badInput(err)
	}
	infos := make([]shardInfo, len(dirs))
	for i, d := range dirs {
		js, err := os.ReadFile(filepath.Join(d, "shard.json"))
		if err != nil {
			return badInput(fmt.Errorf("merge: %s is not a partial result of junkan batch --shard (it has no shard.json)", d))
		}
		if err := json.Unmarshal(js, &infos[i]); err != nil || infos[i].Shards < 1 {
			return badInput(fmt.Errorf("merge: %s/shard.json is damaged", d))
		}
	}
	first := infos[0]
	seen := map[int]string{}
	for i, in := range infos {
		if in.Fingerprint != first.Fingerprint || in.Shards != first.Shards {
			return badInput(fmt.Errorf("merge: %s is a partial of another batch than %s (other scenario, seed, design, outputs or shard count)", dirs[i], dirs[0]))
		}
		if d, ok := seen[in.Shard]; ok {
			return badInput(fmt.Errorf("merge: shard %d/%d given twice (%s and %s)", in.Shard, in.Shards, d, dirs[i]))
		}
		seen[in.Shard] = dirs[i]
	}
	var missing []int
	for k := 1; k <= first.Shards; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		sort.Ints(missing)
		var ks []string
		for _, k := range missing {
			ks = append(ks, strconv.Itoa(k))
		}
		what := "shard " + ks[0]
		if len(ks) > 1 {
			what = "shards " + strings.Join(ks, ", ")
		}
		return badInput(fmt.Errorf("merge: %s of %d missing (junkan batch S.yaml --shard i/%d writes shard i)", what, first.Shards, first.Shards))
	}
	if _, err := os.Stat(first.Scenario); err != nil {
		return badInput(fmt.Errorf("merge: the shards' scenario %s cannot be read (merge reads it again, at the path the shards recorded): %v", first.Scenario, errors.Unwrap(err)))
	}
	b, err := newBatchSetup(first.Scenario, *data, stderr)
	if err != nil {
		return err
	}
	if b.fingerprint != first.Fingerprint {
		return badInput(fmt.Errorf("merge: the scenario %s or its data changed since the shards ran", first.Scenario))
	}
	acc := b.newAccumulator()
	for i, d := range dirs {
		if err := verifyPartial(d); err != nil {
			return badInput(err)
		}
		fh, err := os.Open(filepath.Join(d, "partial.bin"))
		if err != nil {
			return badInput(fmt.Errorf("merge: %w", err))
		}
		p, err := batch.DecodeAccumulator(fh, b.fingerprint)
		fh.Close()
		if err != nil {
			return badInput(fmt.Errorf("merge: %s: %w", d, err))
		}
		lo, hi := shardRange(b.design.Runs(), infos[i].Shard, infos[i].Shards)
		if m := p.Missing(lo, hi); len(m) > 0 {
			return badInput(fmt.Errorf("merge: %s: shard %d is incomplete (%d runs missing)", d, infos[i].Shard, len(m)))
		}
		if err := acc.Merge(p); err != nil {
			return badInput(fmt.Errorf("merge: %s: %w", d, err))
		}
	}
	if err := writeBatch(*out, acc, b); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "junkan: merged %d shards (%d runs) → %s\n", len(dirs), acc.Count(), *out)
	return nil
}

// verifyPartial checks partial.bin of the partial directory d against the
// size and SHA-256 that junkan batch listed in d's .junkan-output, so that
// a damaged or edited partial is refused instead of merged into wrong
// statistics (the decoder cannot tell a flipped byte of a number).
func verifyPartial(d string) error {
	js, err := os.ReadFile(filepath.Join(d, outdir.MarkerFile))
	if err != nil {
		return fmt.Errorf("merge: %s has no %s list of the files junkan wrote: not a complete partial result of junkan batch --shard", d, outdir.MarkerFile)
	}
	var m outdir.Marker
	if err := json.Unmarshal(js, &m); err != nil {
		return fmt.Errorf("merge: %s/%s is damaged", d, outdir.MarkerFile)
	}
	for _, f := range m.Files {
		if f.Path != "partial.bin" {
			continue
		}
		fh, err := os.Open(filepath.Join(d, f.Path))
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		defer fh.Close()
		h := sha256.New()
		n, err := io.Copy(h, fh)
		if err != nil {
			return fmt.Errorf("merge: %s: %w", d, err)
		}
		if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
			return fmt.Errorf("merge: %s/partial.bin was changed or damaged since junkan batch wrote it (its size or SHA-256 differs from %s); run that shard again", d, outdir.MarkerFile)
		}
		return nil
	}
	return fmt.Errorf("merge: %s/%s does not list partial.bin: not a partial result of junkan batch --shard", d, outdir.MarkerFile)
}

// checkMergeOutput refuses an -o that is, holds or lies inside one of the
// partial directories: the swap would delete that shard, or leave a
// directory in it that its .junkan-output does not list.
func checkMergeOutput(out string, dirs []string) error {
	paths := make([]string, len(dirs))
	roles := make([]string, len(dirs))
	for i, d := range dirs {
		paths[i] = filepath.Join(d, "partial.bin")
		roles[i] = "partial result"
	}
	if err := outdir.CheckInputs(out, paths, roles); err != nil {
		return err
	}
	o, err := filepath.Abs(out)
	if err != nil {
		return nil
	}
	for _, d := range dirs {
		a, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(a, o); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return fmt.Errorf("output: %s lies inside the partial directory %s; refusing to write there, nothing was changed (choose another output directory)", out, d)
		}
	}
	return nil
}
