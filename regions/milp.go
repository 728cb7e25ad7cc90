package regions

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// progressEvery is how long a CBC solve runs before its progress lines are
// shown, and the least time between two of them.
const progressEvery = 5 * time.Second

// FindCBC returns the path of the COIN-OR CBC solver: $JUNKAN_CBC if set,
// else "cbc" on PATH; "" if there is none (Debian: apt-get install
// coinor-cbc).
func FindCBC() string {
	if p := os.Getenv("JUNKAN_CBC"); p != "" {
		return p
	}
	p, err := exec.LookPath("cbc")
	if err != nil {
		return ""
	}
	return p
}

// mergeColocated enables the merged formulation of co-located sites (a
// test compares it with the unmerged one).
var mergeColocated = true

// maxArcs bounds the assignment variables of one group's MILP; above it each
// municipality keeps only its nearest candidate sites (and those of the
// warm start), and the GroupSolution says Restricted.
const maxArcs = 40_000

// solveMILP solves the group as a capacitated facility-location MILP with
// CBC (see the package documentation of the formulation in
// [ConsolidateExact]), warm-started from warm if it is not nil. limit
// bounds CBC's time (0 = none). logLine receives CBC's progress lines
// (after progressEvery, at most one per progressEvery).
//
// Formulation, for demands i (w_i t/yr), sites j, allowed arcs (i, j) within
// MaxHaulKm at road distance d_ij:
//
//	x_ij ∈ [0, 1] (Split) or {0, 1}: share of i treated at j;  y_j ∈ {0, 1}: j open
//	Σ_j x_ij = 1;  x_ij ≤ y_j;  Σ_i w_i x_ij ≤ cap_j y_j (capacitated j);  Σ_j y_j = P (P > 0)
//	P > 0: minimise Σ w_i d_ij x_ij (t·km)
//	P = 0: minimise Σ c w_i d_ij x_ij + Σ_j Σ_k (a_k z_jk + b_k t_jk), with the
//	       capacity levels L_0 = 0 < L_1 < … < L_K as segments k of the
//	       piecewise-linear facility cost F (a_k + b_k t on [L_k−1, L_k], the
//	       last one open up to the site's capacity):
//	       Σ_k z_jk = y_j,  Σ_k t_jk = Σ_i w_i x_ij,  L_k−1 z_jk ≤ t_jk ≤ U_k z_jk.
//
// With P fixed, Split and no warm start, sites at the same location are
// merged (see colocated): one x per demand and location, x_iℓ ≤ y of its
// largest site, capacity Σ cap_r y_r, its sites opened largest first.
func (in *instance) solveMILP(p int, where string, warm []flow, limit time.Duration, logLine func(string)) ([]flow, GroupSolution, error) {
	sol := GroupSolution{Method: "cbc"}
	costMode := p == 0
	var xs, ys []float64 // breakpoints of the facility cost
	if costMode && in.opt.FacilityCostPerT != nil {
		if len(in.opt.CostLevels) == 0 {
			return nil, sol, errors.New("regions: consolidate: the MILP needs CostLevels to choose P by cost with a facility cost")
		}
		xs = append([]float64{0}, in.opt.CostLevels...)
		ys = make([]float64, len(xs))
		for k := 1; k < len(xs); k++ {
			fc, err := facilityCost(in.opt.FacilityCostPerT, xs[k])
			if err != nil {
				return nil, sol, err
			}
			ys[k] = fc
		}
	}
	total := 0.0
	for _, w := range in.w {
		total += w
	}

	// Arcs: all allowed ones, or the nearest per demand if too many.
	arcs := make([][]int32, in.n)
	nArcs := 0
	for i := range in.n {
		nArcs += len(in.order[i])
	}
	keep := in.m
	if nArcs > maxArcs {
		keep = max(5, maxArcs/in.n)
		sol.Restricted = true
	}
	warmArc := map[[2]int]bool{}
	for _, f := range warm {
		warmArc[[2]int{f.i, f.j}] = true
	}
	// Co-located sites (same location, so the same distances) merged,
	// with a fixed P, splittable demands and no warm start: one x per
	// municipality and location instead of one per site. The location's
	// sites, in decreasing capacity, are opened in that order (y_r+1 <=
	// y_r), its capacity is the sum of the open ones', and P counts them
	// all: the same optimum (r sites at a location are best the r largest,
	// and split tonnage can fill them in any way), with fewer variables.
	rep := make([]int, in.m) // the site standing for j's location
	for j := range rep {
		rep[j] = j
	}
	var colo map[int][]int // rep → its location's sites, largest first
	if mergeColocated && !costMode && in.opt.Split && !sol.Restricted && len(warm) == 0 {
		colo = in.colocated()
		for r, g := range colo {
			for _, j := range g {
				rep[j] = r
			}
		}
	}
	siteUsed := make([]bool, in.m)
	for i := range in.n {
		for k, j := range in.order[i] {
			if rep[j] != int(j) {
				continue
			}
			if k < keep || warmArc[[2]int{i, int(j)}] {
				arcs[i] = append(arcs[i], j)
				siteUsed[j] = true
			}
		}
	}
	for j := range siteUsed {
		siteUsed[j] = siteUsed[rep[j]]
	}

	// Objective scale: keep coefficients near 1.
	scale := 1.0
	if total > 0 {
		scale = 1 / total
	}
	w := &lpText{b: make([]byte, 0, 64*nArcs+4096)}
	w.s("Minimize\n obj:")
	for i := range in.n {
		for _, j := range arcs[i] {
			c := in.w[i] * in.dist(i, int(j))
			if costMode {
				c *= in.opt.TransportCostPerTKm
			}
			w.term(c*scale, "x_", i, int(j))
		}
	}
	if xs != nil {
		for j := range in.m {
			if !siteUsed[j] {
				continue
			}
			for k := 1; k < len(xs); k++ {
				slope := (ys[k] - ys[k-1]) / (xs[k] - xs[k-1])
				w.term((ys[k-1]-slope*xs[k-1])*scale, "z_", j, k)
				w.term(slope*scale, "t_", j, k)
			}
		}
	}
	w.end("")
	w.s("Subject To\n")
	for i := range in.n {
		w.s(" a_")
		w.int(i)
		w.s(":")
		for _, j := range arcs[i] {
			w.term(1, "x_", i, int(j))
		}
		w.end("= 1")
		for _, j := range arcs[i] {
			// l_i_j: x_i_j - y_j <= 0
			w.s(" ")
			w.name("l_", i, int(j))
			w.s(": ")
			w.name("x_", i, int(j))
			w.s(" - ")
			w.name("y_", int(j), -1)
			w.s(" <= 0\n")
		}
	}
	members := make([][]int, in.m)
	for i := range in.n {
		for _, j := range arcs[i] {
			members[j] = append(members[j], i)
		}
	}
	// segments of site j: levels up to its capacity (or the total demand)
	segs := func(j int) int {
		u := math.Min(in.cap[j], total)
		k := 1
		for k < len(xs)-1 && xs[k] < u {
			k++
		}
		return k
	}
	for j := range in.m {
		if !siteUsed[j] || rep[j] != j {
			continue
		}
		if g := colo[j]; g != nil {
			// Merged: c_j: Σ w_i x_ij - Σ_r cap_r y_r <= 0 (none if the
			// largest is uncapacitated); o_r: y_r+1 - y_r <= 0.
			if !math.IsInf(in.cap[g[0]], 1) {
				w.s(" ")
				w.name("c_", j, -1)
				w.s(":")
				for _, i := range members[j] {
					w.term(in.w[i], "x_", i, j)
				}
				for _, r := range g {
					w.term(-in.cap[r], "y_", r, -1)
				}
				w.end("<= 0")
			}
			for k := 1; k < len(g); k++ {
				w.s(" ")
				w.name("o_", g[k], -1)
				w.s(": ")
				w.name("y_", g[k], -1)
				w.s(" - ")
				w.name("y_", g[k-1], -1)
				w.s(" <= 0\n")
			}
			continue
		}
		if !math.IsInf(in.cap[j], 1) {
			// c_j: Σ w_i x_ij - cap_j y_j <= 0
			w.s(" ")
			w.name("c_", j, -1)
			w.s(":")
			for _, i := range members[j] {
				w.term(in.w[i], "x_", i, j)
			}
			w.s(" - ")
			w.num(in.cap[j])
			w.s(" ")
			w.name("y_", j, -1)
			w.end("<= 0")
		}
		if xs != nil {
			K := segs(j)
			w.s(" ")
			w.name("s_", j, -1)
			w.s(":")
			for k := 1; k <= K; k++ {
				w.term(1, "z_", j, k)
			}
			w.s(" - ")
			w.name("y_", j, -1)
			w.end("= 0")
			w.s(" ")
			w.name("f_", j, -1)
			w.s(":")
			for k := 1; k <= K; k++ {
				w.term(1, "t_", j, k)
			}
			for _, i := range members[j] {
				w.term(-in.w[i], "x_", i, j)
			}
			w.end("= 0")
			for k := 1; k <= K; k++ {
				u := xs[k]
				if k == K {
					// Open-ended: the capacity row or the total bounds it;
					// the slack absorbs the rounding of the printed tonnes.
					u = math.Min(in.cap[j], total)*(1+1e-6) + 1
				}
				w.bound("u_", j, k, u, " <= 0\n")
				if xs[k-1] > 0 {
					w.bound("v_", j, k, xs[k-1], " >= 0\n")
				}
			}
			for k := K + 1; k < len(xs); k++ {
				w.s(" ")
				w.name("n_", j, k)
				w.s(": ")
				w.name("z_", j, k)
				w.s(" = 0\n")
			}
		}
	}
	if p > 0 {
		w.s(" p:")
		for j := range in.m {
			if siteUsed[j] {
				w.term(1, "y_", j, -1)
			}
		}
		w.s(" = ")
		w.int(p)
		w.s("\n")
		w.line = 0
	}
	w.s("Bounds\n")
	if in.opt.Split {
		for i := range in.n {
			for _, j := range arcs[i] {
				w.s(" 0 <= ")
				w.name("x_", i, int(j))
				w.s(" <= 1\n")
			}
		}
	}
	w.s("Binaries\n")
	for j := range in.m {
		if !siteUsed[j] {
			continue
		}
		w.s(" ")
		w.name("y_", j, -1)
		w.s("\n")
		if xs != nil {
			for k := 1; k < len(xs); k++ {
				w.s(" ")
				w.name("z_", j, k)
				w.s("\n")
			}
		}
	}
	if !in.opt.Split {
		for i := range in.n {
			for _, j := range arcs[i] {
				w.s(" ")
				w.name("x_", i, int(j))
				w.s("\n")
			}
		}
	}
	w.s("End\n")
	b := bytes.NewBuffer(w.b)

	var start []byte
	if len(warm) > 0 {
		start = in.mipStart(warm, xs, ys, segs)
	}
	var opts []string
	if len(warm) == 0 && !costMode && !sol.Restricted {
		// A fixed P and all arcs: the LP bound is tight (x_ij <= y_j per
		// arc), most groups are solved at the root, and CBC's MIP
		// preprocessing and primal heuristics cost more than the search
		// they save (all-Japan scenario: CBC's CPU time about halved, same plans).
		opts = append(opts, "preprocess", "off", "heuristics", "off")
	}
	opts = append(opts, "ratio", strconv.FormatFloat(in.opt.MIPGap, 'g', -1, 64))
	key := cacheKey(in.opt.Solver, opts, b.Bytes(), start)
	text, log, cached := readCache(in.opt.CacheDir, key)
	if !cached {
		var err error
		if text, log, err = in.runCBC(b.Bytes(), start, opts, limit, where, logLine); err != nil {
			return nil, sol, err
		}
	}
	sol.Cached = cached
	status, vals := parseCBCSolution(string(text))
	if !cached && (strings.HasPrefix(status, "Optimal") || strings.HasPrefix(status, "Infeasible") || strings.HasPrefix(status, "Integer infeasible")) {
		writeCache(in.opt.CacheDir, key, text, log) // proven: the same whatever the machine
	}
	switch {
	case strings.HasPrefix(status, "Infeasible"), strings.HasPrefix(status, "Integer infeasible"):
		return nil, sol, fmt.Errorf("regions: consolidate: %w: the solver proved that no plan%s serves every municipality within capacity and MaxHaulKm (P = %d)", ErrInfeasible, where, p)
	case strings.HasPrefix(status, "Optimal"):
		sol.Status = "optimal"
	case strings.HasPrefix(status, "Stopped"):
		sol.Status = "time limit"
	default:
		return nil, sol, fmt.Errorf("regions: consolidate: solver status %q%s", status, where)
	}

	// Flows from x, renormalised so each municipality's parts sum to its
	// tonnes exactly.
	var fs []flow
	nb := &lpText{}
	for i := range in.n {
		sum := 0.0
		first := len(fs)
		best, bestV := int32(-1), 0.0
		for _, j := range arcs[i] {
			nb.b = nb.b[:0]
			nb.name("x_", i, int(j))
			v := vals[string(nb.b)]
			if v > bestV {
				best, bestV = j, v
			}
			if in.opt.Split && v > 1e-7 {
				fs = append(fs, flow{i, int(j), v})
				sum += v
			}
		}
		if best < 0 || bestV < 0.5 && !in.opt.Split {
			return nil, sol, fmt.Errorf("regions: consolidate: the solver stopped without a complete plan%s (status %q); raise the time limit", where, status)
		}
		if !in.opt.Split {
			fs = append(fs, flow{i, int(best), in.w[i]})
			continue
		}
		for k := first; k < len(fs); k++ {
			fs[k].t = in.w[i] * fs[k].t / sum
		}
	}
	if colo != nil {
		fs = in.disaggregate(fs, colo, vals)
	}
	if p > 0 {
		open := map[int]bool{}
		for _, f := range fs {
			open[f.j] = true
		}
		if len(open) > p {
			return nil, sol, fmt.Errorf("regions: consolidate: the solver's plan uses %d sites, more than P = %d%s", len(open), p, where)
		}
	}
	loads := make([]float64, in.m)
	for _, f := range fs {
		loads[f.j] += f.t
	}
	repairRounding(fs, loads, in.cap)
	for j, l := range loads {
		if l > in.cap[j]*(1+1e-6) {
			return nil, sol, fmt.Errorf("regions: consolidate: the solver's plan loads site %s with %.0f t/yr over its capacity %.0f%s", in.ss[j].ID, l, in.cap[j], where)
		}
	}
	sol.Objective = in.objective(fs, p)
	obj, bound := parseCBCBound(log)
	if sol.Status == "optimal" && !strings.Contains(log, "Lower bound:") {
		bound = math.NaN() // proved optimal; the node log's bounds are stale
	}
	if math.IsNaN(obj) {
		obj = sol.Objective * scale // the model's objective is scaled
	}
	switch {
	case !math.IsNaN(bound) && !math.IsNaN(obj) && obj != 0:
		// Scaled like the model: the gap is scale-free.
		sol.HasBound = true
		sol.Gap = math.Max(0, (obj-bound)/math.Abs(obj))
		sol.Bound = sol.Objective * (1 - sol.Gap)
	case sol.Status == "optimal":
		sol.HasBound, sol.Bound, sol.Gap = true, sol.Objective, 0
	}
	return fs, sol, nil
}

// colocated returns the groups of two or more candidate sites at the same
// location, each by the first of its sites in decreasing capacity
// (uncapacitated first, ties by index), which stands for the group.
func (in *instance) colocated() map[int][]int {
	at := make(map[orb.Point][]int)
	var locs []orb.Point
	for j, s := range in.ss {
		if at[s.Location] == nil {
			locs = append(locs, s.Location)
		}
		at[s.Location] = append(at[s.Location], j)
	}
	var out map[int][]int
	for _, loc := range locs {
		g := at[loc]
		if len(g) < 2 {
			continue
		}
		slices.SortStableFunc(g, func(a, b int) int { return cmp.Compare(in.cap[b], in.cap[a]) })
		if out == nil {
			out = make(map[int][]int)
		}
		out[g[0]] = g
	}
	return out
}

// disaggregate turns the flows to merged locations (to their first site)
// into flows to the location's open sites (y = 1, the largest first): each
// municipality's tonnes, in order, fill the first open site with room,
// then the next. fs are grouped by demand, and stay so.
func (in *instance) disaggregate(fs []flow, colo map[int][]int, vals map[string]float64) []flow {
	type fill struct {
		open []int
		k    int     // the open site being filled
		room float64 // t/yr left in it
	}
	state := make(map[int]*fill, len(colo))
	nb := &lpText{}
	for r, g := range colo {
		f := &fill{}
		for _, j := range g {
			nb.b = nb.b[:0]
			nb.name("y_", j, -1)
			if vals[string(nb.b)] > 0.5 {
				f.open = append(f.open, j)
			}
		}
		if len(f.open) == 0 {
			f.open = g[:1]
		}
		f.room = in.cap[f.open[0]]
		state[r] = f
	}
	out := make([]flow, 0, len(fs)+len(colo))
	for _, fl := range fs {
		f := state[fl.j]
		if f == nil {
			out = append(out, fl)
			continue
		}
		for t := fl.t; ; {
			j := f.open[f.k]
			if t <= f.room || f.k == len(f.open)-1 {
				out = append(out, flow{fl.i, j, t})
				f.room -= t
				break
			}
			if f.room > 0 {
				out = append(out, flow{fl.i, j, f.room})
				t -= f.room
			}
			f.k++
			f.room = in.cap[f.open[f.k]]
		}
	}
	return out
}

// lpText builds an LP file without fmt (names and numbers appended as
// fmt's %d and %+.12g would print them).
type lpText struct {
	b    []byte
	line int // terms on the current line
}

func (w *lpText) s(str string)    { w.b = append(w.b, str...) }
func (w *lpText) int(v int)       { w.b = strconv.AppendInt(w.b, int64(v), 10) }
func (w *lpText) num(v float64)   { w.b = strconv.AppendFloat(w.b, v, 'g', 12, 64) }
func (w *lpText) end(rest string) { w.s(" "); w.s(rest); w.s("\n"); w.line = 0 }

// name appends kind a (b < 0) or kind a_b, e.g. x_3_17.
func (w *lpText) name(kind string, a, b int) {
	w.s(kind)
	w.int(a)
	if b >= 0 {
		w.s("_")
		w.int(b)
	}
}

// term appends " +c name" (c != 0), eight to a line.
func (w *lpText) term(c float64, kind string, a, b int) {
	if c == 0 {
		return
	}
	w.s(" ")
	if !math.Signbit(c) {
		w.s("+")
	}
	w.num(c)
	w.s(" ")
	w.name(kind, a, b)
	if w.line++; w.line%8 == 0 {
		w.s("\n")
	}
}

// bound appends " kind_j_k: t_j_k - v z_j_k" and rest.
func (w *lpText) bound(kind string, j, k int, v float64, rest string) {
	w.s(" ")
	w.name(kind, j, k)
	w.s(": ")
	w.name("t_", j, k)
	w.s(" - ")
	w.num(v)
	w.s(" ")
	w.name("z_", j, k)
	w.s(rest)
}

// runCBC solves the LP file model with CBC (warm start start if not nil,
// solver options opts, time limit limit) and returns its solution file
// and its log.
func (in *instance) runCBC(model, start []byte, opts []string, limit time.Duration, where string, logLine func(string)) ([]byte, string, error) {
	dir, err := os.MkdirTemp("", "junkan-milp-")
	if err != nil {
		return nil, "", fmt.Errorf("regions: consolidate: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.lp")
	if err := os.WriteFile(path, model, 0o600); err != nil {
		return nil, "", fmt.Errorf("regions: consolidate: %w", err)
	}
	args := []string{path}
	if start != nil {
		sp := filepath.Join(dir, "start.sol")
		if err := os.WriteFile(sp, start, 0o600); err != nil {
			return nil, "", fmt.Errorf("regions: consolidate: %w", err)
		}
		args = append(args, "mips", sp)
	}
	if limit > 0 {
		args = append(args, "timeMode", "elapsed", "sec", strconv.FormatFloat(limit.Seconds(), 'f', 1, 64))
	}
	args = append(args, opts...)
	args = append(args, "solve", "solu", filepath.Join(dir, "out.sol"))
	ctx := context.Background()
	if limit > 0 {
		var cancel context.CancelFunc
		// CBC checks its time limit between nodes; past it (e.g. in a long
		// root LP) it is interrupted, which makes it stop and write the best
		// plan it has, and killed if it does not stop soon after.
		ctx, cancel = context.WithTimeout(ctx, limit+10*time.Second)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, in.opt.Solver, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	cmd.Dir = dir
	// Stdout and stderr are copied by two goroutines: the log is locked.
	var logBuf lockedBuffer
	pr, pw := io.Pipe()
	cmd.Stdout = io.MultiWriter(&logBuf, pw)
	cmd.Stderr = &logBuf
	done := make(chan struct{})
	go func() {
		defer close(done)
		// CBC's progress lines are passed on only for a long solve, and
		// then one every progressEvery, so a quick solve prints nothing.
		start, last := time.Now(), time.Time{}
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			t := sc.Text()
			if strings.HasPrefix(t, "Cbc0010I") || strings.HasPrefix(t, "Cbc0012I") || strings.HasPrefix(t, "Cbc0004I") {
				if now := time.Now(); now.Sub(start) >= progressEvery && now.Sub(last) >= progressEvery {
					last = now
					logLine(t)
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	runErr := cmd.Run()
	pw.Close()
	<-done
	text, err := os.ReadFile(filepath.Join(dir, "out.sol"))
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", fmt.Errorf("regions: consolidate: the solver found no plan%s within its time limit of %v; raise it (consolidation.time_limit_s)", where, limit.Round(time.Second))
		}
		if runErr != nil {
			return nil, "", fmt.Errorf("regions: consolidate: %s: %v%s: %s", in.opt.Solver, runErr, where, lastLines(logBuf.String(), 5))
		}
		return nil, "", fmt.Errorf("regions: consolidate: %s wrote no solution%s: %s", in.opt.Solver, where, lastLines(logBuf.String(), 5))
	}
	return text, logBuf.String(), nil
}

// lockedBuffer is a bytes.Buffer safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// mipStart writes the warm start in CBC's solution format (index, name,
// value): x for every flow, y of the used sites and, with a facility cost,
// the segment of each site's tonnage.
func (in *instance) mipStart(warm []flow, xs, ys []float64, segs func(int) int) []byte {
	var b strings.Builder
	b.WriteString("Stopped on iterations - objective value 0\n")
	n := 0
	put := func(name string, v float64) {
		fmt.Fprintf(&b, "%d %s %.12g 0\n", n, name, v)
		n++
	}
	loads := make(map[int]float64)
	for _, f := range warm {
		if in.w[f.i] > 0 {
			put(fmt.Sprintf("x_%d_%d", f.i, f.j), f.t/in.w[f.i])
		} else {
			put(fmt.Sprintf("x_%d_%d", f.i, f.j), 1)
		}
		loads[f.j] += f.t
	}
	for j := range in.m {
		l, ok := loads[j]
		if !ok {
			continue
		}
		put(fmt.Sprintf("y_%d", j), 1)
		if xs == nil {
			continue
		}
		K := segs(j)
		k := 1
		for k < K && l > xs[k] {
			k++
		}
		put(fmt.Sprintf("z_%d_%d", j, k), 1)
		put(fmt.Sprintf("t_%d_%d", j, k), l)
	}
	return []byte(b.String())
}

// parseCBCSolution reads CBC's "solu" file: a status line, then lines of
// index, name, value, reduced cost.
func parseCBCSolution(text string) (string, map[string]float64) {
	lines := strings.Split(text, "\n")
	vals := make(map[string]float64, len(lines))
	status := strings.TrimSpace(lines[0])
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		// "**" marks an infeasibility on some lines; skip it.
		if f[0] == "**" {
			f = f[1:]
		}
		if len(f) < 3 {
			continue
		}
		if v, err := strconv.ParseFloat(f[2], 64); err == nil {
			vals[f[1]] = v
		}
	}
	return status, vals
}

// parseCBCBound reads the objective ("Objective value:") and the best
// lower bound from CBC's log (NaN if absent): "Lower bound:" of the final
// report, else the last "best possible" of the node log, else the LP
// relaxation ("Continuous objective value is"), a valid if weaker bound
// when CBC was stopped before branching.
func parseCBCBound(log string) (obj, bound float64) {
	obj = math.NaN()
	final, node, relax := math.NaN(), math.NaN(), math.NaN()
	for _, l := range strings.Split(log, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 3 && f[0] == "Objective" && f[1] == "value:":
			obj, _ = strconv.ParseFloat(f[2], 64)
		case len(f) >= 3 && f[0] == "Lower" && f[1] == "bound:":
			final, _ = strconv.ParseFloat(f[2], 64)
		case len(f) >= 5 && f[0] == "Continuous" && f[1] == "objective" && f[3] == "is":
			relax, _ = strconv.ParseFloat(f[4], 64)
		case len(f) > 0 && f[0] == "Cbc0010I":
			// "After 0 nodes, 1 on tree, 2.86 best solution, best possible 2.85 (0.33 seconds)"
			for k := 0; k+2 < len(f); k++ {
				if f[k] == "best" && f[k+1] == "possible" {
					node, _ = strconv.ParseFloat(strings.TrimSuffix(f[k+2], ","), 64)
				}
			}
		}
	}
	switch {
	case !math.IsNaN(final):
		return obj, final
	case !math.IsNaN(node):
		return obj, node
	}
	return obj, relax
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(ls[max(0, len(ls)-n):], " / ")
}

// repairRounding moves the solver's rounding excess (a site loaded a hair
// above its capacity) to another part of the same municipality with room,
// so that no site ends above its capacity. fs are grouped by demand.
func repairRounding(fs []flow, loads, caps []float64) {
	for k := range fs {
		j := fs[k].j
		excess := loads[j] - caps[j]
		if !(excess > 0) {
			continue
		}
		for l := range fs {
			if fs[l].i != fs[k].i || l == k {
				continue
			}
			room := caps[fs[l].j] - loads[fs[l].j]
			mv := math.Min(math.Min(excess, fs[k].t), room)
			if mv <= 0 {
				continue
			}
			fs[k].t -= mv
			fs[l].t += mv
			loads[j] -= mv
			loads[fs[l].j] += mv
			if excess -= mv; excess <= 0 {
				break
			}
		}
	}
}
