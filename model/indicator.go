package model

// Indicator is a derived quantity of DESIGN §6, computed from summed flows,
// so that rates of a group are recomputed from summed numerators and
// denominators, never averaged.
type Indicator int

// The derived indicators. Flow totals (t) are reported under the flow names.
const (
	WastePerCapita        Indicator = iota // g/person/day: waste_generated ÷ population ÷ days × 10⁶
	RecyclingRate                          // %: (group_collected + sorted_to_recycling + ash_recycled + fuel_cement_output) ÷ waste_generated × 100
	OutletCircularUseRate                  // %: (reused + group_collected + sorted_to_recycling + ash_recycled + fuel_cement_output) ÷ (waste_generated + reused) × 100
	InletCircularUseRate                   // %: recyclate_used ÷ manufacturing_demand × 100 (入口側の循環利用率)
	CostPerCapita                          // JPY/person/yr: cost_total ÷ population
	NumIndicators
)

var indicatorNames = [NumIndicators]string{"waste_per_capita", "recycling_rate", "outlet_circular_use_rate",
	"inlet_circular_use_rate", "cost_per_capita"}
var indicatorUnits = [NumIndicators]string{"g/person/day", "%", "%", "%", "JPY/person/yr"}

// String returns the output name, e.g. "recycling_rate".
func (i Indicator) String() string { return indicatorNames[i] }

// Unit returns the output unit, e.g. "%".
func (i Indicator) Unit() string { return indicatorUnits[i] }

// Value returns the indicator for flows f (t, summed over the group) of a
// group with population persons in fiscal year fy. A zero denominator gives
// 0, never NaN.
func (i Indicator) Value(f *Flows, population float64, fy int) float64 {
	switch i {
	case WastePerCapita:
		return PerCapitaGPerDay(f[WasteGenerated], population, fy)
	case RecyclingRate:
		return ratio(Recycled(f), f[WasteGenerated]) * 100
	case OutletCircularUseRate:
		return ratio(f[Reused]+Recycled(f), f[WasteGenerated]+f[Reused]) * 100
	case InletCircularUseRate:
		return ratio(f[RecyclateUsed], f[ManufacturingDemand]) * 100
	case CostPerCapita:
		return ratio(f[CostTotal], population)
	}
	return 0
}

// Recycled returns the numerator of the recycling rate R as the Ministry
// counts it (総資源化量, t): group collection, what sorting sends to
// recycling (直接資源化 and 中間処理後再生利用), ash recycled and the fuel or
// raw material of the fuel and cement routes.
func Recycled(f *Flows) float64 {
	return f[GroupCollected] + f[SortedToRecycling] + f[AshRecycled] + f[FuelCementOutput]
}

func ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}

// Add adds g into f element-wise.
func (f *Flows) Add(g *Flows) {
	for i := range f {
		f[i] += g[i]
	}
}

// IndicatorNames returns every indicator name of the outputs in order:
// the flows, "population", then the derived indicators.
func IndicatorNames() []string {
	var out []string
	for f := Flow(0); f < NumFlows; f++ {
		out = append(out, f.String())
	}
	out = append(out, "population")
	for i := Indicator(0); i < NumIndicators; i++ {
		out = append(out, i.String())
	}
	return out
}

// IndicatorValue returns the named indicator (see [IndicatorNames]) of
// flows f (summed over a group) with population pop (persons) in fiscal
// year fy, with its unit; ok is false for an unknown name.
func IndicatorValue(name string, f *Flows, pop float64, fy int) (value float64, unit string, ok bool) {
	if fl, ok := FlowByName(name); ok {
		return f[fl], fl.Unit(), true
	}
	if name == "population" {
		return pop, "persons", true
	}
	for i := Indicator(0); i < NumIndicators; i++ {
		if i.String() == name {
			return i.Value(f, pop, fy), i.Unit(), true
		}
	}
	return 0, "", false
}
