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
	dismInto  []bool              // per material: some product is dismantled into it

	// Classes of regions whose products step alike: the same population
	// change, base product parameters and element uses on the products.
	// The cohort model is homogeneous in the population (demand, stock
	// and spin-up scale with it; the reuse min is of two such terms), so
	// a product's flows in a region are its base-year population times
	// those of its class stepped for one person.
	classOf  []int          // per region
	classRep []int          // per class: its first region
	classKey map[string]int // class of a key
	keyBuf   []byte
	usched   []float64 // per class × product × year: outflows scheduled per person
	ustock   []float64 // per class × product: stock per person
	unit     []float64 // per class × product × numUnit: this year's flows per person
	upow     []float64 // per class: (1 + population change)^y

	// Group sums (StreamLinearGroups): per (group, class) pair gq, the
	// kept flows a year adds up to, as sums over its regions of responses
	// times the factor each scales with that year.
	gU   []float64 // per gq × M × K: Σ pop·g/day·1e-6·discards·generation factor · A (non-durable materials; × days·upow)
	gV   []float64 // per gq × P × M × K: Σ pop · responses to one tonne of product waste per person (× its unit w)
	gPop []float64 // per gq: Σ base-year population
	sums []float64 // per group × M × K: this year's sums
	spop []float64 // per group: this year's population
}

// What a class's product step leaves per person in unit, in this order.
const (
	uDisc = iota
	uReused
	uNewIn
	uStock
	uChange
	uW // discarded − reused
	numUnit
)

// Groups asks [Model.StreamLinearGroups] for sums over groups of
// regions: region r counts in group Of[r] (0 ≤ Of[r] < N), or in none if
// Of[r] < 0. len(Of) is the number of regions.
type Groups struct {
	Of []int
	N  int
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
	return m.streamLinear(v, need, nil, buf, yield)
}

// StreamLinearGroups is [Model.StreamLinear] for a caller that needs only
// sums over groups of regions (an archetype, a prefecture): it hands over
// each year with [Year.GroupKept] and [Year.GroupPopulation] (Kept,
// Population and Flows are nil). Within the years in which no element's
// ramp weight changes, every kept flow of a region is a fixed response
// times one of a few factors the year shares (the growth of population
// and the days of the year for the waste of the materials; the waste per
// person of each product's class for the dismantled products), so the
// responses are summed per group once and a year costs a few
// multiply-adds per group: nothing per region. The sums agree with
// summing Stream's cells to rounding. groups.Of must have one entry per
// region.
func (m *Model) StreamLinearGroups(v *Variant, need []model.Flow, groups Groups, buf *Result, yield func(*Year) error) error {
	if len(groups.Of) != len(m.cfg.Regions) {
		return fmt.Errorf("sim: groups for %d regions, the model has %d", len(groups.Of), len(m.cfg.Regions))
	}
	for _, g := range groups.Of {
		if g >= groups.N {
			return fmt.Errorf("sim: group %d of %d", g, groups.N)
		}
	}
	return m.streamLinear(v, need, &groups, buf, yield)
}

func (m *Model) streamLinear(v *Variant, need []model.Flow, groups *Groups, buf *Result, yield func(*Year) error) error {
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
	st, err := m.newStepperFrom(spare, v, false)
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
	lin.iFlow = [model.NumFlows]int{}
	for fl := range lin.iFlow {
		lin.iFlow[fl] = slices.Index(lin.keep, model.Flow(fl))
	}
	lin.gf = grow(lin.gf, R*M)
	lin.lastW = grow(lin.lastW, R*E)
	lin.dismIn, lin.prodW = grow(lin.dismIn, M), grow(lin.prodW, P)
	lin.dismInto = grow(lin.dismInto, M)
	for i := range lin.dismInto {
		lin.dismInto[i] = false
		for k := range cfg.Products {
			lin.dismInto[i] = lin.dismInto[i] || cfg.Products[k].Composition[i] > 0
		}
	}
	Q := st.classify(lin)
	wk := &st.workers[0]
	yr := &Year{Regions: cfg.Regions, Materials: cfg.Materials, Keep: lin.keep}
	if groups == nil {
		lin.kept = grow(lin.kept, R*M*K)
		yr.Population, yr.Kept = buf.Population, lin.kept
	} else {
		GQ := groups.N * Q
		lin.gU, lin.gV, lin.gPop = grow(lin.gU, GQ*M*K), grow(lin.gV, GQ*P*M*K), grow(lin.gPop, GQ)
		lin.sums, lin.spop = grow(lin.sums, groups.N*M*K), grow(lin.spop, groups.N)
		yr.GroupKept, yr.GroupPopulation = lin.sums, lin.spop
	}
	for y := 0; y < Y; y++ {
		st.beginYear(y)
		fy := st.fy
		days := float64(model.DaysInFY(fy))
		if err := st.unitCohorts(wk, lin, Q, y); err != nil {
			return err
		}
		anyChanged := false
		for r := 0; r < R; r++ {
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
				anyChanged = true
				for i := 0; i < M; i++ {
					if err := st.unitResponses(wk, lin, r, i); err != nil {
						return err
					}
				}
			}
			if groups != nil {
				continue
			}
			g := &cfg.Regions[r]
			p := g.Population * lin.upow[lin.classOf[r]]
			buf.Population[r] = p
			scale := p * g.PerCapitaGPerDay * days * 1e-6
			if err := st.linearRegion(lin, lin.kept[r*M*K:(r+1)*M*K], r, scale); err != nil {
				return err
			}
		}
		if groups != nil {
			if anyChanged {
				if err := st.sumResponses(lin, groups, Q); err != nil {
					return err
				}
			}
			if err := st.groupYear(lin, groups, Q, days); err != nil {
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

// classify sorts the regions into the classes of lin (see there) and
// spins up each class's products for one person; it returns the number of
// classes. The key of a region holds all that its products' parameters
// in any year depend on: its population change; per product, the shared
// parameter row and the base generation factor, reuse share and lifetime
// extension; and per element use that changes one of these three of the
// product, whether it applies, the region's start year and the region's
// scale of each such effect.
func (st *stepper) classify(lin *linear) int {
	m := st.m
	cfg := &m.cfg
	R, M, P := len(cfg.Regions), len(cfg.Materials), len(m.prods)
	Y := cfg.EndYear - cfg.BaseYear + 1
	lin.classOf = grow(lin.classOf, R)
	lin.classRep = lin.classRep[:0]
	if lin.classKey == nil {
		lin.classKey = map[string]int{}
	}
	clear(lin.classKey)
	u64 := func(b []byte, x uint64) []byte {
		return append(b, byte(x), byte(x>>8), byte(x>>16), byte(x>>24), byte(x>>32), byte(x>>40), byte(x>>48), byte(x>>56))
	}
	f64 := func(b []byte, x float64) []byte { return u64(b, math.Float64bits(x)) }
	for r := 0; r < R; r++ {
		key := f64(lin.keyBuf[:0], cfg.Regions[r].PopulationChange)
		for _, pi := range m.prods {
			c := r*M + pi.row
			b := &m.base[c]
			key = u64(key, uint64(m.cellIdx[c]))
			key = f64(f64(f64(key, b[model.GenerationFactor]), b[model.ReuseShare]), b[model.LifetimeExtension])
			for e := range st.uses {
				u := &st.uses[e]
				if !slices.ContainsFunc(u.byMat[pi.row], stepsProducts) {
					continue
				}
				var rs int
				if u.regionStart != nil {
					rs = u.regionStart[r]
				}
				key = u64(u64(key, uint64(e)), uint64(rs))
				if st.applies[e*R+r] {
					key = append(key, 1)
				} else {
					key = append(key, 0)
				}
				for _, ef := range u.byMat[pi.row] {
					if ef.scale != nil && stepsProducts(ef) {
						key = f64(key, ef.scale[r])
					}
				}
			}
		}
		lin.keyBuf = key
		q, ok := lin.classKey[string(key)]
		if !ok {
			q = len(lin.classRep)
			lin.classKey[string(key)] = q
			lin.classRep = append(lin.classRep, r)
		}
		lin.classOf[r] = q
	}
	Q := len(lin.classRep)
	lin.usched, lin.ustock = grow(lin.usched, Q*P*Y), grow(lin.ustock, Q*P)
	lin.unit, lin.upow = grow(lin.unit, Q*P*numUnit), grow(lin.upow, Q)
	for q, r := range lin.classRep {
		for k, pi := range m.prods {
			b := &m.base[r*M+pi.row]
			lin.ustock[q*P+k] = pi.spinUp(lin.usched[(q*P+k)*Y:(q*P+k+1)*Y],
				cfg.Products[k].InflowPerCapita*b[model.GenerationFactor], b[model.ReuseShare])
		}
	}
	return Q
}

// stepsProducts reports whether ef changes a parameter of the products'
// cohorts (generation factor, reuse share, lifetime extension); changes
// of the others do not reach them (model.Params.ClampParam of one of them
// changes no other).
func stepsProducts(ef effect) bool {
	return ef.param == model.GenerationFactor || ef.param == model.ReuseShare || ef.param == model.LifetimeExtension
}

// unitCohorts steps the products of every class for one person in year
// index y, as the engine steps a region's (its population grown by
// upow), and checks what it leaves.
func (st *stepper) unitCohorts(wk *worker, lin *linear, Q, y int) error {
	m := st.m
	cfg := &m.cfg
	P := len(m.prods)
	Y := cfg.EndYear - cfg.BaseYear + 1
	for q, r := range lin.classRep {
		fu := math.Pow(1+cfg.Regions[r].PopulationChange, float64(y))
		lin.upow[q] = fu
		for k, pi := range m.prods {
			p := st.effective(wk, r, pi.row)
			qk := q*P + k
			disc, reused, newIn, change := st.cohortStep(wk, k, lin.usched[qk*Y:(qk+1)*Y], &lin.ustock[qk], y, fu, 1, p)
			w, stock := disc-reused, lin.ustock[qk]
			if !(w >= 0 && newIn >= 0 && stock >= 0) || math.IsInf(disc+newIn+reused, 0) {
				return st.balanceError(0, math.Min(w, math.Min(newIn, stock)), r, pi.row)
			}
			u := lin.unit[qk*numUnit : (qk+1)*numUnit]
			u[uDisc], u[uReused], u[uNewIn], u[uStock], u[uChange], u[uW] = disc, reused, newIn, stock, change, w
		}
	}
	return nil
}

// stockFlows are the flows of a product cell its cohorts set, in the
// order of the unit values.
var stockFlows = [...]model.Flow{uDisc: model.Discarded, uReused: model.Reused, uNewIn: model.Inflow,
	uStock: model.Stock, uChange: model.StockChange}

// sumResponses sums the unit responses of the regions of each group and
// class into lin.gU, lin.gV and lin.gPop (see there).
func (st *stepper) sumResponses(lin *linear, groups *Groups, Q int) error {
	m := st.m
	cfg := &m.cfg
	M, P := len(cfg.Materials), len(m.prods)
	K := len(lin.keep)
	clear(lin.gU)
	clear(lin.gV)
	clear(lin.gPop)
	for r, g := range groups.Of {
		if g < 0 {
			continue
		}
		reg := &cfg.Regions[r]
		gq := g*Q + lin.classOf[r]
		pop := reg.Population
		lin.gPop[gq] += pop
		base := pop * reg.PerCapitaGPerDay * 1e-6
		for _, i := range st.mats {
			c := r*M + i
			coef := base * m.disc[c] * lin.gf[c]
			if !(coef >= 0) || math.IsInf(coef, 0) {
				return st.balanceError(0, coef, r, i)
			}
			u, a := lin.gU[(gq*M+i)*K:(gq*M+i+1)*K], lin.a[c*K:(c+1)*K]
			for j := range u {
				u[j] += coef * a[j]
			}
		}
		for k := range m.prods {
			prod := &cfg.Products[k]
			ik := prod.Material
			ck := r*M + ik
			ak, bk := lin.a[ck*K:(ck+1)*K], lin.b[ck*K:(ck+1)*K]
			vk := lin.gV[((gq*P+k)*M)*K : ((gq*P+k)*M+M)*K]
			// Per tonne of product waste per person: d dismantled, handed
			// to its materials by composition; each returns the residue
			// share of its dismantled input.
			var ret float64
			d := pop * ak[lin.iDis]
			if d > 0 {
				for j, cj := range prod.Composition {
					if cj <= 0 {
						continue
					}
					bj := lin.b[(r*M+j)*K : (r*M+j+1)*K]
					vj := vk[j*K : (j+1)*K]
					for x := range vj {
						vj[x] += d * cj * bj[x]
					}
					ret += cj * bj[lin.iRR]
				}
			}
			vp := vk[ik*K : (ik+1)*K]
			for x, fl := range lin.keep {
				switch fl {
				case model.Discarded, model.Reused, model.Inflow, model.Stock, model.StockChange:
					continue // from the cohorts
				}
				vp[x] += pop*ak[x] + d*ret*bk[x]
			}
		}
	}
	return nil
}

// groupYear writes this year's group sums into lin.sums and lin.spop.
func (st *stepper) groupYear(lin *linear, groups *Groups, Q int, days float64) error {
	m := st.m
	cfg := &m.cfg
	M, P := len(cfg.Materials), len(m.prods)
	K := len(lin.keep)
	clear(lin.sums)
	clear(lin.spop)
	for g := 0; g < groups.N; g++ {
		s := lin.sums[g*M*K : (g+1)*M*K]
		for q := 0; q < Q; q++ {
			gq := g*Q + q
			fu := lin.upow[q]
			lin.spop[g] += lin.gPop[gq] * fu
			f := fu * days
			if !(f >= 0) || math.IsInf(f, 0) {
				return st.balanceError(0, f, lin.classRep[q], 0)
			}
			for _, i := range st.mats {
				si, u := s[i*K:(i+1)*K], lin.gU[(gq*M+i)*K:(gq*M+i+1)*K]
				for j := range si {
					si[j] += f * u[j]
				}
			}
			for k := range m.prods {
				qk := q*P + k
				unit := lin.unit[qk*numUnit : (qk+1)*numUnit]
				w := unit[uW]
				vk := lin.gV[((gq*P+k)*M)*K : ((gq*P+k)*M+M)*K]
				for x := range s {
					s[x] += w * vk[x]
				}
				ik := cfg.Products[k].Material
				for n, fl := range stockFlows {
					if j := lin.iFlow[fl]; j >= 0 {
						s[ik*K+j] += lin.gPop[gq] * unit[n]
					}
				}
			}
		}
		for x, v := range s {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				i := x / K
				return fmt.Errorf("sim: FY%d: the sum of %s of material %s over a group is not finite", st.fy, lin.keep[x%K], cfg.Materials[i].ID)
			}
		}
	}
	return nil
}

// unitResponses computes and checks the unit responses of cell (r, i)
// with this year's parameters. B of a material no product is dismantled
// into is not computed (nothing reads it: its dismantled input is 0).
func (st *stepper) unitResponses(wk *worker, lin *linear, r, i int) error {
	M := len(st.m.cfg.Materials)
	c := r*M + i
	K := len(lin.keep)
	p := st.effective(wk, r, i)
	lin.gf[c] = p[model.GenerationFactor]
	a, b := lin.a[c*K:(c+1)*K], lin.b[c*K:(c+1)*K]
	var f model.Flows
	if st.m.cfg.Materials[i].Durable {
		// One tonne of product waste (discarded, none reused: the use
		// process closes with the stock falling by it), and one tonne of
		// residue back from its materials.
		f.StepProduct(1, 0, 0, 0, -1, p)
		f.FinishProduct(0, p)
		f.Account(p)
		if err := st.check(&f, r, i); err != nil {
			return err
		}
		lin.take(a, &f)
		f.StepProduct(0, 0, 0, 0, 0, p)
		f.FinishProduct(1, p)
		f.Account(p)
		if err := st.check(&f, r, i); err != nil {
			return err
		}
		lin.take(b, &f)
		return nil
	}
	if pi, res := f.StepMaterialChecked(1, 0, 0, false, p); pi >= 0 {
		return st.balanceError(pi, res, r, i)
	}
	lin.take(a, &f)
	if lin.dismInto[i] {
		if pi, res := f.StepMaterialChecked(0, 1, 0, false, p); pi >= 0 {
			return st.balanceError(pi, res, r, i)
		}
		lin.take(b, &f)
	}
	return nil
}

// take copies the kept flows of f into dst.
func (lin *linear) take(dst []float64, f *model.Flows) {
	for j, fl := range lin.keep {
		dst[j] = f[fl]
	}
}

// linearRegion computes the year of region r (waste generated at base
// parameters scale t) into kept (its M cells × len(keep)): the products
// from their class's unit step, then every cell from its unit responses.
func (st *stepper) linearRegion(lin *linear, kept []float64, r int, scale float64) error {
	m := st.m
	cfg := &m.cfg
	M, P := len(cfg.Materials), len(m.prods)
	K := len(lin.keep)
	clear(lin.dismIn)
	pop := cfg.Regions[r].Population
	q := lin.classOf[r]
	for k := range m.prods {
		prod := &cfg.Products[k]
		i := prod.Material
		unit := lin.unit[(q*P+k)*numUnit : (q*P+k+1)*numUnit]
		w := pop * unit[uW]
		lin.prodW[k] = w
		f := kept[i*K : (i+1)*K]
		for n, fl := range stockFlows {
			if j := lin.iFlow[fl]; j >= 0 {
				f[j] = pop * unit[n]
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
	return m.checkLinear(v, need, nil)
}

// CheckLinearGroups is [Model.CheckLinear] for
// [Model.StreamLinearGroups]: it compares the group sums with the sums of
// the engine's cells over the regions of each group (within 1e-9 of the
// sum of the cells' largest flows, plus 1e-9 relative; the population
// within 1e-12 relative).
func (m *Model) CheckLinearGroups(v *Variant, need []model.Flow, groups Groups) error {
	if len(groups.Of) != len(m.cfg.Regions) {
		return fmt.Errorf("sim: groups for %d regions, the model has %d", len(groups.Of), len(m.cfg.Regions))
	}
	return m.checkLinear(v, need, &groups)
}

func (m *Model) checkLinear(v *Variant, need []model.Flow, groups *Groups) error {
	years := make(chan *Year)
	resume := make(chan bool) // true: go on; false: stop
	var linErr error
	go func() {
		defer close(years)
		linErr = m.streamLinear(v, need, groups, nil, func(yr *Year) error {
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
		var err error
		if groups == nil {
			err = m.diffLinear(v, yr.Flows, ly)
		} else {
			err = m.diffGroups(v, yr, ly, groups)
		}
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

// cellScales returns the largest mass flow and the largest account of f.
func cellScales(f *model.Flows) (mass, acc float64) {
	for fl, x := range f {
		if model.Flow(fl) < model.FirstAccount {
			mass = max(mass, math.Abs(x))
		} else {
			acc = max(acc, math.Abs(x))
		}
	}
	return mass, acc
}

// near reports whether got is want to rounding at scale sc.
func near(got, want, sc float64) bool {
	return math.Abs(got-want) <= 1e-9*sc+1e-9*math.Abs(want)
}

// diffLinear compares a year of the linear path with the engine's cells
// of that year, as CheckLinear does.
func (m *Model) diffLinear(v *Variant, full []model.Flows, yr *Year) error {
	M := len(m.cfg.Materials)
	K := len(yr.Keep)
	for c := range full {
		want := &full[c]
		mass, acc := cellScales(want)
		for j, fl := range yr.Keep {
			sc := mass
			if fl >= model.FirstAccount {
				sc = acc
			}
			if got := yr.Kept[c*K+j]; !near(got, want[fl], sc) {
				return fmt.Errorf("sim: linear path: variant %s, FY%d, region %s, material %s: %s = %v, engine %v",
					v.Name, yr.Year, m.cfg.Regions[c/M].Code, m.cfg.Materials[c%M].ID, fl, got, want[fl])
			}
		}
	}
	return nil
}

// diffGroups compares a year of the group sums with the engine's cells
// summed over each group, as CheckLinearGroups does.
func (m *Model) diffGroups(v *Variant, full, yr *Year, groups *Groups) error {
	M := len(m.cfg.Materials)
	K := len(yr.Keep)
	want := make([]float64, groups.N*M*K)
	scale := make([]float64, groups.N*M*2)
	pop := make([]float64, groups.N)
	for r, g := range groups.Of {
		if g < 0 {
			continue
		}
		pop[g] += full.Population[r]
		for i := 0; i < M; i++ {
			f := full.Cell(r, i)
			mass, acc := cellScales(f)
			scale[(g*M+i)*2] += mass
			scale[(g*M+i)*2+1] += acc
			for j, fl := range yr.Keep {
				want[(g*M+i)*K+j] += f[fl]
			}
		}
	}
	for g := 0; g < groups.N; g++ {
		if got := yr.GroupPopulation[g]; !(math.Abs(got-pop[g]) <= 1e-12*pop[g]) {
			return fmt.Errorf("sim: linear path: variant %s, FY%d, group %d: population %v, engine %v", v.Name, yr.Year, g, got, pop[g])
		}
		for i := 0; i < M; i++ {
			for j, fl := range yr.Keep {
				sc := scale[(g*M+i)*2]
				if fl >= model.FirstAccount {
					sc = scale[(g*M+i)*2+1]
				}
				x := (g*M+i)*K + j
				if got := yr.GroupKept[x]; !near(got, want[x], sc) {
					return fmt.Errorf("sim: linear path: variant %s, FY%d, group %d, material %s: %s = %v, engine %v",
						v.Name, yr.Year, g, m.cfg.Materials[i].ID, fl, got, want[x])
				}
			}
		}
	}
	return nil
}
