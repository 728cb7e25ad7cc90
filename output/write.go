package output

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Names of the files and directories Write creates in its directory.
const (
	TimeseriesFile = "timeseries.csv"
	SummaryFile    = "summary.json"
	ManifestFile   = "manifest.json"
	BlocksFile     = "blocks.geojson"
	TargetsFile    = "targets.csv"
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
	// RegionRows selects the indicators written at level region (see
	// [SelectRows]); nil writes all. Archetype and total levels always
	// have every indicator.
	RegionRows *RowSelection
	// Blocks, if not nil, adds rows of level "block", blocks.geojson, a
	// map (plots/blocks_map.png) and per-block summaries.
	Blocks *Blocks
	// Targets are evaluated for every variant into targets.csv and
	// summary.json.
	Targets []Target
	// Guard, if not nil, catches signals while the outputs are written
	// and swapped into place: after a signal, Add and Close return an
	// error wrapping outdir.ErrInterrupted (the earlier output is kept),
	// and a signal during the swap is held until the swap is done.
	Guard *outdir.Guard
	// Workers bounds the goroutines summing a result and formatting its
	// rows (0: one per CPU); outputs do not depend on it.
	Workers int
	// Notice, if not nil, is told of stale temporary directories removed
	// and of leftovers that could not be removed.
	Notice func(msg string)
	// CSVBOM starts every CSV file with a UTF-8 byte-order mark, so that
	// Excel reads it as UTF-8.
	CSVBOM bool
	// TimeseriesFormat is "csv" (or empty: timeseries.csv), "parquet"
	// (timeseries.parquet only, see [TimeseriesParquetFile]) or "both"
	// (both files, from the same rows).
	TimeseriesFormat string
	// ReportYears are the fiscal years of the per-region figures of the
	// [View] (see [ReportYears]; nil: the defaults).
	ReportYears []int
	// Checked, if not nil, is what [CheckedDir] found in the output
	// directory before: [Create] then only checks that nothing in it was
	// added, removed or changed since (names, sizes, times, as before the
	// swap), instead of reading its files again.
	Checked *outdir.Checked
	// Finish, if not nil, is called by Close with the temporary directory
	// once every output is written there, before the swap; it may add
	// files (e.g. report.html), which are then sealed with the rest. An
	// error aborts the outputs.
	Finish func(tmpDir string) error
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
// Write builds everything in a new temporary directory beside dir
// (.NAME.junkan-tmp-PID), lists every file it wrote with its size and
// SHA-256 in dir/.junkan-output, and swaps it into place at the end, so a
// failure leaves no dir and an existing dir is untouched. An existing dir
// is replaced only if it is empty or holds exactly the files its
// .junkan-output lists (see [CheckDir]); on Linux the swap is one atomic
// exchange, so dir always holds either the earlier or the new output. The
// parent of dir must exist.
//
// Errors from the results wrap [ErrMismatch] or [ErrNonFinite].
func Write(dir string, results []*sim.Result, opt Options) (err error) {
	if len(results) == 0 {
		return errors.New("output: no results to write")
	}
	if err := checkResults(results); err != nil {
		return err
	}
	w, err := Create(dir, opt)
	if err != nil {
		return err
	}
	for _, res := range results {
		if err := w.Add(res); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// ErrNotOutputDir is wrapped by the error of [CheckDir] (and [Create],
// [Write]) when the output directory exists but junkan cannot prove it
// wrote everything in it, so replacing it could destroy the user's files.
var ErrNotOutputDir = outdir.ErrNotOutput

// CheckDir reports whether dir can take the outputs: its parent must exist;
// dir must not exist, or be an empty directory, or hold only the files its
// .junkan-output lists, unchanged (an earlier output of this junkan). It
// returns an error wrapping [ErrNotOutputDir] (naming what is there) or
// fs.ErrNotExist otherwise. See package internal/outdir.
func CheckDir(dir string) error { return outdir.Check(dir) }

// CheckedDir is [CheckDir] returning what it found, for Options.Checked:
// [Create] then need not read an earlier output in dir again.
func CheckedDir(dir string) (*outdir.Checked, error) { return outdir.CheckState(dir) }

// Writer writes the outputs of a run one variant at a time, so that only
// the variant being written needs to be in memory. Create it with
// [Create], call Add for each variant in order, then Close (or Abort on a
// failure). A Writer is not safe for concurrent use.
type Writer struct {
	out      *outdir.Dir
	csvFile  *hashedOutput // timeseries.csv, if written
	pqFile   *hashedOutput // timeseries.parquet, if written
	tmp      string
	opt      Options
	names    []string // extra files, sorted
	ts       *tsWriter
	first    *sim.Result // for shape checks; its flows are not kept
	totals   []*groups
	summary  Summary
	view     View
	done     bool
	busy     chan struct{} // closed when the background formatting is done
	asyncErr error         // error of the background formatting
	later    []*laterFile  // files of AddFileFunc, in the order added
}

// Create checks the options and opens a temporary directory beside dir.
// opt.RegionRows selects the indicators written at level region.
func Create(dir string, opt Options) (*Writer, error) {
	names := make([]string, 0, len(opt.Extra))
	for name := range opt.Extra {
		names = append(names, name)
	}
	slices.Sort(names)
	withCSV, withPQ, err := timeseriesFormats(opt.TimeseriesFormat)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		switch name {
		case TimeseriesFile, TimeseriesParquetFile, SummaryFile, ManifestFile, PlotsDir, outdir.MarkerFile:
			return nil, fmt.Errorf("output: extra file %q would overwrite an output", name)
		}
		if name == "" || name == "." || name == ".." || filepath.Base(name) != name || !filepath.IsLocal(name) {
			return nil, fmt.Errorf("output: extra file %q is not a plain file name", name)
		}
	}
	var d *outdir.Dir
	if c := opt.Checked; c != nil && c.Dir() == filepath.Clean(dir) {
		d, err = outdir.BeginChecked(c, opt.Guard, opt.Notice)
	} else {
		d, err = outdir.Begin(dir, opt.Guard, opt.Notice)
	}
	if err != nil {
		return nil, err
	}
	tmp := d.Path()
	w := &Writer{out: d, tmp: tmp, opt: opt, names: names}
	// The timeseries files are hashed as they are written, for the marker
	// of the output directory (no second read of the largest files).
	var csvOut io.Writer
	if withCSV {
		if w.csvFile, err = createHashed(tmp, TimeseriesFile); err != nil {
			w.Abort()
			return nil, err
		}
		if opt.CSVBOM {
			if _, err := w.csvFile.hf.Write([]byte(BOM)); err != nil {
				w.Abort()
				return nil, fmt.Errorf("output: %w", err)
			}
		}
		csvOut = w.csvFile.hf
	}
	if w.ts, err = newTSWriter(csvOut, opt.RegionRows); err != nil {
		w.Abort()
		return nil, fmt.Errorf("output: %w", err)
	}
	if withPQ {
		if w.pqFile, err = createHashed(tmp, TimeseriesParquetFile); err == nil {
			w.ts.sink, err = newPQSink(w.pqFile.hf, w.workers())
		}
		if err != nil {
			w.Abort()
			return nil, err
		}
	}
	if opt.Blocks != nil {
		w.ts.blockIDs = opt.Blocks.IDs
	}
	return w, nil
}

// Add writes the rows of one variant and keeps its group sums for the
// summary and plots. Results must share regions, materials and years with
// the first (else the error wraps [ErrMismatch]).
func (w *Writer) Add(res *sim.Result) error {
	if err := w.usable(); err != nil {
		return err
	}
	if err := checkResults([]*sim.Result{res}); err != nil {
		return err
	}
	if err := w.checkShape(res); err != nil {
		return err
	}
	gs := sumGroupsWorkers(res, w.opt.Blocks, w.opt.RegionMaterials, w.opt.Workers)
	return w.add(res, gs, res)
}

// Sums are the group sums of one variant, formed one year at a time, for
// [Writer.AddSums]: the variant need not be in memory as a whole (see
// sim.Model.Stream). Create them with [Writer.NewSums] and pass every year
// in order to [Sums.Year]. Sums of different variants may be formed
// concurrently, each on one goroutine.
type Sums struct {
	meta           *sim.Result // shape; no flows
	gs             *groups
	blocks         *Blocks
	blockMaterials bool
	full           *sim.Result // the whole result, kept for per-material region rows
	next           int         // the year index expected next
}

// NewSums returns the empty sums of a variant of the shape of meta:
// variant name, base year, number of years, regions and materials (its
// population and flows are not read). With Options.RegionMaterials the
// years are also kept whole, for the per-material rows of level region.
// NewSums may be called concurrently with the other methods of w.
func (w *Writer) NewSums(meta *sim.Result) (*Sums, error) {
	m := &sim.Result{Variant: meta.Variant, BaseYear: meta.BaseYear, Years: meta.Years,
		Regions: meta.Regions, Materials: meta.Materials}
	if err := checkResults([]*sim.Result{shape(m)}); err != nil {
		return nil, err
	}
	if m.Years <= 0 {
		return nil, fmt.Errorf("%w: result %s has no years", ErrMismatch, m.Variant)
	}
	if b := w.opt.Blocks; b != nil && len(b.RegionBlock) != len(m.Regions) {
		return nil, fmt.Errorf("%w: blocks cover %d regions, result %s has %d", ErrMismatch, len(b.RegionBlock), m.Variant, len(m.Regions))
	}
	s := &Sums{meta: m, gs: newGroups(m, w.opt.Blocks, w.opt.RegionMaterials), blocks: w.opt.Blocks,
		blockMaterials: w.opt.RegionMaterials}
	if w.opt.RegionMaterials {
		R, M := len(m.Regions), len(m.Materials)
		s.full = &sim.Result{Variant: m.Variant, BaseYear: m.BaseYear, Years: m.Years, Regions: m.Regions,
			Materials: m.Materials, Population: make([]float64, m.Years*R), Flows: make([]model.Flows, m.Years*R*M)}
	}
	return s, nil
}

// Year adds year yr of the variant; years come in order, from index 0. yr
// is not kept.
func (s *Sums) Year(yr *sim.Year) error {
	m := s.meta
	R, M := len(m.Regions), len(m.Materials)
	if yr.Index != s.next || s.next >= m.Years {
		return fmt.Errorf("%w: result %s: year index %d given, %d expected (of %d)", ErrMismatch, m.Variant, yr.Index, s.next, m.Years)
	}
	if len(yr.Regions) != R || len(yr.Materials) != M || len(yr.Population) != R || len(yr.Flows) != R*M {
		return fmt.Errorf("%w: result %s, FY%d: %d regions, %d materials, population has %d values and flows %d cells, want %d, %d, %d and %d",
			ErrMismatch, m.Variant, yr.Year, len(yr.Regions), len(yr.Materials), len(yr.Population), len(yr.Flows), R, M, R, R*M)
	}
	s.gs.sumYear(yr, s.blocks, s.blockMaterials)
	if f := s.full; f != nil {
		copy(f.Population[yr.Index*R:], yr.Population)
		copy(f.Flows[yr.Index*R*M:], yr.Flows)
	}
	s.next++
	return nil
}

// AddSums is [Writer.Add] for a variant whose years were given to s.
func (w *Writer) AddSums(s *Sums) error {
	if err := w.usable(); err != nil {
		return err
	}
	if s.next != s.meta.Years {
		return fmt.Errorf("%w: result %s: %d of %d years given", ErrMismatch, s.meta.Variant, s.next, s.meta.Years)
	}
	if err := w.checkShape(s.meta); err != nil {
		return err
	}
	return w.add(s.meta, s.gs, s.full)
}

// usable returns an error after Close, Abort or a signal.
func (w *Writer) usable() error {
	if w.done {
		return errors.New("output: Add after Close or Abort")
	}
	return w.opt.Guard.Err()
}

// shape returns res without its population and flows (0 years), for
// checkResults.
func shape(res *sim.Result) *sim.Result {
	return &sim.Result{Variant: res.Variant, BaseYear: res.BaseYear, Regions: res.Regions, Materials: res.Materials}
}

// checkShape checks res (whose own shape is valid) against the first
// variant added, which it becomes if there is none yet.
func (w *Writer) checkShape(res *sim.Result) error {
	if w.first == nil {
		if res.Years == 0 {
			return fmt.Errorf("%w: result %s has no years", ErrMismatch, res.Variant)
		}
		if b := w.opt.Blocks; b != nil && len(b.RegionBlock) != len(res.Regions) {
			return fmt.Errorf("%w: blocks cover %d regions, result %s has %d", ErrMismatch, len(b.RegionBlock), res.Variant, len(res.Regions))
		}
		w.first = &sim.Result{Variant: res.Variant, BaseYear: res.BaseYear, Years: res.Years,
			Regions: res.Regions, Materials: res.Materials, Population: res.Population[:0:0]}
		return nil
	}
	if err := checkResults([]*sim.Result{shape(w.first), shape(res)}); err != nil {
		return err
	}
	if res.Years != w.first.Years {
		return fmt.Errorf("%w: result %s: FY%d + %d years; result 0 (%s): FY%d + %d years",
			ErrMismatch, res.Variant, res.BaseYear, res.Years, w.first.Variant, w.first.BaseYear, w.first.Years)
	}
	return nil
}

// add keeps the sums gs of the variant of shape res for the summary and
// plots and writes its rows; full is the whole result (needed only for
// per-material region rows).
func (w *Writer) add(res *sim.Result, gs *groups, full *sim.Result) error {
	v, err := summarizeVariant(res.Variant, res.BaseYear, gs, &w.summary)
	if err != nil {
		return err
	}
	w.summary.Variants = append(w.summary.Variants, v)
	w.totals = append(w.totals, gs.total())
	if w.view.Variants == nil {
		w.view.ReportYears = w.opt.ReportYears
	}
	w.view.add(res, gs)
	if len(w.opt.Targets) > 0 {
		tr, err := evaluateTargets(w.opt.Targets, res, gs, w.opt.Blocks)
		if err != nil {
			return err
		}
		w.summary.Targets = append(w.summary.Targets, tr...)
	}
	// Rows are formatted in order, one variant at a time. Without
	// per-material region rows they need only the sums in gs, so the
	// formatting runs in the background and the result can be reused at
	// once.
	w.wait()
	if err := w.asyncErr; err != nil {
		return err
	}
	if w.opt.RegionMaterials {
		w.ts.writeResultParallel(full, gs, true, w.workers())
		return w.ts.err
	}
	meta := &sim.Result{Variant: res.Variant, BaseYear: res.BaseYear, Years: res.Years,
		Regions: res.Regions, Materials: res.Materials}
	w.busy = make(chan struct{})
	go func(done chan struct{}) {
		defer close(done)
		w.ts.writeResultParallel(meta, gs, false, w.workers())
		w.asyncErr = w.ts.err
	}(w.busy)
	return nil
}

// workers returns the number of goroutines formatting rows: opt.Workers,
// or one per CPU.
func (w *Writer) workers() int {
	if w.opt.Workers > 0 {
		return w.opt.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// wait blocks until the rows of the previous variant are formatted.
func (w *Writer) wait() {
	if w.busy != nil {
		<-w.busy
		w.busy = nil
	}
}

// SetValidation sets the validation put in summary.json and extra files
// (e.g. validation.csv), added to those of the Options (a file of the same name is replaced); call it before
// Close.
func (w *Writer) SetValidation(v any, extra map[string][]byte) error {
	for name := range extra {
		switch name {
		case TimeseriesFile, TimeseriesParquetFile, SummaryFile, ManifestFile, PlotsDir, outdir.MarkerFile:
			return fmt.Errorf("output: extra file %q would overwrite an output", name)
		}
		if name == "" || name == "." || name == ".." || filepath.Base(name) != name || !filepath.IsLocal(name) {
			return fmt.Errorf("output: extra file %q is not a plain file name", name)
		}
		if w.isLater(name) {
			return fmt.Errorf("output: extra file %q added twice", name)
		}
	}
	w.opt.Validation = v
	merged := maps.Clone(w.opt.Extra) // the extra files given to Create stay
	if merged == nil {
		merged = map[string][]byte{}
	}
	maps.Copy(merged, extra)
	w.opt.Extra = merged
	w.names = w.names[:0]
	for name := range merged {
		w.names = append(w.names, name)
	}
	slices.Sort(w.names)
	return nil
}

// SetAttribution sets the element attributions put in summary.json; call
// it before Close.
func (w *Writer) SetAttribution(a []Attribution) { w.summary.Attribution = a }

// View returns the headline figures of the variants added so far and
// their evaluated targets (see [View]).
func (w *Writer) View() *View {
	w.view.Targets = w.summary.Targets
	return &w.view
}

// TempDir returns the temporary directory the outputs are built in.
func (w *Writer) TempDir() string { return w.tmp }

// Abort waits for the background formatting to stop, then removes the
// temporary directory; dir is left as it was.
func (w *Writer) Abort() {
	w.wait()
	w.done = true
	if w.ts != nil && w.ts.sink != nil {
		w.ts.sink.abort()
	}
	w.csvFile.abort()
	w.pqFile.abort()
	w.out.Abort()
}

// Fail aborts (see Abort) and returns err; an interruption (an error
// wrapping outdir.ErrInterrupted) is completed with what dir holds now,
// e.g. "interrupted (SIGINT); earlier output kept in out".
func (w *Writer) Fail(err error) error {
	w.Abort()
	if errors.Is(err, outdir.ErrInterrupted) {
		return fmt.Errorf("%w; %s", err, w.out.Kept())
	}
	return err
}

// Close writes summary.json, manifest.json, the extra files and the plots,
// then renames the temporary directory to dir, replacing an existing one.
// On an error nothing is left behind.
func (w *Writer) Close() (err error) {
	if w.done {
		return errors.New("output: Close after Close or Abort")
	}
	defer func() {
		if err != nil {
			err = w.Fail(err)
		}
		w.done = true
	}()
	if len(w.totals) == 0 {
		return errors.New("output: no results to write")
	}
	w.wait()
	if w.asyncErr != nil {
		return w.asyncErr
	}
	if err := w.ts.flush(); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if w.csvFile != nil {
		if err := w.csvFile.close(w.out); err != nil {
			return err
		}
	}
	if w.pqFile != nil {
		if err := w.ts.sink.close(); err != nil {
			return err
		}
		if err := w.pqFile.close(w.out); err != nil {
			return err
		}
	}
	sum := w.summary
	sum.Validation = w.opt.Validation
	if w.opt.Blocks != nil {
		sum.Consolidation = w.opt.Blocks.summary()
	}
	b, err := marshalIndent(sum)
	if err != nil {
		return fmt.Errorf("output: %s: %w", SummaryFile, err)
	}
	if err := os.WriteFile(filepath.Join(w.tmp, SummaryFile), b, 0o644); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := w.opt.Guard.Err(); err != nil {
		return err
	}
	if w.opt.Manifest != nil {
		b, err := marshalIndent(w.opt.Manifest)
		if err != nil {
			return fmt.Errorf("output: %s: %w", ManifestFile, err)
		}
		if err := os.WriteFile(filepath.Join(w.tmp, ManifestFile), b, 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	for _, name := range w.names {
		if err := os.WriteFile(filepath.Join(w.tmp, name), w.csvBytes(name, w.opt.Extra[name]), 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	if len(w.opt.Targets) > 0 {
		if err := os.WriteFile(filepath.Join(w.tmp, TargetsFile), w.csvBytes(TargetsFile, targetsCSV(w.summary.Targets)), 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	if b := w.opt.Blocks; b != nil {
		data, err := b.GeoJSON(w.first.Regions)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(w.tmp, BlocksFile), data, 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	if err := w.opt.Guard.Err(); err != nil {
		return err
	}
	if w.opt.Plots {
		pd := filepath.Join(w.tmp, PlotsDir)
		if err := os.Mkdir(pd, 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		names := make([]string, len(w.summary.Variants))
		for i, v := range w.summary.Variants {
			names[i] = v.Name
		}
		if err := writePlotsGroups(pd, names, w.first.BaseYear, w.totals); err != nil {
			return err
		}
		if w.opt.Blocks != nil {
			if err := w.opt.Blocks.plotMap(filepath.Join(pd, "blocks_map.png")); err != nil {
				return err
			}
		}
	}
	if err := w.writeLater(); err != nil {
		return err
	}
	if w.opt.Finish != nil {
		if err := w.opt.Finish(w.tmp); err != nil {
			return err
		}
		if err := w.opt.Guard.Err(); err != nil {
			return err
		}
	}
	return w.out.Commit(w.opt.Guard, w.opt.Notice)
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

// hashedOutput is an output file hashed as it is written, for the marker
// of the output directory (no second read of the largest files).
type hashedOutput struct {
	name string // relative to the temporary directory
	f    *os.File
	hash *countingHash
	hf   *hashedFile // write here
}

// createHashed creates the file name in dir.
func createHashed(dir, name string) (*hashedOutput, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	h := &countingHash{h: sha256.New()}
	return &hashedOutput{name: name, f: f, hash: h, hf: newHashedFile(f, h)}, nil
}

// close closes the file and records its hash in d.
func (o *hashedOutput) close(d *outdir.Dir) error {
	f := o.f
	o.f = nil
	o.hf.close()
	if err := f.Close(); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	d.Hashed(o.name, o.hash.n, hex.EncodeToString(o.hash.h.Sum(nil)))
	return nil
}

// abort closes the file if it is open (o may be nil).
func (o *hashedOutput) abort() {
	if o == nil || o.f == nil {
		return
	}
	o.hf.close()
	o.f.Close()
	o.f = nil
}

// hashedFile writes to a file and to a hash, the hash on its own
// goroutine while the file is written: the slower of the two sets the
// pace, not their sum (SHA-256 and the write calls each cost about half a
// second for the 634 MB of an all-Japan timeseries.csv). The bytes hashed
// are exactly those written, in order.
type hashedFile struct {
	f    io.Writer
	in   chan []byte   // to the hashing goroutine
	done chan struct{} // a piece is hashed
	once sync.Once
}

func newHashedFile(f io.Writer, h io.Writer) *hashedFile {
	hf := &hashedFile{f: f, in: make(chan []byte), done: make(chan struct{})}
	go func() {
		for p := range hf.in {
			h.Write(p) // hash.Hash never returns an error
			hf.done <- struct{}{}
		}
	}()
	return hf
}

// Write writes p to the file while p is hashed; it returns when both are
// done (p is not kept).
func (hf *hashedFile) Write(p []byte) (int, error) {
	hf.in <- p
	n, err := hf.f.Write(p)
	<-hf.done
	return n, err
}

// close stops the hashing goroutine (idempotent); Write must not be called
// after.
func (hf *hashedFile) close() { hf.once.Do(func() { close(hf.in) }) }

// countingHash is a hash that counts the bytes written to it.
type countingHash struct {
	h hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.h.Write(p)
}
