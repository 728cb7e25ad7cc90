package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/circular-partners/junkan/scenarios"
)

// checkpointFiles are the files junkan batch writes in DIR.inprogress.
var checkpointFiles = []string{"checkpoint.bin", "checkpoint.bin.tmp"}

// checkWorkDir checks that the checkpoint directory work (DIR.inprogress),
// if it exists, is one junkan batch made: a directory holding only
// checkpoint files. Anything else is refused (exit 2) before the batch
// starts: the directory is removed when the batch ends.
func checkWorkDir(work string) error {
	fi, err := os.Lstat(work)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	if !fi.IsDir() {
		return badInput(fmt.Errorf("batch: %s exists and is not the checkpoint directory of junkan batch (the batch keeps its checkpoint there and removes it at the end); refusing to use it, nothing was changed (move it away or choose another -o)", work))
	}
	entries, err := os.ReadDir(work)
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	var other []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !contains(checkpointFiles, e.Name()) {
			n := e.Name()
			if e.IsDir() {
				n += "/"
			}
			other = append(other, n)
		}
	}
	if len(other) > 0 {
		if len(other) > 5 {
			other = append(other[:5], fmt.Sprintf("… and %d more", len(other)-5))
		}
		return badInput(fmt.Errorf("batch: %s holds %s, which junkan batch did not write (it keeps its checkpoint there and removes the directory at the end); refusing to use it, nothing was changed (move it away or choose another -o)",
			work, strings.Join(other, ", ")))
	}
	return nil
}

// removeWorkDir removes the checkpoint files of work, then work if it is
// empty (never anything else).
func removeWorkDir(work string) {
	for _, n := range checkpointFiles {
		os.Remove(filepath.Join(work, n))
	}
	os.Remove(work)
}

// checkInputNames refuses an input named like another column of runs.csv
// ("run", or a result column variant/indicator/material/year): the batch
// ran to its end and then failed writing runs.parquet (a column twice).
func checkInputNames(b *batchSetup) error {
	taken := map[string]bool{"run": true}
	for _, n := range b.headNames {
		taken[n] = true
	}
	var list scenarios.ErrorList
	for _, u := range b.inputs {
		if taken[u.Name] {
			list = append(list, &scenarios.Error{File: b.f.Path, Line: u.Line, Column: u.Column, Path: u.Path,
				Err: fmt.Errorf("input name %q is also a column of runs.csv (run, and the results variant/indicator/material/year): give the distribution another name (name: …)", u.Name)})
		}
	}
	if len(list) > 0 {
		return badInput(list)
	}
	return nil
}
