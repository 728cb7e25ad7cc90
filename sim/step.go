package sim

import (
	"fmt"
	"math"
	"runtime"

	"github.com/circular-partners/junkan/model"
)

type effect struct {
	param model.Param
	mat   int // material index, −1 for all
	op    model.Op
	mag   float64
	scale []float64 // per region multiplier of mag, or nil
}

type use struct {
	start, years int
	regionStart  []int // per region start year, or nil
	ramp         model.Ramp
	effects      []effect
	byMat        [][]effect // effects on each material (those with mat −1 included), len M
}

// pmfCache holds the discretised lifetimes used in one year for one
// product, keyed by lifetime scale; buffers are allocated once.
type pmfCache struct {
	n      int
	scales []float64
	pmfs   [][]float64
}

// worker holds the scratch of one goroutine stepping a range of regions.
type worker struct {
	scratch model.Params   // effective parameters of the current cell (element uses)
	tab     []model.Params // the worker's copy of Model.shared (cells no use changes)
	dismIn  []float64      // dismantled input per material of the current region, len M
	prodP   []model.Params // effective parameters of each product in the current region
	cache   []pmfCache     // discretised lifetimes used this year, per product
}

// rangeJob asks a helper goroutine to step regions [r0, r1) (or, with
// split, to write their offtake split).
type rangeJob struct {
	res        *Result
	y          int
	frac       float64
	flows      []model.Flows
	yo, r0, r1 int
	w          int  // chunk (worker) index
	split      bool // write the offtake split
}

// stepper holds what one Run needs per step, allocated once.
type stepper struct {
	m       *Model
	uses    []use
	applies []bool    // len E×R
	w       []float64 // ramp weight per use in the current year, len E
	sched   []float64 // scheduled product outflows, len R×P×Y
	stock   []float64 // in-use stock per region and product, len R×P
	// Offtake: the local allocation of each region and material (index
	// r×M+i), settled while stepping; then the pooled ratios of each
	// material (len M), from a small serial reduction over regions.
	off     []offCell
	pool    []offPool
	psum    [][4]float64   // per material: the sums offtake pools (scratch)
	sub     []model.Flows  // one sub-step of all cells, len R×M (StepsPerYear > 1)
	workers []worker       // scratch per goroutine
	crew    *crew          // the helper goroutines (nil with one worker)
	errs    []error        // error per chunk of a job (crew)
	fy      int            // fiscal year being stepped
	active  bool           // some element use may change a cell this year
	mats    []int          // the non-durable materials, in order
	tabs    []model.Params // the workers' copies of Model.shared, side by side
	gH      []float64      // share of demand in the high-grade segment per material (DemandHighShare, or 0), len M
	// oneYear: res holds one year only (Stream), written at year index 0.
	oneYear bool
}

// slot returns where year index y is stored in the result being written.
func (st *stepper) slot(y int) int {
	if st.oneYear {
		return 0
	}
	return y
}

// offCell is the offtake of one region and material after its own
// manufacturers: taken locally by grade, supply left by grade, capacity
// left by grade segment (t).
type offCell struct {
	locH, locL, remH, remL, capH, capL float64
}

// offPool holds the shares of one material pooled across regions: of the
// supply left, the share shipped to other regions by grade; of the
// capacity left, the share filled from high- and low-grade supply.
type offPool struct {
	shipH, shipL, recvH, recvL float64
}

func (m *Model) newStepper(v *Variant) (*stepper, error) { return m.newStepperFrom(nil, v, true) }

// newStepperFrom is newStepper reusing the large arrays of old (a stepper
// of an earlier, finished run; nil for none). Every array it reuses is
// written in full before it is read, but the products' stocks and
// outflow schedules only with spin (the linear path steps classes of
// regions instead, and reads neither).
func (m *Model) newStepperFrom(old *stepper, v *Variant, spin bool) (*stepper, error) {
	cfg := &m.cfg
	R, M, P := len(cfg.Regions), len(cfg.Materials), len(m.prods)
	Y := cfg.EndYear - cfg.BaseYear + 1
	E := len(v.Elements)
	if old == nil {
		old = &stepper{}
	}
	st := &stepper{m: m, uses: make([]use, E), applies: make([]bool, E*R), w: make([]float64, E),
		sched: grow(old.sched, R*P*Y), stock: grow(old.stock, R*P),
		off: grow(old.off, R*M), pool: make([]offPool, M), psum: make([][4]float64, M)}
	if cfg.StepsPerYear > 1 {
		st.sub = grow(old.sub, R*M)
	}
	st.gH = grow(old.gH, M)
	clear(st.gH)
	if cfg.DemandHighShare != nil {
		copy(st.gH, cfg.DemandHighShare)
	}
	st.mats = old.mats[:0]
	for i, mat := range cfg.Materials {
		if !mat.Durable {
			st.mats = append(st.mats, i)
		}
	}
	for e, eu := range v.Elements {
		u := use{start: eu.Start, years: eu.RampYears, ramp: eu.Ramp}
		if eu.RegionStart != nil {
			if len(eu.RegionStart) != R {
				return nil, fmt.Errorf("sim: variant %s: element %s: %d region start years, want %d", v.Name, eu.Element, len(eu.RegionStart), R)
			}
			u.regionStart = eu.RegionStart
		}
		if eu.Scale != nil && len(eu.Scale) != len(eu.Effects) {
			return nil, fmt.Errorf("sim: variant %s: element %s: %d scale rows, want one per effect (%d)", v.Name, eu.Element, len(eu.Scale), len(eu.Effects))
		}
		for k, ef := range eu.Effects {
			mi := -1
			if ef.Material != "" {
				mi = model.MaterialIndex(cfg.Materials, ef.Material)
				if mi < 0 {
					return nil, fmt.Errorf("sim: variant %s: element %s: unknown material %q", v.Name, eu.Element, ef.Material)
				}
			}
			var sc []float64
			if eu.Scale != nil && eu.Scale[k] != nil {
				if len(eu.Scale[k]) != R {
					return nil, fmt.Errorf("sim: variant %s: element %s: scale of effect %d has %d regions, want %d", v.Name, eu.Element, k, len(eu.Scale[k]), R)
				}
				sc = eu.Scale[k]
			}
			u.effects = append(u.effects, effect{param: ef.Param, mat: mi, op: ef.Op, mag: ef.Magnitude, scale: sc})
		}
		u.byMat = make([][]effect, len(cfg.Materials))
		for i := range cfg.Materials {
			for _, ef := range u.effects {
				if ef.mat < 0 || ef.mat == i {
					u.byMat[i] = append(u.byMat[i], ef)
				}
			}
		}
		st.uses[e] = u
		all := len(eu.Archetypes) == 0 && len(eu.Regions) == 0
		for r := range cfg.Regions {
			in := all
			for _, a := range eu.Archetypes {
				in = in || cfg.Regions[r].Archetype == a
			}
			for _, c := range eu.Regions {
				in = in || cfg.Regions[r].Code == c
			}
			st.applies[e*R+r] = in
		}
	}
	// Regions are stepped by up to Workers goroutines (the helpers live as
	// long as the Run); each has its own scratch. Each year uses at most one
	// lifetime scale per distinct set of active uses for new cohorts and as
	// many for reused ones: 2(E+1) cache slots suffice.
	W := m.workers
	if W < 1 {
		W = runtime.GOMAXPROCS(0)
	}
	W = max(1, min(W, R/64+1)) // small runs: one goroutine
	// The workers' scratch is old's when there is enough of it (a batch
	// of runs then allocates nothing here); every buffer is written before
	// it is read.
	if cap(old.workers) >= W {
		st.workers = old.workers[:W]
	} else {
		st.workers = make([]worker, W)
	}
	S := len(m.shared)
	st.tabs = grow(old.tabs, W*S)
	for w := range st.workers {
		wk := &st.workers[w]
		wk.dismIn = grow(wk.dismIn, M)
		wk.tab = st.tabs[w*S : (w+1)*S : (w+1)*S]
		copy(wk.tab, m.shared)
		wk.prodP = grow(wk.prodP, P)
		if len(wk.cache) < P {
			wk.cache = make([]pmfCache, P)
		}
		wk.cache = wk.cache[:P]
		for k, pi := range m.prods {
			c := &wk.cache[k]
			c.n = 0
			for n := 2 * (E + 1); len(c.pmfs) < n; {
				c.pmfs = append(c.pmfs, nil)
			}
			c.scales = grow(c.scales, len(c.pmfs))
			for i := range c.pmfs {
				c.pmfs[i] = grow(c.pmfs[i], pi.horizon)
			}
		}
	}
	if W > 1 {
		st.crew = &crew{}
		st.crew.start(st, W)
	}
	if !spin {
		return st, nil
	}
	// Spin-up: before the base year, products entered at the base-year rate
	// for long enough that every past cohort is represented (steady state):
	// each year a share s (the base reuse share) of the units put into use
	// were reused ones, leaving by the reuse lifetime; the rest new ones.
	for r := range cfg.Regions {
		g := &cfg.Regions[r]
		for k, pi := range m.prods {
			// The base-year inflow, with the product's generation factor.
			d0 := g.Population * cfg.Products[k].InflowPerCapita * m.base[r*M+pi.row][model.GenerationFactor]
			sh := m.base[r*M+pi.row][model.ReuseShare]
			st.stock[r*P+k] = pi.spinUp(st.sched[(r*P+k)*Y:(r*P+k+1)*Y], d0, sh)
		}
	}
	return st, nil
}

// spinUp writes into sched (len Y) the outflows scheduled before the base
// year by a steady inflow d0 (t/year) with reuse share sh, and returns the
// in-use stock it leaves.
func (pi *prodInfo) spinUp(sched []float64, d0, sh float64) float64 {
	for y := range sched {
		var v float64
		if y < pi.horizon {
			v += (1 - sh) * pi.tail[y]
		}
		if y < len(pi.tailR) {
			v += sh * pi.tailR[y]
		}
		sched[y] = d0 * v
	}
	return d0 * ((1-sh)*pi.mean0 + sh*pi.meanR)
}

// arrays returns a stepper holding only st's large arrays, for
// newStepperFrom (so that a Result keeps no model alive).
func (st *stepper) arrays() *stepper {
	return &stepper{sched: st.sched, stock: st.stock, off: st.off, sub: st.sub, mats: st.mats, tabs: st.tabs, gH: st.gH,
		workers: st.workers}
}

// close stops the helper goroutines.
func (st *stepper) close() {
	if st.crew != nil {
		st.crew.stop()
		st.crew = nil
	}
}

// pmf returns the discretised lifetime of product k scaled by scale,
// computing it at most once per year and scale. It does not allocate.
func (st *stepper) pmf(wk *worker, k int, scale float64) []float64 {
	// The base lifetime and that of reused units are computed at set-up;
	// nothing writes them.
	switch scale {
	case 1:
		return st.m.prods[k].pmf0
	case st.m.cfg.Products[k].ReuseLifeFactor:
		return st.m.prods[k].pmfR
	}
	c := &wk.cache[k]
	for i := 0; i < c.n; i++ {
		if c.scales[i] == scale {
			return c.pmfs[i]
		}
	}
	i := c.n
	if i == len(c.scales) {
		// More distinct lifetime scales this year than ever before (e.g.
		// region-specific lifetime extensions): grow the cache. A slot
		// handed out this year is never overwritten, so the new-cohort and
		// reused-cohort distributions of a cell never alias. Buffers are
		// kept across years: once warm, this allocates nothing.
		c.scales = append(c.scales, 0)
		c.pmfs = append(c.pmfs, make([]float64, st.m.prods[k].horizon))
	}
	c.n++
	c.scales[i] = scale
	st.m.cfg.Products[k].Lifetime.Scaled(scale).PMF(c.pmfs[i])
	return c.pmfs[i]
}

// effective returns the parameters of region r and material i in the
// current year: the base parameters changed by every active element use in
// order, each change clamped to its domain. When no use changes the cell
// this year they are the base parameters, in the worker's copy of the
// shared table with the cell's calibrated values written in; else they
// are built in wk.scratch. Either way they are valid until the next call
// with wk.
func (st *stepper) effective(wk *worker, r, i int) *model.Params {
	m := st.m
	R, M := len(m.cfg.Regions), len(m.cfg.Materials)
	k := r*M + i
	if !st.active || !st.changes(r, i) {
		p := &wk.tab[m.cellIdx[k]]
		setCal(p, &m.sep[k])
		return p
	}
	scratch := &wk.scratch
	*scratch = m.shared[m.cellIdx[k]]
	setCal(scratch, &m.sep[k])
	for e := range st.uses {
		u := &st.uses[e]
		w := st.weight(e, r)
		if w == 0 || !st.applies[e*R+r] {
			continue
		}
		for _, ef := range u.byMat[i] {
			mag := ef.mag
			if ef.scale != nil {
				mag *= ef.scale[r]
			}
			scratch[ef.param] = ef.op.Apply(scratch[ef.param], mag, w)
			scratch.ClampParam(ef.param)
		}
	}
	return scratch
}

// setCal writes the calibrated parameters c (in the order of calParams)
// into p.
func setCal(p *model.Params, c *[numCal]float64) {
	p[model.SeparateCollection], p[model.GroupCollectionShare], p[model.DirectLandfillShare],
		p[model.FuelCementShare], p[model.AshRecycling] = c[0], c[1], c[2], c[3], c[4]
}

// weight returns the ramp weight of use e in region r this year.
func (st *stepper) weight(e, r int) float64 {
	u := &st.uses[e]
	if u.regionStart != nil && u.regionStart[r] != 0 {
		return u.ramp.Weight(st.fy, u.regionStart[r], u.years)
	}
	return st.w[e]
}

// changes reports whether an element use changes a parameter of region r
// and material i this year.
func (st *stepper) changes(r, i int) bool {
	R := len(st.m.cfg.Regions)
	for e := range st.uses {
		if len(st.uses[e].byMat[i]) > 0 && st.applies[e*R+r] && st.weight(e, r) != 0 {
			return true
		}
	}
	return false
}

// beginYear sets what every region's step of year index y shares: the
// fiscal year, the ramp weight of each use, whether any use may change a
// cell, and empty lifetime caches.
func (st *stepper) beginYear(y int) {
	fy := st.m.cfg.BaseYear + y
	st.fy = fy
	st.active = false
	for e := range st.uses {
		u := &st.uses[e]
		st.w[e] = u.ramp.Weight(fy, u.start, u.years)
		st.active = st.active || st.w[e] != 0 || u.regionStart != nil
	}
	for w := range st.workers {
		for k := range st.workers[w].cache {
			st.workers[w].cache[k].n = 0
		}
	}
}

// step computes year index y of res. With StepsPerYear n > 1 it runs n
// sub-steps of 1/n year each and sums their flows into the year (the stock
// is the level after the last). It does not allocate.
func (st *stepper) step(res *Result, y int) error {
	m := st.m
	cfg := &m.cfg
	R, M := len(cfg.Regions), len(cfg.Materials)
	st.beginYear(y)
	n := cfg.StepsPerYear
	if n <= 1 {
		return st.substep(res, y, 1, nil)
	}
	yi := st.slot(y)
	for k := yi * R * M; k < (yi+1)*R*M; k++ {
		res.Flows[k] = model.Flows{}
	}
	for s := 0; s < n; s++ {
		if err := st.substep(res, y, 1/float64(n), st.sub); err != nil {
			return err
		}
		for r := 0; r < R; r++ {
			for i := 0; i < M; i++ {
				f := res.Cell(yi, r, i)
				f.Add(&st.sub[r*M+i])
				f[model.Stock] = st.sub[r*M+i][model.Stock]
			}
		}
	}
	return nil
}

// substep computes a share frac of year index y: every annual amount is
// multiplied by frac (population and parameters hold over the fiscal
// year). The flows go into res (sub nil) or into sub (len R×M).
func (st *stepper) substep(res *Result, y int, frac float64, sub []model.Flows) error {
	m := st.m
	cfg := &m.cfg
	R, M := len(cfg.Regions), len(cfg.Materials)
	yo := st.slot(y) * R * M // offset of year y in res.Flows
	flows := res.Flows
	if sub != nil {
		flows, yo = sub, 0
	}
	j := rangeJob{res: res, y: y, frac: frac, flows: flows, yo: yo}
	if err := st.parallel(j); err != nil {
		return err
	}
	if cfg.Demand == nil {
		return nil
	}
	// Pool what is left after local manufacturers, per material, summed
	// in region order (R-sized, serial: the same sums whatever the number
	// of workers); then each worker writes and checks the offtake split of
	// its own regions.
	st.offtake()
	j.split = true
	return st.parallel(j)
}

// parallel runs job j over all regions: on the caller's goroutine alone
// with one worker, else on the crew (chunks of regions, taken by whichever
// worker is free). It returns the error of the lowest chunk that failed,
// the first in region order.
func (st *stepper) parallel(j rangeJob) error {
	if st.crew == nil {
		j.r0, j.r1 = 0, len(st.m.cfg.Regions)
		return st.runJob(&st.workers[0], j)
	}
	return st.crew.run(st, j)
}

// runJob runs job j with the scratch of wk.
func (st *stepper) runJob(wk *worker, j rangeJob) error {
	if j.split {
		return st.splitRange(j)
	}
	return st.stepRange(wk, j)
}

// stepRange steps regions [j.r0, j.r1) of a sub-step with the scratch of
// wk. Goroutines stepping disjoint ranges write disjoint data.
func (st *stepper) stepRange(wk *worker, j rangeJob) error {
	m := st.m
	cfg := &m.cfg
	R, M, P := len(cfg.Regions), len(cfg.Materials), len(m.prods)
	res, y, frac, flows, yo := j.res, j.y, j.frac, j.flows, j.yo
	yp := st.slot(y) * R // offset of year y in res.Population
	fy := st.fy
	days := float64(model.DaysInFY(fy))
	split := cfg.Demand != nil // the offtake split is written by splitRange
	for r := j.r0; r < j.r1; r++ {
		g := &cfg.Regions[r]
		// Population of the year, by the worker of the region.
		pop := g.Population * math.Pow(1+g.PopulationChange, float64(y))
		res.Population[yp+r] = pop
		scale := pop * g.PerCapitaGPerDay * days * 1e-6 * frac // t of waste generated at base parameters
		for i := range wk.dismIn {
			wk.dismIn[i] = 0
		}
		// Durable products first: their dismantled mass feeds the
		// recycling of their materials.
		for k := range m.prods {
			prod := &cfg.Products[k]
			i := prod.Material
			p := st.effective(wk, r, i)
			disc, reused, newIn, change := st.cohorts(wk, r, k, y, pop, frac, p)
			f := &flows[yo+r*M+i]
			f.StepProduct(disc, reused, newIn, st.stock[r*P+k], change, p)
			wk.prodP[k] = *p
			if d := f[model.Dismantled]; d > 0 {
				for j, c := range prod.Composition {
					wk.dismIn[j] += d * c
				}
			}
		}
		// The materials: their cells of this region, side by side.
		k0 := r * M
		fl := flows[yo+k0 : yo+k0+M]
		disc := m.disc[k0 : k0+M]
		var dem []float64
		var off []offCell
		if split {
			dem, off = cfg.Demand[k0:k0+M], st.off[k0:k0+M]
		}
		for _, i := range st.mats {
			var p *model.Params
			if st.active && st.changes(r, i) {
				p = st.effective(wk, r, i)
			} else { // the base parameters: the shared ones, calibrated values written in
				p = &wk.tab[m.cellIdx[k0+i]]
				setCal(p, &m.sep[k0+i])
			}
			f := &fl[i]
			// The flows, their accounts (they do not depend on the offtake
			// split computed below) and the check of the whole cell, in
			// one pass; with demand, the offtake split is written and
			// checked on its own in splitRange.
			var d float64
			if split {
				d = dem[i] * frac
			}
			if pi, resid := f.StepMaterialChecked(scale*disc[i]*p[model.GenerationFactor], wk.dismIn[i], d, split, p); pi >= 0 {
				return st.balanceError(pi, resid, r, i)
			}
			if split {
				off[i] = local(f[model.RecyclateHigh], f[model.RecyclateLow], p[model.MaxRecycledContent]*d, st.gH[i])
			}
		}
		// The residues of recycling dismantled materials go back to the
		// products, in proportion to the mass each product contributed.
		for k := range m.prods {
			prod := &cfg.Products[k]
			f := &flows[yo+r*M+prod.Material]
			var back float64
			if d := f[model.Dismantled]; d > 0 {
				for j, c := range prod.Composition {
					if c > 0 && wk.dismIn[j] > 0 {
						back += flows[yo+r*M+j][model.ReturnedResidue] * (d * c / wk.dismIn[j])
					}
				}
			}
			f.FinishProduct(back, &wk.prodP[k])
			f.Account(&wk.prodP[k])
			if err := st.check(f, r, prod.Material); err != nil {
				return err
			}
		}
	}
	return nil
}

// cohorts steps the in-use stock of product k in region r through a share
// frac of year index y, with the product's parameters p this year: it
// returns the units discarded (the cohorts scheduled to leave), reused
// (up to the demand) and newly put into use, and the stock's change, and
// schedules this year's cohorts to leave by their lifetimes.
func (st *stepper) cohorts(wk *worker, r, k, y int, pop, frac float64, p *model.Params) (disc, reused, newIn, change float64) {
	P := len(st.m.prods)
	Y := st.m.cfg.EndYear - st.m.cfg.BaseYear + 1
	sk := (r*P + k) * Y
	return st.cohortStep(wk, k, st.sched[sk:sk+Y], &st.stock[r*P+k], y, pop, frac, p)
}

// cohortStep is [stepper.cohorts] on the outflow schedule sched (len Y)
// and the stock of one region (or unit population) and product k.
func (st *stepper) cohortStep(wk *worker, k int, sched []float64, stock *float64, y int, pop, frac float64, p *model.Params) (disc, reused, newIn, change float64) {
	prod := &st.m.cfg.Products[k]
	demand := pop * prod.InflowPerCapita * p[model.GenerationFactor] * frac
	disc = sched[y] * frac
	reused = math.Min(disc*p[model.ReuseShare], demand)
	newIn = demand - reused
	// Schedule the outflows of this year's cohorts.
	pn := st.pmf(wk, k, 1+p[model.LifetimeExtension])
	// Reused units are old products: design changes do not lengthen
	// their remaining life.
	pr := st.pmf(wk, k, prod.ReuseLifeFactor)
	for a := 1; a < len(pn) && y+a < len(sched); a++ {
		sched[y+a] += newIn*pn[a] + reused*pr[a]
	}
	change = newIn + reused - disc
	*stock += change
	if s := *stock; s < 0 && s > -1e-9*(disc+newIn+reused)-1e-9 {
		*stock = 0 // rounding of a drained stock, not a loss of mass
	}
	return disc, reused, newIn, change
}

// check returns a *model.BalanceError if a process of cell f does not
// close.
func (st *stepper) check(f *model.Flows, r, i int) error {
	if pi, resid := model.CheckBalance(f); pi >= 0 {
		return st.balanceError(pi, resid, r, i)
	}
	return nil
}

// balanceError is the error of process pi (index into model.Processes)
// of region r and material i this year.
func (st *stepper) balanceError(pi int, resid float64, r, i int) error {
	cfg := &st.m.cfg
	return &model.BalanceError{Region: cfg.Regions[r].Code, Material: cfg.Materials[i].ID,
		Process: model.Processes[pi].Name, Year: st.fy, Residual: resid}
}

// Offtake allocates the recyclate of each material in each year: first to
// the region's own manufacturers, then pooled to the other regions of the
// run in proportion to their remaining capacity, then outside. High grade
// serves high- and low-grade demand, low grade only low-grade demand; each
// region can take recyclate up to MaxRecycledContent of its demand in each
// grade segment. A region never ships to itself: a region with supply left
// after its own manufacturers has no capacity left in the segments it
// could serve. It is done in three passes, none of which allocates: local
// (per cell, while stepping), offtake (per material, a serial sum over
// regions of R-sized arrays) and splitRange (per cell, each worker its own
// regions).

// local returns the offtake of one cell among its own manufacturers:
// supply H, L (t) by grade, cD = maximum recycled content × demand (t),
// share gH of demand in the high-grade segment. It is small enough to
// inline.
func local(H, L, cD, gH float64) offCell {
	capH, capL := cD*gH, cD*(1-gH)
	a := min(H, capH)
	H, capH = H-a, capH-a
	b := min(L, capL)
	L, capL = L-b, capL-b
	c2 := min(H, capL)
	H, capL = H-c2, capL-c2
	return offCell{locH: a + c2, locL: b, remH: H, remL: L, capH: capH, capL: capL}
}

// offtake pools what is left of each material after the local
// manufacturers of every region: the sums run over regions in order.
func (st *stepper) offtake() {
	R, M := len(st.m.cfg.Regions), len(st.m.cfg.Materials)
	// One pass over the regions, each material's four sums in region
	// order (the cells of a region are contiguous; a pass per material
	// would stride through all of them nine times).
	sum := st.psum[:M]
	clear(sum)
	for r := 0; r < R; r++ {
		off := st.off[r*M : (r+1)*M]
		for _, i := range st.mats {
			o, s := &off[i], &sum[i]
			s[0] += o.remH
			s[1] += o.remL
			s[2] += o.capH
			s[3] += o.capL
		}
	}
	for _, i := range st.mats {
		SH, SL, CH, CL := sum[i][0], sum[i][1], sum[i][2], sum[i][3]
		x1 := min(SH, CH)       // high to high segments
		x2 := min(SL, CL)       // low to low segments
		x3 := min(SH-x1, CL-x2) // remaining high to low segments
		st.pool[i] = offPool{shipH: ratio(x1+x3, SH), shipL: ratio(x2, SL), recvH: ratio(x1, CH), recvL: ratio(x2+x3, CL)}
	}
}

// splitRange writes the offtake split of regions [j.r0, j.r1) and checks
// the offtake and manufacturing processes of each cell (the rest of the
// cell was checked when it was computed).
func (st *stepper) splitRange(j rangeJob) error {
	cfg := &st.m.cfg
	M := len(cfg.Materials)
	for r := j.r0; r < j.r1; r++ {
		off, fl := st.off[r*M:(r+1)*M], j.flows[j.yo+r*M:j.yo+(r+1)*M]
		for _, i := range st.mats {
			o, q := &off[i], &st.pool[i]
			f := &fl[i]
			if pi, resid := f.SetOfftake(o.locH, o.locL, o.remH*q.shipH, o.remL*q.shipL, o.capH*q.recvH+o.capL*q.recvL); pi >= 0 {
				return st.balanceError(pi, resid, r, i)
			}
		}
	}
	return nil
}

func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}
