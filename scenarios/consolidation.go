package scenarios

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
	"github.com/paulmach/orb"
)

// consolidate is regions.Consolidate; a benchmark replaces it to capture
// the all-Japan scenario's inputs.
var consolidate = regions.Consolidate

// Blocks is the consolidation of a run's regions into blocks that share a
// facility.
type Blocks struct {
	Result      *regions.Consolidation
	RegionBlock []int       // block index per region (index into Result.Blocks)
	HaulKm      []float64   // great-circle km from each region to its block's facility
	Locations   []orb.Point // per region
	// EndOfLife is, per region, the fiscal year its own plant (a plant
	// sited in it) reaches the end of its service life, 0 if it has none:
	// consolidation takes effect for it no earlier.
	EndOfLife []int
	// The status quo: the operating plants of the run's prefectures.
	StatusQuoPlants          int
	StatusQuoCapacityTPerDay float64
	OperatingDays            float64 // d/yr, turns t/day into t/yr (with Utilisation)
	Utilisation              float64 // plant_utilisation: share of design capacity × days usable
	MaxPlantTPerDay          float64 // largest new or rebuilt plant (t/day)
	PlantLifeYears           float64
	Solver                   string // "cbc" or "heuristic"
	ByCost                   bool   // the number of blocks was chosen by cost
}

// buildBlocks groups the municipalities of run into blocks (see
// ConsolidationSpec). abs resolves data paths; muns are the run's
// municipalities in region order.
func (f *File) buildBlocks(run *Run, regs []sim.Region, muns []regions.Municipality, abs func(string) string,
	val func(string, model.Archetype, string) float64, addInput func(string, string)) error {
	s := &f.Scenario
	cs := s.Consolidation
	if muns == nil {
		return f.at("consolidation", "consolidation needs municipalities with locations (regions.source: municipalities and regions.locations)")
	}
	path := cs.Incinerators
	if path == "" && s.Validation != nil {
		path = s.Validation.Incinerators
	}
	if path == "" {
		return f.at("consolidation.incinerators", "missing: the facility table (e.g. jp_incineration_facilities_fy2024.csv)")
	}
	fs, err := regions.LoadIncinerators(abs(path))
	if err != nil {
		return f.at("consolidation.incinerators", "%w", err)
	}
	addInput("incinerators", abs(path))
	prefs := map[string]bool{}
	inRun := map[string]bool{}
	for i := range muns {
		prefs[muns[i].Prefecture] = true
		inRun[muns[i].Code] = true
	}
	b := &Blocks{OperatingDays: val("operating_days_per_year", 0, ""), PlantLifeYears: val("capex_life_years", 0, ""),
		Utilisation: val("plant_utilisation", 0, "")}
	var ops []regions.Incinerator
	plantsPerPref := map[string]int{}
	endOfLife := map[string]int{}
	largest := 0.0
	for i := range fs {
		fa := &fs[i]
		if !fa.Operating() {
			continue
		}
		largest = max(largest, fa.CapacityTPerDay)
		if !prefs[fa.Prefecture] {
			continue
		}
		ops = append(ops, *fa)
		// Today's plants are those sited in the run's municipalities (a
		// partial run counts its own, not its prefectures').
		if inRun[fa.SiteCode] {
			plantsPerPref[fa.Prefecture]++
			b.StatusQuoPlants++
			b.StatusQuoCapacityTPerDay += fa.CapacityTPerDay
		}
		if fa.StartFiscalYear > 0 {
			eol := fa.StartFiscalYear + int(math.Round(b.PlantLifeYears))
			if old, ok := endOfLife[fa.SiteCode]; !ok || eol < old {
				endOfLife[fa.SiteCode] = eol
			}
		}
	}
	b.MaxPlantTPerDay = largest
	if cs.MaxPlantTPerDay != nil {
		if !(*cs.MaxPlantTPerDay > 0) || math.IsInf(*cs.MaxPlantTPerDay, 0) {
			return f.at("consolidation.max_plant_t_per_day", "%v: want a plant size > 0 t/day", *cs.MaxPlantTPerDay)
		}
		b.MaxPlantTPerDay = *cs.MaxPlantTPerDay
	}
	if !(b.MaxPlantTPerDay > 0) {
		return f.at("consolidation.incinerators", "no operating plant with a capacity: set max_plant_t_per_day")
	}
	if !(b.Utilisation > 0 && b.Utilisation <= 2) {
		return f.at("parameters", "plant_utilisation %v: want a share in (0, 2]", b.Utilisation)
	}
	yearT := b.OperatingDays * b.Utilisation // t/yr per t/day of capacity
	sites, err := regions.SitesFromIncinerators(ops, yearT)
	if err != nil {
		return f.at("consolidation.incinerators", "%w", err)
	}
	maxT := b.MaxPlantTPerDay * yearT
	switch cs.Candidates {
	case "existing_sites":
		for i := range sites {
			sites[i].Capacity = maxT // rebuilt at the end of its life, sized to its block
		}
	case "", "existing_and_new":
		for i := range muns {
			m := &muns[i]
			if m.HasLocation {
				sites = append(sites, regions.Site{ID: "new:" + m.Code, Location: m.Location, Group: m.Prefecture, Capacity: maxT})
			}
		}
	case "existing":
	default:
		return f.at("consolidation.candidates", "%q: want existing, existing_sites or existing_and_new", cs.Candidates)
	}
	fy := s.BaseYear
	days := float64(model.DaysInFY(fy))
	index := make(map[string]int, len(regs))
	for r := range regs {
		index[regs[r].Code] = r
	}
	demands, err := regions.DemandsFromMunicipalities(muns, func(m *regions.Municipality) float64 {
		// The tonnage a block's facility treats: the base-year waste not
		// recycled (incineration is most of it).
		g := &regs[index[m.Code]]
		rr := max(0, g.RecyclingRate)
		return g.Population * g.PerCapitaGPerDay * days * 1e-6 * (1 - rr)
	})
	if err != nil {
		return f.at("regions.locations", "%w", err)
	}
	// A detour_factor set under parameters: applies to the blocks' hauls as
	// it does to transport (overrides for one material only do not: a
	// block hauls all of them).
	detour := val("detour_factor", 0, "")
	for i := range demands {
		r := index[demands[i].Code]
		demands[i].Detour = detour
		for _, ps := range s.Parameters {
			if ps.Key != "detour_factor" || ps.Material != "" ||
				(ps.Archetype != "" && ps.Archetype != regs[r].Archetype.String()) ||
				(len(ps.Regions) > 0 && !slices.Contains(ps.Regions, regs[r].Code)) {
				continue
			}
			if !(ps.Value >= 1) || math.IsInf(ps.Value, 0) {
				return f.at("parameters", "detour_factor %v: want a road/straight-line factor >= 1", ps.Value)
			}
			demands[i].Detour = ps.Value
		}
	}
	within := cs.WithinPrefectures == nil || *cs.WithinPrefectures
	opt := regions.ConsolidationOptions{WithinGroups: within, MaxHaulKm: cs.MaxHaulKm, Detour: detour, Split: true,
		MIPGap: 1e-4, Progress: f.Progress, CacheDir: regions.DefaultCacheDir()}
	limit := 60.0
	if cs.TimeLimitS != nil {
		limit = *cs.TimeLimitS
		if !(limit > 0) || limit > 86400 {
			return f.at("consolidation.time_limit_s", "%v: want seconds in (0, 86400]", limit)
		}
	}
	opt.TimeLimit = time.Duration(limit * float64(time.Second))
	switch cs.Solver {
	case "", "auto":
		opt.Solver = regions.FindCBC()
	case "cbc":
		if opt.Solver = regions.FindCBC(); opt.Solver == "" {
			return f.at("consolidation.solver", "cbc: the CBC solver is not installed (Debian: apt-get install coinor-cbc; or set JUNKAN_CBC to its path); use solver: auto or heuristic")
		}
	case "heuristic":
	default:
		return f.at("consolidation.solver", "%q: want auto, cbc or heuristic", cs.Solver)
	}
	b.Solver = "heuristic"
	if opt.Solver != "" {
		b.Solver = "cbc"
	}
	b.ByCost = cs.ChooseBlocksByCost
	switch {
	case cs.ChooseBlocksByCost:
		haul := val("cost_haul_per_tkm", 0, "")
		if cs.HaulCostPerTKm != nil {
			haul = *cs.HaulCostPerTKm
		}
		opt.TransportCostPerTKm = haul
		capex := val("capex_incineration_per_tpd", 0, "")
		crf := model.CapitalRecoveryFactor(val("discount_rate", 0, ""), val("capex_life_years", 0, ""))
		expo := val("scale_exponent", 0, "")
		ref := 100 * yearT // t/yr of a 100 t/day plant, the size the capex figure is quoted for
		opt.FacilityCostPerT = func(t float64) float64 {
			if t <= 0 {
				return 0
			}
			return capex / yearT * crf * math.Pow(t/ref, expo-1)
		}
		// Capacity levels of the piecewise-linear facility cost: 25 t/day
		// doubling up to the largest plant.
		for l := 25.0; l < b.MaxPlantTPerDay; l *= 2 {
			opt.CostLevels = append(opt.CostLevels, l*yearT)
		}
		opt.CostLevels = append(opt.CostLevels, maxT)
	case cs.Blocks > 0:
		opt.P = cs.Blocks
	default:
		share := val("consolidation_plant_share", 0, "")
		if cs.PlantShare != nil {
			share = *cs.PlantShare
		}
		if !(share > 0 && share <= 1) {
			return f.at("consolidation.plant_share", "%v must be in (0, 1]", share)
		}
		// The share of today's plants, raised where fewer plants could not
		// hold the waste (existing plants keep their capacities).
		need := func(group string) int {
			var caps []float64
			total := 0.0
			for _, st := range sites {
				if !within || st.Group == group {
					caps = append(caps, st.Capacity)
				}
			}
			for _, d := range demands {
				if !within || d.Group == group {
					total += d.Tonnes
				}
			}
			slices.SortFunc(caps, func(x, y float64) int { return cmp.Compare(y, x) })
			sum := 0.0
			for k, c := range caps {
				if sum += c; sum >= total {
					return k + 1
				}
			}
			return len(caps)
		}
		opt.P = 1
		if within {
			opt.GroupP = map[string]int{}
			for p := range prefs {
				opt.GroupP[p] = max(1, int(math.Round(share*float64(plantsPerPref[p]))), need(p))
			}
		} else {
			opt.P = max(1, int(math.Round(share*float64(b.StatusQuoPlants))), need(""))
		}
	}
	res, err := consolidate(demands, sites, opt)
	if err != nil {
		return f.at("consolidation", "%w", err)
	}
	b.Result = res
	R := len(regs)
	b.RegionBlock = make([]int, R)
	b.HaulKm = make([]float64, R)
	b.Locations = make([]orb.Point, R)
	b.EndOfLife = make([]int, R)
	for r, g := range regs {
		k, ok := res.Assign[g.Code]
		if !ok {
			return f.at("consolidation", "region %s was not assigned to a block", g.Code)
		}
		b.RegionBlock[r] = k
		b.Locations[r] = muns[r].Location
		// A region split among plants hauls the tonnage-weighted mean.
		if parts := res.Parts[g.Code]; len(parts) > 1 {
			tot := 0.0
			for _, pt := range parts {
				b.HaulKm[r] += pt.Tonnes * regions.Distance(muns[r].Location, res.Blocks[pt.Block].Facility.Location)
				tot += pt.Tonnes
			}
			if tot > 0 {
				b.HaulKm[r] /= tot
			}
		} else {
			b.HaulKm[r] = regions.Distance(muns[r].Location, res.Blocks[k].Facility.Location)
		}
		b.EndOfLife[r] = endOfLife[g.Code]
	}
	run.Blocks = b
	return nil
}

// consolidationUse completes the use of wide_area_consolidation: the cost
// effects of the library apply only to regions that share a block with
// others; the haul from each region to its block's facility is added to
// its collection distance; and each region starts no earlier than its own
// plant's end of life.
func consolidationUse(u *sim.ElementUse, b *Blocks) {
	R := len(b.RegionBlock)
	size := map[int]int{}
	for _, k := range b.RegionBlock {
		size[k]++
	}
	shared := make([]float64, R)
	for r, k := range b.RegionBlock {
		if size[k] > 1 {
			shared[r] = 1
		}
	}
	u.Scale = make([][]float64, len(u.Effects))
	for k := range u.Effects {
		u.Scale[k] = shared
	}
	// The haul: HaulKm[r] km of straight-line distance per t collected to
	// the block's facility (through a relay station beyond relay_km).
	mats := map[string]bool{}
	for _, ef := range u.Effects {
		mats[ef.Material] = true
	}
	ids := make([]string, 0, len(mats))
	for id := range mats {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		u.Effects = append(u.Effects, model.Effect{Key: "wide_area_consolidation.haul_km", Param: model.HaulKm,
			Material: id, Op: model.Add, Magnitude: 1})
		u.Scale = append(u.Scale, b.HaulKm)
	}
	u.RegionStart = make([]int, R)
	for r := range u.RegionStart {
		u.RegionStart[r] = max(u.Start, b.EndOfLife[r])
	}
}
