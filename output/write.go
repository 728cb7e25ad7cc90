package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/circular-partners/junkan/sim"
)

// Names of the files and directories Write creates in its directory.
const (
	TimeseriesFile = "timeseries.csv"
	SummaryFile    = "summary.json"
	ManifestFile   = "manifest.json"
	PlotsDir       = "plots"
)

// Options controls what Write produces. The zero value writes
// timeseries.csv (with material "all" only at level region) and
// summary.json.
type Options struct {
	// RegionMaterials also writes per-material rows at level "region"
	// (else only material "all" there); the archetype and total levels
	// always have per-material rows.
	RegionMaterials bool
	// Manifest is marshalled as manifest.json (indented, trailing
	// newline); nil writes no manifest.
	Manifest any
	// Validation, if non-nil, is put under the key "validation" in
	// summary.json.
	Validation any
	// Extra files written into the directory (e.g. "validation.csv"), in
	// sorted order of name. A name must be a plain file name, not one of
	// the files Write creates.
	Extra map[string][]byte
	// Plots writes plots/*.png.
	Plots bool
}

// Write writes the outputs of results (one per variant, in the given
// order; all must share regions, materials and years) into dir:
// timeseries.csv ([WriteTimeseries]), summary.json ([Summarize] with
// opt.Validation, indented, trailing newline), manifest.json when
// opt.Manifest is not nil, the files of opt.Extra, and plots/ when
// opt.Plots is set (waste_per_capita.png, recycling_rate.png,
// final_disposal.png and incinerated.png: the total level over the years,
// one line per variant).
//
// Write builds everything in a new temporary directory beside dir and
// renames it to dir at the end, so a failure leaves no dir and an existing
// dir is untouched. On success an existing dir is replaced: it is renamed
// away, the new directory is renamed to dir, and the old one is removed
// (between the two renames dir briefly does not exist; should removing the
// old one fail, it stays beside dir as ".NAME.tmp-*.old"). The parent of dir
// must exist; if dir exists it must be a directory.
//
// Errors from the results wrap [ErrMismatch] or [ErrNonFinite].
func Write(dir string, results []*sim.Result, opt Options) (err error) {
	if len(results) == 0 {
		return errors.New("output: no results to write")
	}
	if err := checkResults(results); err != nil {
		return err
	}
	names := make([]string, 0, len(opt.Extra))
	for name := range opt.Extra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		switch name {
		case TimeseriesFile, SummaryFile, ManifestFile, PlotsDir:
			return fmt.Errorf("output: extra file %q would overwrite an output", name)
		}
		if name == "" || name == "." || name == ".." || filepath.Base(name) != name || !filepath.IsLocal(name) {
			return fmt.Errorf("output: extra file %q is not a plain file name", name)
		}
	}
	if fi, err := os.Lstat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("output: %s exists and is not a directory", dir)
	}

	dir = filepath.Clean(dir)
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}

	if err := writeFile(filepath.Join(tmp, TimeseriesFile), func(f *os.File) error {
		return WriteTimeseries(f, results, opt.RegionMaterials)
	}); err != nil {
		return err
	}
	sum, err := Summarize(results)
	if err != nil {
		return err
	}
	sum.Validation = opt.Validation
	b, err := marshalIndent(sum)
	if err != nil {
		return fmt.Errorf("output: %s: %w", SummaryFile, err)
	}
	if err := os.WriteFile(filepath.Join(tmp, SummaryFile), b, 0o644); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if opt.Manifest != nil {
		b, err := marshalIndent(opt.Manifest)
		if err != nil {
			return fmt.Errorf("output: %s: %w", ManifestFile, err)
		}
		if err := os.WriteFile(filepath.Join(tmp, ManifestFile), b, 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(tmp, name), opt.Extra[name], 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	if opt.Plots {
		pd := filepath.Join(tmp, PlotsDir)
		if err := os.Mkdir(pd, 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if err := writePlots(pd, results); err != nil {
			return err
		}
	}
	return swap(tmp, dir)
}

// writeFile creates path, calls write on it and closes it, returning the
// first error.
func writeFile(path string, write func(*os.File) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer func() {
		if e := f.Close(); err == nil && e != nil {
			err = fmt.Errorf("output: %w", e)
		}
	}()
	return write(f)
}

// swap renames directory tmp to dir, replacing an existing dir.
func swap(tmp, dir string) error {
	old := tmp + ".old"
	_, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("output: %w", err)
	}
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("output: replacing %s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if e := os.Rename(old, dir); e != nil {
			return fmt.Errorf("output: replacing %s: %w; the old directory is at %s", dir, err, old)
		}
		return fmt.Errorf("output: replacing %s: %w", dir, err)
	}
	os.RemoveAll(old) // best effort: the new outputs are in place
	return nil
}
