// Package cli implements the junkan command line: subcommands, flags, exit
// statuses. It glues the packages together and holds no model logic.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/scenarios"
	"github.com/circular-partners/junkan/sim"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitFail  = 1 // a failure while running (I/O, mass balance)
	ExitUsage = 2 // bad input: usage, scenario or data errors
)

// usageError marks errors that exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func badInput(err error) error { return usageError{err} }

type command struct {
	name, usage, short string
	run                func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"run", "junkan run [SCENARIO.yaml] -o DIR [--data DIR] [--workers N]", "simulate all variants and write outputs (no file: the embedded default)", runCmd},
		{"validate", "junkan validate SCENARIO.yaml [--data DIR]", "check a scenario and its data files without running", validateCmd},
		{"params", "junkan params [--csv]", "print every default parameter with its unit and source", paramsCmd},
		{"elements", "junkan elements", "print the model elements (モデル要素) and their effects", elementsCmd},
		{"example", "junkan example", "print the embedded default scenario (a template)", exampleCmd},
		{"version", "junkan version", "print the version", versionCmd},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "junkan simulates regional circulation models (地域循環モデル) of municipal waste.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-52s %s\n", c.usage, c.short)
	}
	fmt.Fprintln(w, "\nExit status: 0 ok, 1 failure while running, 2 bad input.")
}

// Main runs the command line args (without the program name) and returns
// the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		switch {
		case err == nil:
			return ExitOK
		case errors.Is(err, flag.ErrHelp):
			return ExitOK
		}
		fmt.Fprintf(stderr, "junkan: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return ExitUsage
		}
		return ExitFail
	}
	fmt.Fprintf(stderr, "junkan: unknown command %q%s\n", args[0], model.Suggest(args[0], names()))
	usage(stderr)
	return ExitUsage
}

func names() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return out
}

// parseFlags parses flags that may come before or after positional
// arguments, returning the positionals.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, badInput(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func dataDirDefault() string { return os.Getenv("JUNKAN_DATA_DIR") }

// load reads the scenario (or the embedded default) and builds its run.
func load(path, dataDir string) (*scenarios.File, *scenarios.Run, error) {
	var f *scenarios.File
	var err error
	if path == "" {
		f, err = scenarios.Default()
	} else {
		f, err = scenarios.Load(path)
	}
	if err != nil {
		return nil, nil, badInput(err)
	}
	run, err := f.Build(f.DataDir(dataDir))
	if err != nil {
		return nil, nil, badInput(err)
	}
	return f, run, nil
}

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output `DIR` (required): new, empty, or an earlier junkan output (then replaced)")
	data := fs.String("data", dataDirDefault(), "data `DIR` for relative data paths (default: the scenario's data_dir; env JUNKAN_DATA_DIR)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "variants simulated in parallel")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: junkan run [SCENARIO.yaml] -o DIR [--data DIR] [--workers N]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return badInput(errors.New("run: -o DIR is required"))
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
	f, run, err := load(path, *data)
	if err != nil {
		return err
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
	sel, err := output.SelectRows(run.RegionIndicators)
	if err != nil {
		return badInput(err)
	}
	targets, err := outputTargets(run)
	if err != nil {
		return badInput(err)
	}
	opt := output.Options{
		Targets:         targets,
		Blocks:          outputBlocks(run),
		RegionRows:      sel,
		RegionMaterials: run.RegionMaterials,
		Manifest:        manifest(f, run, m),
		Plots:           run.Plots,
	}
	w, err := output.Create(*out, opt)
	if err != nil {
		return err
	}
	// An interrupted run removes its temporary directory, so nothing
	// half-written is left behind.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	stopSig := make(chan struct{})
	defer func() { signal.Stop(sig); close(stopSig) }()
	go func() {
		select {
		case s := <-sig:
			os.RemoveAll(w.TempDir())
			fmt.Fprintf(stderr, "junkan: interrupted (%v); no output written\n", s)
			os.Exit(130)
		case <-stopSig:
		}
	}()
	// Variants are simulated ahead on up to workers goroutines and written
	// in order; at most workers results are in memory, recycled. Large runs
	// keep fewer in memory (resultBudget).
	nw := *workers
	c := &run.Config
	size := float64(len(c.Regions)*len(c.Materials)*(c.EndYear-c.BaseYear+1)) * float64(len(model.Flows{})) * 8
	if limit := int(resultBudget / size); nw > limit {
		nw = max(1, limit)
	}
	err = runVariants(m, run.Variants, nw, func(i int, res *sim.Result) error {
		if i == 0 && (run.Incinerators != nil || run.FinalDisposalT > 0 || run.Stats != nil || run.Scenario.Validation != nil) {
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
			if err := w.SetValidation(val, map[string][]byte{"validation.csv": val.CSV()}); err != nil {
				return err
			}
		}
		return w.Add(res)
	})
	if err != nil {
		w.Abort()
		return err
	}
	var attrs []output.Attribution
	for _, name := range run.Scenario.Outputs.Attribution {
		for i := range run.Variants {
			if run.Variants[i].Name == name {
				a, err := attribute(m, &run.Variants[i])
				if err != nil {
					w.Abort()
					return err
				}
				attrs = append(attrs, a)
			}
		}
	}
	w.SetAttribution(attrs)
	if err := w.Close(); err != nil {
		return err
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

// runVariants simulates every variant on up to workers goroutines and
// calls write for each result in variant order, whatever the number of
// workers. At most workers results exist at a time; their arrays are
// reused. The first error stops the batch.
func runVariants(m *sim.Model, vs []sim.Variant, workers int, write func(i int, res *sim.Result) error) error {
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
		d := <-chans[i]
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
}

func manifest(f *scenarios.File, run *scenarios.Run, m *sim.Model) *Manifest {
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
	return mf
}

func validateCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", dataDirDefault(), "data `DIR` for relative data paths")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badInput(errors.New("validate: want exactly one SCENARIO.yaml"))
	}
	_, run, err := load(pos[0], *data)
	if err != nil {
		return err
	}
	if _, err := sim.New(&run.Config); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(stdout, "%s: ok (%d regions, %d variants, FY%d–FY%d)\n", pos[0], len(run.Config.Regions),
		len(run.Variants), run.Config.BaseYear, run.Config.EndYear)
	return nil
}

func paramsCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("params", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asCSV := fs.Bool("csv", false, "print the table as CSV")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput(fmt.Errorf("params: unexpected argument %q", pos[0]))
	}
	if *asCSV {
		_, err := io.WriteString(stdout, model.DefaultsCSV())
		return err
	}
	t := model.Defaults()
	counts := map[string]int{}
	for _, f := range t.Facts {
		counts[f.Kind]++
		fmt.Fprintf(stdout, "%s [archetype %s, material %s] = %v %s (%s)\n    source: %s\n", f.Key, f.Archetype,
			f.Material, f.Value, f.Unit, f.Kind, f.Source)
		if f.Note != "" {
			fmt.Fprintf(stdout, "    note: %s\n", f.Note)
		}
	}
	fmt.Fprintf(stdout, "\n%d parameters: %d cited, %d derived, %d assumption. Machine-readable: junkan params --csv\n",
		len(t.Facts), counts[model.KindCited], counts[model.KindDerived], counts[model.KindAssumption])
	return nil
}

func elementsCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("elements: unexpected argument %q", args[0]))
	}
	mats := append(model.DefaultMaterials(), model.DefaultProducts()...)
	lib, err := model.Library(model.Defaults(), mats)
	if err != nil {
		return err
	}
	tab := model.Defaults()
	for _, e := range lib {
		fmt.Fprintf(stdout, "%s  %s  [stage: %s]\n    %s\n", e.ID, e.NameJA, e.Stage, e.Description)
		// One line per magnitude key: the parameters it changes and on
		// which rows.
		for _, key := range e.MagnitudeKeys {
			var params, rows []string
			var op string
			for _, ef := range e.Effects {
				if ef.Key != key {
					continue
				}
				op = ef.Op.String()
				if !slices.Contains(params, ef.Param.String()) {
					params = append(params, ef.Param.String())
				}
				if !slices.Contains(rows, ef.Material) {
					rows = append(rows, ef.Material)
				}
			}
			f, _ := tab.Lookup(key, 0, "")
			if key == "ai_sorting.capex_per_t" {
				op = "annualised (discount_rate, capex_life_years), " + op
			}
			if key == "collection_incentives.cost_per_capita" {
				op = "divided by the national t/person/yr, " + op
			}
			if op == "" {
				fmt.Fprintf(stdout, "    %s = %v %s (%s) — %s\n", key, f.Value, f.Unit, f.Kind, f.Source)
				continue
			}
			fmt.Fprintf(stdout, "    %s = %v %s (%s): %s %s on %s\n      source: %s\n", key, f.Value, f.Unit, f.Kind, op,
				strings.Join(params, ", "), strings.Join(rows, ", "), f.Source)
		}
	}
	fmt.Fprintln(stdout, "\nOverride any magnitude in a variant: elements: [{element: ID, start_year: Y, magnitudes: {KEY: VALUE}}]")
	return nil
}

func exampleCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("example: unexpected argument %q", args[0]))
	}
	_, err := stdout.Write(scenarios.DefaultYAML())
	return err
}

func versionCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("version: unexpected argument %q", args[0]))
	}
	fmt.Fprintln(stdout, "junkan", Version())
	return nil
}

// Version returns the module version from the build info, or "devel".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// outputBlocks converts the consolidation of a run for output, or nil.
func outputBlocks(run *scenarios.Run) *output.Blocks {
	b := run.Blocks
	if b == nil {
		return nil
	}
	ob := &output.Blocks{RegionBlock: b.RegionBlock, Locations: b.Locations, HaulKm: b.HaulKm,
		StatusQuoPlants: b.StatusQuoPlants, StatusQuoTPerDay: b.StatusQuoCapacityTPerDay}
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

// attributionIndicators are the headline indicators decomposed among the
// elements of a variant (total level, material all, end year).
var attributionIndicators = []string{"waste_generated", "final_disposal", "ghg_net", "cost_total", "ce_market",
	"jobs", "recycling_rate", "outlet_circular_use_rate", "inlet_circular_use_rate"}

// attribute decomposes the end-year change of v (against v without any of
// its elements) among its element uses with Shapley values: every subset
// of the uses is simulated (2^n runs), and each element gets its average
// marginal contribution over all orders of adoption. Contributions sum to
// the total change.
func attribute(m *sim.Model, v *sim.Variant) (output.Attribution, error) {
	n := len(v.Elements)
	a := output.Attribution{Variant: v.Name, Indicators: attributionIndicators,
		Method: "Shapley values over the element uses of the variant: mean marginal contribution over all orders of adoption, from 2^n simulated subsets"}
	if n > 10 {
		return a, fmt.Errorf("attribution of %s: %d elements, at most 10 (2^n runs)", v.Name, n)
	}
	for _, ind := range attributionIndicators {
		a.Units = append(a.Units, unitOf(ind))
	}
	// Simulate every subset of the uses, in parallel; each worker recycles
	// its own result arrays.
	N := 1 << n
	vals := make([][]float64, N)
	errs := make([]error, N)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			res := &sim.Result{}
			for mask := wk; mask < N; mask += workers {
				sub := sim.Variant{Name: v.Name}
				for i, u := range v.Elements {
					if mask&(1<<i) != 0 {
						sub.Elements = append(sub.Elements, u)
					}
				}
				out := make([]float64, len(attributionIndicators))
				if err := m.RunInto(res, &sub); err != nil {
					errs[mask] = err
					continue
				}
				y := res.Years - 1
				var f model.Flows
				pop := res.Sum(&f, y, nil, -1)
				for j, ind := range attributionIndicators {
					out[j] = valueOf(ind, &f, pop, res.Year(y))
				}
				vals[mask] = out
			}
		}(wk)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return a, err
	}
	cfg := m.Config()
	a.Year = cfg.EndYear
	value := func(mask uint) []float64 { return vals[mask] }
	contrib := model.Shapley(n, len(attributionIndicators), value)
	all, none := value(1<<n-1), value(0)
	for j := range attributionIndicators {
		a.Total = append(a.Total, all[j]-none[j])
	}
	for i, u := range v.Elements {
		a.Elements = append(a.Elements, output.ElementContribution{Element: u.Element, Contribution: contrib[i]})
	}
	return a, nil
}

func valueOf(name string, f *model.Flows, pop float64, fy int) float64 {
	v, _, _ := model.IndicatorValue(name, f, pop, fy)
	return v
}

func unitOf(name string) string {
	_, u, _ := model.IndicatorValue(name, &model.Flows{}, 0, 2023)
	return u
}
