package batch

import (
	"fmt"
	"math"
	"slices"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Cell describes one output cell of a batch: a row of the statistics
// table.
type Cell struct {
	Variant, Level, Region, Archetype string
	Year                              int
	Material, Indicator, Unit         string
}

// Layout lists the output cells of a batch in order: variant, level
// (total, archetype, region), group, year, material, indicator, and
// computes them from a run's result.
type Layout struct {
	Cells     []Cell
	variants  []string
	levels    []string
	mats      []string
	inds      []string
	baseYear  int
	years     int
	regions   []sim.Region
	materials []model.Material
	groups    []group // in cell order per variant
	perVar    int     // cells per variant
	matIdx    [][]bool
	indOf     []indicator  // each of inds, resolved once
	need      []model.Flow // the flows the indicators read, in order: only these are summed
}

// indicator is an output name resolved to what computes it: a flow, the
// population, or a model.Indicator.
type indicator struct {
	flow model.Flow // ≥ 0: the flow itself
	pop  bool
	ind  model.Indicator
}

func (k indicator) value(f *model.Flows, pop float64, fy int) float64 {
	switch {
	case k.flow >= 0:
		return f[k.flow]
	case k.pop:
		return pop
	}
	return k.ind.Value(f, pop, fy)
}

// reads returns the flows the value of k depends on, found by moving each
// flow on its own (to another value and to NaN) in a vector of ones.
func (k indicator) reads() []model.Flow {
	var out []model.Flow
	var f model.Flows
	for i := range f {
		f[i] = 1
	}
	v0 := k.value(&f, 1000, 2030)
	for fl := model.Flow(0); fl < model.NumFlows; fl++ {
		changed := false
		for _, x := range []float64{2.5, math.NaN()} {
			f[fl] = x
			v := k.value(&f, 1000, 2030)
			changed = changed || math.Float64bits(v) != math.Float64bits(v0)
		}
		f[fl] = 1
		if changed {
			out = append(out, fl)
		}
	}
	return out
}

func resolveIndicator(name string) (indicator, bool) {
	if fl, ok := model.FlowByName(name); ok {
		return indicator{flow: fl}, true
	}
	if name == "population" {
		return indicator{flow: -1, pop: true}, true
	}
	for i := model.Indicator(0); i < model.NumIndicators; i++ {
		if i.String() == name {
			return indicator{flow: -1, ind: i}, true
		}
	}
	return indicator{}, false
}

type group struct {
	level, region, arch string
	regions             []int
}

// NewLayout returns the layout of the cells of variants (names, in the
// order results will be observed) at levels, materials ("all", "msw" or a
// material id) and indicators (model.IndicatorNames) for every year.
func NewLayout(regions []sim.Region, materials []model.Material, baseYear, years int,
	variants, levels, mats, inds []string) (*Layout, error) {
	l := &Layout{variants: variants, levels: levels, mats: mats, inds: inds, baseYear: baseYear, years: years,
		regions: regions, materials: materials}
	for _, mname := range mats {
		sel := make([]bool, len(materials))
		found := false
		for m, mat := range materials {
			switch mname {
			case "all":
				sel[m] = true
			case "msw":
				sel[m] = !mat.Durable
			default:
				sel[m] = mat.ID == mname
			}
			found = found || sel[m]
		}
		if !found {
			return nil, fmt.Errorf("batch: material %q is not in the run", mname)
		}
		l.matIdx = append(l.matIdx, sel)
	}
	for _, lv := range levels {
		switch lv {
		case "total":
			all := make([]int, len(regions))
			for r := range all {
				all[r] = r
			}
			l.groups = append(l.groups, group{"total", "total", "", all})
		case "archetype":
			for _, a := range model.Archetypes {
				var rs []int
				for r, g := range regions {
					if g.Archetype == a {
						rs = append(rs, r)
					}
				}
				if len(rs) > 0 {
					l.groups = append(l.groups, group{"archetype", a.String(), a.String(), rs})
				}
			}
		case "region":
			for r, g := range regions {
				l.groups = append(l.groups, group{"region", g.Code, g.Archetype.String(), []int{r}})
			}
		default:
			return nil, fmt.Errorf("batch: unknown level %q", lv)
		}
	}
	for _, name := range inds {
		k, ok := resolveIndicator(name)
		if !ok {
			return nil, fmt.Errorf("batch: unknown indicator %q", name)
		}
		l.indOf = append(l.indOf, k)
		for _, fl := range k.reads() {
			if !slices.Contains(l.need, fl) {
				l.need = append(l.need, fl)
			}
		}
	}
	slices.Sort(l.need)
	var f model.Flows
	for _, v := range variants {
		for _, g := range l.groups {
			for y := 0; y < years; y++ {
				for _, mname := range mats {
					for _, ind := range inds {
						_, unit, ok := model.IndicatorValue(ind, &f, 0, baseYear+y)
						if !ok {
							return nil, fmt.Errorf("batch: unknown indicator %q", ind)
						}
						l.Cells = append(l.Cells, Cell{v, g.level, g.region, g.arch, baseYear + y, mname, ind, unit})
					}
				}
			}
		}
	}
	l.perVar = len(l.groups) * years * len(mats) * len(inds)
	return l, nil
}

// Index returns the cell index of (variant, level, region, year,
// material, indicator), or −1.
func (l *Layout) Index(variant, level, region string, year int, material, indicator string) int {
	v := slices.Index(l.variants, variant)
	m := slices.Index(l.mats, material)
	k := slices.Index(l.inds, indicator)
	y := year - l.baseYear
	if v < 0 || m < 0 || k < 0 || y < 0 || y >= l.years {
		return -1
	}
	for gi, g := range l.groups {
		if g.level == level && g.region == region {
			return v*l.perVar + ((gi*l.years+y)*len(l.mats)+m)*len(l.inds) + k
		}
	}
	return -1
}

// Groups returns the archetype of each region (a … e as 0 … 4) for
// [sim.Model.StreamLinearGroups], and whether the layout can be computed
// from such archetype sums alone: when it has no region level.
func (l *Layout) Groups() (sim.Groups, bool) {
	g := sim.Groups{Of: make([]int, len(l.regions)), N: 5}
	for r, reg := range l.regions {
		g.Of[r] = reg.Archetype.Index()
	}
	return g, !slices.Contains(l.levels, "region")
}

// Flows returns the flows the layout's indicators read, sorted: what a
// run must compute (e.g. by [sim.Model.StreamLinear]).
func (l *Layout) Flows() []model.Flow { return l.need }

// add adds the flows the layout's indicators read of c into dst (the
// others stay as they are: zero).
func (l *Layout) add(dst, c *model.Flows) {
	for _, fl := range l.need {
		dst[fl] += c[fl]
	}
}

// Scratch is per-goroutine working memory of [Layout.Observe].
type Scratch struct {
	arch  []model.Flows // per archetype and material, index a×M + m
	pop   [5]float64
	sel   model.Flows
	at    []int     // index in a narrow year's Keep of each needed flow
	karch []float64 // a narrow year's sums per archetype, material and kept flow
	kreg  []float64 // a narrow year's sums of one region, per kept flow
}

// Observe writes the cells of variant index v (position in the layout's
// variants) computed from res into y (len(Cells)): [Layout.ObserveYear]
// of each year of res.
func (l *Layout) Observe(v int, res *sim.Result, y []float64, s *Scratch) {
	for yr := 0; yr < res.Years; yr++ {
		year := res.YearOf(yr)
		l.ObserveYear(v, &year, y, s)
	}
}

// ObserveYear writes the cells of variant index v and the year of yr into
// y (len(Cells)), as [sim.Model.Stream] hands the year over, or
// [sim.Model.StreamLinear] (a narrow year, which must keep every flow of
// [Layout.Flows]). The flows are
// summed per archetype and material over the regions in order; the total
// is the sum of the archetypes a … e, a material selection (all, msw) the
// sum of its materials in order; so results do not depend on scheduling,
// and a year is read once.
func (l *Layout) ObserveYear(v int, yr *sim.Year, y []float64, s *Scratch) {
	nm := len(l.mats)
	M := len(yr.Materials)
	if len(s.arch) < 5*M {
		s.arch = make([]model.Flows, 5*M)
	}
	out := y[v*l.perVar : (v+1)*l.perVar]
	R := len(yr.Regions)
	needArch := false
	for _, g := range l.groups {
		needArch = needArch || g.level != "region"
	}
	t := yr.Index
	// A narrow year (Keep, Kept) is read through the index of each needed
	// flow in Keep.
	K := len(yr.Keep)
	if yr.Flows == nil {
		s.at = s.at[:0]
		for _, fl := range l.need {
			j := slices.Index(yr.Keep, fl)
			if j < 0 {
				panic(fmt.Sprintf("batch: the year has no %s", fl))
			}
			s.at = append(s.at, j)
		}
	}
	if yr.GroupKept != nil {
		// Archetype sums (sim.Model.StreamLinearGroups with l.Groups): no
		// region's cells.
		if !needArch || len(yr.GroupKept) != 5*M*K {
			panic("batch: the year has no archetype sums")
		}
		copy(s.pop[:], yr.GroupPopulation)
		clear(s.arch[:5*M])
		for am := 0; am < 5*M; am++ {
			for j, fl := range l.need {
				s.arch[am][fl] = yr.GroupKept[am*K+s.at[j]]
			}
		}
	} else if needArch && yr.Flows == nil {
		// A narrow year: a region's cells are M×K contiguous values, summed
		// as a block into its archetype's (the same additions, in the same
		// region order, as flow by flow), then spread into the flows.
		if len(s.karch) < 5*M*K {
			s.karch = make([]float64, 5*M*K)
		}
		ka := s.karch[:5*M*K]
		clear(ka)
		s.pop = [5]float64{}
		for r := 0; r < R; r++ {
			a := yr.Regions[r].Archetype.Index()
			s.pop[a] += yr.Population[r]
			dst, src := ka[a*M*K:(a+1)*M*K], yr.Kept[r*M*K:(r+1)*M*K]
			for x := range dst {
				dst[x] += src[x]
			}
		}
		clear(s.arch[:5*M])
		for am := 0; am < 5*M; am++ {
			for j, fl := range l.need {
				s.arch[am][fl] = ka[am*K+s.at[j]]
			}
		}
	} else if needArch {
		clear(s.arch[:5*M])
		s.pop = [5]float64{}
		for r := 0; r < R; r++ {
			a := yr.Regions[r].Archetype.Index()
			s.pop[a] += yr.Population[r]
			for m := 0; m < M; m++ {
				dst, c := &s.arch[a*M+m], yr.Cell(r, m)
				for _, fl := range l.need {
					dst[fl] += c[fl]
				}
			}
		}
	}
	if len(s.kreg) < K {
		s.kreg = make([]float64, K)
	}
	for gi, g := range l.groups {
		for k := 0; k < nm; k++ {
			if g.level != "region" || yr.Flows != nil {
				s.sel = model.Flows{}
			} // else every flow the indicators read is written below
			var pop float64
			switch g.level {
			case "total":
				for a := 0; a < 5; a++ {
					for m := 0; m < M; m++ {
						if l.matIdx[k][m] {
							l.add(&s.sel, &s.arch[a*M+m])
						}
					}
					pop += s.pop[a]
				}
			case "archetype":
				a := yr.Regions[g.regions[0]].Archetype.Index()
				for m := 0; m < M; m++ {
					if l.matIdx[k][m] {
						l.add(&s.sel, &s.arch[a*M+m])
					}
				}
				pop = s.pop[a]
			default:
				r := g.regions[0]
				if yr.Flows == nil {
					// A narrow year: the region's kept values of the
					// selected materials summed as contiguous blocks (the
					// same additions, in the same order, as flow by flow).
					sum := s.kreg[:K]
					clear(sum)
					for m := 0; m < M; m++ {
						if l.matIdx[k][m] {
							kept := yr.Kept[(r*M+m)*K : (r*M+m+1)*K]
							for x := range sum {
								sum[x] += kept[x]
							}
						}
					}
					for j, fl := range l.need {
						s.sel[fl] = sum[s.at[j]]
					}
				} else {
					for m := 0; m < M; m++ {
						if l.matIdx[k][m] {
							l.add(&s.sel, yr.Cell(r, m))
						}
					}
				}
				pop = yr.Population[r]
			}
			o := out[((gi*l.years+t)*nm+k)*len(l.inds):]
			for i, ind := range l.indOf {
				o[i] = ind.value(&s.sel, pop, yr.Year)
			}
		}
	}
}
