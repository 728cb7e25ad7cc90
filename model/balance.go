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
// It is the hot path: a branch-light test of every condition, falling back
// to [CheckBalanceGeneric] to name the failing process.
func CheckBalance(f *Flows) (process int, residual float64) {
	// The sign bits of the mass flows (but StockChange) ORed together: set
	// when one is negative, NaN with its sign set, or −0 (then the
	// generic check decides); and the sum of every value in four lanes,
	// NaN or ±Inf when one is (or when the sum overflows, ditto). Several
	// accumulators keep the dependency chains short.
	var neg0, neg1 uint64
	var s0, s1, s2, s3 float64
	for i := Flow(0); i+1 < StockChange; i += 2 {
		neg0 |= math.Float64bits(f[i])
		neg1 |= math.Float64bits(f[i+1])
		s0 += f[i]
		s1 += f[i+1]
	}
	if StockChange%2 == 1 {
		neg0 |= math.Float64bits(f[StockChange-1])
		s0 += f[StockChange-1]
	}
	for i := StockChange + 1; i+1 < FirstAccount; i += 2 {
		neg0 |= math.Float64bits(f[i])
		neg1 |= math.Float64bits(f[i+1])
		s2 += f[i]
		s3 += f[i+1]
	}
	if (FirstAccount-StockChange-1)%2 == 1 {
		neg1 |= math.Float64bits(f[FirstAccount-1])
		s3 += f[FirstAccount-1]
	}
	for i := FirstAccount; i < NumFlows; i++ {
		s1 += f[i]
	}
	s2 += f[StockChange]
	sum := (s0 + s1) + (s2 + s3)
	ok := (neg0|neg1)>>63 == 0 && sum-sum == 0 && // no negative mass flow, no NaN nor ±Inf anywhere
		closes(f[Inflow]+f[Reused]-f[StockChange], f[Discarded]) &&
		closes(f[Discarded], f[Reused]+f[WasteGenerated]) &&
		closes(f[WasteGenerated], f[SeparatelyCollected]+f[MixedCollected]+f[GroupCollected]) &&
		closes(f[SeparatelyCollected], f[SortedToRecycling]+f[SortingResidue]) &&
		closes(f[SortedToRecycling]+f[GroupCollected]+f[DismantledInput], f[RecyclateOutput]+f[ProcessLoss]+f[RecyclingResidue]+f[ReturnedResidue]+f[Dismantled]) &&
		closes(f[MixedCollected]+f[SortingResidue]+f[RecyclingResidue]+f[ResidueFromMaterials], f[DirectLandfill]+f[FuelCementInput]+f[ResidueLandfilled]+f[Incinerated]) &&
		closes(f[FuelCementInput], f[FuelCementOutput]) &&
		closes(f[Incinerated], f[CombustionLoss]+f[Ash]) &&
		closes(f[Ash], f[AshRecycled]+f[AshLandfilled]) &&
		closes(f[DirectLandfill]+f[ResidueLandfilled]+f[AshLandfilled], f[FinalDisposal]) &&
		closes(f[RecyclateOutput], f[RecyclateHigh]+f[RecyclateLow]) &&
		closes(f[RecyclateHigh]+f[RecyclateLow], f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateOtherRegionsHigh]+
			f[RecyclateOtherRegionsLow]+f[RecyclateOutsideHigh]+f[RecyclateOutsideLow]) &&
		closes(f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateReceived], f[RecyclateUsed]) &&
		closes(f[WasteGenerated]+f[DismantledInput]+f[ResidueFromMaterials], f[RecyclateOutput]+f[CombustionLoss]+f[ProcessLoss]+
			f[AshRecycled]+f[FuelCementOutput]+f[FinalDisposal]+f[Dismantled]+f[ReturnedResidue]) &&
		f[RecyclateUsed] <= f[ManufacturingDemand]*(1+BalanceRelTol)+BalanceAbsTol &&
		f[ChemicalRecyclingInput] <= (f[SortedToRecycling]+f[GroupCollected]+f[DismantledInput])*(1+BalanceRelTol)+BalanceAbsTol
	if ok {
		return -1, 0
	}
	return CheckBalanceGeneric(f)
}

// CheckOfftake checks only the offtake and manufacturing processes of f
// (and that their flows are ≥ 0): for an engine that has checked the whole
// cell with [CheckBalance] and then changed only the offtake split.
// Results are as for CheckBalance.
func CheckOfftake(f *Flows) (process int, residual float64) {
	ok := f[RecyclateLocalHigh] >= 0 && f[RecyclateLocalLow] >= 0 && f[RecyclateOtherRegionsHigh] >= 0 &&
		f[RecyclateOtherRegionsLow] >= 0 && f[RecyclateOutsideHigh] >= 0 && f[RecyclateOutsideLow] >= 0 &&
		f[RecyclateReceived] >= 0 && f[RecyclateUsed] >= 0 &&
		closes(f[RecyclateHigh]+f[RecyclateLow], f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateOtherRegionsHigh]+
			f[RecyclateOtherRegionsLow]+f[RecyclateOutsideHigh]+f[RecyclateOutsideLow]) &&
		closes(f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateReceived], f[RecyclateUsed]) &&
		f[RecyclateUsed] <= f[ManufacturingDemand]*(1+BalanceRelTol)+BalanceAbsTol
	if ok {
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

// closes reports whether inputs in and outputs out (t) of a process agree
// within the tolerance.
func closes(in, out float64) bool {
	r := in - out
	t := in
	if out > t {
		t = out
	}
	l := BalanceRelTol*t + BalanceAbsTol
	return r <= l && -r <= l
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
