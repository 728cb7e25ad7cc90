package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/circular-partners/junkan/model"
)

// ElementUse is a model element switched on in a variant.
type ElementUse struct {
	Element   string     // element id, e.g. "ai_sorting"
	Start     int        // fiscal year of the first effect
	RampYears int        // years to full strength (≤ 1: at once)
	Ramp      model.Ramp // shape of the phase-in
	// Archetypes and Regions (codes) restrict the element; both empty means
	// every region. A region is included if it matches either list.
	Archetypes []model.Archetype
	Regions    []string
	Effects    []model.Effect // changes at full strength, applied in order
	// Scale, if not nil, multiplies the magnitude of effect k in region r
	// by Scale[k][r] (len(Effects) × R; a nil row means 1): for effects
	// that differ by region, such as the extra haul of consolidation.
	Scale [][]float64
	// RegionStart, if not nil (len R), gives each region its own start
	// year (0: Start), e.g. when its plant reaches the end of its life.
	RegionStart []int
}

// Variant is one scenario variant: a name and the elements it adopts,
// applied in order.
type Variant struct {
	Name     string
	Elements []ElementUse
}

// Model is a calibrated configuration, ready to run variants. A Model is
// safe for concurrent use by several goroutines calling Run.
type Model struct {
	cfg  Config
	base []model.Params // calibrated base parameters, len R×M (setup only)
	// The step reads base parameters from a small table of distinct cells
	// (regions of one archetype share theirs), kept in cache, plus the
	// calibrated separate-collection share of each cell.
	shared  []model.Params // distinct base parameters, SeparateCollection zeroed
	cellIdx []int32        // index into shared per cell, len R×M
	sep     []float64      // SeparateCollection per cell, len R×M
	disc    []float64      // base discards per person per year-day ratio: t per (person·g/day·day) folded; len R×M
	// Multiplier is the calibration factor on separate_collection_share
	// per region (1 when not calibrated); len R.
	Multiplier []float64
	prods      []prodInfo // per product, len P
	workers    int        // goroutines stepping regions; 0: GOMAXPROCS
}

// SetWorkers sets how many goroutines step the regions of a run (0: one
// per CPU, the default). Results do not depend on it. Call it before Run;
// it is not safe to call concurrently with Run.
func (m *Model) SetWorkers(n int) { m.workers = n }

// prodInfo is what the engine precomputes per durable product.
type prodInfo struct {
	row     int       // material index
	pmf0    []float64 // base discretised lifetime
	tail    []float64 // tail[k] = Σ_{a>k} pmf0[a]: past cohorts' outflow k years after base
	mean0   float64   // Σ a·pmf0[a]: steady-state stock per unit inflow (years)
	horizon int       // pmf length for any lifetime scale up to maxScale
	// The same for reused units (lifetime × ReuseLifeFactor), for the
	// spin-up of stocks with a base reuse share.
	tailR []float64
	meanR float64
}

// maxScale is the largest lifetime multiplier (new cohorts under
// lifetime-extending elements) whose distribution pmf buffers cover fully;
// longer lifetimes put their tail beyond the buffer into its last year.
const maxScale = 3

// ErrCalibration is wrapped by errors of [New] when a region's base-year
// recycling rate cannot be reached with its parameters.
var ErrCalibration = errors.New("sim: calibration failed")

// New validates cfg and calibrates every region whose RecyclingRate is ≥ 0:
// it finds the multiplier k on separate_collection_share (each share capped
// at 1) for which the base-year recycling rate equals the target within
// 1e-9. Errors wrap [ErrConfig] or [ErrCalibration].
func New(cfg *Config) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	R, M := len(cfg.Regions), len(cfg.Materials)
	m := &Model{cfg: *cfg, base: slices.Clone(cfg.Params), disc: make([]float64, R*M), Multiplier: make([]float64, R)}
	var errs []error
	for r := 0; r < R; r++ {
		g := &cfg.Regions[r]
		cells := m.base[r*M : (r+1)*M]
		comp := cfg.Composition[r*M : (r+1)*M]
		k := 1.0
		if g.RecyclingRate >= 0 {
			var err error
			k, err = calibrate(cells, comp, g.RecyclingRate)
			if err != nil {
				errs = append(errs, fmt.Errorf("%w: region %s (%s): %w", ErrCalibration, g.Code, g.Name, err))
				continue
			}
			for i := range cells {
				if !cfg.Materials[i].Durable { // products keep their own collection rates
					cells[i][model.SeparateCollection] = math.Min(1, k*cells[i][model.SeparateCollection])
				}
			}
		}
		m.Multiplier[r] = k
		for i := range cells {
			// base discards per (g/person/day × person × day): waste
			// generated at base reuse, grossed up by the base reuse share.
			m.disc[r*M+i] = comp[i] / (1 - cells[i][model.ReuseShare])
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	m.cellIdx = make([]int32, R*M)
	m.sep = make([]float64, R*M)
	seen := map[model.Params]int32{}
	for k := range m.base {
		p := m.base[k]
		m.sep[k] = p[model.SeparateCollection]
		p[model.SeparateCollection] = 0
		j, ok := seen[p]
		if !ok {
			j = int32(len(m.shared))
			seen[p] = j
			m.shared = append(m.shared, p)
		}
		m.cellIdx[k] = j
	}
	for _, p := range cfg.Products {
		h := p.Lifetime.Scaled(maxScale).Horizon(1e-12, 400)
		if h < 2 {
			h = 2
		}
		pi := prodInfo{row: p.Material, pmf0: make([]float64, h), tail: make([]float64, h), horizon: h}
		p.Lifetime.PMF(pi.pmf0)
		for k := h - 1; k >= 0; k-- {
			if k+1 < h {
				pi.tail[k] = pi.tail[k+1] + pi.pmf0[k+1]
			}
			pi.mean0 += float64(k) * pi.pmf0[k]
		}
		pr := make([]float64, h)
		p.Lifetime.Scaled(p.ReuseLifeFactor).PMF(pr)
		pi.tailR = make([]float64, h)
		for k := h - 1; k >= 0; k-- {
			if k+1 < h {
				pi.tailR[k] = pi.tailR[k+1] + pr[k+1]
			}
			pi.meanR += float64(k) * pr[k]
		}
		m.prods = append(m.prods, pi)
	}
	return m, nil
}

// recyclingRate returns the recycling rate (fraction) of one region with
// composition comp when separate_collection_share is multiplied by k.
func recyclingRate(cells []model.Params, comp []float64, k float64) float64 {
	var num, den float64
	var f model.Flows
	for i := range cells {
		p := cells[i]
		p[model.SeparateCollection] = math.Min(1, k*p[model.SeparateCollection])
		f.Step(comp[i]/(1-p[model.ReuseShare]), &p)
		num += f[model.SortedToRecycling] + f[model.AshRecycled]
		den += f[model.WasteGenerated]
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// calibrate solves recyclingRate(k) = target by bisection; the rate is
// non-decreasing in k whenever sorting yields exceed the small ash-recycling
// share of mixed waste, which holds for every default.
func calibrate(cells []model.Params, comp []float64, target float64) (float64, error) {
	kmax := 0.0
	for i := range cells {
		if s := cells[i][model.SeparateCollection]; s > 0 && comp[i] > 0 {
			kmax = math.Max(kmax, 1/s)
		}
	}
	lo, hi := recyclingRate(cells, comp, 0), recyclingRate(cells, comp, kmax)
	if lo > hi { // ash recycling outweighs sorting: the rate falls with collection
		return 0, fmt.Errorf("recycling rate falls as separate collection rises (%.4g %% with none, %.4g %% with all): check sorting_yield and ash_recycling_share",
			lo*100, hi*100)
	}
	if target < lo-1e-12 || target > hi+1e-12 {
		return 0, fmt.Errorf("recycling rate %.4g %% is outside the reachable range [%.4g %%, %.4g %%] of its parameters",
			target*100, lo*100, hi*100)
	}
	a, b := 0.0, kmax
	for range 200 {
		mid := (a + b) / 2
		if recyclingRate(cells, comp, mid) < target {
			a = mid
		} else {
			b = mid
		}
		if b-a <= 1e-15*b {
			break
		}
	}
	k := (a + b) / 2
	if got := recyclingRate(cells, comp, k); math.Abs(got-target) > 1e-9 {
		return 0, fmt.Errorf("recycling rate %.6g %% not reached (got %.6g %%): rate not monotone in separate collection", target*100, got*100)
	}
	return k, nil
}

// Config returns the model's configuration. The caller must not modify it.
func (m *Model) Config() *Config { return &m.cfg }

// BaseParams returns the calibrated base-year parameters of region r and
// material i.
func (m *Model) BaseParams(r, i int) model.Params { return m.base[r*len(m.cfg.Materials)+i] }

// Result holds every flow of one variant. Y = number of years, R regions,
// M materials.
type Result struct {
	Variant   string
	BaseYear  int
	Years     int
	Regions   []Region // shared with the Config; do not modify
	Materials []model.Material
	// Population per year and region (persons), len Y×R, index y×R+r.
	Population []float64
	// Flows per year, region and material (t), len Y×R×M, index (y×R+r)×M+m.
	Flows []model.Flows
}

// Year returns the fiscal year of year index y.
func (res *Result) Year(y int) int { return res.BaseYear + y }

// Cell returns the flows of year index y, region r and material i.
func (res *Result) Cell(y, r, i int) *model.Flows {
	return &res.Flows[(y*len(res.Regions)+r)*len(res.Materials)+i]
}

// Run simulates variant v over the whole horizon. It returns a
// *model.BalanceError if any process of any region, material and year fails
// to close, and an error for an element use that names no material of the
// run. Run does not modify m.
func (m *Model) Run(v *Variant) (*Result, error) {
	res := &Result{}
	if err := m.RunInto(res, v); err != nil {
		return nil, err
	}
	return res, nil
}

// RunInto is Run writing into res, reusing its arrays when they are large
// enough, so that a batch of variants can recycle a few Results.
func (m *Model) RunInto(res *Result, v *Variant) error {
	cfg := &m.cfg
	R, M := len(cfg.Regions), len(cfg.Materials)
	Y := cfg.EndYear - cfg.BaseYear + 1
	pop, flows := res.Population, res.Flows
	if cap(pop) < Y*R {
		pop = make([]float64, Y*R)
	}
	if cap(flows) < Y*R*M {
		flows = make([]model.Flows, Y*R*M)
	}
	*res = Result{Variant: v.Name, BaseYear: cfg.BaseYear, Years: Y, Regions: cfg.Regions,
		Materials: cfg.Materials, Population: pop[:Y*R], Flows: flows[:Y*R*M]}
	st, err := m.newStepper(v)
	if err != nil {
		return err
	}
	defer st.close()
	for y := 0; y < Y; y++ {
		if err := st.step(res, y); err != nil {
			return err
		}
	}
	return nil
}
