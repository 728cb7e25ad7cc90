package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Headline is the set of headline figures of one group (all regions, or
// the regions of one archetype) in one fiscal year, summed over materials.
// Rates are recomputed from the summed flows.
type Headline struct {
	WasteGenerated        float64 `json:"waste_generated_t"`            // t
	WastePerCapita        float64 `json:"waste_per_capita_g_per_day"`   // g/person/day
	RecyclingRate         float64 `json:"recycling_rate_pct"`           // %
	OutletCircularUseRate float64 `json:"outlet_circular_use_rate_pct"` // %
	InletCircularUseRate  float64 `json:"inlet_circular_use_rate_pct"`  // %
	FinalDisposal         float64 `json:"final_disposal_t"`             // t
	Incinerated           float64 `json:"incinerated_t"`                // t
	Population            float64 `json:"population"`                   // persons
	CostTotal             float64 `json:"cost_total_jpy"`               // JPY
	CostPerCapita         float64 `json:"cost_per_capita_jpy"`          // JPY/person/yr
	CEMarket              float64 `json:"ce_market_jpy"`                // JPY
	GHGNet                float64 `json:"ghg_net_tco2e"`                // tCO2e
	EnergyRecovered       float64 `json:"energy_recovered_mwh"`         // MWh
	Transport             float64 `json:"transport_tkm"`                // t·km
	Jobs                  float64 `json:"jobs_fte"`                     // FTE
}

func headline(f *model.Flows, pop float64, fy int) Headline {
	return Headline{
		WasteGenerated:        f[model.WasteGenerated],
		WastePerCapita:        model.WastePerCapita.Value(f, pop, fy),
		RecyclingRate:         model.RecyclingRate.Value(f, pop, fy),
		OutletCircularUseRate: model.OutletCircularUseRate.Value(f, pop, fy),
		InletCircularUseRate:  model.InletCircularUseRate.Value(f, pop, fy),
		FinalDisposal:         f[model.FinalDisposal],
		Incinerated:           f[model.Incinerated],
		Population:            pop,
		CostTotal:             f[model.CostTotal],
		CostPerCapita:         model.CostPerCapita.Value(f, pop, fy),
		CEMarket:              f[model.CEMarket],
		GHGNet:                f[model.GHGNet],
		EnergyRecovered:       f[model.EnergyRecovered],
		Transport:             f[model.Transport],
		Jobs:                  f[model.Jobs],
	}
}

// sub returns h − b field by field (rates in percentage points).
func (h Headline) sub(b Headline) Headline {
	return Headline{
		WasteGenerated:        h.WasteGenerated - b.WasteGenerated,
		WastePerCapita:        h.WastePerCapita - b.WastePerCapita,
		RecyclingRate:         h.RecyclingRate - b.RecyclingRate,
		OutletCircularUseRate: h.OutletCircularUseRate - b.OutletCircularUseRate,
		InletCircularUseRate:  h.InletCircularUseRate - b.InletCircularUseRate,
		FinalDisposal:         h.FinalDisposal - b.FinalDisposal,
		Incinerated:           h.Incinerated - b.Incinerated,
		Population:            h.Population - b.Population,
		CostTotal:             h.CostTotal - b.CostTotal,
		CostPerCapita:         h.CostPerCapita - b.CostPerCapita,
		CEMarket:              h.CEMarket - b.CEMarket,
		GHGNet:                h.GHGNet - b.GHGNet,
		EnergyRecovered:       h.EnergyRecovered - b.EnergyRecovered,
		Transport:             h.Transport - b.Transport,
		Jobs:                  h.Jobs - b.Jobs,
	}
}

func (h *Headline) finite() bool {
	for _, v := range [...]float64{h.WasteGenerated, h.WastePerCapita, h.RecyclingRate,
		h.OutletCircularUseRate, h.InletCircularUseRate, h.FinalDisposal, h.Incinerated, h.Population,
		h.CostTotal, h.CostPerCapita, h.CEMarket, h.GHGNet, h.EnergyRecovered, h.Transport, h.Jobs} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// YearHeadline is a [Headline] with its fiscal year.
type YearHeadline struct {
	Year int `json:"year"`
	Headline
}

// GroupSummary holds the headline figures of a group in the base year and
// in the end year.
type GroupSummary struct {
	Regions  int          `json:"regions"` // number of regions in the group
	BaseYear YearHeadline `json:"base_year"`
	EndYear  YearHeadline `json:"end_year"`
}

// ArchetypeSummary is the [GroupSummary] of the regions of one archetype.
type ArchetypeSummary struct {
	Archetype string `json:"archetype"` // "a" … "e"
	GroupSummary
}

// Difference holds end-year figures of a variant minus those of the
// baseline (the first result): t, g/person/day, percentage points and
// persons.
type Difference struct {
	Baseline string `json:"baseline"` // name of the variant compared against
	Headline
}

// VariantSummary is the summary of one variant.
type VariantSummary struct {
	Name     string       `json:"name"`
	BaseYear int          `json:"base_year"`
	EndYear  int          `json:"end_year"`
	Total    GroupSummary `json:"total"`
	// TotalMSW is Total over the non-durable materials only (the scope of
	// the MOE municipal waste statistics); present when the run has
	// durable products.
	TotalMSW    *GroupSummary      `json:"total_msw,omitempty"`
	ByArchetype []ArchetypeSummary `json:"by_archetype"` // archetypes with at least one region, a … e
	// VsBaselineEndYear compares the end-year totals with the first
	// result (all zeros for the first result itself).
	VsBaselineEndYear Difference `json:"vs_baseline_end_year"`
	// ByBlock has the end-year figures of each consolidation block and
	// their difference from the first result (when the run has blocks).
	ByBlock []BlockSummary `json:"by_block,omitempty"`
}

// BlockSummary is the end-year summary of one consolidation block.
type BlockSummary struct {
	Block      string       `json:"block"`
	Regions    int          `json:"regions"`
	EndYear    YearHeadline `json:"end_year"`
	VsBaseline Headline     `json:"vs_baseline"`
}

// Summary is the content of summary.json.
type Summary struct {
	Variants      []VariantSummary      `json:"variants"`
	Consolidation *ConsolidationSummary `json:"consolidation,omitempty"`
	Targets       []TargetResult        `json:"targets,omitempty"`
	Attribution   []Attribution         `json:"attribution,omitempty"`
	Validation    any                   `json:"validation,omitempty"`
}

// Summarize returns the summary of results (one per variant, in order;
// they must share regions, materials and years, else the error wraps
// [ErrMismatch]). A non-finite figure gives an error wrapping
// [ErrNonFinite].
func Summarize(results []*sim.Result) (*Summary, error) {
	if err := checkResults(results); err != nil {
		return nil, err
	}
	s := &Summary{Variants: make([]VariantSummary, 0, len(results))}
	for i, res := range results {
		if res.Years == 0 {
			return nil, fmt.Errorf("%w: result %d (%s) has no years", ErrMismatch, i, res.Variant)
		}
		v, err := summarizeVariant(res.Variant, res.BaseYear, sumGroups(res), s)
		if err != nil {
			return nil, err
		}
		s.Variants = append(s.Variants, v)
	}
	return s, nil
}

// summarizeVariant returns the summary of one variant from its group sums;
// s holds the variants summarised so far (the first is the baseline).
func summarizeVariant(name string, baseYear int, gs *groups, s *Summary) (VariantSummary, error) {
	Y := gs.Y
	groupOf := func(g, m int) GroupSummary {
		return GroupSummary{
			Regions:  gs.regions[g],
			BaseYear: YearHeadline{baseYear, headline(gs.cell(g, 0, m), gs.pop[g*Y], baseYear)},
			EndYear:  YearHeadline{baseYear + Y - 1, headline(gs.cell(g, Y-1, m), gs.pop[g*Y+Y-1], baseYear+Y-1)},
		}
	}
	group := func(g int) GroupSummary { return groupOf(g, gs.M) }
	v := VariantSummary{Name: name, BaseYear: baseYear, EndYear: baseYear + Y - 1,
		Total: group(numArchetypes), ByArchetype: []ArchetypeSummary{}}
	if gs.durables {
		m := groupOf(numArchetypes, gs.M+1)
		v.TotalMSW = &m
	}
	for g := 0; g < numArchetypes; g++ {
		if gs.regions[g] > 0 {
			v.ByArchetype = append(v.ByArchetype, ArchetypeSummary{model.Archetypes[g].String(), group(g)})
		}
	}
	for k := 0; k+numArchetypes+1 < len(gs.regions); k++ {
		g := numArchetypes + 1 + k
		bs := BlockSummary{Block: gs.blockIDs[k], Regions: gs.regions[g],
			EndYear: YearHeadline{baseYear + Y - 1, headline(gs.cell(g, Y-1, gs.M), gs.pop[g*Y+Y-1], baseYear+Y-1)}}
		if len(s.Variants) > 0 && k < len(s.Variants[0].ByBlock) {
			bs.VsBaseline = bs.EndYear.Headline.sub(s.Variants[0].ByBlock[k].EndYear.Headline)
		}
		v.ByBlock = append(v.ByBlock, bs)
	}
	baseName, baseEnd := name, v.Total.EndYear.Headline
	if len(s.Variants) > 0 {
		baseName, baseEnd = s.Variants[0].Name, s.Variants[0].Total.EndYear.Headline
	}
	v.VsBaselineEndYear = Difference{baseName, v.Total.EndYear.Headline.sub(baseEnd)}
	hs := []*Headline{&v.Total.BaseYear.Headline, &v.Total.EndYear.Headline, &v.VsBaselineEndYear.Headline}
	for j := range v.ByArchetype {
		hs = append(hs, &v.ByArchetype[j].BaseYear.Headline, &v.ByArchetype[j].EndYear.Headline)
	}
	for _, h := range hs {
		if !h.finite() {
			return v, fmt.Errorf("%w: summary of variant %s", ErrNonFinite, name)
		}
	}
	return v, nil
}

// marshalIndent returns v as JSON indented by two spaces with a trailing
// newline.
func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode adds the trailing newline
		return nil, err
	}
	return buf.Bytes(), nil
}

// ConsolidationSummary compares the facilities of wide-area consolidation
// with today's: counts, mean size (t/day) and mean haul.
type ConsolidationSummary struct {
	PlantsToday       int     `json:"plants_today"`
	MeanCapacityToday float64 `json:"mean_capacity_today_t_per_day"`
	Blocks            int     `json:"blocks"`
	BlocksAtExisting  int     `json:"blocks_at_existing_plants"`
	MeanSizeBlocks    float64 `json:"mean_size_blocks_t_per_day"`
	MeanHaulKm        float64 `json:"mean_haul_km"` // great-circle, tonnage-weighted over regions' base-year waste
	RegionsSharing    int     `json:"regions_sharing_a_facility"`
	RegionsTotal      int     `json:"regions"`
	RegionsSplit      int     `json:"regions_split_among_plants"`
	// Solver is "cbc" (exact MILP) or "heuristic"; Groups tells, per
	// prefecture (or for the whole run without within_prefectures), how
	// far the plan is from proven optimal.
	Solver string          `json:"solver"`
	Groups []SolverSummary `json:"solver_groups"`
}

// SolverSummary is the solution of one consolidation group.
type SolverSummary struct {
	Group  string `json:"group"`
	Method string `json:"method"` // cbc, heuristic
	Status string `json:"status"` // optimal, time limit, heuristic
	// Objective is t·km/yr with a fixed number of blocks, JPY/yr when
	// chosen by cost.
	Objective     float64  `json:"objective"`
	ObjectiveUnit string   `json:"objective_unit"`
	GapPct        *float64 `json:"gap_pct"` // null when no bound is known (heuristic)
	Restricted    bool     `json:"nearest_sites_only,omitempty"`
}

func (b *Blocks) summary() *ConsolidationSummary {
	c := &ConsolidationSummary{PlantsToday: b.StatusQuoPlants, Blocks: len(b.IDs), RegionsTotal: len(b.RegionBlock),
		RegionsSplit: b.RegionsSplit, Solver: b.Solver, Groups: b.Groups}
	if b.StatusQuoPlants > 0 {
		c.MeanCapacityToday = b.StatusQuoTPerDay / float64(b.StatusQuoPlants)
	}
	var size float64
	for k := range b.IDs {
		size += b.CapacityTPerDay[k]
		if b.Existing[k] {
			c.BlocksAtExisting++
		}
	}
	if len(b.IDs) > 0 {
		c.MeanSizeBlocks = size / float64(len(b.IDs))
	}
	members := make([]int, len(b.IDs))
	for _, k := range b.RegionBlock {
		members[k]++
	}
	for r, k := range b.RegionBlock {
		c.MeanHaulKm += b.HaulKm[r]
		if members[k] > 1 {
			c.RegionsSharing++
		}
	}
	if len(b.RegionBlock) > 0 {
		c.MeanHaulKm /= float64(len(b.RegionBlock))
	}
	return c
}

// Attribution is the decomposition of one variant's change (end year,
// total, vs the variant with none of its elements) among its elements.
type Attribution struct {
	Variant    string   `json:"variant"`
	Year       int      `json:"year"`
	Indicators []string `json:"indicators"`
	Units      []string `json:"units"`
	// Total is the change of each indicator; Elements the contributions,
	// which sum to Total.
	Total    []float64             `json:"total_change"`
	Elements []ElementContribution `json:"elements"`
	Method   string                `json:"method"`
}

// ElementContribution is one element's share of an [Attribution].
type ElementContribution struct {
	Element      string    `json:"element"`
	Contribution []float64 `json:"contribution"` // per indicator, in its unit
}
