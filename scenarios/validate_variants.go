package scenarios

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/circular-partners/junkan/model"
)

// products checks each products: row: a known product listed once, its
// inflow, reuse life factor, lifetime and composition.
func (c *checker) products() {
	prods := model.DefaultProducts()
	seenProd := map[string]int{}
	for i, ps := range c.s.Products {
		path := fmt.Sprintf("products[%d]", i)
		known := false
		for _, p := range prods {
			known = known || p.ID == ps.ID
		}
		if !known {
			c.bad(path+".id", "unknown product %q%s", ps.ID, model.Suggest(ps.ID, c.prodIDs))
			continue
		}
		if j, dup := seenProd[ps.ID]; dup {
			c.bad(path+".id", "product %s already listed at products[%d]", ps.ID, j)
		}
		seenProd[ps.ID] = i
		if v := ps.InflowPerCapitaT; v != nil && (*v < 0 || *v > 100) {
			c.bad(path+".inflow_per_capita_t", "%v must be in [0, 100] t/person/yr", *v)
		}
		if v := ps.ReuseLifeFactor; v != nil && !(*v > 0 && *v <= 1) {
			c.bad(path+".reuse_life_factor", "%v must be in (0, 1]", *v)
		}
		if l := ps.Lifetime; l != nil {
			if _, field, err := lifetimeField(l); err != nil {
				c.bad(path+".lifetime"+field, "%v", err)
			}
		}
		if len(ps.Composition) > 0 {
			var xs []float64
			for _, k := range sortedKeys(ps.Composition) {
				v := ps.Composition[k]
				c.checkMat(path+".composition."+k, k)
				if v < 0 || v > 1 {
					c.bad(path+".composition."+k, "share %v outside [0, 1]", v)
				}
				xs = append(xs, v)
			}
			if sum := sumExact(xs); math.Abs(sum-1) > 1e-9 {
				c.bad(path+".composition", "shares sum to %.12g, want 1 within 1e-9", sum)
			}
		}
	}
}

// variants checks the variants: names, inheritance and their elements. It
// reports false when the element library cannot be built (nothing after
// it can be checked).
func (c *checker) variants() bool {
	s := c.s
	lib, err := model.Library(model.Defaults(), append(append([]model.Material(nil), c.mats...), model.DefaultProducts()...))
	if err != nil {
		c.bad("", "%v", err)
		return false
	}
	if len(s.Variants) == 0 {
		c.bad("variants", "missing: at least one variant (baseline)")
	}
	names := c.variantNames()
	for i, v := range s.Variants {
		p := fmt.Sprintf("variants[%d]", i)
		if v.Inherits != "" {
			if _, ok := names[v.Inherits]; !ok {
				c.bad(p+".inherits", "unknown variant %q%s", v.Inherits, model.Suggest(v.Inherits, c.vnames))
			} else if cyc := c.f.cycle(i, names); cyc != "" {
				c.bad(p+".inherits", "inheritance cycle: %s", cyc)
			}
		}
		c.elements(lib, i, names)
	}
	return true
}

// variantNames checks the variant names and returns name → index.
func (c *checker) variantNames() map[string]int {
	names := map[string]int{}
	for i, v := range c.s.Variants {
		p := fmt.Sprintf("variants[%d]", i)
		if strings.TrimSpace(v.Name) == "" {
			c.bad(p+".name", "missing or blank")
		} else if strings.IndexFunc(v.Name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			c.bad(p+".name", "%q contains control characters", v.Name)
		} else if j, dup := names[v.Name]; dup {
			c.bad(p+".name", "variant %q already defined at variants[%d]", v.Name, j)
		} else {
			names[v.Name] = i
		}
	}
	for n := range names {
		c.vnames = append(c.vnames, n)
	}
	return names
}

// elements checks the elements variant i adopts: start year within the
// horizon, ramp, archetypes, a known and implemented element adopted once
// along the inheritance chain, and magnitudes within their domain.
func (c *checker) elements(lib []model.Element, i int, names map[string]int) {
	f, s := c.f, c.s
	v := s.Variants[i]
	p := fmt.Sprintf("variants[%d]", i)
	// A start year is checked against the horizon only if both ends decoded.
	horizonOK := !f.isBad("base_year") && !f.isBad("end_year")
	inherited := map[string]string{} // element → the ancestor variant adopting it
	visited := map[string]bool{v.Name: true}
	for anc := v.Inherits; anc != "" && !visited[anc]; {
		visited[anc] = true
		k, ok := names[anc]
		if !ok {
			break
		}
		for _, e := range s.Variants[k].Elements {
			inherited[e.Element] = anc
		}
		anc = s.Variants[k].Inherits
	}
	for j, e := range v.Elements {
		ep := fmt.Sprintf("%s.elements[%d]", p, j)
		if _, ok := f.pos[ep+".start_year"]; !ok {
			c.bad(ep+".start_year", "missing")
		} else if horizonOK && (e.StartYear < s.BaseYear || e.StartYear > s.EndYear) {
			c.bad(ep+".start_year", "%d outside the horizon %d–%d", e.StartYear, s.BaseYear, s.EndYear)
		}
		if e.RampYears < 0 {
			c.bad(ep+".ramp_years", "%d must be ≥ 0", e.RampYears)
		}
		if _, err := model.ParseRamp(e.Ramp); err != nil {
			c.bad(ep+".ramp", "%q: want linear or logistic", e.Ramp)
		}
		for k, a := range e.Archetypes {
			c.checkArch(fmt.Sprintf("%s.archetypes[%d]", ep, k), a)
		}
		el, err := model.FindElement(lib, e.Element)
		if err != nil {
			c.bad(ep+".element", "%v", err)
			continue
		}
		if from, dup := inherited[e.Element]; dup {
			if from == v.Name {
				c.bad(ep+".element", "%s is already adopted earlier in this variant; its effects would apply twice", e.Element)
			} else {
				c.bad(ep+".element", "%s is already adopted by %q, which this variant inherits; its effects would apply twice", e.Element, from)
			}
		}
		inherited[e.Element] = v.Name
		if !el.Implemented() {
			c.bad(ep+".element", "element %s (%s) has no mechanism in this release yet", el.ID, el.NameJA)
		}
		c.magnitudes(ep, el, e.Magnitudes)
	}
}

// magnitudes checks an element's magnitudes: known keys, values within the
// domain of the effect's operation.
func (c *checker) magnitudes(ep string, el *model.Element, mags map[string]float64) {
	mk := make([]string, 0, len(mags))
	for k := range mags {
		mk = append(mk, k)
	}
	sort.Strings(mk)
	for _, k := range mk {
		known := false
		for _, x := range el.MagnitudeKeys {
			known = known || x == k
		}
		if !known {
			c.bad(ep+".magnitudes."+k, "%q is not a magnitude of %s%s", k, el.ID, model.Suggest(k, el.MagnitudeKeys))
			continue
		}
		for _, ef := range el.Effects {
			if ef.Key != k {
				continue
			}
			v := mags[k]
			switch ef.Op {
			case model.GapClose:
				if v < 0 || v > 1 {
					c.bad(ep+".magnitudes."+k, "%v outside [0, 1]: it is the share of the gap to 1 closed", v)
				}
			case model.Relative:
				if v < -1 {
					c.bad(ep+".magnitudes."+k, "%v below −1 (a relative change cannot remove more than everything)", v)
				}
			case model.Add:
				if lo, _ := paramDomain(ef.Param); lo >= 0 && v < 0 && ef.Param != model.LifetimeExtension {
					c.bad(ep+".magnitudes."+k, "%v: a cost or amount added by an element cannot be negative", v)
				}
			}
			if math.Abs(v) > maxMagnitude {
				c.bad(ep+".magnitudes."+k, "%v is beyond any plausible value (|value| ≤ %g)", v, maxMagnitude)
			}
			break
		}
	}
}

// targets checks each target: indicator, level and scope, material, year
// within the horizon, exactly one of value and change_pct, direction.
func (c *checker) targets() {
	s := c.s
	for i, tg := range s.Targets {
		p := fmt.Sprintf("targets[%d]", i)
		if !knownIndicator(tg.Indicator) {
			c.bad(p+".indicator", "unknown indicator %q%s", tg.Indicator, model.Suggest(tg.Indicator, indicatorNames()))
		}
		switch tg.Level {
		case "", "total":
		case "archetype":
			c.checkArch(p+".scope", tg.Scope)
		case "region", "block":
			if tg.Scope == "" {
				c.bad(p+".scope", "missing: the %s the target is for", tg.Level)
			}
		default:
			c.bad(p+".level", "%q: want total, archetype, region or block", tg.Level)
		}
		if tg.Material != "" && tg.Material != "all" && tg.Material != "msw" {
			if model.MaterialIndex(c.mats, tg.Material) < 0 && !slices.Contains(c.prodIDs, tg.Material) {
				c.bad(p+".material", "unknown material %q%s", tg.Material, model.Suggest(tg.Material, append(append(c.matIDs, c.prodIDs...), "all", "msw")))
			}
		}
		if _, ok := c.f.pos[p+".year"]; !ok {
			c.bad(p+".year", "missing")
		} else if tg.Year <= s.BaseYear || tg.Year > s.EndYear {
			c.bad(p+".year", "%d outside the horizon after the base year (%d–%d]", tg.Year, s.BaseYear, s.EndYear)
		}
		if (tg.Value == nil) == (tg.ChangePct == nil) {
			c.bad(p, "give exactly one of value and change_pct")
		}
		if tg.ChangePct != nil && *tg.ChangePct <= -100 {
			c.bad(p+".change_pct", "%v %% would make the target ≤ 0", *tg.ChangePct)
		}
		if tg.Indicator == "population" && tg.Material != "" && tg.Material != "all" {
			c.bad(p+".material", "population is counted once, on material all, not %q", tg.Material)
		}
		if tg.Value != nil {
			_, unit, _ := model.IndicatorValue(tg.Indicator, &model.Flows{}, 0, s.BaseYear)
			switch {
			case unit == "%" && (*tg.Value < 0 || *tg.Value > 100):
				c.bad(p+".value", "%v %% is not a rate in [0, 100]", *tg.Value)
			case (unit == "t" || unit == "persons" || unit == "MWh" || unit == "t·km" || unit == "FTE" ||
				unit == "g/person/day") && *tg.Value < 0 && tg.Indicator != "stock_change":
				c.bad(p+".value", "%v %s cannot be negative", *tg.Value, unit)
			}
		}
		if tg.Direction != "" {
			d, err := model.ParseDirection(tg.Direction)
			switch {
			case err != nil:
				c.bad(p+".direction", "%q: want decrease or increase", tg.Direction)
			case tg.ChangePct != nil && (d == model.Decrease && *tg.ChangePct > 0 || d == model.Increase && *tg.ChangePct < 0):
				// The target would be met in the base year already and
				// score 100 % whatever the run does.
				c.bad(p+".direction", "%s contradicts change_pct %+g %%: the target would lie on the far side of the base year and count as met whatever happens; give change_pct the sign of the direction (or leave direction out: the sign of change_pct sets it)",
					tg.Direction, *tg.ChangePct)
			}
		}
	}
}

// consolidation checks the consolidation section's settings.
func (c *checker) consolidation() {
	cs := c.s.Consolidation
	if cs == nil {
		return
	}
	switch cs.Candidates {
	case "", "existing", "existing_sites", "existing_and_new":
	default:
		c.bad("consolidation.candidates", "%q: want existing, existing_sites or existing_and_new", cs.Candidates)
	}
	if !(cs.MaxHaulKm >= 0 && cs.MaxHaulKm <= 1000) {
		c.bad("consolidation.max_haul_km", "%v km: want 0 (no limit) to 1000", cs.MaxHaulKm)
	}
	if cs.Blocks < 0 {
		c.bad("consolidation.blocks", "%d: want ≥ 0 (0: from plant_share)", cs.Blocks)
	}
	if cs.PlantShare != nil && !(*cs.PlantShare > 0 && *cs.PlantShare <= 1) {
		c.bad("consolidation.plant_share", "%v: want a share in (0, 1]", *cs.PlantShare)
	}
	if cs.HaulCostPerTKm != nil && !(*cs.HaulCostPerTKm >= 0 && *cs.HaulCostPerTKm <= maxMagnitude) {
		c.bad("consolidation.haul_cost_per_tkm", "%v JPY per t·km: want ≥ 0", *cs.HaulCostPerTKm)
	}
	if cs.ChooseBlocksByCost && cs.HaulCostPerTKm == nil {
		c.bad("consolidation.haul_cost_per_tkm", "missing: choose_blocks_by_cost needs a haul cost (JPY per t·km); no cited default exists")
	}
}

// outputs checks the outputs section: attribution variants and region
// indicators.
func (c *checker) outputs() {
	s := c.s
	for i, n := range s.Outputs.Attribution {
		found := false
		for _, v := range s.Variants {
			found = found || v.Name == n
		}
		if !found {
			c.bad(fmt.Sprintf("outputs.attribution[%d]", i), "unknown variant %q%s", n, model.Suggest(n, c.vnames))
		}
	}
	for i, n := range s.Outputs.RegionIndicators {
		if !knownIndicator(n) {
			c.bad(fmt.Sprintf("outputs.region_indicators[%d]", i), "unknown indicator %q%s", n, model.Suggest(n, indicatorNames()))
		}
	}
	for i, y := range s.Outputs.ReportYears {
		if (s.BaseYear > 0 && y < s.BaseYear) || (s.EndYear > 0 && y > s.EndYear) {
			c.bad(fmt.Sprintf("outputs.report_years[%d]", i), "%d outside the horizon %d–%d", y, s.BaseYear, s.EndYear)
		}
	}
	c.report()
}

// report checks the report section: variants, years and language.
func (c *checker) report() {
	r := c.s.Report
	if r == nil {
		return
	}
	known := func(n string) bool {
		for _, v := range c.s.Variants {
			if v.Name == n {
				return true
			}
		}
		return false
	}
	for i, n := range r.Variants {
		if !known(n) {
			c.bad(fmt.Sprintf("report.variants[%d]", i), "unknown variant %q%s", n, model.Suggest(n, c.vnames))
		}
	}
	if r.SankeyVariant != "" && !known(r.SankeyVariant) {
		c.bad("report.sankey_variant", "unknown variant %q%s", r.SankeyVariant, model.Suggest(r.SankeyVariant, c.vnames))
	}
	inHorizon := func(y int) bool { return y >= c.s.BaseYear && y <= c.s.EndYear }
	for i, y := range r.Years {
		if !inHorizon(y) {
			c.bad(fmt.Sprintf("report.years[%d]", i), "fiscal year %d outside the run (%d–%d)", y, c.s.BaseYear, c.s.EndYear)
		}
	}
	if r.SankeyYear != 0 && !inHorizon(r.SankeyYear) {
		c.bad("report.sankey_year", "fiscal year %d outside the run (%d–%d)", r.SankeyYear, c.s.BaseYear, c.s.EndYear)
	}
	if r.Lang != "" && r.Lang != "ja" && r.Lang != "en" {
		c.bad("report.lang", "%q: expected ja or en", r.Lang)
	}
	if r.MapIndicator != "" && !knownIndicator(r.MapIndicator) {
		c.bad("report.map_indicator", "unknown indicator %q%s", r.MapIndicator, model.Suggest(r.MapIndicator, indicatorNames()))
	}
}

// validation checks the validation section: national indicators and the
// final-disposal reference.
func (c *checker) validation() {
	v := c.s.Validation
	if v == nil {
		return
	}
	for i, n := range v.National {
		if !knownIndicator(n.Indicator) {
			c.bad(fmt.Sprintf("validation.national[%d].indicator", i), "unknown indicator %q%s", n.Indicator, model.Suggest(n.Indicator, indicatorNames()))
		}
	}
	if pc := v.PrefectureCost; pc != nil && (pc.File == "" || pc.Columns.Prefecture == "" || pc.Columns.CostPerCapita == "") {
		c.bad("validation.prefecture_cost", "needs file and columns prefecture, cost_per_capita")
	}
	if v.FinalDisposalT != nil && *v.FinalDisposalT < 0 {
		c.bad("validation.final_disposal_t", "%v must be ≥ 0", *v.FinalDisposalT)
	}
}
