package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/scenarios"
	"github.com/circular-partners/junkan/sim"
	"github.com/circular-partners/junkan/sim/batch"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// batchSetup is everything a batch, a shard or a merge needs besides the
// accumulated runs.
type batchSetup struct {
	f           *scenarios.File
	run         *scenarios.Run
	spec        scenarios.BatchSpec
	seed        uint64
	inputs      []scenarios.Uncertain
	design      batch.Design
	layout      *batch.Layout
	varIdx      []int // run.Variants index of each observed variant
	stats       []batch.Statistic
	headline    []int    // cell index of each headline column
	headNames   []string // headline column names
	exact       bool
	fingerprint string
	dataDir     string
	// linear: every run takes the engine's linear path (sim.Model.StreamLinear),
	// decided once from the scenario; linearWhy says why not, if not.
	linear    bool
	linearWhy string
	// sums: the runs hand over archetype sums only (no region level in the
	// statistics; sim.Model.StreamLinearGroups with groups), checked
	// against the whole engine like linear.
	sums   bool
	groups sim.Groups
}

// newBatchSetup loads the batch of scenario path; consolidation's
// progress lines go to progress (nil: none).
func newBatchSetup(path, dataDir string, progress io.Writer) (*batchSetup, error) {
	f, run, err := loadReporting(path, dataDir, progress)
	if err != nil {
		return nil, err
	}
	if f.Scenario.Batch == nil {
		return nil, badInput(fmt.Errorf("batch: %s has no batch: section (runs, method, …)", path))
	}
	if len(f.Uncertain()) == 0 {
		return nil, badInput(fmt.Errorf("batch: %s has no uncertain numbers: give at least one value as {distribution: …}", path))
	}
	b := &batchSetup{f: f, run: run, spec: *f.Scenario.Batch, inputs: f.Uncertain(), dataDir: f.DataDir(dataDir)}
	sp := &b.spec
	b.seed = f.Scenario.Seed
	if sp.Seed != nil {
		b.seed = *sp.Seed
	}
	if sp.Method == "" {
		sp.Method = "montecarlo"
	}
	if len(sp.Levels) == 0 {
		sp.Levels = scenarios.DefaultBatchLevels
	}
	if len(sp.Indicators) == 0 {
		sp.Indicators = scenarios.DefaultBatchIndicators
	}
	durables := false
	for _, m := range run.Config.Materials {
		durables = durables || m.Durable
	}
	if len(sp.Materials) == 0 {
		sp.Materials = []string{"all"}
		if durables {
			sp.Materials = append(sp.Materials, "msw")
		}
	}
	if len(sp.Statistics) == 0 {
		sp.Statistics = scenarios.DefaultBatchStatistics
	}
	for _, s := range sp.Statistics {
		p, _ := scenarios.ParseStatistic(s)
		b.stats = append(b.stats, batch.Statistic{Name: s, P: p})
	}
	var vnames []string
	for i, v := range run.Variants {
		if len(sp.Variants) == 0 || contains(sp.Variants, v.Name) {
			b.varIdx = append(b.varIdx, i)
			vnames = append(vnames, v.Name)
		}
	}
	c := &run.Config
	Y := c.EndYear - c.BaseYear + 1
	b.layout, err = batch.NewLayout(c.Regions, c.Materials, c.BaseYear, Y, vnames, sp.Levels, sp.Materials, sp.Indicators)
	if err != nil {
		return nil, badInput(err)
	}
	ids := make([]uint64, len(b.inputs))
	for i, u := range b.inputs {
		ids[i] = batch.InputID(u.Name)
	}
	switch sp.Method {
	case "montecarlo":
		b.design = &batch.MonteCarlo{Seed: b.seed, N: sp.Runs, IDs: ids}
	case "latin_hypercube":
		b.design = batch.NewLatinHypercube(b.seed, sp.Runs, len(ids))
	case "grid":
		lv := sp.GridLevels
		if lv == 0 {
			lv = 3
		}
		levels := make([]int, len(ids))
		for i := range levels {
			levels[i] = lv
		}
		g := &batch.Grid{Levels: levels}
		if g.Runs() > 10_000_000 {
			return nil, badInput(fmt.Errorf("batch: a grid of %d levels over %d inputs has too many runs", lv, len(ids)))
		}
		b.design = g
	case "sobol":
		b.design = &batch.Saltelli{Seed: b.seed, N: sp.Runs, IDs: ids}
	case "morris":
		lv := sp.MorrisLevels
		if lv == 0 {
			lv = 4
		}
		b.design = &batch.Morris{Seed: b.seed, R: sp.Runs, Levels: lv, IDs: ids}
	}
	// Headline columns of runs.csv: every observed variant and indicator
	// at the total level, first material, end year.
	if contains(sp.Levels, "total") {
		for _, v := range vnames {
			for _, ind := range sp.Indicators {
				k := b.layout.Index(v, "total", "total", c.EndYear, sp.Materials[0], ind)
				b.headline = append(b.headline, k)
				b.headNames = append(b.headNames, fmt.Sprintf("%s/%s/%s/%d", v, ind, sp.Materials[0], c.EndYear))
			}
		}
	}
	if err := checkInputNames(b); err != nil {
		return nil, err
	}
	b.linear, b.linearWhy = chooseLinear(run, b.varIdx, b.layout.Flows())
	if gr, ok := b.layout.Groups(); ok && b.linear {
		b.groups, b.sums = gr, checkGroups(run, b.varIdx, b.layout.Flows(), gr)
	}
	cells, runs := len(b.layout.Cells), b.design.Runs()
	b.exact = float64(cells)*float64(runs)*8 <= batch.ExactLimit
	h := sha256.New()
	fmt.Fprintf(h, "junkan batch v1\n%s\n", Version())
	for _, in := range run.Inputs {
		fmt.Fprintf(h, "%s %s\n", in.Role, in.SHA256)
	}
	js, _ := json.Marshal(struct {
		Spec   scenarios.BatchSpec
		Seed   uint64
		Inputs []scenarios.Uncertain
		Cells  int
		Runs   int
	}{*sp, b.seed, b.inputs, cells, runs})
	h.Write(js)
	b.fingerprint = hex.EncodeToString(h.Sum(nil))
	return b, nil
}

// chooseLinear decides whether a batch's runs take the linear path: when
// the statistics need no offtake flow and no sub-steps, and the linear
// path agrees with the whole engine on the scenario's central run of
// every observed variant (sim.Model.CheckLinear). The decision depends on
// the scenario only, so every shard makes the same.
func chooseLinear(run *scenarios.Run, varIdx []int, need []model.Flow) (bool, string) {
	m, err := sim.New(&run.Config)
	if err != nil {
		return false, err.Error()
	}
	if !m.CanStreamLinear(need) {
		return false, "the statistics need offtake flows or sub-steps"
	}
	for _, v := range varIdx {
		if err := m.CheckLinear(&run.Variants[v], need); err != nil {
			return false, err.Error()
		}
	}
	return true, ""
}

// checkGroups reports whether the linear path's archetype sums
// (sim.Model.StreamLinearGroups) agree with the whole engine's on the
// scenario's central run of every observed variant.
func checkGroups(run *scenarios.Run, varIdx []int, need []model.Flow, gr sim.Groups) bool {
	m, err := sim.New(&run.Config)
	if err != nil {
		return false
	}
	for _, v := range varIdx {
		if m.CheckLinearGroups(&run.Variants[v], need, gr) != nil {
			return false
		}
	}
	return true
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func (b *batchSetup) newAccumulator() *batch.Accumulator {
	return batch.NewAccumulator(len(b.layout.Cells), b.design.Runs(), len(b.inputs)+len(b.headline), b.exact)
}

// parseShard reads "i/n" (1 ≤ i ≤ n).
func parseShard(s string) (int, int, error) {
	a, c, ok := strings.Cut(s, "/")
	i, e1 := strconv.Atoi(a)
	n, e2 := strconv.Atoi(c)
	if !ok || e1 != nil || e2 != nil || n < 1 || i < 1 || i > n {
		return 0, 0, fmt.Errorf("--shard %q: want i/n with 1 ≤ i ≤ n, e.g. 2/3", s)
	}
	return i, n, nil
}

// shardRange returns the runs [lo, hi) of shard i of n.
func shardRange(runs, i, n int) (int, int) { return (i - 1) * runs / n, i * runs / n }

// shardInfo is shard.json of a partial result.
type shardInfo struct {
	Tool        string `json:"tool"`
	Scenario    string `json:"scenario"`
	Fingerprint string `json:"fingerprint"`
	Shard       int    `json:"shard"`
	Shards      int    `json:"shards"`
	FirstRun    int    `json:"first_run"`
	EndRun      int    `json:"end_run"`
}

func batchCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("batch", stderr)
	out := fs.String("o", "", "output `DIR` (required)")
	data := fs.String("data", dataDirDefault(), "data `DIR` for relative data paths (default: the scenario's data_dir; env JUNKAN_DATA_DIR)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "runs simulated in parallel (results do not depend on it)")
	shard := fs.String("shard", "", "run only shard `i/n` of the runs and write a partial result for junkan merge")
	resume := fs.Bool("resume", false, "continue an interrupted batch from its checkpoint (DIR.inprogress)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	every := fs.Duration("checkpoint-every", 5*time.Second, "how often the checkpoint for --resume is written")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(pos) != 1 {
		fs.Usage()
		return badInput(errors.New("batch: one SCENARIO.yaml and -o DIR are required"))
	}
	if *workers < 1 {
		return badInput(fmt.Errorf("batch: --workers %d: want at least 1", *workers))
	}
	if *every <= 0 {
		return badInput(fmt.Errorf("batch: --checkpoint-every %s: want a positive duration, e.g. 5s or 1m", *every))
	}
	si, sn := 1, 1
	shardSet := false
	fs.Visit(func(f *flag.Flag) { shardSet = shardSet || f.Name == "shard" })
	if shardSet {
		if si, sn, err = parseShard(*shard); err != nil {
			return badInput(fmt.Errorf("batch: %w", err))
		}
	}
	if err := output.CheckDir(*out); err != nil {
		return badInput(err)
	}
	if err := checkWorkDir(strings.TrimRight(*out, `/\`) + ".inprogress"); err != nil {
		return err
	}
	// Signals are caught from here, also during the set-up (seconds for
	// all Japan): a signal then ends the batch before it writes anything.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, outdir.Signals...) // as junkan run: SIGINT, SIGTERM, SIGHUP, SIGQUIT
	defer signal.Stop(sig)
	stop := make(chan struct{})
	var stopOnce sync.Once
	var interrupted os.Signal
	go func() {
		select {
		case s := <-sig:
			interrupted = s
			stopOnce.Do(func() { close(stop) })
		case <-stop:
		}
	}()
	var progress io.Writer = stderr
	if *quiet {
		progress = nil
	}
	b, err := newBatchSetup(pos[0], *data, progress)
	if err != nil {
		return err
	}
	sampling, err := b.f.NewSampling(b.run, b.dataDir)
	if err != nil {
		return badInput(err)
	}
	runs := b.design.Runs()
	lo, hi := shardRange(runs, si, sn)
	work := strings.TrimRight(*out, `/\`) + ".inprogress"
	ckpt := filepath.Join(work, "checkpoint.bin")
	acc := b.newAccumulator()
	if *resume {
		fh, err := os.Open(ckpt)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return badInput(fmt.Errorf("batch: --resume: no checkpoint %s to continue from (nothing was interrupted there; run without --resume)", ckpt))
			}
			return badInput(fmt.Errorf("batch: --resume: no checkpoint: %w", err))
		}
		acc, err = batch.DecodeAccumulator(fh, b.fingerprint)
		fh.Close()
		if errors.Is(err, batch.ErrForeign) {
			return badInput(fmt.Errorf("batch: --resume: %s is the checkpoint of another batch (other scenario, data, seed, design or outputs): run without --resume to start this one over", ckpt))
		}
		if err != nil {
			return badInput(fmt.Errorf("batch: --resume: %s: %w", ckpt, err))
		}
		// Runs of the checkpoint outside this shard's range would be
		// counted in its partial (a whole batch's checkpoint resumed with
		// --shard 1/2 wrote a partial of more runs than the shard has).
		if in := hi - lo - len(acc.Missing(lo, hi)); acc.Count() != int64(in) {
			what := "the whole batch"
			if shardSet {
				what = fmt.Sprintf("shard %d/%d (runs %d to %d)", si, sn, lo+1, hi)
			}
			return badInput(fmt.Errorf("batch: --resume: %s holds %d runs outside %s: it was written with another --shard; resume with the --shard the interrupted batch had",
				ckpt, acc.Count()-int64(in), what))
		}
	} else if _, err := os.Stat(ckpt); err == nil {
		fmt.Fprintf(stderr, "junkan: batch: starting over: %s, the checkpoint of an interrupted batch, is replaced (--resume continues it)\n", ckpt)
	}
	select {
	case <-stop:
		return fmt.Errorf("batch: interrupted (%s) during set-up; nothing written", outdir.SignalName(interrupted))
	default:
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	save := func() error {
		tmp := ckpt + ".tmp"
		fh, err := os.Create(tmp)
		if err != nil {
			return err
		}
		if err := acc.Encode(fh, b.fingerprint); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
		return os.Rename(tmp, ckpt)
	}
	// Set-up (loading, probing where the numbers land, the linear path's
	// check) leaves garbage; a run makes almost none. Collect it and give
	// it back now, so that the peak does not depend on where a collection
	// happens to fall during the workers' first runs.
	runtime.GC()
	debug.FreeOSMemory()
	todo := acc.Missing(lo, hi)
	// Workers add their runs with acc.AddShared, which gathers them in
	// blocks and adds each block to the statistics cell by cell, stripe by
	// stripe of cells under their own locks, so that two workers add at
	// once (with region-level statistics adding a run took longer than
	// simulating it); mu is held shared while adding and exclusively to
	// save a checkpoint (Encode first adds the runs gathered), which then
	// holds only whole runs.
	var mu sync.RWMutex
	prog := newProgress(stderr, *quiet, len(todo), hi-lo-len(todo), *every)
	err = simulateRuns(b, sampling, todo, *workers, stop, func(r int, y, row []float64) {
		mu.RLock()
		acc.AddShared(r, y, row)
		mu.RUnlock()
		prog.done(func() error { mu.Lock(); defer mu.Unlock(); return save() })
	})
	prog.finish()
	if interrupted != nil || err != nil {
		mu.Lock()
		serr := save()
		mu.Unlock()
		if interrupted != nil {
			name := outdir.SignalName(interrupted)
			if serr != nil {
				return fmt.Errorf("batch: interrupted (%s); checkpoint not saved: %w", name, serr)
			}
			// Exit 1 (a run interrupted), as junkan run; no os.Exit here,
			// so that deferred clean-up runs and Main maps the status.
			return fmt.Errorf("batch: interrupted (%s): %d of %d runs done; continue with --resume", name, acc.Count(), hi-lo)
		}
		return err
	}
	if sn > 1 || *shard != "" {
		err = writePartial(*out, acc, b, shardInfo{Tool: "junkan", Scenario: absPath(pos[0]), Fingerprint: b.fingerprint,
			Shard: si, Shards: sn, FirstRun: lo, EndRun: hi})
	} else {
		err = writeBatch(*out, acc, b)
	}
	if err != nil {
		return err
	}
	removeWorkDir(work)
	if hi == lo {
		// Normal on a scheduler array of more tasks than runs; said even
		// with --quiet, so that an empty result is not taken for a fault.
		fmt.Fprintf(stderr, "junkan: batch %s: shard %d/%d has no runs (the batch has %d runs, fewer than its %d shards): wrote an empty partial result → %s; merge it with the others as usual\n",
			b.run.Scenario.Name, si, sn, runs, sn, *out)
		return nil
	}
	if !*quiet {
		fmt.Fprintf(stderr, "junkan: batch %s: %d runs (%s) × %d variants, %d cells → %s\n", b.run.Scenario.Name, hi-lo,
			b.spec.Method, len(b.varIdx), len(b.layout.Cells), *out)
	}
	return nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// simulateRuns simulates runs on workers goroutines and calls add for
// each (concurrently; add must synchronise). It stops early when stop is
// closed (returning nil) or at the first error.
func simulateRuns(b *batchSetup, sampling *scenarios.Sampling, runs []int, workers int, stop chan struct{}, add func(r int, y, row []float64)) error {
	next := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	inner := 0 // engine goroutines per run: all cores when runs go one at a time
	if workers > 1 {
		inner = 1
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			D := len(b.inputs)
			u, x := make([]float64, D), make([]float64, D)
			y := make([]float64, len(b.layout.Cells))
			row := make([]float64, D+len(b.headline))
			var sample scenarios.Sample
			var res sim.Result
			var sc batch.Scratch
			var m *sim.Model
			var err error
			for r := range next {
				b.design.Point(r, u)
				for k := range x {
					x[k] = b.inputs[k].Dist.Quantile(u[k])
				}
				b.f.ScaleShares(x)
				sampling.Apply(x, &sample)
				// The worker's model is renewed in place: a run of the same
				// shape allocates almost nothing, so memory stays flat.
				m, err = sim.Renew(m, &sample.Config)
				if err != nil {
					errs <- fmt.Errorf("batch: run %d (%s): %w", r, describe(b.inputs, x), err)
					return
				}
				m.SetWorkers(inner)
				for vi, v := range b.varIdx {
					// Each finished year is observed while it is in cache;
					// no run keeps more than one year of flows.
					observe := func(yr *sim.Year) error {
						b.layout.ObserveYear(vi, yr, y, &sc)
						return nil
					}
					if b.sums {
						err = m.StreamLinearGroups(&sample.Variants[v], b.layout.Flows(), b.groups, &res, observe)
					} else if b.linear {
						err = m.StreamLinear(&sample.Variants[v], b.layout.Flows(), &res, observe)
					} else {
						err = m.Stream(&sample.Variants[v], &res, observe)
					}
					if err != nil {
						errs <- fmt.Errorf("batch: run %d (%s): %w", r, describe(b.inputs, x), err)
						return
					}
				}
				copy(row, x)
				for k, c := range b.headline {
					row[D+k] = y[c]
				}
				add(r, y, row)
			}
		}()
	}
	var err error
feed:
	for _, r := range runs {
		select {
		case next <- r:
		case <-stop:
			break feed
		case err = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}

func describe(in []scenarios.Uncertain, x []float64) string {
	var parts []string
	for i, u := range in {
		parts = append(parts, fmt.Sprintf("%s = %.6g", u.Name, x[i]))
	}
	return strings.Join(parts, ", ")
}

// progress reports runs done on stderr: a line every few seconds.
type progress struct {
	w            io.Writer
	quiet        bool
	total, done0 int
	n            int
	start, last  time.Time
	lastSave     time.Time
	every        time.Duration            // checkpoint interval
	bar          *progressbar.ProgressBar // when stderr is a terminal
	mu           sync.Mutex
}

func newProgress(w io.Writer, quiet bool, total, already int, every time.Duration) *progress {
	now := time.Now()
	p := &progress{w: w, quiet: quiet, total: total, done0: already, start: now, last: now, lastSave: now, every: every}
	if f, ok := w.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total+already, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("junkan batch"),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish())
		p.bar.Set(already)
	}
	return p
}

// done counts one run; save is called at most every few seconds to write
// a checkpoint.
func (p *progress) done(save func() error) {
	p.mu.Lock()
	p.n++
	now := time.Now()
	doSave := now.Sub(p.lastSave) > p.every
	if doSave {
		p.lastSave = now
	}
	if p.bar != nil {
		p.bar.Add(1)
	} else if !p.quiet && now.Sub(p.last) > 3*time.Second {
		p.last = now
		el := now.Sub(p.start)
		left := time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
		fmt.Fprintf(p.w, "junkan: batch: %d/%d runs (%.0f %%), %s elapsed, about %s left\n", p.n+p.done0, p.total+p.done0,
			100*float64(p.n+p.done0)/float64(max(1, p.total+p.done0)), el.Round(time.Second), left.Round(time.Second))
	}
	p.mu.Unlock()
	if doSave {
		t0 := time.Now()
		save()
		// A checkpoint costs at most a tenth of the time: with many
		// cells (region-level statistics) encoding one takes a while.
		if d := 10 * time.Since(t0); d > p.every {
			p.mu.Lock()
			p.lastSave = time.Now().Add(d - p.every)
			p.mu.Unlock()
		}
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// writePartial writes a shard's partial result: DIR/partial.bin and
// DIR/shard.json.
func writePartial(dir string, acc *batch.Accumulator, b *batchSetup, info shardInfo) error {
	files := map[string][]byte{}
	var buf bytes.Buffer
	if err := acc.Encode(&buf, b.fingerprint); err != nil {
		return err
	}
	files["partial.bin"] = buf.Bytes()
	js, _ := json.MarshalIndent(info, "", "  ")
	files["shard.json"] = append(js, '\n')
	return writeDirAtomic(dir, files)
}

// writeDirAtomic writes files into a temporary directory beside dir and
// swaps it in (package outdir: an existing dir is replaced only if it is
// an earlier junkan output).
func writeDirAtomic(dir string, files map[string][]byte) error {
	d, err := outdir.Begin(dir, nil, nil)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(d.Path(), name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			d.Abort()
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			d.Abort()
			return err
		}
	}
	return d.Commit(nil, nil)
}

// fmtValue formats a value for CSV: shortest round-trip form.
func fmtValue(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
