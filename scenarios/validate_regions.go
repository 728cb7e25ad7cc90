package scenarios

import (
	"fmt"
	"strings"

	"github.com/circular-partners/junkan/regions"
)

// regions checks the regions section: its source and files, the
// classification, the population change and the overrides.
func (c *checker) regions() {
	rs := &c.s.Regions
	switch rs.Source {
	case "synthetic":
		c.syntheticRegions()
	case "municipalities":
		c.municipalityRegions()
	case "":
		c.bad("regions.source", "missing: synthetic or municipalities")
	default:
		c.bad("regions.source", "%q: want synthetic or municipalities", rs.Source)
	}
	c.classification()
	if p := rs.PopulationChangePerYear; p != nil && *p <= -1 {
		c.bad("regions.population_change_per_year", "%v must be > −1", *p)
	}
	c.overrides()
}

func (c *checker) syntheticRegions() {
	rs := &c.s.Regions
	if rs.Municipalities != nil {
		c.bad("regions.municipalities", "not used with source: synthetic")
	}
	if rs.WasteSurvey != nil {
		c.bad("regions.waste_survey", "not used with source: synthetic (the survey gives municipalities their base year)")
	}
	if rs.Synthetic == nil {
		return
	}
	seenA := map[string]bool{}
	for i, a := range rs.Synthetic.Archetypes {
		c.checkArch(fmt.Sprintf("regions.synthetic.archetypes[%d]", i), a)
		if seenA[a] {
			c.bad(fmt.Sprintf("regions.synthetic.archetypes[%d]", i), "archetype %s listed twice (its region would be simulated twice)", a)
		}
		seenA[a] = true
	}
}

func (c *checker) municipalityRegions() {
	rs := &c.s.Regions
	m := rs.Municipalities
	if m == nil {
		c.bad("regions.municipalities", "missing: source municipalities needs a municipalities file and column mapping")
		return
	}
	if m.File == "" {
		c.bad("regions.municipalities.file", "missing")
	}
	for _, col := range []struct{ k, v string }{{"code", m.Columns.Code}, {"name", m.Columns.Name},
		{"prefecture", m.Columns.Prefecture}, {"population", m.Columns.Population}} {
		if col.v == "" {
			c.bad("regions.municipalities.columns."+col.k, "missing: name the CSV column holding the %s", col.k)
		}
	}
	if rs.WasteStats != nil {
		ws := rs.WasteStats
		if ws.File == "" {
			c.bad("regions.waste_statistics.file", "missing")
		}
		if ws.Columns.Prefecture == "" || ws.Columns.PerCapitaGPerDay == "" || ws.Columns.RecyclingRatePct == "" {
			c.bad("regions.waste_statistics.columns", "needs prefecture, per_capita_g_per_day and recycling_rate_pct")
		}
	}
	seenCode := map[string]int{}
	for i, code := range m.Codes {
		p := fmt.Sprintf("regions.municipalities.codes[%d]", i)
		if j, dup := seenCode[code]; dup {
			c.bad(p, "code %q already listed at codes[%d]", code, j)
		}
		seenCode[code] = i
		if strings.TrimSpace(code) == "" {
			c.bad(p, "empty municipality code (write codes as quoted 5-digit strings, e.g. \"11343\")")
		}
	}
	if ws := rs.WasteSurvey; ws != nil {
		if ws.File == "" {
			c.bad("regions.waste_survey.file", "missing")
		}
		for _, col := range []struct{ k, v string }{{"code", ws.Columns.Code}, {"total_t", ws.Columns.TotalT},
			{"group_collection_t", ws.Columns.GroupCollectionT}, {"recycling_rate_pct", ws.Columns.RecyclingRatePct}} {
			if col.v == "" {
				c.bad("regions.waste_survey.columns."+col.k, "missing: name the CSV column holding %s", col.k)
			}
		}
	}
	if b := rs.Boundaries; b != nil && (b.File == "" || b.CodeProperty == "") {
		c.bad("regions.boundaries", "needs file and code_property (e.g. N03_007)")
	}
	if rs.Locations != nil {
		l := rs.Locations
		if l.File == "" || l.Columns.Code == "" || l.Columns.Lon == "" || l.Columns.Lat == "" {
			c.bad("regions.locations", "needs file and columns code, lon, lat")
		}
	}
	encs := []struct{ path, name string }{{"regions.municipalities.encoding", m.Encoding}}
	if rs.Locations != nil {
		encs = append(encs, struct{ path, name string }{"regions.locations.encoding", rs.Locations.Encoding})
	}
	if rs.WasteStats != nil {
		encs = append(encs, struct{ path, name string }{"regions.waste_statistics.encoding", rs.WasteStats.Encoding})
	}
	for _, e := range encs {
		if _, err := regions.ParseEncoding(e.name); err != nil {
			c.bad(e.path, "%v", err)
		}
	}
}

func (c *checker) classification() {
	cl := c.s.Regions.Classification
	if cl == nil {
		return
	}
	for _, x := range []struct {
		k string
		v *float64
	}{{"large_population_min", cl.LargePopulationMin}, {"very_small_population_max", cl.VerySmallPopulationMax}} {
		if x.v != nil && *x.v < 0 {
			c.bad("regions.classification."+x.k, "%v must be ≥ 0", *x.v)
		}
	}
	if cl.ManufacturingShareMin != nil && (*cl.ManufacturingShareMin < 0 || *cl.ManufacturingShareMin > 1) {
		c.bad("regions.classification.manufacturing_share_min", "share %v outside [0, 1]", *cl.ManufacturingShareMin)
	}
	if cl.LargePopulationMin != nil && cl.VerySmallPopulationMax != nil && *cl.VerySmallPopulationMax > *cl.LargePopulationMin {
		c.bad("regions.classification", "very_small_population_max %v above large_population_min %v",
			*cl.VerySmallPopulationMax, *cl.LargePopulationMin)
	}
}

func (c *checker) overrides() {
	seen := map[string]int{}
	for i, o := range c.s.Regions.Overrides {
		p := fmt.Sprintf("regions.overrides[%d]", i)
		if o.Code == "" {
			c.bad(p+".code", "missing")
		} else if j, dup := seen[o.Code]; dup {
			c.bad(p+".code", "region %q already overridden at overrides[%d]", o.Code, j)
		}
		seen[o.Code] = i
		if o.Archetype != "" {
			c.checkArch(p+".archetype", o.Archetype)
		}
		if o.Population != nil && *o.Population < 0 {
			c.bad(p+".population", "%v must be ≥ 0", *o.Population)
		}
		if o.PerCapitaGPerDay != nil && *o.PerCapitaGPerDay < 0 {
			c.bad(p+".per_capita_g_per_day", "%v must be ≥ 0", *o.PerCapitaGPerDay)
		}
		if o.RecyclingRatePct != nil && (*o.RecyclingRatePct < 0 || *o.RecyclingRatePct > 100) {
			c.bad(p+".recycling_rate_pct", "%v outside [0, 100] %%", *o.RecyclingRatePct)
		}
		if o.PopulationChangePerYear != nil && *o.PopulationChangePerYear <= -1 {
			c.bad(p+".population_change_per_year", "%v must be > −1", *o.PopulationChangePerYear)
		}
	}
}
