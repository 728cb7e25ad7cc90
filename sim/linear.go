package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/circular-partners/junkan/model"
)

// The linear path. For fixed parameters the chain of a cell is linear in
// its inputs: a material cell's flows are w·A + d·B, with w the mass
// discarded and d the dismantled input, A the flows of one tonne
// discarded and B those of one tonne dismantled; a product cell's are
// w·A + b·C, with w = discarded − reused and b the residue coming back
// from its materials. Parameters change only when an element use's ramp
// weight changes, so A, B and C are computed once per cell and per change
// of weights (each checked for balance when computed, so every year's
// flows, their sums, close to rounding), and a year costs a few
// multiply-adds per cell and flow kept. The accounts are linear in the
// mass flows too: the municipality pays for recycling all but group
// collection, (sorted + dismantled input) × the blended cost of mechanical
// and chemical recycling. What is not linear is the offtake of recyclate
// across regions (min and pooling): its flows are not offered.

// offtakeFlows are the flows the linear path does not compute.
var offtakeFlows = [...]model.Flow{model.RecyclateLocalHigh, model.RecyclateLocalLow, model.RecyclateOtherRegionsHigh,
	model.RecyclateOtherRegionsLow, model.RecyclateOutsideHigh, model.RecyclateOutsideLow, model.ManufacturingDemand,
	model.RecyclateReceived, model.RecyclateUsed}

// CanStreamLinear reports whether [Model.StreamLinear] can compute the
// flows need: one step per year, and none of the offtake and
// manufacturing flows (recyclate_local_*, recyclate_other_regions_*,
// recyclate_outside_*, manufacturing_demand, recyclate_received,
// recyclate_used).
func (m *Model) CanStreamLinear(need []model.Flow) bool {
	if m.cfg.StepsPerYear > 1 {
		return false
	}
	for _, f := range need {
		if slices.Contains(offtakeFlows[:], f) {
			return false
		}
	}
	return true
}

// linear holds the unit responses of every cell, kept flows only.
type linear struct {
	keep      []model.Flow        // the flows computed, sorted
	iDis, iRR int                 // index in keep of dismantled and returned_residue
	a, b      []float64           // per cell (r×M+i) × len(keep): A (products: A) and B (products: C)
	gf        []float64           // generation factor per cell
	lastW     []float64           // per region × use: the weights the responses were computed with
	dismIn    []float64           // per material of the current region
	kept      []float64           // the year's kept flows, per cell × len(keep)
	iFlow     [model.NumFlows]int // index in keep of each flow, or −1
	prodW     []float64           // per product of the current region: discarded − reused
}

// StreamLinear is [Model.Stream] by the linear path: it hands over each
// year with the flows need (and the population) computed, in the narrow
// form [Year.Keep] and [Year.Kept] (Year.Flows is nil): a few values per
// cell instead of 48, so that a year stays in cache. Keep holds need and
// the flows the path couples cells with (dismantled, returned_residue),
// sorted. need must satisfy [Model.CanStreamLinear]. The
// values agree with Stream's to rounding (relative 1e-12 in the tests),
// not bit for bit: a batch uses one path or the other for all its runs.
func (m *Model) StreamLinear(v *Variant, need []model.Flow, buf *Result, yield func(*Year) error) error {
	if !m.CanStreamLinear(need) {
		return fmt.Errorf("sim: the linear path cannot compute these flows (offtake or sub-steps)")
	}
	cfg := &m.cfg
	R, M, P := len(cfg.Regions), len(cfg.Materials), len(m.prods)
	Y := cfg.EndYear - cfg.BaseYear + 1
	if buf == nil {
		buf = &Result{}
	}
	pop, lin := buf.Population, buf.lin
	if cap(pop) < R {
		pop = make([]float64, R)
	}
	if lin == nil {
		lin = &linear{}
	}
	spare := buf.spare
	*buf = Result{Variant: v.Name, BaseYear: cfg.BaseYear, Years: 1, Regions: cfg.Regions,
		Materials: cfg.Materials, Population: pop[:R], Flows: buf.Flows[:0], lin: lin}
	st, err := m.newStepperFrom(spare, v)
	if err != nil {
		return err
	}
	defer func() { st.close(); buf.spare = st.arrays() }()
	st.oneYear = true
	E := len(st.uses)
	lin.keep = append(lin.keep[:0], need...)
	for _, f := range []model.Flow{model.Dismantled, model.ReturnedResidue} {
		if !slices.Contains(lin.keep, f) {
			lin.keep = append(lin.keep, f)
		}
	}
	slices.Sort(lin.keep)
	K := len(lin.keep)
	lin.iDis, lin.iRR = slices.Index(lin.keep, model.Dismantled), slices.Index(lin.keep, model.ReturnedResidue)
	lin.a, lin.b = grow(lin.a, R*M*K), grow(lin.b, R*M*K)
	lin.kept = grow(lin.kept, R*M*K)
	lin.iFlow = [model.NumFlows]int{}
	for fl := range lin.iFlow {
		lin.iFlow[fl] = slices.Index(lin.keep, model.Flow(fl))
	}
	lin.gf = grow(lin.gf, R*M)
	lin.lastW = grow(lin.lastW, R*E)
	lin.dismIn, lin.prodW = grow(lin.dismIn, M), grow(lin.prodW, P)
	wk := &st.workers[0]
	yr := &Year{Regions: cfg.Regions, Materials: cfg.Materials, Population: buf.Population, Keep: lin.keep, Kept: lin.kept}
	for y := 0; y < Y; y++ {
		st.beginYear(y)
		fy := st.fy
		days := float64(model.DaysInFY(fy))
		for r := 0; r < R; r++ {
			g := &cfg.Regions[r]
			p := g.Population * math.Pow(1+g.PopulationChange, float64(y))
			buf.Population[r] = p
			scale := p * g.PerCapitaGPerDay * days * 1e-6
			changed := y == 0
			for e := 0; e < E; e++ {
				var w float64
				if st.applies[e*R+r] {
					w = st.weight(e, r)
				}
				if w != lin.lastW[r*E+e] || y == 0 {
					changed = true
					lin.lastW[r*E+e] = w
				}
			}
			if changed {
				for i := 0; i < M; i++ {
					if err := st.unitResponses(wk, lin, r, i); err != nil {
						return err
					}
				}
			}
			if err := st.linearRegion(wk, lin, lin.kept[r*M*K:(r+1)*M*K], y, r, p, scale); err != nil {
				return err
			}
		}
		yr.Index, yr.Year = y, fy
		if err := yield(yr); err != nil {
			return err
		}
	}
	return nil
}

// unitResponses computes and checks the unit responses of cell (r, i)
// with this year's parameters.
func (st *stepper) unitResponses(wk *worker, lin *linear, r, i int) error {
	M := len(st.m.cfg.Materials)
	c := r*M + i
	K := len(lin.keep)
	p := st.effective(wk, r, i)
	lin.gf[c] = p[model.GenerationFactor]
	var fa, fb model.Flows
	if st.m.cfg.Materials[i].Durable {
		// One tonne of product waste (discarded, none reused: the use
		// process closes with the stock falling by it), and one tonne of
		// residue back from its materials.
		fa.StepProduct(1, 0, 0, 0, -1, p)
		fa.FinishProduct(0, p)
		fb.StepProduct(0, 0, 0, 0, 0, p)
		fb.FinishProduct(1, p)
	} else {
		fa.StepMaterial(1, 0, p)
		fb.StepMaterial(0, 1, p)
	}
	fa.Account(p)
	fb.Account(p)
	for _, f := range []*model.Flows{&fa, &fb} {
		if err := st.check(f, r, i); err != nil {
			return err
		}
	}
	a, b := lin.a[c*K:(c+1)*K], lin.b[c*K:(c+1)*K]
	for j, fl := range lin.keep {
		a[j], b[j] = fa[fl], fb[fl]
	}
	return nil
}

// linearRegion computes year index y of region r (population pop, waste
// generated at base parameters scale t) into kept (its M cells × len(keep)): the
// products' stocks and cohorts as the engine steps them, then every cell
// from its unit responses.
func (st *stepper) linearRegion(wk *worker, lin *linear, kept []float64, y, r int, pop, scale float64) error {
	m := st.m
	cfg := &m.cfg
	M, P := len(cfg.Materials), len(m.prods)
	K := len(lin.keep)
	clear(lin.dismIn)
	for k := range m.prods {
		prod := &cfg.Products[k]
		i := prod.Material
		p := st.effective(wk, r, i)
		disc, reused, newIn, change := st.cohorts(wk, r, k, y, pop, 1, p)
		w := disc - reused
		if !(w >= 0 && newIn >= 0 && st.stock[r*P+k] >= 0) || math.IsInf(disc+newIn+reused, 0) {
			return st.balanceError(0, math.Min(w, math.Min(newIn, st.stock[r*P+k])), r, i)
		}
		lin.prodW[k] = w
		f := kept[i*K : (i+1)*K]
		for _, d := range [...]struct {
			fl model.Flow
			x  float64
		}{{model.Discarded, disc}, {model.Reused, reused}, {model.Inflow, newIn}, {model.Stock, st.stock[r*P+k]}, {model.StockChange, change}} {
			if j := lin.iFlow[d.fl]; j >= 0 {
				f[j] = d.x
			}
		}
		if d := w * lin.a[(r*M+i)*K+lin.iDis]; d > 0 {
			for j, c := range prod.Composition {
				lin.dismIn[j] += d * c
			}
		}
	}
	for _, i := range st.mats {
		c := r*M + i
		w := scale * m.disc[c] * lin.gf[c]
		d := lin.dismIn[i]
		if !(w >= 0 && d >= 0) || math.IsInf(w+d, 0) {
			return st.balanceError(0, math.Min(w, d), r, i)
		}
		f := kept[i*K : (i+1)*K]
		a, b := lin.a[c*K:(c+1)*K], lin.b[c*K:(c+1)*K]
		if d == 0 { // most materials: no dismantled input
			for j := range f {
				f[j] = w * a[j]
			}
			continue
		}
		for j := range f {
			f[j] = w*a[j] + d*b[j]
		}
	}
	for k := range m.prods {
		prod := &cfg.Products[k]
		i := prod.Material
		c := r*M + i
		w := lin.prodW[k]
		a, b := lin.a[c*K:(c+1)*K], lin.b[c*K:(c+1)*K]
		var back float64
		if d := w * a[lin.iDis]; d > 0 {
			for j, cj := range prod.Composition {
				if cj > 0 && lin.dismIn[j] > 0 {
					back += kept[j*K+lin.iRR] * (d * cj / lin.dismIn[j])
				}
			}
		}
		f := kept[i*K : (i+1)*K]
		for j, fl := range lin.keep {
			switch fl {
			case model.Discarded, model.Reused, model.Inflow, model.Stock, model.StockChange:
				continue // set above
			}
			f[j] = w*a[j] + back*b[j]
		}
	}
	return nil
}

// CheckLinear runs v by [Model.Stream] and by [Model.StreamLinear] and
// returns an error naming the first value of the flows need that differs
// beyond rounding (1e-9 of the cell's largest mass flow, or account for
// accounts, plus 1e-9 relative), or nil: a guard for a caller that takes
// the linear path for a whole batch. It costs two runs; the two go year
// by year side by side, so memory is two years.
func (m *Model) CheckLinear(v *Variant, need []model.Flow) error {
	years := make(chan *Year)
	resume := make(chan bool) // true: go on; false: stop
	var linErr error
	go func() {
		defer close(years)
		linErr = m.StreamLinear(v, need, nil, func(yr *Year) error {
			years <- yr
			if !<-resume {
				return errStopped
			}
			return nil
		})
	}()
	err := m.Stream(v, nil, func(yr *Year) error {
		ly, ok := <-years
		if !ok {
			return errStopped
		}
		err := m.diffLinear(v, yr.Flows, ly)
		resume <- err == nil
		return err
	})
	// Let the linear path finish (or stop) and collect its error.
	for range years {
		resume <- false
	}
	if err == errStopped || (err == nil && linErr != nil) {
		return linErr
	}
	return err
}

// errStopped ends one path of CheckLinear when the other stopped.
var errStopped = errors.New("sim: stopped")

// diffLinear compares a year of the linear path with the engine's cells
// of that year, as CheckLinear does.
func (m *Model) diffLinear(v *Variant, full []model.Flows, yr *Year) error {
	M := len(m.cfg.Materials)
	K := len(yr.Keep)
	for c := range full {
		want := &full[c]
		var mass, acc float64
		for fl, x := range want {
			if model.Flow(fl) < model.FirstAccount {
				mass = max(mass, math.Abs(x))
			} else {
				acc = max(acc, math.Abs(x))
			}
		}
		for j, fl := range yr.Keep {
			sc := mass
			if fl >= model.FirstAccount {
				sc = acc
			}
			if got := yr.Kept[c*K+j]; !(math.Abs(got-want[fl]) <= 1e-9*sc+1e-9*math.Abs(want[fl])) {
				return fmt.Errorf("sim: linear path: variant %s, FY%d, region %s, material %s: %s = %v, engine %v",
					v.Name, yr.Year, m.cfg.Regions[c/M].Code, m.cfg.Materials[c%M].ID, fl, got, want[fl])
			}
		}
	}
	return nil
}
