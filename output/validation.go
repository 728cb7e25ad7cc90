package output

import (
	"bytes"
	"fmt"
	"math"
	"sort"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
)

// Check compares one simulated base-year quantity with a published
// reference. Ratio = Simulated ÷ Reference (0 when the reference is 0).
type Check struct {
	Check     string  `json:"check"`     // what is compared, e.g. "incinerated"
	Scope     string  `json:"scope"`     // prefecture name or "全国"
	Simulated float64 `json:"simulated"` // in Unit
	Reference float64 `json:"reference"` // in Unit
	Unit      string  `json:"unit"`
	Ratio     float64 `json:"ratio"`
	Source    string  `json:"source"` // of the reference
}

// Validation is the base-year comparison of a run with published data.
// It is a check, not a calibration target: no parameter is fitted to it.
type Validation struct {
	FiscalYear int     `json:"fiscal_year"`
	Variant    string  `json:"variant"`
	Checks     []Check `json:"checks"`
	// Distributions summarise checks made over many scopes (e.g. final
	// disposal per municipality).
	Distributions []RatioDistribution `json:"distributions,omitempty"`
}

// Validate compares the base year of res (usually the baseline) with:
// the summed FY throughput of operating incinerators per prefecture
// (facilities, may be nil; a facility counts in the prefecture that reports
// it), and a national final disposal in t (finalDisposalT ≤ 0: skipped).
// Prefectures are listed in the order of their first region.
func Validate(res *sim.Result, facilities []regions.Incinerator, finalDisposalT float64, finalDisposalSource string) *Validation {
	v := &Validation{FiscalYear: res.BaseYear, Variant: res.Variant}
	if len(facilities) > 0 {
		var order []string
		sim := map[string]float64{}
		for r, g := range res.Regions {
			if _, ok := sim[g.Prefecture]; !ok {
				order = append(order, g.Prefecture)
				sim[g.Prefecture] = 0
			}
			for i, m := range res.Materials {
				if !m.Durable { // MSW only: plants report municipal waste
					sim[g.Prefecture] += res.Cell(0, r, i)[model.Incinerated]
				}
			}
		}
		ref := map[string]float64{}
		for i := range facilities {
			f := &facilities[i]
			if f.Operating() {
				ref[f.Prefecture] += f.ThroughputT
			}
		}
		var simTot, refTot float64
		for _, p := range order {
			if _, ok := ref[p]; !ok {
				continue
			}
			v.Checks = append(v.Checks, newCheck("incinerated", p, sim[p], ref[p], "t",
				"環境省 一般廃棄物処理実態調査 令和6年度 施設整備状況 焼却施設: 年間処理量 of operating plants (FY2024)"))
			simTot += sim[p]
			refTot += ref[p]
		}
		if len(order) > 1 {
			v.Checks = append(v.Checks, newCheck("incinerated", "all prefectures of the run", simTot, refTot, "t",
				"sum of the rows above"))
		}
	}
	if finalDisposalT > 0 {
		var f model.Flows
		for i, m := range res.Materials {
			if !m.Durable { // MSW only, the scope of the published figure
				res.Sum(&f, 0, nil, i)
			}
		}
		v.Checks = append(v.Checks, newCheck("final_disposal", "全国", f[model.FinalDisposal], finalDisposalT, "t", finalDisposalSource))
	}
	return v
}

func newCheck(name, scope string, simulated, reference float64, unit, source string) Check {
	c := Check{Check: name, Scope: scope, Simulated: simulated, Reference: reference, Unit: unit, Source: source}
	if reference != 0 {
		c.Ratio = simulated / reference
	}
	return c
}

// CSV returns the checks as CSV with header
// check,scope,simulated,reference,unit,ratio,source.
func (v *Validation) CSV() []byte {
	var b bytes.Buffer
	b.WriteString("check,scope,simulated,reference,unit,ratio,source\n")
	for _, c := range v.Checks {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s\n", csvField(c.Check), csvField(c.Scope),
			appendValue(nil, c.Simulated), appendValue(nil, c.Reference), c.Unit, appendValue(nil, c.Ratio), csvField(c.Source))
	}
	return b.Bytes()
}

// byPrefecture returns the prefectures of res's regions in order of first
// appearance, and each one's region indices.
func byPrefecture(res *sim.Result) (order []string, idx map[string][]int) {
	idx = map[string][]int{}
	for r, g := range res.Regions {
		if _, ok := idx[g.Prefecture]; !ok {
			order = append(order, g.Prefecture)
		}
		idx[g.Prefecture] = append(idx[g.Prefecture], r)
	}
	return order, idx
}

// mswBaseYear sums the base-year flows of the non-durable materials (the
// scope of the MOE statistics: durable products are not in ごみ総排出量)
// over the regions, with their population.
func mswBaseYear(res *sim.Result, rs []int) (f model.Flows, pop float64) {
	for i, m := range res.Materials {
		if !m.Durable {
			pop = res.Sum(&f, 0, rs, i)
		}
	}
	return f, pop
}

// StatsChecks adds, for every prefecture of res with published statistics,
// the base-year waste per capita and recycling rate of its non-durable
// materials (the MOE scope), summed over its regions, against the published
// values.
func (v *Validation) StatsChecks(res *sim.Result, stats map[string]regions.PrefectureStats, source string) {
	order, idx := byPrefecture(res)
	for _, p := range order {
		st, ok := stats[p]
		if !ok {
			continue
		}
		// Over the non-durable materials only: the scope of the MOE
		// statistics (durable products are not in ごみ総排出量).
		f, pop := mswBaseYear(res, idx[p])
		fy := res.BaseYear
		v.Checks = append(v.Checks,
			newCheck("waste_per_capita", p, model.WastePerCapita.Value(&f, pop, fy), st.PerCapitaGPerDay, "g/person/day", source),
			newCheck("recycling_rate", p, model.RecyclingRate.Value(&f, pop, fy), st.RecyclingRatePct, "%", source))
	}
}

// NationalChecks adds a comparison of base-year totals of the non-durable
// materials (MSW scope) with published figures: indicators[i] (a flow name,
// population or derived indicator) against refs[i], from sources[i].
// The three slices must have the same length.
func (v *Validation) NationalChecks(res *sim.Result, indicators []string, refs []float64, sources []string) {
	var f model.Flows
	var pop float64
	for i, m := range res.Materials {
		if !m.Durable {
			pop = res.Sum(&f, 0, nil, i)
		}
	}
	for i, name := range indicators {
		val, unit, ok := model.IndicatorValue(name, &f, pop, res.BaseYear)
		if !ok {
			continue
		}
		v.Checks = append(v.Checks, newCheck(name, "全国", val, refs[i], unit, sources[i]))
	}
}

// SurveyRef is a municipal survey row to validate against: the regions of
// the run it stands for and its published final disposal (t).
type SurveyRef struct {
	Code, Name     string
	Regions        []int
	FinalDisposalT float64
}

// RatioDistribution summarises simulated ÷ reference over many scopes.
type RatioDistribution struct {
	Check       string  `json:"check"`
	N           int     `json:"n"`                  // scopes with a reference > 0
	Within25Pct float64 `json:"within_25pct_share"` // share of ratios in [0.75, 1.25]
	P10         float64 `json:"p10"`
	Median      float64 `json:"median"`
	P90         float64 `json:"p90"`
	Min         float64 `json:"min"`
	MinScope    string  `json:"min_scope"`
	Max         float64 `json:"max"`
	MaxScope    string  `json:"max_scope"`
	Simulated   float64 `json:"simulated_total"`
	Reference   float64 `json:"reference_total"`
}

// SurveyChecks adds one final_disposal check per survey row (base year,
// non-durable materials, summed over the row's regions) against its
// published 最終処分量, and the distribution of the ratios to
// v.Distributions. It is a check: final disposal is not calibrated.
func (v *Validation) SurveyChecks(res *sim.Result, rows []SurveyRef, source string) {
	var ratios []float64
	d := RatioDistribution{Check: "final_disposal per municipality"}
	for _, row := range rows {
		var f model.Flows
		for i, m := range res.Materials {
			if !m.Durable {
				res.Sum(&f, 0, row.Regions, i)
			}
		}
		scope := row.Code + " " + row.Name
		c := newCheck("final_disposal", scope, f[model.FinalDisposal], row.FinalDisposalT, "t", source)
		v.Checks = append(v.Checks, c)
		d.Simulated += c.Simulated
		d.Reference += c.Reference
		if row.FinalDisposalT <= 0 {
			continue
		}
		ratios = append(ratios, c.Ratio)
		if d.N == 0 || c.Ratio < d.Min {
			d.Min, d.MinScope = c.Ratio, scope
		}
		if d.N == 0 || c.Ratio > d.Max {
			d.Max, d.MaxScope = c.Ratio, scope
		}
		d.N++
		if c.Ratio >= 0.75 && c.Ratio <= 1.25 {
			d.Within25Pct++
		}
	}
	if d.N == 0 {
		return
	}
	d.Within25Pct /= float64(d.N)
	sort.Float64s(ratios)
	q := func(p float64) float64 { return ratios[int(math.Round(p*float64(len(ratios)-1)))] }
	d.P10, d.Median, d.P90 = q(0.1), q(0.5), q(0.9)
	v.Distributions = append(v.Distributions, d)
}

// CostChecks adds, per prefecture of res with a published figure, the
// base-year cost per person of the non-durable materials (the scope of
// the Ministry's ごみ処理事業経費 per person) against it.
func (v *Validation) CostChecks(res *sim.Result, costPerCapita map[string]float64, source string) {
	order, idx := byPrefecture(res)
	for _, p := range order {
		ref, ok := costPerCapita[p]
		if !ok {
			continue
		}
		f, pop := mswBaseYear(res, idx[p])
		v.Checks = append(v.Checks, newCheck("cost_per_capita", p, model.CostPerCapita.Value(&f, pop, res.BaseYear), ref, "JPY/person/yr", source))
	}
}
