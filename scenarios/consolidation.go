package scenarios

import (
	"math"
	"sort"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
	"github.com/paulmach/orb"
)

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
	OperatingDays            float64 // d/yr, turns t/day into t/yr
	PlantLifeYears           float64
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
	for i := range muns {
		prefs[muns[i].Prefecture] = true
	}
	b := &Blocks{OperatingDays: val("operating_days_per_year", 0, ""), PlantLifeYears: val("capex_life_years", 0, "")}
	var ops []regions.Incinerator
	plantsPerPref := map[string]int{}
	endOfLife := map[string]int{}
	for i := range fs {
		fa := &fs[i]
		if !fa.Operating() || !prefs[fa.Prefecture] {
			continue
		}
		ops = append(ops, *fa)
		plantsPerPref[fa.Prefecture]++
		b.StatusQuoPlants++
		b.StatusQuoCapacityTPerDay += fa.CapacityTPerDay
		if fa.StartFiscalYear > 0 {
			eol := fa.StartFiscalYear + int(math.Round(b.PlantLifeYears))
			if old, ok := endOfLife[fa.SiteCode]; !ok || eol < old {
				endOfLife[fa.SiteCode] = eol
			}
		}
	}
	sites, err := regions.SitesFromIncinerators(ops, b.OperatingDays)
	if err != nil {
		return f.at("consolidation.incinerators", "%w", err)
	}
	switch cs.Candidates {
	case "existing_sites":
		for i := range sites {
			sites[i].Capacity = 0 // rebuilt at the end of its life, sized to its block
		}
	case "", "existing_and_new":
		for i := range muns {
			m := &muns[i]
			if m.HasLocation {
				sites = append(sites, regions.Site{ID: "new:" + m.Code, Location: m.Location, Group: m.Prefecture})
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
	within := cs.WithinPrefectures == nil || *cs.WithinPrefectures
	opt := regions.ConsolidationOptions{WithinGroups: within, MaxHaulKm: cs.MaxHaulKm, Detour: val("detour_factor", 0, "")}
	switch {
	case cs.ChooseBlocksByCost:
		if cs.HaulCostPerTKm == nil {
			return f.at("consolidation.haul_cost_per_tkm", "missing: choose_blocks_by_cost needs a haul cost (JPY per t·km); no cited default exists")
		}
		opt.TransportCostPerTKm = *cs.HaulCostPerTKm
		capex := val("capex_incineration_per_tpd", 0, "")
		crf := model.CapitalRecoveryFactor(val("discount_rate", 0, ""), val("capex_life_years", 0, ""))
		expo := val("scale_exponent", 0, "")
		ref := 100 * b.OperatingDays // t/yr of a 100 t/day plant, the size the capex figure is quoted for
		opt.FacilityCostPerT = func(t float64) float64 {
			if t <= 0 {
				return 0
			}
			return capex / b.OperatingDays * crf * math.Pow(t/ref, expo-1)
		}
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
		opt.P = 1
		if within {
			opt.GroupP = map[string]int{}
			for p := range prefs {
				opt.GroupP[p] = max(1, int(math.Round(share*float64(plantsPerPref[p]))))
			}
		} else {
			opt.P = max(1, int(math.Round(share*float64(b.StatusQuoPlants))))
		}
	}
	res, err := regions.Consolidate(demands, sites, opt)
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
		b.HaulKm[r] = regions.Distance(muns[r].Location, res.Blocks[k].Facility.Location)
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
