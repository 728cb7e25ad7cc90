package scenarios

import (
	"fmt"
	"math"
	"sort"

	"github.com/circular-partners/junkan/model"
)

// composition checks the composition: shares: one share in [0, 1] per
// material, summing to 1.
func (c *checker) composition() {
	s := c.s
	if len(s.Composition) == 0 {
		return
	}
	var xs []float64
	keys := make([]string, 0, len(s.Composition))
	for k := range s.Composition {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := s.Composition[k]
		c.checkMat("composition."+k, k)
		if v < 0 || v > 1 {
			c.bad("composition."+k, "share %v outside [0, 1]", v)
		}
		xs = append(xs, v)
	}
	for _, m := range c.matIDs {
		if _, ok := s.Composition[m]; !ok {
			c.bad("composition", "material %s missing: give every material a share (0 is allowed)", m)
		}
	}
	if sum := sumExact(xs); math.Abs(sum-1) > 1e-9 {
		c.bad("composition", "shares sum to %.12g, want 1 within 1e-9", sum)
	}
}

// parameters checks each parameters: row: a known key, material and
// archetype, a value within the parameter's domain.
func (c *checker) parameters() {
	for i, p := range c.s.Parameters {
		path := fmt.Sprintf("parameters[%d]", i)
		k, ok := model.ParamByName(p.Key)
		if !ok {
			c.bad(path+".key", "unknown parameter %q%s", p.Key, model.Suggest(p.Key, model.ParamNames()))
			continue
		}
		if p.Material != "" {
			c.checkRow(path+".material", p.Material)
		}
		if p.Archetype != "" {
			c.checkArch(path+".archetype", p.Archetype)
		}
		if _, ok := c.f.pos[path+".value"]; !ok {
			c.bad(path+".value", "missing")
		}
		lo, hi := paramDomain(k)
		if hi > maxMagnitude {
			hi = maxMagnitude
		}
		if lo < -maxMagnitude {
			lo = -maxMagnitude
		}
		if p.Value < lo || p.Value > hi {
			what := "a share"
			switch {
			case k == model.CostRecycling:
				what = "a gate fee"
			case !k.IsShare():
				what = "a cost, price or factor; it cannot be negative"
			}
			c.bad(path+".value", "%s = %v outside its domain [%v, %v] (%s)", p.Key, p.Value, lo, hi, what)
		}
	}
}

// transferCoefficients checks each transfer_coefficients: row: a known
// process, one share in [0, 1] per output of it, summing to 1.
func (c *checker) transferCoefficients() {
	for i, tc := range c.s.TransferCoefficients {
		path := fmt.Sprintf("transfer_coefficients[%d]", i)
		g, ok := tcGroups[tc.Process]
		if !ok {
			c.bad(path+".process", "unknown process %q%s", tc.Process, model.Suggest(tc.Process, tcProcessNames()))
			continue
		}
		if tc.Material != "" {
			c.checkRow(path+".material", tc.Material)
		}
		if tc.Archetype != "" {
			c.checkArch(path+".archetype", tc.Archetype)
		}
		var xs []float64
		keys := make([]string, 0, len(tc.Shares))
		for k := range tc.Shares {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := tc.Shares[k]
			known := false
			for _, o := range g.outputs {
				known = known || o == k
			}
			if !known {
				c.bad(path+".shares."+k, "%q is not an output of %s (outputs: %v)", k, tc.Process, g.outputs)
			}
			if v < 0 || v > 1 {
				c.bad(path+".shares."+k, "share %v outside [0, 1]", v)
			}
			xs = append(xs, v)
		}
		for _, o := range g.outputs {
			if _, ok := tc.Shares[o]; !ok {
				c.bad(path+".shares", "output %s missing: give every output of %s (%v)", o, tc.Process, g.outputs)
			}
		}
		if sum := sumExact(xs); math.Abs(sum-1) > 1e-9 {
			c.bad(path+".shares", "transfer coefficients sum to %.12g, want 1 within 1e-9", sum)
		}
		if v, ok := tc.Shares[g.outputs[0]]; ok && v >= 0 && v <= 1 {
			if lo, hi := paramDomain(g.param); v < lo || v > hi {
				c.bad(path+".shares."+g.outputs[0], "%v outside [%v, %v] (%s would be %v)", v, lo, hi, g.param, v)
			}
		}
	}
}
