package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
	"github.com/paulmach/orb"
)

// InputFile is one file read by a run, with its SHA-256.
type InputFile struct {
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// UsedParameter is a parameter value used by a run with its source: a
// default from the table or a scenario override.
type UsedParameter struct {
	Key       string   `json:"key"`
	Archetype string   `json:"archetype"`
	Material  string   `json:"material"`
	Regions   []string `json:"regions,omitempty"`
	Value     float64  `json:"value"`
	Unit      string   `json:"unit"`
	Kind      string   `json:"kind"` // cited, derived, assumption, or scenario
	Source    string   `json:"source"`
}

// Run is everything needed to simulate a scenario and write its outputs.
type Run struct {
	Scenario        *Scenario
	Config          sim.Config
	Variants        []sim.Variant
	Locations       []orb.Point // per region {lon, lat}; valid where HasLocation
	HasLocation     []bool
	Inputs          []InputFile
	Used            []UsedParameter
	RegionMaterials bool
	// RegionIndicators are the indicators written at level region; nil:
	// all.
	RegionIndicators []string
	Plots            bool
	// Incinerators is the facility table named in validation, or nil.
	Incinerators []regions.Incinerator
	// Blocks is the consolidation of the regions, when the scenario has a
	// consolidation section; nil otherwise.
	Blocks *Blocks
	// Stats are the base-year prefecture statistics, or nil.
	Stats map[string]regions.PrefectureStats
	// FinalDisposalT and FinalDisposalSource are the validation reference
	// for national final disposal (t), 0 if none.
	FinalDisposalT      float64
	FinalDisposalSource string
}

// DataDir returns the directory relative data paths are resolved against:
// override if non-empty, else the scenario's data_dir relative to the file.
func (f *File) DataDir(override string) string {
	if override != "" {
		return override
	}
	if filepath.IsAbs(f.Scenario.DataDir) {
		return f.Scenario.DataDir
	}
	return filepath.Join(f.Dir, f.Scenario.DataDir)
}

// Build reads the data files of the scenario (relative to dataDir; see
// [File.DataDir]) and returns the simulation inputs. Errors are an
// ErrorList positioned at the field that names the bad file or value; data
// errors keep the data file's name, line and column in their message.
func (f *File) Build(dataDir string) (*Run, error) {
	s := &f.Scenario
	tab := model.Defaults()
	mats := model.DefaultMaterials()
	for _, p := range model.DefaultProducts() {
		for _, ps := range s.Products {
			if ps.ID == p.ID {
				mats = append(mats, p)
			}
		}
	}
	run := &Run{Scenario: s, RegionMaterials: true, Plots: true}
	if s.Outputs.RegionMaterials != nil {
		run.RegionMaterials = *s.Outputs.RegionMaterials
	}
	if s.Outputs.Plots != nil {
		run.Plots = *s.Outputs.Plots
	}
	run.RegionIndicators = s.Outputs.RegionIndicators
	var list ErrorList
	bad := func(path, format string, a ...any) { list = append(list, f.at(path, format, a...)) }
	usedKeys := map[string]bool{}
	type vk struct {
		key string
		a   model.Archetype
		mat string
	}
	memo := map[vk]float64{}
	val := func(key string, a model.Archetype, mat string) float64 {
		usedKeys[key] = true
		if v, ok := memo[vk{key, a, mat}]; ok {
			return v
		}
		v, err := tab.Value(key, a, mat)
		if err != nil {
			panic(err) // the embedded table is complete; tests check it
		}
		memo[vk{key, a, mat}] = v
		return v
	}
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dataDir, p)
	}
	addInput := func(role, path string) {
		for _, in := range run.Inputs {
			if in.Path == filepath.ToSlash(path) {
				return
			}
		}
		sum, err := sha256File(path)
		if err == nil {
			run.Inputs = append(run.Inputs, InputFile{Role: role, Path: filepath.ToSlash(path), SHA256: sum})
		}
	}
	if f.Path != "" {
		addInput("scenario", f.Path)
	}

	// Regions.
	var regs []sim.Region
	var munsKept []regions.Municipality
	popChange := val("population_change_per_year", 0, "")
	if s.Regions.PopulationChangePerYear != nil {
		popChange = *s.Regions.PopulationChangePerYear
	}
	switch s.Regions.Source {
	case "synthetic":
		archs := []string{"a", "b", "c", "d", "e"}
		if s.Regions.Synthetic != nil && len(s.Regions.Synthetic.Archetypes) > 0 {
			archs = s.Regions.Synthetic.Archetypes
		}
		for _, as := range archs {
			a, _ := model.ParseArchetype(as)
			regs = append(regs, sim.Region{
				Code: "synthetic-" + as, Name: "synthetic median municipality of archetype " + as,
				Archetype: a, Population: val("synthetic_population", a, ""), PopulationChange: popChange,
				PerCapitaGPerDay: val("per_capita_g_per_day", 0, ""), RecyclingRate: val("recycling_rate", 0, ""),
				ManufacturingEmployees: val("synthetic_population", a, "") * val("employees_per_capita", 0, "") *
					val("synthetic_manufacturing_share", a, ""),
			})
			run.Locations = append(run.Locations, orb.Point{})
			run.HasLocation = append(run.HasLocation, false)
		}
	case "municipalities":
		ms := s.Regions.Municipalities
		c := ms.Columns
		path := abs(ms.File)
		muns, err := regions.LoadMunicipalities(path, regions.MunicipalityColumns{Code: c.Code, Name: c.Name,
			Prefecture: c.Prefecture, Population: c.Population, Employees: c.Employees,
			ManufacturingEmployees: c.ManufacturingEmployees}, ms.Prefectures)
		if err != nil {
			bad("regions.municipalities.file", "%w", err)
			return nil, list
		}
		munsKept = muns
		if len(muns) == 0 {
			bad("regions.municipalities", "no municipality loaded from %s", path)
			return nil, list
		}
		addInput("municipalities", path)
		if l := s.Regions.Locations; l != nil {
			lp := abs(l.File)
			if _, err := regions.LoadLocations(lp, regions.LocationColumns{Code: l.Columns.Code, Lon: l.Columns.Lon, Lat: l.Columns.Lat}, muns); err != nil {
				bad("regions.locations.file", "%w", err)
			} else {
				addInput("locations", lp)
			}
		}
		if b := s.Regions.Boundaries; b != nil {
			bp := abs(b.File)
			geoms, _, err := regions.LoadBoundariesWith(bp, b.CodeProperty, regions.LenientBoundaryOptions())
			if err != nil {
				bad("regions.boundaries.file", "%w", err)
			} else {
				addInput("boundaries", bp)
				for i := range muns {
					m := &muns[i]
					g, ok := geoms[m.Code]
					if m.HasLocation || !ok {
						continue
					}
					c, err := regions.Centroid(g)
					if err != nil {
						bad("regions.boundaries.file", "municipality %s: %w", m.Code, err)
						continue
					}
					m.Location, m.HasLocation = c, true
				}
			}
		}
		cls := regions.Classification{
			LargePopulationMin:     val("large_population_min", 0, ""),
			VerySmallPopulationMax: val("very_small_population_max", 0, ""),
			ManufacturingShareMin:  val("manufacturing_share_min", 0, ""),
		}
		if cs := s.Regions.Classification; cs != nil {
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
			bad("regions.classification", "%v", err)
		}
		var stats map[string]regions.PrefectureStats
		if ws := s.Regions.WasteStats; ws != nil {
			sp := abs(ws.File)
			stats, err = regions.LoadPrefectureStats(sp, regions.PrefectureStatsColumns{
				Prefecture: ws.Columns.Prefecture, Population: ws.Columns.Population, WasteT: ws.Columns.WasteT,
				PerCapitaGPerDay: ws.Columns.PerCapitaGPerDay, RecyclingRatePct: ws.Columns.RecyclingRatePct,
				FiscalYear: ws.Columns.FiscalYear})
			if err != nil {
				bad("regions.waste_statistics.file", "%w", err)
			} else {
				addInput("waste_statistics", sp)
				run.Stats = stats
			}
		}
		natPC, natRR := val("per_capita_g_per_day", 0, ""), val("recycling_rate", 0, "")
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
						bad("regions.waste_statistics.file", "no statistics for prefecture %q (region %s)", m.Prefecture, m.Code)
						missing[m.Prefecture] = true
					}
				default:
					g.PerCapitaGPerDay = prefPerCapita(&st, s.BaseYear)
					g.RecyclingRate = st.RecyclingRatePct / 100
					if st.FiscalYear != 0 && st.FiscalYear != s.BaseYear {
						bad("regions.waste_statistics.file", "statistics of %s are for FY%d, base_year is %d", st.Prefecture, st.FiscalYear, s.BaseYear)
						stats = nil
					}
				}
			}
			regs = append(regs, g)
			run.Locations = append(run.Locations, m.Location)
			run.HasLocation = append(run.HasLocation, m.HasLocation)
		}
	}
	index := map[string]int{}
	for i, g := range regs {
		index[g.Code] = i
	}
	codes := make([]string, len(regs))
	for i, g := range regs {
		codes[i] = g.Code
	}
	for i, o := range s.Regions.Overrides {
		p := fmt.Sprintf("regions.overrides[%d]", i)
		r, ok := index[o.Code]
		if !ok {
			bad(p+".code", "unknown region %q%s", o.Code, model.Suggest(o.Code, codes))
			continue
		}
		g := &regs[r]
		if o.Archetype != "" {
			g.Archetype, _ = model.ParseArchetype(o.Archetype)
		}
		if o.Population != nil {
			g.Population = *o.Population
		}
		if o.PerCapitaGPerDay != nil {
			g.PerCapitaGPerDay = *o.PerCapitaGPerDay
		}
		if o.RecyclingRatePct != nil {
			g.RecyclingRate = *o.RecyclingRatePct / 100
		}
		if o.PopulationChangePerYear != nil {
			g.PopulationChange = *o.PopulationChangePerYear
		}
	}
	checkRegions := func(path string, rs []string) {
		for j, c := range rs {
			if _, ok := index[c]; !ok {
				bad(fmt.Sprintf("%s[%d]", path, j), "unknown region %q%s", c, model.Suggest(c, codes))
			}
		}
	}

	// Parameters and composition (defaults looked up once per archetype
	// and material).
	type cellKey struct {
		a   model.Archetype
		mat string
	}
	cellMemo := map[cellKey]model.Params{}
	R, M := len(regs), len(mats)
	comp := make([]float64, R*M)
	params := make([]model.Params, R*M)
	for r := range regs {
		a := regs[r].Archetype
		for i, m := range mats {
			if m.Durable {
				comp[r*M+i] = 0 // product waste comes from the in-use stock
			} else if len(s.Composition) > 0 { // composition: {} means the defaults
				comp[r*M+i] = s.Composition[m.ID]
			} else {
				comp[r*M+i] = val("composition", a, m.ID)
			}
			ck := cellKey{a, m.ID}
			p, ok := cellMemo[ck]
			if !ok {
				var err error
				if p, err = tab.CellParams(a, m.ID); err != nil {
					panic(err)
				}
				cellMemo[ck] = p
			}
			params[r*M+i] = p
		}
	}
	for k := model.ReuseShare; k < model.NumParams; k++ {
		usedKeys[k.String()] = true
	}
	if len(s.Composition) > 0 {
		delete(usedKeys, "composition")
	}
	match := func(r, i int, mat, arch string, rs []string) bool {
		if mat != "" && mats[i].ID != mat {
			return false
		}
		if arch != "" && regs[r].Archetype.String() != arch {
			return false
		}
		return len(rs) == 0 || slices.Contains(rs, regs[r].Code)
	}
	// A haul cost given for consolidation also prices the hauls in
	// cost_total (parameters below may still override it).
	if c := s.Consolidation; c != nil && c.HaulCostPerTKm != nil {
		for k := range params {
			params[k][model.CostHaulPerTKm] = *c.HaulCostPerTKm
		}
		run.Used = append(run.Used, UsedParameter{Key: model.CostHaulPerTKm.String(), Archetype: "*", Material: "*",
			Value: *c.HaulCostPerTKm, Unit: "JPY/t·km", Kind: "scenario", Source: f.Path + ": consolidation.haul_cost_per_tkm"})
	}
	for j, ps := range s.Parameters {
		checkRegions(fmt.Sprintf("parameters[%d].regions", j), ps.Regions)
		k, _ := model.ParamByName(ps.Key)
		for r := range regs {
			for i := range mats {
				if match(r, i, ps.Material, ps.Archetype, ps.Regions) {
					params[r*M+i][k] = ps.Value
				}
			}
		}
		run.Used = append(run.Used, UsedParameter{Key: ps.Key, Archetype: orStar(ps.Archetype), Material: orStar(ps.Material),
			Regions: ps.Regions, Value: ps.Value, Unit: "share", Kind: "scenario", Source: orDefault(ps.Source, f.Path)})
	}
	for j, tc := range s.TransferCoefficients {
		checkRegions(fmt.Sprintf("transfer_coefficients[%d].regions", j), tc.Regions)
		g := tcGroups[tc.Process]
		for r := range regs {
			for i := range mats {
				if !match(r, i, tc.Material, tc.Archetype, tc.Regions) {
					continue
				}
				params[r*M+i][g.param] = tc.Shares[g.outputs[0]]
				if g.second >= 0 {
					params[r*M+i][g.second] = tc.Shares[g.outputs[1]]
				}
			}
		}
		for _, o := range g.outputs {
			run.Used = append(run.Used, UsedParameter{Key: "tc." + tc.Process + "." + o, Archetype: orStar(tc.Archetype),
				Material: orStar(tc.Material), Regions: tc.Regions, Value: tc.Shares[o], Unit: "share", Kind: "scenario",
				Source: orDefault(tc.Source, f.Path)})
		}
	}

	// Consolidation blocks (only from sound regions: a data error above
	// would cascade into misleading ones here).
	if s.Consolidation != nil && len(list) == 0 {
		if err := f.buildBlocks(run, regs, munsKept, abs, val, addInput); err != nil {
			if e, ok := err.(*Error); ok {
				list = append(list, e)
			} else {
				bad("consolidation", "%v", err)
			}
		}
	}

	// Variants.
	lib, err := model.Library(tab, mats)
	if err != nil {
		return nil, err
	}
	byName := map[string]int{}
	for i, v := range s.Variants {
		byName[v.Name] = i
	}
	var chain func(i int) []sim.ElementUse
	chain = func(i int) []sim.ElementUse {
		v := s.Variants[i]
		var uses []sim.ElementUse
		if v.Inherits != "" {
			uses = chain(byName[v.Inherits])
		}
		for j, es := range v.Elements {
			ep := fmt.Sprintf("variants[%d].elements[%d]", i, j)
			el, _ := model.FindElement(lib, es.Element)
			ramp, _ := model.ParseRamp(es.Ramp)
			u := sim.ElementUse{Element: es.Element, Start: es.StartYear, RampYears: es.RampYears, Ramp: ramp, Regions: es.Regions}
			for _, a := range es.Archetypes {
				x, _ := model.ParseArchetype(a)
				u.Archetypes = append(u.Archetypes, x)
			}
			checkRegions(ep+".regions", es.Regions)
			if es.Element == "wide_area_consolidation" && run.Blocks == nil && s.Consolidation == nil {
				bad(ep+".element", "wide_area_consolidation needs a consolidation section (blocks are built from region locations and the incinerator table)")
			}
			for _, ef := range el.Effects {
				usedKeys[ef.Key] = true
				if m, ok := es.Magnitudes[ef.Key]; ok {
					mag, err := model.ApplyMagnitude(ef.Key, m, tab)
					if err != nil {
						bad(ep+".magnitudes."+ef.Key, "%v", err)
					}
					ef.Magnitude = mag
				}
				u.Effects = append(u.Effects, ef)
			}
			if es.Element == "wide_area_consolidation" && run.Blocks != nil {
				consolidationUse(&u, run.Blocks)
			}
			uses = append(uses, u)
		}
		return uses
	}
	for i, v := range s.Variants {
		uses := chain(i)
		// reskilling_education shortens the ramps of the variant's other
		// elements by its ramp_speedup (relative; 0 by default).
		for _, u := range uses {
			if u.Element != "reskilling_education" {
				continue
			}
			speed := val(model.RampSpeedupKey, 0, "")
			for _, es := range allElements(s, byName, i) {
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
			break
		}
		run.Variants = append(run.Variants, sim.Variant{Name: v.Name, Elements: uses})
	}
	for i, v := range s.Variants {
		for j, es := range v.Elements {
			for _, k := range sortedKeys(es.Magnitudes) {
				run.Used = append(run.Used, UsedParameter{Key: k, Archetype: "*", Material: "*", Value: es.Magnitudes[k],
					Kind: "scenario", Source: fmt.Sprintf("%s: variants[%d].elements[%d]", f.Path, i, j)})
			}
		}
	}

	// Validation data.
	if vs := s.Validation; vs != nil && vs.Incinerators != "" {
		ip := abs(vs.Incinerators)
		fs, err := regions.LoadIncinerators(ip)
		if err != nil {
			bad("validation.incinerators", "%w", err)
		} else {
			run.Incinerators = fs
			addInput("incinerators", ip)
		}
	}
	if vs := s.Validation; vs != nil && vs.FinalDisposalT != nil {
		run.FinalDisposalT, run.FinalDisposalSource = *vs.FinalDisposalT, vs.FinalDisposalSource
	}
	// Target scopes name regions, archetypes and blocks of this run.
	for i, tg := range s.Targets {
		p := fmt.Sprintf("targets[%d].scope", i)
		switch tg.Level {
		case "region":
			if _, ok := index[tg.Scope]; !ok {
				bad(p, "unknown region %q%s", tg.Scope, model.Suggest(tg.Scope, codes))
			}
		case "archetype":
			found := false
			for _, g := range regs {
				found = found || g.Archetype.String() == tg.Scope
			}
			if !found {
				bad(p, "no region of the run has archetype %q", tg.Scope)
			}
		case "block":
			if run.Blocks == nil {
				bad(p, "level block needs a consolidation section")
				break
			}
			found := false
			var ids []string
			for _, b := range run.Blocks.Result.Blocks {
				found = found || b.ID == tg.Scope
				ids = append(ids, b.ID)
			}
			if !found {
				bad(p, "unknown block %q%s", tg.Scope, model.Suggest(tg.Scope, ids))
			}
		}
	}
	if len(list) > 0 {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Line != list[j].Line {
				return list[i].Line < list[j].Line
			}
			return list[i].Column < list[j].Column
		})
		return nil, list
	}
	run.Config = sim.Config{BaseYear: s.BaseYear, EndYear: s.EndYear, Materials: mats, Regions: regs,
		Composition: comp, Params: params, StepsPerYear: s.StepsPerYear}
	// Durable products.
	for i, m := range mats {
		if !m.Durable {
			continue
		}
		p := sim.Product{Material: i, Composition: make([]float64, M)}
		var spec ProductSpec
		for _, ps := range s.Products {
			if ps.ID == m.ID {
				spec = ps
			}
		}
		p.InflowPerCapita = val("durable_inflow_per_capita", 0, m.ID)
		if spec.InflowPerCapitaT != nil {
			p.InflowPerCapita = *spec.InflowPerCapitaT
		}
		p.ReuseLifeFactor = val("reuse_remaining_life_factor", 0, m.ID)
		if spec.ReuseLifeFactor != nil {
			p.ReuseLifeFactor = *spec.ReuseLifeFactor
		}
		if spec.Lifetime != nil {
			p.Lifetime, _ = lifetimeOf(spec.Lifetime)
		} else {
			lt, err := defaultLifetime(tab, m.ID)
			if err != nil {
				panic(err) // the embedded table is complete; tests check it
			}
			p.Lifetime = lt
			for _, k := range []string{"lifetime_fixed_years", "lifetime_normal_mean", "lifetime_normal_sd",
				"lifetime_weibull_shape", "lifetime_weibull_scale", "lifetime_lognormal_mu", "lifetime_lognormal_sigma"} {
				usedKeys[k] = true
			}
		}
		for j, b := range mats {
			if b.Durable {
				continue
			}
			if len(spec.Composition) > 0 {
				p.Composition[j] = spec.Composition[b.ID]
			} else {
				p.Composition[j] = val("product_composition."+m.ID, 0, b.ID)
			}
		}
		run.Config.Products = append(run.Config.Products, p)
	}
	// Manufacturing demand: manufacturing employees × demand per employee.
	run.Config.Demand = make([]float64, R*M)
	run.Config.DemandHighShare = make([]float64, M)
	for i, m := range mats {
		if m.Durable {
			continue
		}
		perEmp := val("manufacturing_demand_per_employee", 0, m.ID)
		run.Config.DemandHighShare[i] = val("demand_high_grade_share", 0, m.ID)
		for r := range regs {
			run.Config.Demand[r*M+i] = regs[r].ManufacturingEmployees * perEmp
		}
	}
	// Record every default the run used (after the products and demand
	// above looked theirs up).
	var used []UsedParameter
	for _, fa := range tab.Facts {
		if usedKeys[fa.Key] {
			used = append(used, UsedParameter{Key: fa.Key, Archetype: fa.Archetype, Material: fa.Material, Value: fa.Value,
				Unit: fa.Unit, Kind: fa.Kind, Source: fa.Source})
		}
	}
	run.Used = append(used, run.Used...)
	return run, nil
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

func orStar(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func sha256File(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// defaultLifetime returns the lifetime distribution of product id from the
// table: the first family with rows for it among fixed, normal, Weibull
// and lognormal.
func defaultLifetime(t *model.Table, id string) (model.Lifetime, error) {
	get := func(k string) (float64, bool) {
		f, ok := t.Lookup(k, 0, id)
		return f.Value, ok && f.Material == id
	}
	if v, ok := get("lifetime_fixed_years"); ok {
		return model.Lifetime{Kind: model.Fixed, A: v}, nil
	}
	if a, ok := get("lifetime_normal_mean"); ok {
		b, _ := get("lifetime_normal_sd")
		return model.Lifetime{Kind: model.Normal, A: a, B: b}, nil
	}
	if a, ok := get("lifetime_weibull_shape"); ok {
		b, _ := get("lifetime_weibull_scale")
		return model.Lifetime{Kind: model.Weibull, A: a, B: b}, nil
	}
	if a, ok := get("lifetime_lognormal_mu"); ok {
		b, _ := get("lifetime_lognormal_sigma")
		return model.Lifetime{Kind: model.Lognormal, A: a, B: b}, nil
	}
	return model.Lifetime{}, fmt.Errorf("scenarios: no default lifetime for product %s", id)
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
