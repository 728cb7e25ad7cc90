package model

import (
	"fmt"
	"math"
)

// Process is one process of the chain with the flows entering and leaving
// it. Only the use process has a stock (the in-use stock, whose change is
// StockChange); the landfill's stock change is final_disposal, written
// among its outputs.
type Process struct {
	Name     string
	Inputs   []Flow
	Outputs  []Flow
	HasStock bool // inputs − outputs − StockChange = 0
}

// Processes lists the processes whose mass balance is checked each step.
// "fuel_cement" is the fuel and cement routes (燃料化, セメント原料化, 山元還元):
// mass in, fuel or clinker raw material out.
// "system" is the whole chain of one cell: waste_generated +
// dismantled_input + residue_from_materials = Σ [Sinks] + dismantled +
// returned_residue (the last terms are transfers between the rows of
// products and of their materials, which cancel in sums over a region).
var Processes = []Process{
	{"use", []Flow{Inflow, Reused}, []Flow{Discarded}, true},
	{"reuse", []Flow{Discarded}, []Flow{Reused, WasteGenerated}, false},
	{"collection", []Flow{WasteGenerated}, []Flow{SeparatelyCollected, MixedCollected, GroupCollected}, false},
	{"sorting", []Flow{SeparatelyCollected}, []Flow{SortedToRecycling, SortingResidue}, false},
	{"recycling", []Flow{SortedToRecycling, GroupCollected, DismantledInput}, []Flow{RecyclateOutput, ProcessLoss, RecyclingResidue, ReturnedResidue, Dismantled}, false},
	{"dispatch", []Flow{MixedCollected, SortingResidue, RecyclingResidue, ResidueFromMaterials}, []Flow{DirectLandfill, FuelCementInput, ResidueLandfilled, Incinerated}, false},
	{"fuel_cement", []Flow{FuelCementInput}, []Flow{FuelCementOutput}, false},
	{"incineration", []Flow{Incinerated}, []Flow{CombustionLoss, Ash}, false},
	{"ash_treatment", []Flow{Ash}, []Flow{AshRecycled, AshLandfilled}, false},
	{"landfill", []Flow{DirectLandfill, ResidueLandfilled, AshLandfilled}, []Flow{FinalDisposal}, false},
	{"grading", []Flow{RecyclateOutput}, []Flow{RecyclateHigh, RecyclateLow}, false},
	{"offtake", []Flow{RecyclateHigh, RecyclateLow}, []Flow{RecyclateLocalHigh, RecyclateLocalLow,
		RecyclateOtherRegionsHigh, RecyclateOtherRegionsLow, RecyclateOutsideHigh, RecyclateOutsideLow}, false},
	{"manufacturing", []Flow{RecyclateLocalHigh, RecyclateLocalLow, RecyclateReceived}, []Flow{RecyclateUsed}, false},
	{"system", []Flow{WasteGenerated, DismantledInput, ResidueFromMaterials}, []Flow{RecyclateOutput, CombustionLoss, ProcessLoss, AshRecycled, FuelCementOutput, FinalDisposal, Dismantled, ReturnedResidue}, false},
}

// Balance tolerances of DESIGN §5: a residual is a violation when it
// exceeds BalanceRelTol × throughput + BalanceAbsTol.
const (
	BalanceRelTol = 1e-9 // relative to the process throughput
	BalanceAbsTol = 1e-9 // t
)

// Residual returns inputs − outputs (t) of process p for flows f, and the
// throughput max(inputs, outputs). It does not allocate.
func (p *Process) Residual(f *Flows) (residual, throughput float64) {
	var in, out float64
	for _, x := range p.Inputs {
		in += f[x]
	}
	for _, x := range p.Outputs {
		out += f[x]
	}
	if p.HasStock {
		if d := f[StockChange]; d > 0 {
			out += d
		} else {
			in -= d
		}
	}
	return in - out, math.Max(in, out)
}

// CheckBalance returns the index into [Processes] of the first process of f
// whose residual exceeds the tolerance, with that residual (t), or −1 when
// all close. A negative or non-finite flow (other than StockChange, which
// may be negative, and the accounts, which must be finite) counts as a
// violation of the first process (residual = the flow's value), and so
// does recyclate_used above manufacturing_demand.
//
// It is the hot path: a test of every condition with branches that depend
// on no value (each process with [within], which also fails on NaN and
// ±Inf), falling back to [CheckBalanceGeneric] to name the failing process
// (and to decide the rare cases the fast test leaves to it: a −0 flow, a
// residual between its tolerance and the generic one).
func CheckBalance(f *Flows) (process int, residual float64) {
	// The sign bits of the mass flows (but StockChange) ORed together: set
	// when one is negative, NaN with its sign set, or −0 (then the
	// generic check decides). Two lanes keep the chains short.
	n0 := math.Float64bits(f[Discarded]) | math.Float64bits(f[WasteGenerated]) | math.Float64bits(f[MixedCollected]) |
		math.Float64bits(f[DirectLandfill]) | math.Float64bits(f[FuelCementOutput]) | math.Float64bits(f[SortingResidue]) |
		math.Float64bits(f[DismantledInput]) | math.Float64bits(f[ChemicalRecyclingInput]) | math.Float64bits(f[RecyclingResidue]) |
		math.Float64bits(f[ResidueFromMaterials]) | math.Float64bits(f[Incinerated]) | math.Float64bits(f[Ash]) |
		math.Float64bits(f[AshLandfilled]) | math.Float64bits(f[Inflow]) | math.Float64bits(f[RecyclateHigh]) |
		math.Float64bits(f[RecyclateLocalHigh]) | math.Float64bits(f[RecyclateOtherRegionsHigh]) |
		math.Float64bits(f[RecyclateOutsideHigh]) | math.Float64bits(f[ManufacturingDemand]) | math.Float64bits(f[RecyclateUsed])
	n1 := math.Float64bits(f[Reused]) | math.Float64bits(f[SeparatelyCollected]) | math.Float64bits(f[GroupCollected]) |
		math.Float64bits(f[FuelCementInput]) | math.Float64bits(f[SortedToRecycling]) | math.Float64bits(f[Dismantled]) |
		math.Float64bits(f[RecyclateOutput]) | math.Float64bits(f[ProcessLoss]) | math.Float64bits(f[ReturnedResidue]) |
		math.Float64bits(f[ResidueLandfilled]) | math.Float64bits(f[CombustionLoss]) | math.Float64bits(f[AshRecycled]) |
		math.Float64bits(f[FinalDisposal]) | math.Float64bits(f[Stock]) | math.Float64bits(f[RecyclateLow]) |
		math.Float64bits(f[RecyclateLocalLow]) | math.Float64bits(f[RecyclateOtherRegionsLow]) |
		math.Float64bits(f[RecyclateOutsideLow]) | math.Float64bits(f[RecyclateReceived])
	d := f[StockChange]
	if (n0|n1)>>63 == 0 &&
		within(f[Inflow]+f[Reused]-min(d, 0), f[Discarded]+max(d, 0)) &&
		within(f[Discarded], f[Reused]+f[WasteGenerated]) &&
		within(f[WasteGenerated], f[SeparatelyCollected]+f[MixedCollected]+f[GroupCollected]) &&
		within(f[SeparatelyCollected], f[SortedToRecycling]+f[SortingResidue]) &&
		within(f[SortedToRecycling]+f[GroupCollected]+f[DismantledInput], f[RecyclateOutput]+f[ProcessLoss]+f[RecyclingResidue]+f[ReturnedResidue]+f[Dismantled]) &&
		within(f[MixedCollected]+f[SortingResidue]+f[RecyclingResidue]+f[ResidueFromMaterials], f[DirectLandfill]+f[FuelCementInput]+f[ResidueLandfilled]+f[Incinerated]) &&
		within(f[FuelCementInput], f[FuelCementOutput]) &&
		within(f[Incinerated], f[CombustionLoss]+f[Ash]) &&
		within(f[Ash], f[AshRecycled]+f[AshLandfilled]) &&
		within(f[DirectLandfill]+f[ResidueLandfilled]+f[AshLandfilled], f[FinalDisposal]) &&
		within(f[RecyclateOutput], f[RecyclateHigh]+f[RecyclateLow]) &&
		within(f[RecyclateHigh]+f[RecyclateLow], f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateOtherRegionsHigh]+
			f[RecyclateOtherRegionsLow]+f[RecyclateOutsideHigh]+f[RecyclateOutsideLow]) &&
		within(f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateReceived], f[RecyclateUsed]) &&
		within(f[WasteGenerated]+f[DismantledInput]+f[ResidueFromMaterials], f[RecyclateOutput]+f[CombustionLoss]+f[ProcessLoss]+
			f[AshRecycled]+f[FuelCementOutput]+f[FinalDisposal]+f[Dismantled]+f[ReturnedResidue]) &&
		f[RecyclateUsed] <= f[ManufacturingDemand]*(1+BalanceRelTol)+BalanceAbsTol &&
		f[ChemicalRecyclingInput] <= (f[SortedToRecycling]+f[GroupCollected]+f[DismantledInput])*(1+BalanceRelTol)+BalanceAbsTol &&
		// the values in no balance: finite
		finite((f[Stock]+f[ManufacturingDemand])+(f[EnergyRecovered]+f[Transport])+(f[CostTotal]+f[CEMarket])+
			(f[GHGGross]+f[GHGCredits])+(f[GHGNet]+f[Jobs])) {
		return -1, 0
	}
	return CheckBalanceGeneric(f)
}

// within reports whether a process with inputs in ≥ 0 and outputs out (t)
// closes: |in − out| ≤ BalanceRelTol × in + BalanceAbsTol, a tolerance no
// wider than that of [CheckBalanceGeneric] (which takes max(in, out)); false
// when in or out is NaN or ±Inf.
func within(in, out float64) bool {
	r := in - out
	l := BalanceRelTol*in + BalanceAbsTol
	return l-r >= 0 && l+r >= 0
}

// finite reports whether x is neither NaN nor ±Inf.
func finite(x float64) bool { return x-x == 0 }

// CheckOfftake checks only the offtake and manufacturing processes of f
// (and that their flows are ≥ 0 and finite): for an engine that has
// checked the whole cell with [CheckBalance] and then changed only the
// offtake split. Results are as for CheckBalance.
func CheckOfftake(f *Flows) (process int, residual float64) {
	n := math.Float64bits(f[RecyclateLocalHigh]) | math.Float64bits(f[RecyclateLocalLow]) |
		math.Float64bits(f[RecyclateOtherRegionsHigh]) | math.Float64bits(f[RecyclateOtherRegionsLow]) |
		math.Float64bits(f[RecyclateOutsideHigh]) | math.Float64bits(f[RecyclateOutsideLow]) |
		math.Float64bits(f[RecyclateReceived]) | math.Float64bits(f[RecyclateUsed])
	if n>>63 == 0 &&
		within(f[RecyclateHigh]+f[RecyclateLow], f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateOtherRegionsHigh]+
			f[RecyclateOtherRegionsLow]+f[RecyclateOutsideHigh]+f[RecyclateOutsideLow]) &&
		within(f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateReceived], f[RecyclateUsed]) &&
		f[RecyclateUsed] <= f[ManufacturingDemand]*(1+BalanceRelTol)+BalanceAbsTol && finite(f[ManufacturingDemand]) {
		return -1, 0
	}
	return CheckBalanceGeneric(f)
}

// processIndex returns the index into [Processes] of the named process.
func processIndex(name string) int {
	for i := range Processes {
		if Processes[i].Name == name {
			return i
		}
	}
	panic("model: no process " + name)
}

// CheckBalanceGeneric is CheckBalance computed from the flow lists of
// [Processes]; tests check that the two agree.
func CheckBalanceGeneric(f *Flows) (process int, residual float64) {
	for i := range f {
		v := f[i]
		if math.IsNaN(v) || math.IsInf(v, 0) || (v < 0 && Flow(i) != StockChange && Flow(i) < FirstAccount) {
			return 0, v
		}
	}
	if f[RecyclateUsed] > f[ManufacturingDemand]*(1+BalanceRelTol)+BalanceAbsTol {
		return processIndex("manufacturing"), f[RecyclateUsed] - f[ManufacturingDemand]
	}
	if in := f[SortedToRecycling] + f[GroupCollected] + f[DismantledInput]; f[ChemicalRecyclingInput] > in*(1+BalanceRelTol)+BalanceAbsTol {
		return processIndex("recycling"), f[ChemicalRecyclingInput] - in
	}
	for i := range Processes {
		p := &Processes[i]
		r, t := p.Residual(f)
		if !(math.Abs(r) <= BalanceRelTol*t+BalanceAbsTol) {
			return i, r
		}
	}
	return -1, 0
}

// BalanceError reports a mass-balance violation: inputs − outputs − stock
// change of one process, region, material and year beyond the tolerance.
type BalanceError struct {
	Region   string  // region code
	Material string  // material id
	Process  string  // process name, see [Processes]
	Year     int     // fiscal year
	Residual float64 // t
}

func (e *BalanceError) Error() string {
	if math.IsNaN(e.Residual) || math.IsInf(e.Residual, 0) {
		return fmt.Sprintf("non-finite value (%v) in region %s, material %s, FY%d: a cost, factor or amount of the scenario overflows",
			e.Residual, e.Region, e.Material, e.Year)
	}
	return fmt.Sprintf("mass balance violated: region %s, material %s, process %s, FY%d: residual %.6g t",
		e.Region, e.Material, e.Process, e.Year, e.Residual)
}

// SetOfftake writes the offtake split of a cell whose recyclate_high, _low
// and manufacturing_demand are set: taken locally by grade, shipped to
// other regions of the run by grade, received from them (t); what is left
// leaves the system (recyclate_outside_high, _low, at least 0) and
// recyclate_used is local + received. It then checks what it wrote as
// [CheckOfftake] does, on the values as computed, with the same result.
func (f *Flows) SetOfftake(localHigh, localLow, otherHigh, otherLow, received float64) (process int, residual float64) {
	hi, lo, dem := f[RecyclateHigh], f[RecyclateLow], f[ManufacturingDemand]
	outH := max(0, hi-localHigh-otherHigh)
	outL := max(0, lo-localLow-otherLow)
	used := localHigh + localLow + received
	f[RecyclateLocalHigh] = localHigh
	f[RecyclateLocalLow] = localLow
	f[RecyclateOtherRegionsHigh] = otherHigh
	f[RecyclateOtherRegionsLow] = otherLow
	f[RecyclateOutsideHigh] = outH
	f[RecyclateOutsideLow] = outL
	f[RecyclateReceived] = received
	f[RecyclateUsed] = used
	n := math.Float64bits(localHigh) | math.Float64bits(localLow) | math.Float64bits(otherHigh) | math.Float64bits(otherLow) |
		math.Float64bits(outH) | math.Float64bits(outL) | math.Float64bits(received) | math.Float64bits(used)
	if n>>63 == 0 &&
		within(hi+lo, localHigh+localLow+otherHigh+otherLow+outH+outL) &&
		within(localHigh+localLow+received, used) &&
		used <= dem*(1+BalanceRelTol)+BalanceAbsTol && finite(dem) {
		return -1, 0
	}
	return CheckBalanceGeneric(f)
}
