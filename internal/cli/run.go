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
	quiet := fs.Bool("quiet", false, "do not print the summary table on stdout")
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
	if err := output.CheckDir(*out); err != nil {
		return badInput(err)
	}
	if len(pos) > 1 {
		return badInput(fmt.Errorf("run: one scenario file at most, got %d", len(pos)))
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	}
	// The run is guarded against signals from here on (outdir.go).
	g := watchSignals(stderr, *out)
	defer g.Stop()
	f, run, err := load(path, *data)
	if err != nil {
		return err
	}
	if err := inputsOutside(*out, f, run); err != nil {
		return badInput(err)
	}
	// Keep the heap of large runs under memoryLimit unless the user set
	// GOMEMLIMIT: the garbage collector then works harder instead of
	// letting recycled result arrays pile up.
	if os.Getenv("GOMEMLIMIT") == "" {
		old := debug.SetMemoryLimit(memoryLimit)
		defer debug.SetMemoryLimit(old)
	}
	m, err := sim.New(&run.Config)
	if err != nil {
		return badInput(err)
	}
	changes := calibrationChanges(run, m)
	warnCalibration(stderr, run, m, changes)
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
	}
	opt.Guard, opt.Notice = g, noticeTo(stderr)
	if opt.Finish, err = reportFinish(run); err != nil {
		return badInput(err)
	}
	w, err := output.Create(*out, opt)
	if err != nil {
		return outputErr(err)
	}
	// Variants are simulated ahead on up to workers goroutines and written
	// in order; at most workers results are in memory, recycled. Large runs
	// keep fewer in memory (resultBudget).
	nw := resultWorkers(&run.Config, *workers)
	// Each run steps its regions on the workers left, so that at most
	// about --workers goroutines compute at once; results do not depend
	// on it.
	m.SetWorkers(max(1, *workers/nw))
	var val *output.Validation
	err = runVariants(m, run.Variants, nw, g, func(i int, res *sim.Result) error {
		if i == 0 && (run.Incinerators != nil || run.FinalDisposalT > 0 || run.Stats != nil || run.Scenario.Validation != nil || len(run.Survey) > 0) {
			val = output.Validate(res, run.Incinerators, run.FinalDisposalT, run.FinalDisposalSource)
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
			if err := w.SetValidation(val, map[string][]byte{"validation.csv": val.CSV()}); err != nil {
				return err
			}
		}
		return w.Add(res)
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
	fmt.Fprintf(stderr, "junkan: %s: %d regions × %d materials × %d years × %d variants → %s\n",
		run.Scenario.Name, len(run.Config.Regions), len(run.Config.Materials),
		run.Config.EndYear-run.Config.BaseYear+1, len(run.Variants), *out)
	return nil
}

// memoryLimit is the soft heap limit of a run (bytes), see
// runtime/debug.SetMemoryLimit.
const memoryLimit = 400 << 20

// resultBudget is the memory (bytes) that results in flight may take: the
// number of variants simulated ahead is cut so that their flows fit.
const resultBudget = 300e6

// resultWorkers returns how many results of config c may be simulated at
// once: workers, cut so that their flows fit in resultBudget (at least 1).
func resultWorkers(c *sim.Config, workers int) int {
	size := float64(len(c.Regions)*len(c.Materials)*(c.EndYear-c.BaseYear+1)) * float64(len(model.Flows{})) * 8
	if limit := resultBudget / size; float64(workers) > limit {
		workers = max(1, int(limit))
	}
	return max(1, workers)
}

// runVariants simulates every variant on up to workers goroutines and
// calls write for each result in variant order, whatever the number of
// workers. At most workers results exist at a time; their arrays are
// reused. The first error stops the batch.
//
// A signal caught by g (may be nil) stops the batch at once with g's
// error (wrapping outdir.ErrInterrupted); simulations still running finish
// on their own goroutines (they write no files).
func runVariants(m *sim.Model, vs []sim.Variant, workers int, g *outdir.Guard, write func(i int, res *sim.Result) error) error {
	if workers < 1 {
		workers = 1
	}
	type done struct {
		res *sim.Result
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
			var res *sim.Result
			select {
			case res = <-pool:
			case <-stop:
				return
			}
			go func() {
				err := m.RunInto(res, &vs[i])
				chans[i] <- done{res, err}
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
		if err := write(i, d.res); err != nil {
			return err
		}
		pool <- d.res
	}
	return nil
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
