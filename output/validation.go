package output

import (
	"bytes"
	"fmt"

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

// StatsChecks adds, for every prefecture of res with published statistics,
// the base-year waste per capita and recycling rate of its non-durable
// materials (the MOE scope), summed over its regions, against the published
// values.
func (v *Validation) StatsChecks(res *sim.Result, stats map[string]regions.PrefectureStats, source string) {
	var order []string
	idx := map[string][]int{}
	for r, g := range res.Regions {
		if _, ok := idx[g.Prefecture]; !ok {
			order = append(order, g.Prefecture)
		}
		idx[g.Prefecture] = append(idx[g.Prefecture], r)
	}
	for _, p := range order {
		st, ok := stats[p]
		if !ok {
			continue
		}
		// Over the non-durable materials only: the scope of the MOE
		// statistics (durable products are not in ごみ総排出量).
		var f model.Flows
		var pop float64
		for i, m := range res.Materials {
			if !m.Durable {
				pop = res.Sum(&f, 0, idx[p], i)
			}
		}
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
