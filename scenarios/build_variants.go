package scenarios

import (
	"fmt"
	"math"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
)

// consolidation builds the consolidation blocks, only from sound regions:
// a data error in an earlier step would cascade into misleading ones.
func (b *builder) consolidation() {
	if b.s.Consolidation == nil || len(b.list) > 0 {
		return
	}
	if err := b.f.buildBlocks(b.run, b.regs, b.munsKept, b.abs, b.val, b.addInput); err != nil {
		if e, ok := err.(*Error); ok {
			b.list = append(b.list, e)
		} else {
			b.bad("consolidation", "%v", err)
		}
	}
}

// variants builds each variant's element uses, inherited ones first.
func (b *builder) variants() error {
	s := b.s
	lib, err := model.Library(b.tab, b.mats)
	if err != nil {
		return err
	}
	byName := map[string]int{}
	for i, v := range s.Variants {
		byName[v.Name] = i
	}
	var chain func(i int) []sim.ElementUse
	chain = func(i int) []sim.ElementUse {
		var uses []sim.ElementUse
		if v := s.Variants[i]; v.Inherits != "" {
			uses = chain(byName[v.Inherits])
		}
		return append(uses, b.elementUses(lib, i)...)
	}
	for i, v := range s.Variants {
		uses := chain(i)
		b.reskilling(uses, byName, i)
		b.run.Variants = append(b.run.Variants, sim.Variant{Name: v.Name, Elements: uses})
	}
	for i, v := range s.Variants {
		for j, es := range v.Elements {
			for _, k := range sortedKeys(es.Magnitudes) {
				b.run.Used = append(b.run.Used, UsedParameter{Key: k, Archetype: "*", Material: "*", Value: es.Magnitudes[k],
					Kind: "scenario", Source: fmt.Sprintf("%s: variants[%d].elements[%d]", b.f.Path, i, j)})
			}
		}
	}
	return nil
}

// elementUses returns the uses of the elements variant i adopts itself.
func (b *builder) elementUses(lib []model.Element, i int) []sim.ElementUse {
	s := b.s
	var uses []sim.ElementUse
	for j, es := range s.Variants[i].Elements {
		ep := fmt.Sprintf("variants[%d].elements[%d]", i, j)
		el, _ := model.FindElement(lib, es.Element)
		ramp, _ := model.ParseRamp(es.Ramp)
		u := sim.ElementUse{Element: es.Element, Start: es.StartYear, RampYears: es.RampYears, Ramp: ramp, Regions: es.Regions}
		for _, a := range es.Archetypes {
			x, _ := model.ParseArchetype(a)
			u.Archetypes = append(u.Archetypes, x)
		}
		b.checkRegions(ep+".regions", es.Regions)
		b.matchesSome(ep, "", es.Archetypes, es.Regions)
		if es.Element == "wide_area_consolidation" && b.run.Blocks == nil && s.Consolidation == nil {
			b.bad(ep+".element", "wide_area_consolidation needs a consolidation section (blocks are built from region locations and the incinerator table)")
		}
		for _, ef := range el.Effects {
			b.usedKeys[ef.Key] = true
			if m, ok := es.Magnitudes[ef.Key]; ok {
				mag, err := model.ApplyMagnitude(ef.Key, m, b.tab)
				if err != nil {
					b.bad(ep+".magnitudes."+ef.Key, "%v", err)
				}
				ef.Magnitude = mag
			}
			u.Effects = append(u.Effects, ef)
		}
		if es.Element == "wide_area_consolidation" && b.run.Blocks != nil {
			consolidationUse(&u, b.run.Blocks)
		}
		uses = append(uses, u)
	}
	return uses
}

// reskilling: reskilling_education shortens the ramps of the variant's
// other elements by its ramp_speedup (relative; 0 by default).
func (b *builder) reskilling(uses []sim.ElementUse, byName map[string]int, i int) {
	for _, u := range uses {
		if u.Element != "reskilling_education" {
			continue
		}
		speed := b.val(model.RampSpeedupKey, 0, "")
		for _, es := range allElements(b.s, byName, i) {
			if es.Element == "reskilling_education" {
				if m, ok := es.Magnitudes[model.RampSpeedupKey]; ok {
					speed = m
				}
			}
		}
		for k := range uses {
			if uses[k].Element != "reskilling_education" && uses[k].RampYears > 1 {
				uses[k].RampYears = max(1, int(math.Round(float64(uses[k].RampYears)*(1+speed))))
			}
		}
		return
	}
}

// allElements returns the element specs of variant i and its ancestors.
func allElements(s *Scenario, byName map[string]int, i int) []ElementSpec {
	var out []ElementSpec
	for seen := 0; i >= 0 && seen <= len(s.Variants); seen++ {
		out = append(out, s.Variants[i].Elements...)
		p := s.Variants[i].Inherits
		if p == "" {
			break
		}
		i = byName[p]
	}
	return out
}

// validationData reads the reference data named under validation.
func (b *builder) validationData() {
	vs := b.s.Validation
	if vs == nil {
		return
	}
	if vs.Incinerators != "" {
		ip := b.abs(vs.Incinerators)
		fs, err := regions.LoadIncinerators(ip)
		if err != nil {
			b.bad("validation.incinerators", "%w", err)
		} else {
			b.run.Incinerators = fs
			b.addInput("incinerators", ip)
		}
	}
	if vs.FinalDisposalT != nil {
		b.run.FinalDisposalT, b.run.FinalDisposalSource = *vs.FinalDisposalT, vs.FinalDisposalSource
	}
	if pc := vs.PrefectureCost; pc != nil {
		p := b.abs(pc.File)
		cost, err := regions.LoadPrefectureCost(p, regions.PrefectureCostColumns{Prefecture: pc.Columns.Prefecture,
			CostPerCapita: pc.Columns.CostPerCapita})
		if err != nil {
			b.bad("validation.prefecture_cost.file", "%w", err)
		} else {
			b.run.PrefectureCost = cost
			b.addInput("prefecture_cost", p)
		}
	}
}

// targets checks that target scopes name regions, archetypes and blocks of
// this run.
func (b *builder) targets() {
	for i, tg := range b.s.Targets {
		p := fmt.Sprintf("targets[%d].scope", i)
		switch tg.Level {
		case "region":
			if _, ok := b.index[tg.Scope]; !ok {
				b.bad(p, "unknown region %q%s", tg.Scope, model.Suggest(tg.Scope, b.codes))
			}
		case "archetype":
			found := false
			for _, g := range b.regs {
				found = found || g.Archetype.String() == tg.Scope
			}
			if !found {
				b.bad(p, "no region of the run has archetype %q", tg.Scope)
			}
		case "block":
			if b.run.Blocks == nil {
				b.bad(p, "level block needs a consolidation section")
				break
			}
			found := false
			var ids []string
			for _, bl := range b.run.Blocks.Result.Blocks {
				found = found || bl.ID == tg.Scope
				ids = append(ids, bl.ID)
			}
			if !found {
				b.bad(p, "unknown block %q%s", tg.Scope, model.Suggest(tg.Scope, ids))
			}
		}
	}
}
