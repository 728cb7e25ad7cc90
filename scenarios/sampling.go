package scenarios

import (
	"fmt"
	"math"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Sampling applies sampled values of the uncertain numbers to a built run
// without rebuilding it: where each number lands in the simulation inputs
// (parameters per cell, region figures, product figures, element
// magnitudes) is found once by building the scenario with each number
// moved on its own (two probes per number), and is checked to be affine
// (value = a + b·x). A number that does not act affinely is refused.
type Sampling struct {
	base    *Run
	effects [][]slot // per uncertain number
	central []float64
}

// slot kinds.
const (
	slotParam   = iota // index cell×NumParams + param
	slotRegion         // index r×4 + field (population, change, per capita, recycling rate)
	slotProduct        // index p×4 + field (inflow, lifetime A, lifetime B, reuse life factor)
	slotEffect         // index into the flattened effects of all variants
)

type slot struct {
	kind  int
	index int
	slope float64
}

// flatten lists the numbers of a run that uncertain inputs can change.
func flatten(r *Run) [4][]float64 {
	var out [4][]float64
	P := int(model.NumParams)
	out[slotParam] = make([]float64, len(r.Config.Params)*P)
	for c := range r.Config.Params {
		copy(out[slotParam][c*P:], r.Config.Params[c][:])
	}
	for _, g := range r.Config.Regions {
		out[slotRegion] = append(out[slotRegion], g.Population, g.PopulationChange, g.PerCapitaGPerDay, g.RecyclingRate)
	}
	for _, p := range r.Config.Products {
		out[slotProduct] = append(out[slotProduct], p.InflowPerCapita, p.Lifetime.A, p.Lifetime.B, p.ReuseLifeFactor)
	}
	for _, v := range r.Variants {
		for _, e := range v.Elements {
			for _, ef := range e.Effects {
				out[slotEffect] = append(out[slotEffect], ef.Magnitude)
			}
		}
	}
	return out
}

// NewSampling probes the scenario's uncertain numbers; base is the run
// built from the central values, dataDir as given to Build.
func (f *File) NewSampling(base *Run, dataDir string) (*Sampling, error) {
	s := &Sampling{base: base}
	b0 := flatten(base)
	for i, u := range f.uncertain {
		c := u.Central
		s.central = append(s.central, c)
		p1 := u.Dist.Quantile(0.25)
		p2 := u.Dist.Quantile(0.8)
		if p1 == c {
			p1 = u.Dist.Quantile(0.1)
		}
		probe := func(x float64) ([4][]float64, error) {
			if err := f.setNumber(u.segs, x); err != nil {
				return [4][]float64{}, err
			}
			defer f.setNumber(u.segs, c)
			r, err := f.Build(dataDir)
			if err != nil {
				return [4][]float64{}, fmt.Errorf("scenarios: probing %s at %g: %w", u.Name, x, err)
			}
			return flatten(r), nil
		}
		v1, err := probe(p1)
		if err != nil {
			return nil, err
		}
		v2, err := probe(p2)
		if err != nil {
			return nil, err
		}
		var eff []slot
		for k := range b0 {
			if len(v1[k]) != len(b0[k]) || len(v2[k]) != len(b0[k]) {
				return nil, fmt.Errorf("scenarios: %s (%s:%d:%d) changes the structure of the model; it cannot be sampled", u.Name, f.Path, u.Line, u.Column)
			}
			for j := range b0[k] {
				if v1[k][j] == b0[k][j] && v2[k][j] == b0[k][j] {
					continue
				}
				slope := (v1[k][j] - b0[k][j]) / (p1 - c)
				pred := b0[k][j] + slope*(p2-c)
				if math.Abs(pred-v2[k][j]) > 1e-9*math.Max(1, math.Abs(v2[k][j])) {
					return nil, fmt.Errorf("scenarios: %s (%s:%d:%d) does not act linearly on the model; it cannot be sampled", u.Name, f.Path, u.Line, u.Column)
				}
				eff = append(eff, slot{kind: k, index: j, slope: slope})
			}
		}
		s.effects = append(s.effects, eff)
		_ = i
	}
	// Two numbers acting on the same slot would add up; a later override
	// hides an earlier one instead, so this means an unsupported overlap.
	seen := map[[2]int]int{}
	for i, eff := range s.effects {
		for _, sl := range eff {
			k := [2]int{sl.kind, sl.index}
			if j, ok := seen[k]; ok && j != i {
				uj, ui := &f.uncertain[j], &f.uncertain[i]
				return nil, fmt.Errorf("scenarios: %s (%s:%d:%d) and %s (%s:%d:%d) change the same model value; give one of them a plain number",
					uj.Name, f.Path, uj.Line, uj.Column, ui.Name, f.Path, ui.Line, ui.Column)
			}
			seen[k] = i
		}
	}
	return s, nil
}

// Sample is a copy of a run's simulation inputs with sampled values, for
// one run of a batch; reuse it across runs with [Sampling.Apply].
type Sample struct {
	Config   sim.Config
	Variants []sim.Variant
	effects  []*model.Effect // scratch of Apply
}

// Apply writes the base run with the uncertain numbers at x (len inputs;
// TC shares already scaled, see [File.ScaleShares]) into dst, reusing its
// arrays.
func (s *Sampling) Apply(x []float64, dst *Sample) {
	b := &s.base.Config
	c := &dst.Config
	// dst's own arrays from an earlier Apply (never the base's) are
	// reused, so that a batch allocates nothing per run here.
	oldParams, oldRegions, oldProducts := c.Params, c.Regions, c.Products
	*c = *b
	c.Params = append(oldParams[:0], b.Params...)
	c.Regions = append(oldRegions[:0], b.Regions...)
	c.Products = append(oldProducts[:0], b.Products...)
	if len(dst.Variants) != len(s.base.Variants) {
		dst.Variants = make([]sim.Variant, len(s.base.Variants))
	}
	effects := dst.effects[:0]
	for i, v := range s.base.Variants {
		nv := &dst.Variants[i]
		nv.Name = v.Name
		if len(nv.Elements) != len(v.Elements) {
			nv.Elements = make([]sim.ElementUse, len(v.Elements))
		}
		for e := range v.Elements {
			own := nv.Elements[e].Effects // dst's own array (nil at first)
			nv.Elements[e] = v.Elements[e]
			nv.Elements[e].Effects = append(own[:0], v.Elements[e].Effects...)
		}
	}
	for v := range dst.Variants {
		for e := range dst.Variants[v].Elements {
			for k := range dst.Variants[v].Elements[e].Effects {
				effects = append(effects, &dst.Variants[v].Elements[e].Effects[k])
			}
		}
	}
	dst.effects = effects
	P := int(model.NumParams)
	for i, eff := range s.effects {
		d := x[i] - s.central[i]
		for _, sl := range eff {
			switch sl.kind {
			case slotParam:
				c.Params[sl.index/P][sl.index%P] += sl.slope * d
			case slotRegion:
				g := &c.Regions[sl.index/4]
				switch sl.index % 4 {
				case 0:
					g.Population += sl.slope * d
				case 1:
					g.PopulationChange += sl.slope * d
				case 2:
					g.PerCapitaGPerDay += sl.slope * d
				case 3:
					g.RecyclingRate += sl.slope * d
				}
			case slotProduct:
				p := &c.Products[sl.index/4]
				switch sl.index % 4 {
				case 0:
					p.InflowPerCapita += sl.slope * d
				case 1:
					p.Lifetime.A += sl.slope * d
				case 2:
					p.Lifetime.B += sl.slope * d
				case 3:
					p.ReuseLifeFactor += sl.slope * d
				}
			case slotEffect:
				effects[sl.index].Magnitude += sl.slope * d
			}
		}
	}
}
