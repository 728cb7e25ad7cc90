package sim

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"unsafe"

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
	shared  []model.Params    // distinct base parameters, SeparateCollection zeroed
	cellIdx []int32           // index into shared per cell, len R×M
	sep     [][numCal]float64 // the calibrated parameters (calParams) per cell, len R×M
	disc    []float64         // base discards per person per year-day ratio: t per (person·g/day·day) folded; len R×M
	// Multiplier is the calibration factor on separate_collection_share
	// per region (1 when not calibrated); len R.
	Multiplier []float64
	// Calibrations records, per region, what calibration set; len R.
	Calibrations []Calibration
	prods        []prodInfo          // per product, len P
	workers      int                 // goroutines stepping regions; 0: GOMAXPROCS
	dedup        map[paramBits]int32 // setup scratch of the shared table, kept for Renew
}

// paramBits is a parameter set as bits: a map key hashed as plain memory
// (float keys are hashed one by one). Parameters that differ only in the
// sign of a zero get two entries of the shared table: harmless.
type paramBits [model.NumParams]uint64

// bitsOf returns p as bits (the same memory): two rows compare as plain
// memory, an order of magnitude faster than value by value.
func bitsOf(p *model.Params) *paramBits { return (*paramBits)(unsafe.Pointer(p)) }

// grow returns s resliced to n elements (contents unspecified) when its
// capacity allows, else a new slice.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// calParams are the parameters calibration sets per region; the step
// reads them per cell, the others from the shared table.
var calParams = [...]model.Param{model.SeparateCollection, model.GroupCollectionShare, model.DirectLandfillShare,
	model.FuelCementShare, model.AshRecycling}

const numCal = len(calParams)

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
	pmfR  []float64 // the reused units' discretised lifetime (read by stepper.pmf)
}

// maxScale is the lifetime multiplier (new cohorts under lifetime-extending
// elements) whose distribution the pmf buffers cover fully beyond the run;
// buffers are at least as long as the run, so a larger multiplier is exact
// within it (only the tail after the end year is lumped into the last age).
const maxScale = 3

// ErrCalibration is wrapped by errors of [New] when a region's base-year
// recycling rate cannot be reached with its parameters.
var ErrCalibration = errors.New("sim: calibration failed")

// New validates cfg and calibrates every region whose RecyclingRate is ≥ 0,
// in closed form (piecewise-linear in the multiplier, no iteration):
//
//   - without a [Survey]: the multiplier k on separate_collection_share
//     (each share capped at 1) for which the base-year recycling rate
//     equals the target within 1e-9;
//   - with one: group collection spread over the materials by
//     Config.GroupCollectionWeights; k so that group collection +
//     sorted_to_recycling reach R′; direct_landfill_share so that direct
//     landfill is the survey's share of waste treated; fuel_cement_share so
//     that ash recycled + fuel and cement routes reach R − R′ (or
//     ash_recycling_share scaled down when ash alone exceeds it). What
//     cannot be reached is listed in [Calibration.Unreached], not an error.
//
// Errors wrap [ErrConfig] or [ErrCalibration].
func New(cfg *Config) (*Model, error) { return Renew(nil, cfg) }

// Renew is [New] reusing the arrays of old (which must not be used
// afterwards, nor be running) when they are large enough: a batch of runs
// of one shape then allocates almost nothing per run. old may be nil.
// The model is the same as New would return.
func Renew(old *Model, cfg *Config) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	R, M := len(cfg.Regions), len(cfg.Materials)
	if old == nil {
		old = &Model{}
	}
	m := &Model{cfg: *cfg, base: grow(old.base, R*M), disc: grow(old.disc, R*M),
		Multiplier: grow(old.Multiplier, R), Calibrations: grow(old.Calibrations, R), dedup: old.dedup}
	if err := m.calibrate(calWorkers(R)); err != nil {
		return nil, err
	}
	m.cellIdx = grow(old.cellIdx, R*M)
	m.sep = grow(old.sep, R*M)
	m.shared = old.shared[:0]
	if m.dedup == nil {
		m.dedup = map[paramBits]int32{}
	}
	clear(m.dedup)
	seen := m.dedup
	for k := range m.base {
		p := m.base[k]
		for j, q := range calParams {
			m.sep[k][j] = p[q]
			p[q] = 0
		}
		// Most regions share most rows: the same bits as the previous
		// region's row of the material are the same entry, found without
		// hashing.
		if k >= M {
			if j := m.cellIdx[k-M]; *bitsOf(&p) == *bitsOf(&m.shared[j]) {
				m.cellIdx[k] = j
				continue
			}
		}
		key := *bitsOf(&p)
		j, ok := seen[key]
		if !ok {
			j = int32(len(m.shared))
			seen[key] = j
			m.shared = append(m.shared, p)
		}
		m.cellIdx[k] = j
	}
	m.prods = old.prods[:0]
	for k, p := range cfg.Products {
		h := p.Lifetime.Scaled(maxScale).Horizon(1e-12, 400)
		// At least the run's length: a cohort of any lifetime extension
		// then leaves at its own age within the run (the tail beyond the
		// buffer stays in stock past the end year, not cut short).
		h = max(h, 2, cfg.EndYear-cfg.BaseYear+2)
		var was prodInfo // the arrays of old's product k, reused
		if k < len(old.prods) {
			was = old.prods[k]
		}
		pi := prodInfo{row: p.Material, pmf0: grow(was.pmf0, h), tail: grow(was.tail, h), horizon: h,
			pmfR: grow(was.pmfR, h), tailR: grow(was.tailR, h)}
		p.Lifetime.PMF(pi.pmf0)
		pi.tail[h-1], pi.tailR[h-1] = 0, 0
		for k := h - 1; k >= 0; k-- {
			if k+1 < h {
				pi.tail[k] = pi.tail[k+1] + pi.pmf0[k+1]
			}
			pi.mean0 += float64(k) * pi.pmf0[k]
		}
		pr := pi.pmfR
		p.Lifetime.Scaled(p.ReuseLifeFactor).PMF(pr)
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

// calWorkers is how many goroutines calibrate R regions: one per CPU,
// at least 256 regions each.
func calWorkers(R int) int { return max(1, min(runtime.GOMAXPROCS(0), R/256)) }

// calibrate copies the configured parameters into m.base and calibrates
// every region (see [New]), setting m.base, m.disc, m.Multiplier and
// m.Calibrations. W goroutines take contiguous ranges of regions (each
// region is calibrated on its own, so the results do not depend on W);
// the errors are joined in region order.
func (m *Model) calibrate(W int) error {
	cfg := &m.cfg
	R, M := len(cfg.Regions), len(cfg.Materials)
	W = max(1, min(W, R))
	errs := make([][]error, W)
	run := func(w int) {
		r0, r1 := w*R/W, (w+1)*R/W
		copy(m.base[r0*M:r1*M], cfg.Params[r0*M:r1*M])
		clear(m.Calibrations[r0:r1])
		terms, order, scratch := make([]mswTerms, 0, M), make([]int, 0, M), make([]float64, M)
		for r := r0; r < r1; r++ {
			g := &cfg.Regions[r]
			cells := m.base[r*M : (r+1)*M]
			comp := cfg.Composition[r*M : (r+1)*M]
			cal, err := calibrateRegion(g, cells, comp, cfg.Materials, cfg.GroupCollectionWeights, terms, order, scratch)
			if err != nil {
				errs[w] = append(errs[w], fmt.Errorf("%w: region %s (%s): %w", ErrCalibration, g.Code, g.Name, err))
				continue
			}
			m.Calibrations[r] = cal
			m.Multiplier[r] = cal.Multiplier
			for i := range cells {
				// base discards per (g/person/day × person × day): waste
				// generated at base reuse, grossed up by the base reuse share.
				m.disc[r*M+i] = comp[i] / (1 - cells[i][model.ReuseShare])
			}
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < W; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); run(w) }()
	}
	run(0)
	wg.Wait()
	return errors.Join(slices.Concat(errs...)...)
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
	// spare keeps the engine's working arrays of the last run into this
	// Result, for the next one (RunInto and Stream recycle them).
	spare *stepper
	lin   *linear // the linear path's unit responses (StreamLinear)
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
	spare := res.spare
	*res = Result{Variant: v.Name, BaseYear: cfg.BaseYear, Years: Y, Regions: cfg.Regions,
		Materials: cfg.Materials, Population: pop[:Y*R], Flows: flows[:Y*R*M]}
	st, err := m.newStepperFrom(spare, v, true)
	if err != nil {
		return err
	}
	defer func() { st.close(); res.spare = st.arrays() }()
	for y := 0; y < Y; y++ {
		if err := st.step(res, y); err != nil {
			return err
		}
	}
	return nil
}

// Year is one fiscal year of a variant's flows, as [Model.Stream] hands it
// over. R regions, M materials.
type Year struct {
	Index     int // year index y: fiscal year BaseYear + y
	Year      int // fiscal year
	Regions   []Region
	Materials []model.Material
	// Population of each region (persons), len R.
	Population []float64
	// Flows of each region and material (t), len R×M, index r×M+i.
	Flows []model.Flows
	// Keep and Kept replace Flows when [Model.StreamLinear] hands the year
	// over (Flows is then nil): the flows computed, and their values,
	// len R×M×len(Keep), index (r×M+i)×len(Keep)+j for flow Keep[j].
	Keep []model.Flow
	Kept []float64
	// GroupKept and GroupPopulation replace Kept and Population when
	// [Model.StreamLinearGroups] hands the year over: the kept flows summed
	// over the regions of each group (t, or yen for accounts), len
	// N×M×len(Keep), index (g×M+i)×len(Keep)+j, and the population of each
	// group, len N.
	GroupKept       []float64
	GroupPopulation []float64
}

// Cell returns the flows of region r and material i.
func (yr *Year) Cell(r, i int) *model.Flows { return &yr.Flows[r*len(yr.Materials)+i] }

// YearOf returns year index y of res as a [Year] (no copy: it shares
// res's arrays).
func (res *Result) YearOf(y int) Year {
	R, M := len(res.Regions), len(res.Materials)
	return Year{Index: y, Year: res.BaseYear + y, Regions: res.Regions, Materials: res.Materials,
		Population: res.Population[y*R : (y+1)*R], Flows: res.Flows[y*R*M : (y+1)*R*M]}
}

// Stream simulates variant v as [Model.Run] does, but hands each finished
// year to yield instead of keeping the whole horizon: memory is one year
// (R×M cells) whatever the number of years. The year's arrays live in buf
// (reused when large enough; nil allocates them) and are overwritten by
// the next year: yield must not keep them. The flows are bit-identical to
// those of Run. Stream returns the first error of the engine (as Run) or
// of yield, and then stops.
func (m *Model) Stream(v *Variant, buf *Result, yield func(*Year) error) error {
	cfg := &m.cfg
	R, M := len(cfg.Regions), len(cfg.Materials)
	Y := cfg.EndYear - cfg.BaseYear + 1
	if buf == nil {
		buf = &Result{}
	}
	pop, flows := buf.Population, buf.Flows
	if cap(pop) < R {
		pop = make([]float64, R)
	}
	if cap(flows) < R*M {
		flows = make([]model.Flows, R*M)
	}
	spare := buf.spare
	*buf = Result{Variant: v.Name, BaseYear: cfg.BaseYear, Years: 1, Regions: cfg.Regions,
		Materials: cfg.Materials, Population: pop[:R], Flows: flows[:R*M]}
	st, err := m.newStepperFrom(spare, v, true)
	if err != nil {
		return err
	}
	defer func() { st.close(); buf.spare = st.arrays() }()
	st.oneYear = true
	yr := &Year{Regions: cfg.Regions, Materials: cfg.Materials, Population: buf.Population, Flows: buf.Flows}
	for y := 0; y < Y; y++ {
		if err := st.step(buf, y); err != nil {
			return err
		}
		yr.Index, yr.Year = y, cfg.BaseYear+y
		if err := yield(yr); err != nil {
			return err
		}
	}
	return nil
}
