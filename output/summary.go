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
	}
}

func (h *Headline) finite() bool {
	for _, v := range [...]float64{h.WasteGenerated, h.WastePerCapita, h.RecyclingRate,
		h.OutletCircularUseRate, h.InletCircularUseRate, h.FinalDisposal, h.Incinerated, h.Population} {
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
}

// Summary is the content of summary.json.
type Summary struct {
	Variants   []VariantSummary `json:"variants"`
	Validation any              `json:"validation,omitempty"`
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
