package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/circular-partners/junkan/model"
)

// parameters fills the region × material composition and parameters:
// defaults looked up once per archetype and material, then the
// consolidation haul cost, the scenario's parameters and its transfer
// coefficients, in that order (later ones win).
func (b *builder) parameters() {
	b.defaultParameters()
	b.haulCost()
	b.scenarioParameters()
	b.transferCoefficients()
}

// defaultParameters fills composition and parameters from the defaults.
func (b *builder) defaultParameters() {
	type cellKey struct {
		a   model.Archetype
		mat string
	}
	s, mats := b.s, b.mats
	cellMemo := map[cellKey]model.Params{}
	R, M := len(b.regs), len(mats)
	b.comp = make([]float64, R*M)
	b.params = make([]model.Params, R*M)
	for r := range b.regs {
		a := b.regs[r].Archetype
		for i, m := range mats {
			if m.Durable {
				b.comp[r*M+i] = 0 // product waste comes from the in-use stock
			} else if len(s.Composition) > 0 { // composition: {} means the defaults
				b.comp[r*M+i] = s.Composition[m.ID]
			} else {
				b.comp[r*M+i] = b.val("composition", a, m.ID)
			}
			ck := cellKey{a, m.ID}
			p, ok := cellMemo[ck]
			if !ok {
				var err error
				if p, err = b.tab.CellParams(a, m.ID); err != nil {
					panic(err)
				}
				cellMemo[ck] = p
			}
			b.params[r*M+i] = p
		}
	}
	for k := model.ReuseShare; k < model.NumParams; k++ {
		b.usedKeys[k.String()] = true
	}
	if len(s.Composition) > 0 {
		delete(b.usedKeys, "composition")
	}
}

// match reports whether the cell of region r and material i is selected by
// a row naming material mat, archetype arch and regions rs (empty: all).
func (b *builder) match(r, i int, mat, arch string, rs []string) bool {
	if mat != "" && b.mats[i].ID != mat {
		return false
	}
	if arch != "" && b.regs[r].Archetype.String() != arch {
		return false
	}
	return len(rs) == 0 || slices.Contains(rs, b.regs[r].Code)
}

// matchesSome reports a row (parameters, transfer coefficients, element
// uses) whose filters select no cell of the run: material mat (or any),
// one of the archetypes archs (or any), one of the regions rs (or any).
// Such a row would change nothing, which is not what its author meant
// (policy: a setting that can have no effect is an error). Rows naming an
// unknown region or material are reported by their own checks.
func (b *builder) matchesSome(path, mat string, archs, rs []string) {
	for _, c := range rs {
		if _, ok := b.index[c]; !ok {
			return
		}
	}
	if mat != "" && model.MaterialIndex(b.mats, mat) < 0 {
		return
	}
	if len(archs) == 0 {
		archs = []string{""}
	}
	for _, a := range archs {
		for r := range b.regs {
			for i := range b.mats {
				if b.match(r, i, mat, a, rs) {
					return
				}
			}
		}
	}
	var what []string
	if len(archs) > 1 || archs[0] != "" {
		what = append(what, "archetypes "+strings.Join(archs, ", "))
	}
	if len(rs) > 0 {
		what = append(what, "regions "+strings.Join(rs, ", "))
	}
	if mat != "" {
		what = append(what, "material "+mat)
	}
	b.bad(path, "matches no region of the run (%s): it would change nothing", strings.Join(what, "; "))
}

// oneOrNone returns [s], or nil for "".
func oneOrNone(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// haulCost: a haul cost given for consolidation also prices the hauls in
// cost_total (parameters may still override it).
func (b *builder) haulCost() {
	c := b.s.Consolidation
	if c == nil || c.HaulCostPerTKm == nil {
		return
	}
	for k := range b.params {
		b.params[k][model.CostHaulPerTKm] = *c.HaulCostPerTKm
	}
	b.run.Used = append(b.run.Used, UsedParameter{Key: model.CostHaulPerTKm.String(), Archetype: "*", Material: "*",
		Value: *c.HaulCostPerTKm, Unit: "JPY/t·km", Kind: "scenario", Source: b.f.Path + ": consolidation.haul_cost_per_tkm"})
}

// scenarioParameters applies the scenario's parameters: rows.
func (b *builder) scenarioParameters() {
	for j, ps := range b.s.Parameters {
		b.checkRegions(fmt.Sprintf("parameters[%d].regions", j), ps.Regions)
		b.matchesSome(fmt.Sprintf("parameters[%d]", j), ps.Material, oneOrNone(ps.Archetype), ps.Regions)
		k, _ := model.ParamByName(ps.Key)
		for r := range b.regs {
			for i := range b.mats {
				if b.match(r, i, ps.Material, ps.Archetype, ps.Regions) {
					b.params[r*len(b.mats)+i][k] = ps.Value
					if k == model.SeparateCollection {
						b.explicit(r, i, ps.Value, fmt.Sprintf("parameters[%d]", j))
					}
				}
			}
		}
		b.run.Used = append(b.run.Used, UsedParameter{Key: ps.Key, Archetype: orStar(ps.Archetype), Material: orStar(ps.Material),
			Regions: ps.Regions, Value: ps.Value, Unit: "share", Kind: "scenario", Source: orDefault(ps.Source, b.f.Path)})
	}
}

// transferCoefficients applies the scenario's transfer_coefficients: rows.
func (b *builder) transferCoefficients() {
	M := len(b.mats)
	for j, tc := range b.s.TransferCoefficients {
		b.checkRegions(fmt.Sprintf("transfer_coefficients[%d].regions", j), tc.Regions)
		b.matchesSome(fmt.Sprintf("transfer_coefficients[%d]", j), tc.Material, oneOrNone(tc.Archetype), tc.Regions)
		g := tcGroups[tc.Process]
		for r := range b.regs {
			for i := range b.mats {
				if !b.match(r, i, tc.Material, tc.Archetype, tc.Regions) {
					continue
				}
				b.params[r*M+i][g.param] = tc.Shares[g.outputs[0]]
				if g.param == model.SeparateCollection {
					b.explicit(r, i, tc.Shares[g.outputs[0]], fmt.Sprintf("transfer_coefficients[%d]", j))
				}
				if g.second >= 0 {
					b.params[r*M+i][g.second] = tc.Shares[g.outputs[1]]
				}
			}
		}
		for _, o := range g.outputs {
			b.run.Used = append(b.run.Used, UsedParameter{Key: "tc." + tc.Process + "." + o, Archetype: orStar(tc.Archetype),
				Material: orStar(tc.Material), Regions: tc.Regions, Value: tc.Shares[o], Unit: "share", Kind: "scenario",
				Source: orDefault(tc.Source, b.f.Path)})
		}
	}
}

// explicit records a separate-collection share the scenario set on region
// r and material i (the last setting wins).
func (b *builder) explicit(r, i int, v float64, field string) {
	if b.explicitAt == nil {
		b.explicitAt = map[int]int{}
	}
	cell := r*len(b.mats) + i
	if k, ok := b.explicitAt[cell]; ok {
		b.run.Explicit[k].Value, b.run.Explicit[k].Source = v, field
		return
	}
	b.explicitAt[cell] = len(b.run.Explicit)
	b.run.Explicit = append(b.run.Explicit, ExplicitSplit{Region: r, Material: i, Value: v, Source: field})
}
