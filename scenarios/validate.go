package scenarios

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/circular-partners/junkan/model"
)

// tcGroups maps a process to the outputs of its split, in the order of the
// parameter that sets the first share: Shares[first] = param value.
var tcGroups = map[string]struct {
	outputs []string
	param   model.Param // share of outputs[0]
	// for recycling, the second output has its own parameter
	second model.Param
}{
	"reuse":         {[]string{"reused", "waste_generated"}, model.ReuseShare, -1},
	"collection":    {[]string{"separately_collected", "mixed_collected"}, model.SeparateCollection, -1},
	"sorting":       {[]string{"sorted_to_recycling", "sorting_residue"}, model.SortingYield, -1},
	"recycling":     {[]string{"recyclate_output", "process_loss", "recycling_residue"}, model.RecyclingYield, model.ProcessLossShare},
	"mixed":         {[]string{"direct_landfill", "incinerated"}, model.DirectLandfillShare, -1},
	"residues":      {[]string{"residue_landfilled", "incinerated"}, model.ResidueLandfill, -1},
	"incineration":  {[]string{"ash", "combustion_loss"}, model.AshContent, -1},
	"ash_treatment": {[]string{"ash_recycled", "ash_landfilled"}, model.AshRecycling, -1},
}

func tcProcessNames() []string {
	var out []string
	for k := range tcGroups {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// sumExact adds xs in a fixed (sorted) order with Neumaier compensation, so
// that the result does not depend on the order the terms are written in.
func sumExact(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	var sum, c float64
	for _, x := range s {
		t := sum + x
		if math.Abs(sum) >= math.Abs(x) {
			c += (sum - t) + x
		} else {
			c += (x - t) + sum
		}
		sum = t
	}
	return sum + c
}

// validate checks the decoded scenario without reading data files, construct
// by construct: the header (name, horizon, steps), regions, composition,
// parameters, transfer coefficients, products, variants (elements),
// targets, consolidation, outputs and validation.
func (f *File) validate() ErrorList {
	c := newChecker(f)
	c.header()
	c.regions()
	c.composition()
	c.parameters()
	c.transferCoefficients()
	c.products()
	if !c.variants() {
		return c.out
	}
	c.targets()
	c.consolidation()
	c.outputs()
	c.validation()
	return c.out
}

// checker holds the state shared by the steps of [File.validate].
type checker struct {
	f       *File
	s       *Scenario
	out     ErrorList
	mats    []model.Material
	matIDs  []string
	prodIDs []string
	vnames  []string // the variant names defined, set by variants
}

func newChecker(f *File) *checker {
	c := &checker{f: f, s: &f.Scenario, mats: model.DefaultMaterials()}
	c.matIDs = make([]string, len(c.mats))
	for i, m := range c.mats {
		c.matIDs[i] = m.ID
	}
	for _, p := range model.DefaultProducts() {
		c.prodIDs = append(c.prodIDs, p.ID)
	}
	return c
}

// bad records an error at the scenario field path.
func (c *checker) bad(path, format string, a ...any) {
	c.out = append(c.out, c.f.at(path, format, a...))
}

// checkMat reports id unless it names a material.
func (c *checker) checkMat(path, id string) {
	if model.MaterialIndex(c.mats, id) < 0 {
		c.bad(path, "unknown material %q%s", id, model.Suggest(id, c.matIDs))
	}
}

// checkRow reports id unless it names a material or a product (parameters
// and transfer coefficients may name either).
func (c *checker) checkRow(path, id string) {
	for _, p := range model.DefaultProducts() {
		if p.ID == id {
			return
		}
	}
	if model.MaterialIndex(c.mats, id) < 0 {
		var all []string
		all = append(all, c.matIDs...)
		for _, p := range model.DefaultProducts() {
			all = append(all, p.ID)
		}
		c.bad(path, "unknown material or product %q%s", id, model.Suggest(id, all))
	}
}

// checkArch reports a unless it names an archetype.
func (c *checker) checkArch(path, a string) {
	if _, err := model.ParseArchetype(a); err != nil {
		c.bad(path, "unknown archetype %q (want a, b, c, d or e)", a)
	}
}

// header checks name, base and end year and steps per year.
func (c *checker) header() {
	f, s := c.f, c.s
	if s.Name == "" {
		c.bad("name", "missing: every scenario needs a name")
	}
	if _, ok := f.pos["base_year"]; !ok {
		c.bad("base_year", "missing: the fiscal year of the base-year data, e.g. 2023")
	} else if s.BaseYear < 1950 || s.BaseYear > 2200 {
		c.bad("base_year", "%d is not a plausible fiscal year", s.BaseYear)
	}
	if _, ok := f.pos["end_year"]; !ok {
		c.bad("end_year", "missing: the last fiscal year to simulate, e.g. 2050")
	} else if s.EndYear > 2200 || (s.EndYear < s.BaseYear && !f.isBad("base_year")) {
		c.bad("end_year", "%d must be ≥ base_year %d and ≤ 2200", s.EndYear, s.BaseYear)
	}
	switch s.StepsPerYear {
	case 0, 1, 2, 4, 12:
	default:
		c.bad("steps_per_year", "%d: want 1, 2, 4 or 12", s.StepsPerYear)
	}
}

// cycle returns a description of an inheritance cycle through variant i, or "".
func (f *File) cycle(i int, names map[string]int) string {
	vs := f.Scenario.Variants
	path := []string{vs[i].Name}
	seen := map[int]bool{i: true}
	for j := i; vs[j].Inherits != ""; {
		k, ok := names[vs[j].Inherits]
		if !ok {
			return ""
		}
		path = append(path, vs[k].Name)
		if seen[k] {
			return strings.Join(path, " → ")
		}
		seen[k] = true
		j = k
	}
	return ""
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lifetimeOf converts a lifetime spec into a distribution, checking its
// domain: negative or zero means, Weibull shape ≤ 0, lognormal σ ≤ 0 and
// missing or extra parameters are errors.
func lifetimeOf(l *LifetimeSpec) (model.Lifetime, error) {
	kind, err := model.ParseLifetimeKind(l.Distribution)
	if err != nil {
		return model.Lifetime{}, fmt.Errorf("distribution %q: want fixed, normal, weibull, lognormal or folded_normal", l.Distribution)
	}
	need := func(names ...string) ([]float64, error) {
		all := map[string]*float64{"years": l.Years, "mean": l.Mean, "sd": l.SD, "shape": l.Shape, "scale": l.Scale, "mu": l.Mu, "sigma": l.Sigma}
		var out []float64
		for _, n := range names {
			if all[n] == nil {
				return nil, fmt.Errorf("%s lifetime needs %s", kind, strings.Join(names, " and "))
			}
			out = append(out, *all[n])
			delete(all, n)
		}
		for _, n := range []string{"years", "mean", "sd", "shape", "scale", "mu", "sigma"} {
			if v, ok := all[n]; ok && v != nil {
				return nil, fmt.Errorf("%s lifetime takes %s, not %s", kind, strings.Join(names, " and "), n)
			}
		}
		return out, nil
	}
	var v []float64
	switch kind {
	case model.Fixed:
		v, err = need("years")
		if err == nil {
			v = append(v, 0)
		}
	case model.Normal, model.FoldedNormal:
		v, err = need("mean", "sd")
	case model.Weibull:
		v, err = need("shape", "scale")
	case model.Lognormal:
		v, err = need("mu", "sigma")
	}
	if err != nil {
		return model.Lifetime{}, err
	}
	lt := model.Lifetime{Kind: kind, A: v[0], B: v[1]}
	return lt, lt.Validate()
}

func indicatorNames() []string { return model.IndicatorNames() }

func knownIndicator(n string) bool {
	for _, x := range indicatorNames() {
		if x == n {
			return true
		}
	}
	return false
}

// paramDomain returns the allowed range of parameter k in a scenario:
// shares in [0, 1] (reuse below 1), generation factor ≥ 0, lifetime
// extension > −1, detour factor in [1, 10], the recycling gate fee any
// value (negative: the recycler pays), every other cost, price, emission
// factor and employment factor ≥ 0.
func paramDomain(k model.Param) (lo, hi float64) {
	switch {
	case k == model.ReuseShare:
		return 0, 0.999999
	case k.IsShare():
		return 0, 1
	case k == model.LifetimeExtension:
		return -0.99, 100
	case k == model.DetourFactor:
		return 1, 10
	case k == model.CostRecycling:
		return -math.MaxFloat64, math.MaxFloat64
	}
	return 0, math.MaxFloat64
}

// lifetimeField is lifetimeOf that also names the sub-field at fault
// (".shape", ".sigma", …), or "" when the spec as a whole is.
func lifetimeField(l *LifetimeSpec) (model.Lifetime, string, error) {
	lt, err := lifetimeOf(l)
	if err == nil {
		return lt, "", nil
	}
	msg := err.Error()
	for _, f := range []struct{ word, field string }{
		{"shape", ".shape"}, {"scale", ".scale"}, {"σ", ".sigma"}, {"standard deviation", ".sd"},
		{"mean", ".mean"}, {"fixed lifetime", ".years"}, {"distribution", ".distribution"},
	} {
		if strings.Contains(msg, f.word) && !strings.Contains(msg, "needs") && !strings.Contains(msg, "takes") {
			return lt, f.field, err
		}
	}
	return lt, "", err
}

// maxMagnitude bounds every number a scenario gives for a cost, price,
// factor or magnitude, so that sums stay finite.
const maxMagnitude = 1e9
