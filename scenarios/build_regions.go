package scenarios

import (
	"fmt"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
	"github.com/paulmach/orb"
)

// regions builds the run's regions with their base year. It reports false
// when no region could be built (the remaining steps would only cascade).
func (b *builder) regions() bool {
	popChange := b.val("population_change_per_year", 0, "")
	if b.s.Regions.PopulationChangePerYear != nil {
		popChange = *b.s.Regions.PopulationChangePerYear
	}
	switch b.s.Regions.Source {
	case "synthetic":
		b.syntheticRegions(popChange)
	case "municipalities":
		if !b.municipalityRegions(popChange) {
			return false
		}
	}
	b.run.RegionInfo = make([]RegionInfo, len(b.regs))
	for r := range b.regs {
		switch {
		case b.s.Regions.Source == "synthetic":
			b.run.RegionInfo[r].BaseYearSource = SourceSynthetic
		case b.run.Stats != nil:
			b.run.RegionInfo[r].BaseYearSource = SourcePrefecture
		default:
			b.run.RegionInfo[r].BaseYearSource = SourceNational
		}
	}
	b.index = map[string]int{}
	for i, g := range b.regs {
		b.index[g.Code] = i
	}
	b.codes = make([]string, len(b.regs))
	for i, g := range b.regs {
		b.codes[i] = g.Code
	}
	return true
}

// syntheticRegions builds one median municipality per archetype.
func (b *builder) syntheticRegions(popChange float64) {
	s := b.s
	archs := []string{"a", "b", "c", "d", "e"}
	if s.Regions.Synthetic != nil && len(s.Regions.Synthetic.Archetypes) > 0 {
		archs = s.Regions.Synthetic.Archetypes
	}
	for _, as := range archs {
		a, _ := model.ParseArchetype(as)
		b.regs = append(b.regs, sim.Region{
			Code: "synthetic-" + as, Name: "synthetic median municipality of archetype " + as,
			Archetype: a, Population: b.val("synthetic_population", a, ""), PopulationChange: popChange,
			PerCapitaGPerDay: b.val("per_capita_g_per_day", 0, ""), RecyclingRate: b.val("recycling_rate", 0, ""),
			ManufacturingEmployees: b.val("synthetic_population", a, "") * b.val("employees_per_capita", 0, "") *
				b.val("synthetic_manufacturing_share", a, ""),
		})
		b.run.Locations = append(b.run.Locations, orb.Point{})
		b.run.HasLocation = append(b.run.HasLocation, false)
	}
}

// municipalityRegions loads the municipalities with their locations,
// classifies them and gives them their base year. It reports false when
// none could be loaded.
func (b *builder) municipalityRegions(popChange float64) bool {
	ms := b.s.Regions.Municipalities
	c := ms.Columns
	path := b.abs(ms.File)
	// With codes or a survey, every municipality is read: to select by
	// code and to check the survey's codes against.
	filter := ms.Prefectures
	whole := len(ms.Codes) > 0 || b.s.Regions.WasteSurvey != nil
	if whole {
		filter = nil
	}
	muns, err := regions.LoadMunicipalities(path, regions.MunicipalityColumns{Code: c.Code, Name: c.Name,
		Prefecture: c.Prefecture, Population: c.Population, Employees: c.Employees,
		ManufacturingEmployees: c.ManufacturingEmployees}, filter, b.encoding(path, ms.Encoding))
	if err != nil {
		b.bad("regions.municipalities.file", "%w", err)
		return false
	}
	if whole {
		b.allMuns = muns
		muns = b.selectMunicipalities(muns)
		if len(b.list) > 0 {
			return false
		}
	}
	b.munsKept = muns
	if len(muns) == 0 {
		b.bad("regions.municipalities", "no municipality loaded from %s", path)
		return false
	}
	b.addInput("municipalities", path)
	b.locations(muns)
	cls := b.classification()
	stats := b.prefectureStats()
	b.baseYear(muns, cls, stats, popChange)
	return true
}

// locations gives the municipalities their coordinates: from the
// locations table, else the centroid of their boundary.
func (b *builder) locations(muns []regions.Municipality) {
	s := b.s
	if l := s.Regions.Locations; l != nil {
		lp := b.abs(l.File)
		if _, err := regions.LoadLocations(lp, regions.LocationColumns{Code: l.Columns.Code, Lon: l.Columns.Lon, Lat: l.Columns.Lat}, muns, b.encoding(lp, l.Encoding)); err != nil {
			b.bad("regions.locations.file", "%w", err)
		} else {
			b.addInput("locations", lp)
		}
	}
	if bs := s.Regions.Boundaries; bs != nil {
		bp := b.abs(bs.File)
		geoms, _, err := regions.LoadBoundariesWith(bp, bs.CodeProperty, regions.LenientBoundaryOptions())
		if err != nil {
			b.bad("regions.boundaries.file", "%w", err)
			return
		}
		b.addInput("boundaries", bp)
		for i := range muns {
			m := &muns[i]
			g, ok := geoms[m.Code]
			if m.HasLocation || !ok {
				continue
			}
			c, err := regions.Centroid(g)
			if err != nil {
				b.bad("regions.boundaries.file", "municipality %s: %w", m.Code, err)
				continue
			}
			m.Location, m.HasLocation = c, true
		}
	}
}

// classification returns the archetype thresholds: defaults, then the
// scenario's.
func (b *builder) classification() regions.Classification {
	cls := regions.Classification{
		LargePopulationMin:     b.val("large_population_min", 0, ""),
		VerySmallPopulationMax: b.val("very_small_population_max", 0, ""),
		ManufacturingShareMin:  b.val("manufacturing_share_min", 0, ""),
	}
	if cs := b.s.Regions.Classification; cs != nil {
		if cs.LargePopulationMin != nil {
			cls.LargePopulationMin = *cs.LargePopulationMin
		}
		if cs.VerySmallPopulationMax != nil {
			cls.VerySmallPopulationMax = *cs.VerySmallPopulationMax
		}
		if cs.ManufacturingShareMin != nil {
			cls.ManufacturingShareMin = *cs.ManufacturingShareMin
		}
	}
	if err := cls.Validate(); err != nil {
		b.bad("regions.classification", "%v", err)
	}
	return cls
}

// prefectureStats loads the base-year prefecture statistics, or returns
// nil when the scenario names none (or they could not be read).
func (b *builder) prefectureStats() map[string]regions.PrefectureStats {
	ws := b.s.Regions.WasteStats
	if ws == nil {
		return nil
	}
	sp := b.abs(ws.File)
	stats, err := regions.LoadPrefectureStats(sp, regions.PrefectureStatsColumns{
		Prefecture: ws.Columns.Prefecture, Population: ws.Columns.Population, WasteT: ws.Columns.WasteT,
		PerCapitaGPerDay: ws.Columns.PerCapitaGPerDay, RecyclingRatePct: ws.Columns.RecyclingRatePct,
		FiscalYear: ws.Columns.FiscalYear}, b.encoding(sp, ws.Encoding))
	if err != nil {
		b.bad("regions.waste_statistics.file", "%w", err)
		return nil
	}
	b.addInput("waste_statistics", sp)
	b.run.Stats = stats
	return stats
}

// baseYear builds one region per municipality with its base-year
// generation and recycling rate: the prefecture's statistics when given,
// else the national defaults.
func (b *builder) baseYear(muns []regions.Municipality, cls regions.Classification, stats map[string]regions.PrefectureStats, popChange float64) {
	s := b.s
	natPC, natRR := b.val("per_capita_g_per_day", 0, ""), b.val("recycling_rate", 0, "")
	missing := map[string]bool{}
	for i := range muns {
		m := &muns[i]
		g := sim.Region{Code: m.Code, Name: m.Name, Prefecture: m.Prefecture, Archetype: cls.Classify(m),
			Population: m.Population, PopulationChange: popChange, PerCapitaGPerDay: natPC, RecyclingRate: natRR,
			ManufacturingEmployees: m.ManufacturingEmployees}
		if stats != nil {
			st, ok := stats[m.Prefecture]
			switch {
			case !ok:
				if !missing[m.Prefecture] {
					b.bad("regions.waste_statistics.file", "no statistics for prefecture %q (region %s)", m.Prefecture, m.Code)
					missing[m.Prefecture] = true
				}
			default:
				g.PerCapitaGPerDay = prefPerCapita(&st, s.BaseYear)
				g.RecyclingRate = st.RecyclingRatePct / 100
				if st.FiscalYear != 0 && st.FiscalYear != s.BaseYear {
					b.bad("regions.waste_statistics.file", "statistics of %s are for FY%d, base_year is %d", st.Prefecture, st.FiscalYear, s.BaseYear)
					stats = nil
				}
			}
		}
		b.regs = append(b.regs, g)
		b.run.Locations = append(b.run.Locations, m.Location)
		b.run.HasLocation = append(b.run.HasLocation, m.HasLocation)
	}
}

// overrides applies the scenario's per-region overrides.
func (b *builder) overrides() {
	for i, o := range b.s.Regions.Overrides {
		p := fmt.Sprintf("regions.overrides[%d]", i)
		r, ok := b.index[o.Code]
		if !ok {
			b.bad(p+".code", "unknown region %q%s", o.Code, model.Suggest(o.Code, b.codes))
			continue
		}
		g := &b.regs[r]
		if o.Archetype != "" {
			g.Archetype, _ = model.ParseArchetype(o.Archetype)
		}
		if o.Population != nil {
			g.Population = *o.Population
		}
		if o.PerCapitaGPerDay != nil {
			g.PerCapitaGPerDay = *o.PerCapitaGPerDay
			b.run.RegionInfo[r].BaseYearSource = SourceOverride
		}
		if o.RecyclingRatePct != nil {
			g.RecyclingRate = *o.RecyclingRatePct / 100
			b.run.RegionInfo[r].BaseYearSource = SourceOverride
			if g.Survey != nil { // the survey's R′ belongs to its own R
				sv := *g.Survey
				sv.RecyclingRateR2 = -1
				g.Survey = &sv
			}
		}
		if o.PopulationChangePerYear != nil {
			g.PopulationChange = *o.PopulationChangePerYear
		}
	}
}

// prefPerCapita returns the base-year per-capita generation of a prefecture
// (g/person/day): waste_t ÷ population ÷ days × 10⁶ when both are given, so
// that the prefecture's tonnage is reproduced exactly; else the published
// rounded per-capita value.
func prefPerCapita(st *regions.PrefectureStats, fy int) float64 {
	if st.WasteT > 0 && st.Population > 0 {
		return model.PerCapitaGPerDay(st.WasteT, st.Population, fy)
	}
	return st.PerCapitaGPerDay
}

// encoding records the declared encoding of the data file at path (for
// the manifest) and returns it as a read option.
func (b *builder) encoding(path, declared string) regions.ReadOption {
	if b.encodings == nil {
		b.encodings = map[string]string{}
	}
	b.encodings[path] = declared
	return regions.WithEncoding(declared)
}
