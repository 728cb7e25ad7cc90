package output

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/sim"
)

// View is the part of a run's results that a workbook or a summary table
// shows: the total headline figures of every variant in every year, and
// each region's headline figures in the report years. A [Writer] collects
// it while writing (see [Writer.View]); it holds no flows of the result,
// so it stays small for all Japan (regions × report years × variants).
type View struct {
	BaseYear, EndYear int
	Variants          []string // in run order; the first is the reference
	// Totals[v][y] is the total level, all materials, of variant v in
	// fiscal year BaseYear+y.
	Totals [][]Headline
	// TotalsMSW is Totals over the non-durable materials only (the MOE
	// municipal waste scope); nil when the run has no durable products.
	TotalsMSW [][]Headline
	// ReportYears are the fiscal years shown per region (see
	// [ReportYears]).
	ReportYears []int
	Regions     []ViewRegion
	// RegionYears[v][r×len(ReportYears)+k] is region r of variant v in
	// ReportYears[k], all materials; RegionYearsMSW the same over the
	// non-durable materials (nil without durable products).
	RegionYears, RegionYearsMSW [][]Headline
	// Targets are the evaluated targets of every variant.
	Targets []TargetResult
}

// ViewRegion identifies a region of a [View].
type ViewRegion struct {
	Code, Name, Prefecture, Archetype string
}

// DefaultReportYears are the fiscal years reported when the scenario
// names none (outputs.report_years), besides the base year.
var DefaultReportYears = []int{2030, 2035, 2040, 2050}

// ReportYears returns the report years of a run from base to end: the
// requested years (or the base year and [DefaultReportYears]) within the
// horizon, sorted, without repeats; never empty (the end year if nothing
// else is within the horizon).
func ReportYears(base, end int, requested []int) []int {
	want := requested
	if len(want) == 0 {
		want = append([]int{base}, DefaultReportYears...)
	}
	var out []int
	for _, y := range want {
		if y >= base && y <= end && !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		out = []int{end}
	}
	return out
}

// Year returns the index of fiscal year fy in Totals[v], or -1.
func (v *View) Year(fy int) int {
	if fy < v.BaseYear || fy > v.EndYear {
		return -1
	}
	return fy - v.BaseYear
}

// add records the headline figures of one variant from its group sums.
func (v *View) add(res *sim.Result, gs *groups) {
	if v.Variants == nil {
		v.BaseYear, v.EndYear = res.BaseYear, res.BaseYear+res.Years-1
		v.ReportYears = ReportYears(v.BaseYear, v.EndYear, v.ReportYears)
		for _, r := range res.Regions {
			v.Regions = append(v.Regions, ViewRegion{Code: r.Code, Name: r.Name, Prefecture: r.Prefecture,
				Archetype: r.Archetype.String()})
		}
	}
	v.Variants = append(v.Variants, res.Variant)
	Y := gs.Y
	tot := make([]Headline, Y)
	var msw []Headline
	if gs.durables {
		msw = make([]Headline, Y)
	}
	for y := 0; y < Y; y++ {
		fy := v.BaseYear + y
		pop := gs.pop[numArchetypes*Y+y]
		tot[y] = headline(gs.cell(numArchetypes, y, gs.M), pop, fy)
		if msw != nil {
			msw[y] = headline(gs.cell(numArchetypes, y, gs.M+1), pop, fy)
		}
	}
	v.Totals = append(v.Totals, tot)
	if msw != nil {
		v.TotalsMSW = append(v.TotalsMSW, msw)
	}
	K := len(v.ReportYears)
	reg := make([]Headline, len(v.Regions)*K)
	var regMSW []Headline
	if gs.durables {
		regMSW = make([]Headline, len(reg))
	}
	for r := range v.Regions {
		for k, fy := range v.ReportYears {
			y := fy - v.BaseYear
			pop := gs.regPop[r*Y+y]
			reg[r*K+k] = headline(&gs.regAll[r*Y+y], pop, fy)
			if regMSW != nil {
				regMSW[r*K+k] = headline(&gs.regMSW[r*Y+y], pop, fy)
			}
		}
	}
	v.RegionYears = append(v.RegionYears, reg)
	if regMSW != nil {
		v.RegionYearsMSW = append(v.RegionYearsMSW, regMSW)
	}
}

// AddFile adds a file (e.g. "summary.xlsx") written into the directory on
// Close, next to the extra files of the Options; name must be a plain file
// name that no other output has.
func (w *Writer) AddFile(name string, data []byte) error {
	if err := w.checkFileName("AddFile", name); err != nil {
		return err
	}
	extra := make(map[string][]byte, len(w.opt.Extra)+1)
	for k, v := range w.opt.Extra {
		extra[k] = v
	}
	extra[name] = data
	w.opt.Extra = extra
	w.names = append(w.names, name)
	slices.Sort(w.names)
	return nil
}

// AddFileFunc is [Writer.AddFile] for a file whose bytes build returns:
// build starts at once on its own goroutine, so that it runs while Close
// writes the other outputs; Close waits for it before renaming the
// directory, and an error of build is Close's. build must not use w.
func (w *Writer) AddFileFunc(name string, build func() ([]byte, error)) error {
	if err := w.checkFileName("AddFileFunc", name); err != nil {
		return err
	}
	f := &laterFile{name: name, done: make(chan struct{})}
	w.later = append(w.later, f)
	go func() {
		defer close(f.done)
		f.data, f.err = build()
	}()
	return nil
}

// laterFile is a file of [Writer.AddFileFunc]: data and err are set when
// done is closed.
type laterFile struct {
	name string
	done chan struct{}
	data []byte
	err  error
}

// checkFileName returns an error if a file name cannot be added by
// method (AddFile, AddFileFunc).
func (w *Writer) checkFileName(method, name string) error {
	if w.done {
		return fmt.Errorf("output: %s after Close or Abort", method)
	}
	switch name {
	case TimeseriesFile, TimeseriesParquetFile, SummaryFile, ManifestFile, PlotsDir, BlocksFile, TargetsFile, outdir.MarkerFile:
		return fmt.Errorf("output: file %q would overwrite an output", name)
	}
	if name == "" || name == "." || name == ".." || filepath.Base(name) != name || !filepath.IsLocal(name) {
		return fmt.Errorf("output: file %q is not a plain file name", name)
	}
	if _, ok := w.opt.Extra[name]; ok || w.isLater(name) {
		return fmt.Errorf("output: file %q added twice", name)
	}
	return nil
}

// isLater reports whether name was added by AddFileFunc.
func (w *Writer) isLater(name string) bool {
	for _, f := range w.later {
		if f.name == name {
			return true
		}
	}
	return false
}

// writeLater waits for the files of AddFileFunc and writes them; a
// signal ends the wait at once (the build goes on, into memory only).
func (w *Writer) writeLater() error {
	for _, f := range w.later {
		select {
		case <-f.done:
		case <-w.opt.Guard.Done():
			return w.opt.Guard.Err()
		}
		if f.err != nil {
			return f.err
		}
		if err := os.WriteFile(filepath.Join(w.tmp, f.name), f.data, 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		f.data = nil
	}
	return nil
}

// BOM is the UTF-8 byte-order mark written at the start of CSV files with
// Options.CSVBOM.
const BOM = "\uFEFF"

// csvBytes returns data with a BOM in front when name is a CSV file and
// the options ask for one.
func (w *Writer) csvBytes(name string, data []byte) []byte {
	if !w.opt.CSVBOM || filepath.Ext(name) != ".csv" {
		return data
	}
	return append([]byte(BOM), data...)
}
