package scenarios

import (
	"fmt"
	"math"
	"slices"
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

// validate checks the decoded scenario without reading data files.
func (f *File) validate() ErrorList {
	var out ErrorList
	s := &f.Scenario
	bad := func(path, format string, a ...any) { out = append(out, f.at(path, format, a...)) }
	mats := model.DefaultMaterials()
	matIDs := make([]string, len(mats))
	for i, m := range mats {
		matIDs[i] = m.ID
	}
	checkMat := func(path, id string) {
		if model.MaterialIndex(mats, id) < 0 {
			bad(path, "unknown material %q%s", id, model.Suggest(id, matIDs))
		}
	}
	// Parameters and transfer coefficients may also name a product.
	checkRow := func(path, id string) {
		for _, p := range model.DefaultProducts() {
			if p.ID == id {
				return
			}
		}
		if model.MaterialIndex(mats, id) < 0 {
			var all []string
			all = append(all, matIDs...)
			for _, p := range model.DefaultProducts() {
				all = append(all, p.ID)
			}
			bad(path, "unknown material or product %q%s", id, model.Suggest(id, all))
		}
	}
	checkArch := func(path, a string) {
		if _, err := model.ParseArchetype(a); err != nil {
			bad(path, "unknown archetype %q (want a, b, c, d or e)", a)
		}
	}
	if s.Name == "" {
		bad("name", "missing: every scenario needs a name")
	}
	if _, ok := f.pos["base_year"]; !ok {
		bad("base_year", "missing: the fiscal year of the base-year data, e.g. 2023")
	} else if s.BaseYear < 1950 || s.BaseYear > 2200 {
		bad("base_year", "%d is not a plausible fiscal year", s.BaseYear)
	}
	if _, ok := f.pos["end_year"]; !ok {
		bad("end_year", "missing: the last fiscal year to simulate, e.g. 2050")
	} else if s.EndYear > 2200 || (s.EndYear < s.BaseYear && !f.isBad("base_year")) {
		bad("end_year", "%d must be ≥ base_year %d and ≤ 2200", s.EndYear, s.BaseYear)
	}

	switch s.StepsPerYear {
	case 0, 1, 2, 4, 12:
	default:
		bad("steps_per_year", "%d: want 1, 2, 4 or 12", s.StepsPerYear)
	}

	// Regions.
	rs := &s.Regions
	switch rs.Source {
	case "synthetic":
		if rs.Municipalities != nil {
			bad("regions.municipalities", "not used with source: synthetic")
		}
		if rs.Synthetic != nil {
			seenA := map[string]bool{}
			for i, a := range rs.Synthetic.Archetypes {
				checkArch(fmt.Sprintf("regions.synthetic.archetypes[%d]", i), a)
				if seenA[a] {
					bad(fmt.Sprintf("regions.synthetic.archetypes[%d]", i), "archetype %s listed twice (its region would be simulated twice)", a)
				}
				seenA[a] = true
			}
		}
	case "municipalities":
		m := rs.Municipalities
		if m == nil {
			bad("regions.municipalities", "missing: source municipalities needs a municipalities file and column mapping")
			break
		}
		if m.File == "" {
			bad("regions.municipalities.file", "missing")
		}
		for _, c := range []struct{ k, v string }{{"code", m.Columns.Code}, {"name", m.Columns.Name},
			{"prefecture", m.Columns.Prefecture}, {"population", m.Columns.Population}} {
			if c.v == "" {
				bad("regions.municipalities.columns."+c.k, "missing: name the CSV column holding the %s", c.k)
			}
		}
		if rs.WasteStats != nil {
			ws := rs.WasteStats
			if ws.File == "" {
				bad("regions.waste_statistics.file", "missing")
			}
			if ws.Columns.Prefecture == "" || ws.Columns.PerCapitaGPerDay == "" || ws.Columns.RecyclingRatePct == "" {
				bad("regions.waste_statistics.columns", "needs prefecture, per_capita_g_per_day and recycling_rate_pct")
			}
		}
		if b := rs.Boundaries; b != nil && (b.File == "" || b.CodeProperty == "") {
			bad("regions.boundaries", "needs file and code_property (e.g. N03_007)")
		}
		if rs.Locations != nil {
			l := rs.Locations
			if l.File == "" || l.Columns.Code == "" || l.Columns.Lon == "" || l.Columns.Lat == "" {
				bad("regions.locations", "needs file and columns code, lon, lat")
			}
		}
	case "":
		bad("regions.source", "missing: synthetic or municipalities")
	default:
		bad("regions.source", "%q: want synthetic or municipalities", rs.Source)
	}
	if c := rs.Classification; c != nil {
		for _, x := range []struct {
			k string
			v *float64
		}{{"large_population_min", c.LargePopulationMin}, {"very_small_population_max", c.VerySmallPopulationMax}} {
			if x.v != nil && *x.v < 0 {
				bad("regions.classification."+x.k, "%v must be ≥ 0", *x.v)
			}
		}
		if c.ManufacturingShareMin != nil && (*c.ManufacturingShareMin < 0 || *c.ManufacturingShareMin > 1) {
			bad("regions.classification.manufacturing_share_min", "share %v outside [0, 1]", *c.ManufacturingShareMin)
		}
		if c.LargePopulationMin != nil && c.VerySmallPopulationMax != nil && *c.VerySmallPopulationMax > *c.LargePopulationMin {
			bad("regions.classification", "very_small_population_max %v above large_population_min %v",
				*c.VerySmallPopulationMax, *c.LargePopulationMin)
		}
	}
	if p := rs.PopulationChangePerYear; p != nil && *p <= -1 {
		bad("regions.population_change_per_year", "%v must be > −1", *p)
	}
	seen := map[string]int{}
	for i, o := range rs.Overrides {
		p := fmt.Sprintf("regions.overrides[%d]", i)
		if o.Code == "" {
			bad(p+".code", "missing")
		} else if j, dup := seen[o.Code]; dup {
			bad(p+".code", "region %q already overridden at overrides[%d]", o.Code, j)
		}
		seen[o.Code] = i
		if o.Archetype != "" {
			checkArch(p+".archetype", o.Archetype)
		}
		if o.Population != nil && *o.Population < 0 {
			bad(p+".population", "%v must be ≥ 0", *o.Population)
		}
		if o.PerCapitaGPerDay != nil && *o.PerCapitaGPerDay < 0 {
			bad(p+".per_capita_g_per_day", "%v must be ≥ 0", *o.PerCapitaGPerDay)
		}
		if o.RecyclingRatePct != nil && (*o.RecyclingRatePct < 0 || *o.RecyclingRatePct > 100) {
			bad(p+".recycling_rate_pct", "%v outside [0, 100] %%", *o.RecyclingRatePct)
		}
		if o.PopulationChangePerYear != nil && *o.PopulationChangePerYear <= -1 {
			bad(p+".population_change_per_year", "%v must be > −1", *o.PopulationChangePerYear)
		}
	}

	// Composition.
	if len(s.Composition) > 0 {
		var xs []float64
		keys := make([]string, 0, len(s.Composition))
		for k := range s.Composition {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := s.Composition[k]
			checkMat("composition."+k, k)
			if v < 0 || v > 1 {
				bad("composition."+k, "share %v outside [0, 1]", v)
			}
			xs = append(xs, v)
		}
		for _, m := range matIDs {
			if _, ok := s.Composition[m]; !ok {
				bad("composition", "material %s missing: give every material a share (0 is allowed)", m)
			}
		}
		if sum := sumExact(xs); math.Abs(sum-1) > 1e-9 {
			bad("composition", "shares sum to %.12g, want 1 within 1e-9", sum)
		}
	}

	// Parameters.
	for i, p := range s.Parameters {
		path := fmt.Sprintf("parameters[%d]", i)
		k, ok := model.ParamByName(p.Key)
		if !ok {
			bad(path+".key", "unknown parameter %q%s", p.Key, model.Suggest(p.Key, model.ParamNames()))
			continue
		}
		if p.Material != "" {
			checkRow(path+".material", p.Material)
		}
		if p.Archetype != "" {
			checkArch(path+".archetype", p.Archetype)
		}
		if _, ok := f.pos[path+".value"]; !ok {
			bad(path+".value", "missing")
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
			bad(path+".value", "%s = %v outside its domain [%v, %v] (%s)", p.Key, p.Value, lo, hi, what)
		}
	}
	for i, tc := range s.TransferCoefficients {
		path := fmt.Sprintf("transfer_coefficients[%d]", i)
		g, ok := tcGroups[tc.Process]
		if !ok {
			bad(path+".process", "unknown process %q%s", tc.Process, model.Suggest(tc.Process, tcProcessNames()))
			continue
		}
		if tc.Material != "" {
			checkRow(path+".material", tc.Material)
		}
		if tc.Archetype != "" {
			checkArch(path+".archetype", tc.Archetype)
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
				bad(path+".shares."+k, "%q is not an output of %s (outputs: %v)", k, tc.Process, g.outputs)
			}
			if v < 0 || v > 1 {
				bad(path+".shares."+k, "share %v outside [0, 1]", v)
			}
			xs = append(xs, v)
		}
		for _, o := range g.outputs {
			if _, ok := tc.Shares[o]; !ok {
				bad(path+".shares", "output %s missing: give every output of %s (%v)", o, tc.Process, g.outputs)
			}
		}
		if sum := sumExact(xs); math.Abs(sum-1) > 1e-9 {
			bad(path+".shares", "transfer coefficients sum to %.12g, want 1 within 1e-9", sum)
		}
		if v, ok := tc.Shares[g.outputs[0]]; ok && v >= 0 && v <= 1 {
			if lo, hi := paramDomain(g.param); v < lo || v > hi {
				bad(path+".shares."+g.outputs[0], "%v outside [%v, %v] (%s would be %v)", v, lo, hi, g.param, v)
			}
		}
	}

	// Products.
	prods := model.DefaultProducts()
	var prodIDs []string
	for _, p := range prods {
		prodIDs = append(prodIDs, p.ID)
	}
	seenProd := map[string]int{}
	for i, ps := range s.Products {
		path := fmt.Sprintf("products[%d]", i)
		known := false
		for _, p := range prods {
			known = known || p.ID == ps.ID
		}
		if !known {
			bad(path+".id", "unknown product %q%s", ps.ID, model.Suggest(ps.ID, prodIDs))
			continue
		}
		if j, dup := seenProd[ps.ID]; dup {
			bad(path+".id", "product %s already listed at products[%d]", ps.ID, j)
		}
		seenProd[ps.ID] = i
		if v := ps.InflowPerCapitaT; v != nil && (*v < 0 || *v > 100) {
			bad(path+".inflow_per_capita_t", "%v must be in [0, 100] t/person/yr", *v)
		}
		if v := ps.ReuseLifeFactor; v != nil && !(*v > 0 && *v <= 1) {
			bad(path+".reuse_life_factor", "%v must be in (0, 1]", *v)
		}
		if l := ps.Lifetime; l != nil {
			if _, field, err := lifetimeField(l); err != nil {
				bad(path+".lifetime"+field, "%v", err)
			}
		}
		if len(ps.Composition) > 0 {
			var xs []float64
			for _, k := range sortedKeys(ps.Composition) {
				v := ps.Composition[k]
				checkMat(path+".composition."+k, k)
				if v < 0 || v > 1 {
					bad(path+".composition."+k, "share %v outside [0, 1]", v)
				}
				xs = append(xs, v)
			}
			if sum := sumExact(xs); math.Abs(sum-1) > 1e-9 {
				bad(path+".composition", "shares sum to %.12g, want 1 within 1e-9", sum)
			}
		}
	}

	// Variants.
	lib, err := model.Library(model.Defaults(), append(append([]model.Material(nil), mats...), model.DefaultProducts()...))
	if err != nil {
		bad("", "%v", err)
		return out
	}
	if len(s.Variants) == 0 {
		bad("variants", "missing: at least one variant (baseline)")
	}
	// A start year is checked against the horizon only if both ends decoded.
	horizonOK := !f.isBad("base_year") && !f.isBad("end_year")
	names := map[string]int{}
	for i, v := range s.Variants {
		p := fmt.Sprintf("variants[%d]", i)
		if strings.TrimSpace(v.Name) == "" {
			bad(p+".name", "missing or blank")
		} else if strings.IndexFunc(v.Name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			bad(p+".name", "%q contains control characters", v.Name)
		} else if j, dup := names[v.Name]; dup {
			bad(p+".name", "variant %q already defined at variants[%d]", v.Name, j)
		} else {
			names[v.Name] = i
		}
	}
	var vnames []string
	for n := range names {
		vnames = append(vnames, n)
	}
	for i, v := range s.Variants {
		p := fmt.Sprintf("variants[%d]", i)
		if v.Inherits != "" {
			if _, ok := names[v.Inherits]; !ok {
				bad(p+".inherits", "unknown variant %q%s", v.Inherits, model.Suggest(v.Inherits, vnames))
			} else if cyc := f.cycle(i, names); cyc != "" {
				bad(p+".inherits", "inheritance cycle: %s", cyc)
			}
		}
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
				bad(ep+".start_year", "missing")
			} else if horizonOK && (e.StartYear < s.BaseYear || e.StartYear > s.EndYear) {
				bad(ep+".start_year", "%d outside the horizon %d–%d", e.StartYear, s.BaseYear, s.EndYear)
			}
			if e.RampYears < 0 {
				bad(ep+".ramp_years", "%d must be ≥ 0", e.RampYears)
			}
			if _, err := model.ParseRamp(e.Ramp); err != nil {
				bad(ep+".ramp", "%q: want linear or logistic", e.Ramp)
			}
			for k, a := range e.Archetypes {
				checkArch(fmt.Sprintf("%s.archetypes[%d]", ep, k), a)
			}
			el, err := model.FindElement(lib, e.Element)
			if err != nil {
				bad(ep+".element", "%v", err)
				continue
			}
			if from, dup := inherited[e.Element]; dup {
				if from == v.Name {
					bad(ep+".element", "%s is already adopted earlier in this variant; its effects would apply twice", e.Element)
				} else {
					bad(ep+".element", "%s is already adopted by %q, which this variant inherits; its effects would apply twice", e.Element, from)
				}
			}
			inherited[e.Element] = v.Name
			if !el.Implemented() {
				bad(ep+".element", "element %s (%s) has no mechanism in this release yet", el.ID, el.NameJA)
			}
			mk := make([]string, 0, len(e.Magnitudes))
			for k := range e.Magnitudes {
				mk = append(mk, k)
			}
			sort.Strings(mk)
			for _, k := range mk {
				known := false
				for _, x := range el.MagnitudeKeys {
					known = known || x == k
				}
				if !known {
					bad(ep+".magnitudes."+k, "%q is not a magnitude of %s%s", k, el.ID, model.Suggest(k, el.MagnitudeKeys))
					continue
				}
				for _, ef := range el.Effects {
					if ef.Key != k {
						continue
					}
					v := e.Magnitudes[k]
					switch ef.Op {
					case model.GapClose:
						if v < 0 || v > 1 {
							bad(ep+".magnitudes."+k, "%v outside [0, 1]: it is the share of the gap to 1 closed", v)
						}
					case model.Relative:
						if v < -1 {
							bad(ep+".magnitudes."+k, "%v below −1 (a relative change cannot remove more than everything)", v)
						}
					case model.Add:
						if lo, _ := paramDomain(ef.Param); lo >= 0 && v < 0 && ef.Param != model.LifetimeExtension {
							bad(ep+".magnitudes."+k, "%v: a cost or amount added by an element cannot be negative", v)
						}
					}
					if math.Abs(v) > maxMagnitude {
						bad(ep+".magnitudes."+k, "%v is beyond any plausible value (|value| ≤ %g)", v, maxMagnitude)
					}
					break
				}
			}
		}
	}
	for i, tg := range s.Targets {
		p := fmt.Sprintf("targets[%d]", i)
		if !knownIndicator(tg.Indicator) {
			bad(p+".indicator", "unknown indicator %q%s", tg.Indicator, model.Suggest(tg.Indicator, indicatorNames()))
		}
		switch tg.Level {
		case "", "total":
		case "archetype":
			checkArch(p+".scope", tg.Scope)
		case "region", "block":
			if tg.Scope == "" {
				bad(p+".scope", "missing: the %s the target is for", tg.Level)
			}
		default:
			bad(p+".level", "%q: want total, archetype, region or block", tg.Level)
		}
		if tg.Material != "" && tg.Material != "all" && tg.Material != "msw" {
			if model.MaterialIndex(mats, tg.Material) < 0 && !slices.Contains(prodIDs, tg.Material) {
				bad(p+".material", "unknown material %q%s", tg.Material, model.Suggest(tg.Material, append(append(matIDs, prodIDs...), "all", "msw")))
			}
		}
		if _, ok := f.pos[p+".year"]; !ok {
			bad(p+".year", "missing")
		} else if tg.Year <= s.BaseYear || tg.Year > s.EndYear {
			bad(p+".year", "%d outside the horizon after the base year (%d–%d]", tg.Year, s.BaseYear, s.EndYear)
		}
		if (tg.Value == nil) == (tg.ChangePct == nil) {
			bad(p, "give exactly one of value and change_pct")
		}
		if tg.ChangePct != nil && *tg.ChangePct <= -100 {
			bad(p+".change_pct", "%v %% would make the target ≤ 0", *tg.ChangePct)
		}
		if tg.Indicator == "population" && tg.Material != "" && tg.Material != "all" {
			bad(p+".material", "population is counted once, on material all, not %q", tg.Material)
		}
		if tg.Value != nil {
			_, unit, _ := model.IndicatorValue(tg.Indicator, &model.Flows{}, 0, s.BaseYear)
			switch {
			case unit == "%" && (*tg.Value < 0 || *tg.Value > 100):
				bad(p+".value", "%v %% is not a rate in [0, 100]", *tg.Value)
			case (unit == "t" || unit == "persons" || unit == "MWh" || unit == "t·km" || unit == "FTE" ||
				unit == "g/person/day") && *tg.Value < 0 && tg.Indicator != "stock_change":
				bad(p+".value", "%v %s cannot be negative", *tg.Value, unit)
			}
		}
		if tg.Direction != "" {
			if _, err := model.ParseDirection(tg.Direction); err != nil {
				bad(p+".direction", "%q: want decrease or increase", tg.Direction)
			}
		}
	}
	if c := s.Consolidation; c != nil {
		switch c.Candidates {
		case "", "existing", "existing_sites", "existing_and_new":
		default:
			bad("consolidation.candidates", "%q: want existing, existing_sites or existing_and_new", c.Candidates)
		}
		if !(c.MaxHaulKm >= 0 && c.MaxHaulKm <= 1000) {
			bad("consolidation.max_haul_km", "%v km: want 0 (no limit) to 1000", c.MaxHaulKm)
		}
		if c.Blocks < 0 {
			bad("consolidation.blocks", "%d: want ≥ 0 (0: from plant_share)", c.Blocks)
		}
		if c.PlantShare != nil && !(*c.PlantShare > 0 && *c.PlantShare <= 1) {
			bad("consolidation.plant_share", "%v: want a share in (0, 1]", *c.PlantShare)
		}
		if c.HaulCostPerTKm != nil && !(*c.HaulCostPerTKm >= 0 && *c.HaulCostPerTKm <= maxMagnitude) {
			bad("consolidation.haul_cost_per_tkm", "%v JPY per t·km: want ≥ 0", *c.HaulCostPerTKm)
		}
		if c.ChooseBlocksByCost && c.HaulCostPerTKm == nil {
			bad("consolidation.haul_cost_per_tkm", "missing: choose_blocks_by_cost needs a haul cost (JPY per t·km); no cited default exists")
		}
	}
	for i, n := range s.Outputs.Attribution {
		found := false
		for _, v := range s.Variants {
			found = found || v.Name == n
		}
		if !found {
			bad(fmt.Sprintf("outputs.attribution[%d]", i), "unknown variant %q%s", n, model.Suggest(n, vnames))
		}
	}
	for i, n := range s.Outputs.RegionIndicators {
		if !knownIndicator(n) {
			bad(fmt.Sprintf("outputs.region_indicators[%d]", i), "unknown indicator %q%s", n, model.Suggest(n, indicatorNames()))
		}
	}
	if v := s.Validation; v != nil {
		for i, c := range v.National {
			if !knownIndicator(c.Indicator) {
				bad(fmt.Sprintf("validation.national[%d].indicator", i), "unknown indicator %q%s", c.Indicator, model.Suggest(c.Indicator, indicatorNames()))
			}
		}
	}
	if v := s.Validation; v != nil && v.FinalDisposalT != nil && *v.FinalDisposalT < 0 {
		bad("validation.final_disposal_t", "%v must be ≥ 0", *v.FinalDisposalT)
	}
	return out
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
			return fmt.Sprint(path)
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
		return model.Lifetime{}, fmt.Errorf("distribution %q: want fixed, normal, weibull or lognormal", l.Distribution)
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
	case model.Normal:
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
