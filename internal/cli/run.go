package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/scenarios"
	"github.com/circular-partners/junkan/sim"
)

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	out := fs.String("o", "", "output `DIR` (required): new, empty, or an earlier junkan output (then replaced)")
	data := fs.String("data", dataDirDefault(), "data `DIR` for relative data paths (default: the scenario's data_dir; env JUNKAN_DATA_DIR)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "variants simulated in parallel")
	quiet := fs.Bool("quiet", false, "print no summary table on stdout and no progress or notes on stderr (warnings and errors still)")
	lang := fs.String("lang", "ja", "`LANG` of the summary.xlsx headers: ja or en")
	bom := fs.Bool("bom", false, "write the CSV files with a UTF-8 byte-order mark, for Excel (also outputs.csv_bom)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return badInput(errors.New("run: -o DIR is required"))
	}
	if *lang != "ja" && *lang != "en" {
		return badInput(fmt.Errorf("run: --lang %q: want ja or en", *lang))
	}
	if *workers < 1 {
		return badInput(fmt.Errorf("run: --workers %d: want at least 1", *workers))
	}
	// The run is guarded against signals from here on (outdir.go), the
	// check of an earlier output included: hashing hundreds of MB of it
	// takes a while.
	g := watchSignals(stderr, *out)
	defer g.Stop()
	checked, err := output.CheckedDir(*out)
	if err != nil {
		return badInput(err)
	}
	if len(pos) > 1 {
		return badInput(fmt.Errorf("run: one scenario file at most, got %d", len(pos)))
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	}
	// Progress and notes go to info: stderr, or nowhere with --quiet.
	info := stderr
	var progress io.Writer = stderr
	if *quiet {
		info, progress = io.Discard, nil
	}
	f, run, err := loadReporting(path, *data, progress)
	if err != nil {
		return err
	}
	if err := inputsOutside(*out, f, run); err != nil {
		return badInput(err)
	}
	if o := run.Scenario.Outputs; o.Format == "parquet" && o.Report != nil && *o.Report {
		// Refused before the run, not after it.
		return badInput(fmt.Errorf("%s: outputs.report reads timeseries.csv, which outputs.format parquet does not write: use format both (or csv)", f.Path))
	}
	m, err := sim.New(&run.Config)
	if err != nil {
		return badInput(err)
	}
	changes := calibrationChanges(run, m)
	warnCalibration(stderr, info, run, m, changes)
	sel, err := output.SelectRows(run.RegionIndicators)
	if err != nil {
		return badInput(err)
	}
	targets, err := outputTargets(run)
	if err != nil {
		return badInput(err)
	}
	opt := output.Options{
		Targets:          targets,
		Blocks:           outputBlocks(run),
		RegionRows:       sel,
		RegionMaterials:  run.RegionMaterials,
		Manifest:         manifest(f, run, m, changes),
		Plots:            run.Plots,
		Workers:          *workers,
		ReportYears:      run.Scenario.Outputs.ReportYears,
		Extra:            map[string][]byte{"regions.csv": regionsCSV(run)},
		CSVBOM:           *bom || (run.Scenario.Outputs.CSVBOM != nil && *run.Scenario.Outputs.CSVBOM),
		TimeseriesFormat: run.Scenario.Outputs.Format,
		Checked:          checked,
	}
	opt.Guard, opt.Notice = g, noticeTo(stderr)
	if opt.Finish, err = reportFinish(run); err != nil {
		return badInput(err)
	}
	w, err := output.Create(*out, opt)
	if err != nil {
		return outputErr(err)
	}
	// Variants are simulated on up to nw goroutines, each year summed as
	// soon as the engine has it (no variant is in memory as a whole), and
	// written in order. Large runs simulate fewer at once (streamWorkers).
	nw := streamWorkers(&run.Config, *workers, len(run.Variants), opt.RegionMaterials)
	// Each run steps its regions on the workers left, so that at most
	// about --workers goroutines compute at once; results do not depend
	// on it.
	m.SetWorkers(max(1, *workers/nw))
	// Keep the memory of large runs near what they hold (runMemoryLimit)
	// unless the user set GOMEMLIMIT: the garbage collector then works
	// harder instead of letting freed sums pile up.
	if os.Getenv("GOMEMLIMIT") == "" {
		old := debug.SetMemoryLimit(runMemoryLimit(&run.Config, nw, opt.RegionMaterials))
		defer debug.SetMemoryLimit(old)
	}
	var val *output.Validation
	validate := run.Incinerators != nil || run.FinalDisposalT > 0 || run.Stats != nil || run.Scenario.Validation != nil || len(run.Survey) > 0
	err = streamVariants(m, run.Variants, nw, g, w, func(i int, yr *sim.Year) {
		if i == 0 && yr.Index == 0 && validate {
			// The checks read the base year only.
			val = validation(run, &sim.Result{Variant: run.Variants[0].Name, BaseYear: yr.Year, Years: 1,
				Regions: yr.Regions, Materials: yr.Materials, Population: yr.Population, Flows: yr.Flows})
		}
	}, func(i int, s *output.Sums) error {
		if i == 0 && val != nil {
			if err := w.SetValidation(val, map[string][]byte{"validation.csv": val.CSV()}); err != nil {
				return err
			}
		}
		return w.AddSums(s)
	})
	if err != nil {
		return w.Fail(err)
	}
	var attrs []output.Attribution
	for _, name := range run.Scenario.Outputs.Attribution {
		for i := range run.Variants {
			if run.Variants[i].Name == name {
				a, err := attribute(m, &run.Variants[i], *workers, g)
				if err != nil {
					return w.Fail(err)
				}
				attrs = append(attrs, a)
			}
		}
	}
	w.SetAttribution(attrs)
	view := w.View()
	if err := addWorkbook(w, view, f, run, val, *lang); err != nil {
		return w.Fail(err)
	}
	if err := w.Close(); err != nil {
		return outputErr(err)
	}
	lateSignal(stderr, g, *out)
	if !*quiet {
		printSummaryTable(stdout, view)
	}
	fmt.Fprintf(info, "junkan: %s: %d regions × %d materials × %d years × %d variants → %s\n",
		run.Scenario.Name, len(run.Config.Regions), len(run.Config.Materials),
		run.Config.EndYear-run.Config.BaseYear+1, len(run.Variants), *out)
	return nil
}

// Bounds of the soft memory limit of a run (bytes), see
// runtime/debug.SetMemoryLimit and runMemoryLimit.
const (
	minMemoryLimit = 256 << 20
	maxMemoryLimit = 400 << 20
)

// runMemoryLimit returns the soft memory limit of a run streaming nw
// variants of config c at once: what they hold (streamSize each, plus one
// more whose rows are being formatted) and 64 MiB for the rest, with 20 %
// room for the garbage collector, within [minMemoryLimit,
// maxMemoryLimit]. All Japan (45 MB per variant, 2 at once) gets the
// minimum.
func runMemoryLimit(c *sim.Config, nw int, regionMaterials bool) int64 {
	held := float64(nw+1)*streamSize(c, regionMaterials) + 64<<20
	return min(max(int64(1.2*held), minMemoryLimit), maxMemoryLimit)
}

// resultBudget is the memory (bytes) that results in flight may take: the
// number of variants simulated ahead is cut so that their flows fit.
const resultBudget = 300e6

// streamWorkers returns how many variants of config c may be streamed at
// once: workers, cut so that the sums in flight (and with
// regionMaterials the whole results) fit in resultBudget (at least 1).
func streamWorkers(c *sim.Config, workers, variants int, regionMaterials bool) int {
	if limit := resultBudget / streamSize(c, regionMaterials); float64(workers) > limit {
		workers = max(1, int(limit))
	}
	// No more than there are variants: the workers left step the regions
	// of each (a run of one variant steps them on every worker).
	return max(1, min(workers, variants))
}

// streamSize returns the memory (bytes) one variant of config c holds
// while it is streamed: its region sums over all and msw materials per
// year, the engine's year buffer and, with regionMaterials, the whole
// result.
func streamSize(c *sim.Config, regionMaterials bool) float64 {
	R, M, Y := len(c.Regions), len(c.Materials), c.EndYear-c.BaseYear+1
	cell := float64(len(model.Flows{})) * 8
	size := float64(2*R*Y)*cell + float64(R*M)*cell
	if regionMaterials {
		size += float64(R*M*Y) * cell
	}
	return size
}

// streamVariants simulates every variant on up to workers goroutines with
// sim.Model.Stream, forming its sums year by year (w.NewSums; onYear, if
// not nil, sees each year first), and calls write with the sums of each
// variant in variant order, whatever the number of workers. At most
// workers variants are simulated or waiting at a time; their year buffers
// are reused. The first error stops the batch.
//
// A signal caught by g (may be nil) stops the batch at once with g's
// error (wrapping outdir.ErrInterrupted); simulations still running finish
// on their own goroutines (they write no files).
func streamVariants(m *sim.Model, vs []sim.Variant, workers int, g *outdir.Guard, w *output.Writer,
	onYear func(i int, yr *sim.Year), write func(i int, s *output.Sums) error) error {
	if workers < 1 {
		workers = 1
	}
	cfg := m.Config()
	type done struct {
		s   *output.Sums
		buf *sim.Result
		err error
	}
	pool := make(chan *sim.Result, workers)
	for range workers {
		pool <- &sim.Result{}
	}
	chans := make([]chan done, len(vs))
	for i := range chans {
		chans[i] = make(chan done, 1)
	}
	stop := make(chan struct{})
	go func() {
		for i := range vs {
			var buf *sim.Result
			select {
			case buf = <-pool:
			case <-stop:
				return
			}
			go func() {
				s, err := w.NewSums(&sim.Result{Variant: vs[i].Name, BaseYear: cfg.BaseYear,
					Years: cfg.EndYear - cfg.BaseYear + 1, Regions: cfg.Regions, Materials: cfg.Materials})
				if err == nil {
					err = m.Stream(&vs[i], buf, func(yr *sim.Year) error {
						if onYear != nil {
							onYear(i, yr)
						}
						return s.Year(yr)
					})
				}
				chans[i] <- done{s, buf, err}
			}()
		}
	}()
	defer close(stop)
	for i := range vs {
		var d done
		select {
		case d = <-chans[i]:
		case <-g.Done():
			return g.Err()
		}
		if d.err != nil {
			return d.err
		}
		if err := write(i, d.s); err != nil {
			return err
		}
		pool <- d.buf
	}
	return nil
}

// validation returns the checks of the base year of res against published
// data (validation.csv and summary.json).
func validation(run *scenarios.Run, res *sim.Result) *output.Validation {
	val := output.Validate(res, run.Incinerators, run.FinalDisposalT, run.FinalDisposalSource)
	if run.Stats != nil {
		val.StatsChecks(res, run.Stats, "SSDSE-E-2026 (環境省 一般廃棄物処理実態調査 令和5年度)")
	}
	if vs := run.Scenario.Validation; vs != nil && len(vs.National) > 0 {
		var names, srcs []string
		var refs []float64
		for _, c := range vs.National {
			names, refs, srcs = append(names, c.Indicator), append(refs, c.Value), append(srcs, c.Source)
		}
		val.NationalChecks(res, names, refs, srcs)
	}
	surveyValidation(val, res, run)
	return val
}

// Manifest is manifest.json: what produced a run's outputs.
type Manifest struct {
	Tool       string                    `json:"tool"`
	Version    string                    `json:"version"`
	Scenario   string                    `json:"scenario"`
	Seed       uint64                    `json:"seed"`
	BaseYear   int                       `json:"base_year"`
	EndYear    int                       `json:"end_year"`
	Variants   []string                  `json:"variants"`
	Inputs     []scenarios.InputFile     `json:"inputs"`
	Regions    []ManifestRegion          `json:"regions"`
	Parameters []scenarios.UsedParameter `json:"parameters"`
	// SurveyMunicipalities is the number of survey rows giving regions
	// their base year (0: no survey).
	SurveyMunicipalities int `json:"survey_rows_used,omitempty"`
	// CalibrationChanges are the values the scenario set that calibration
	// changed, with both values.
	CalibrationChanges []CalibrationChange `json:"calibration_changes,omitempty"`
}

// ManifestRegion records each region's base-year inputs and calibration.
type ManifestRegion struct {
	Code                         string  `json:"code"`
	Name                         string  `json:"name"`
	Prefecture                   string  `json:"prefecture,omitempty"`
	Archetype                    string  `json:"archetype"`
	Population                   float64 `json:"population"`
	PerCapitaGPerDay             float64 `json:"per_capita_g_per_day"`
	RecyclingRatePct             float64 `json:"recycling_rate_pct"`
	SeparateCollectionMultiplier float64 `json:"separate_collection_multiplier"`
	// BaseYearSource: municipal survey, prefecture, national default,
	// synthetic or override; SurveyCode the survey row used, SurveyFlags
	// its flags as published.
	BaseYearSource string               `json:"base_year_source,omitempty"`
	SurveyCode     string               `json:"survey_code,omitempty"`
	SurveyFlags    []string             `json:"survey_flags,omitempty"`
	Calibrated     bool                 `json:"calibrated"`
	Calibration    *ManifestCalibration `json:"calibration,omitempty"`
}

func manifest(f *scenarios.File, run *scenarios.Run, m *sim.Model, changes []CalibrationChange) *Manifest {
	mf := &Manifest{Tool: "junkan", Version: Version(), Scenario: f.Path, Seed: run.Scenario.Seed,
		BaseYear: run.Config.BaseYear, EndYear: run.Config.EndYear, Inputs: run.Inputs, Parameters: run.Used}
	for _, v := range run.Variants {
		mf.Variants = append(mf.Variants, v.Name)
	}
	for r, g := range run.Config.Regions {
		mf.Regions = append(mf.Regions, ManifestRegion{Code: g.Code, Name: g.Name, Prefecture: g.Prefecture,
			Archetype: g.Archetype.String(), Population: g.Population, PerCapitaGPerDay: g.PerCapitaGPerDay,
			RecyclingRatePct: g.RecyclingRate * 100, SeparateCollectionMultiplier: m.Multiplier[r]})
	}
	manifestBaseYear(mf, run, m)
	mf.CalibrationChanges = changes
	return mf
}

// outputBlocks converts the consolidation of a run for output, or nil.
func outputBlocks(run *scenarios.Run) *output.Blocks {
	b := run.Blocks
	if b == nil {
		return nil
	}
	ob := &output.Blocks{RegionBlock: b.RegionBlock, Locations: b.Locations, HaulKm: b.HaulKm,
		StatusQuoPlants: b.StatusQuoPlants, StatusQuoTPerDay: b.StatusQuoCapacityTPerDay,
		RegionsSplit: len(b.Result.Parts), Solver: b.Solver, Groups: solverSummaries(b)}
	for _, blk := range b.Result.Blocks {
		ob.IDs = append(ob.IDs, blk.ID)
		ob.Facility = append(ob.Facility, blk.Facility.Location)
		name := blk.Facility.ID
		if !blk.Facility.Existing {
			name = "new site at " + strings.TrimPrefix(blk.Facility.ID, "new:")
		}
		ob.FacilityName = append(ob.FacilityName, name)
		ob.Existing = append(ob.Existing, blk.Facility.Existing)
		ob.TonnesPerYear = append(ob.TonnesPerYear, blk.Tonnes)
		ob.CapacityTPerDay = append(ob.CapacityTPerDay, blk.Tonnes/b.OperatingDays)
	}
	return ob
}

// outputTargets converts the scenario's targets, filling in defaults: level
// total, material msw when the run has durable products (else all),
// direction from the sign of change_pct or the indicator's usual goal.
func outputTargets(run *scenarios.Run) ([]output.Target, error) {
	durables := false
	for _, m := range run.Config.Materials {
		durables = durables || m.Durable
	}
	var out []output.Target
	for _, ts := range run.Scenario.Targets {
		t := output.Target{Name: ts.Name, Indicator: ts.Indicator, Level: ts.Level, Scope: ts.Scope,
			Material: ts.Material, Year: ts.Year, Value: ts.Value, ChangePct: ts.ChangePct}
		if t.Level == "" {
			t.Level = output.LevelTotal
		}
		if t.Material == "" {
			t.Material = output.MaterialAll
			if durables {
				t.Material = output.MaterialMSW
			}
		}
		if t.Name == "" {
			t.Name = ts.Indicator
		}
		switch {
		case ts.Direction != "":
			d, err := model.ParseDirection(ts.Direction)
			if err != nil {
				return nil, err
			}
			t.Direction = d
		case ts.ChangePct != nil && *ts.ChangePct > 0:
			t.Direction = model.Increase
		case ts.ChangePct != nil && *ts.ChangePct < 0:
			t.Direction = model.Decrease
		case model.LowerIsBetter(ts.Indicator):
			t.Direction = model.Decrease
		default:
			t.Direction = model.Increase
		}
		out = append(out, t)
	}
	return out, nil
}
