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
// "system" is the whole chain of one cell: waste_generated +
// dismantled_input + residue_from_materials = Σ [Sinks] + dismantled +
// returned_residue (the last terms are transfers between the rows of
// products and of their materials, which cancel in sums over a region).
var Processes = []Process{
	{"use", []Flow{Inflow, Reused}, []Flow{Discarded}, true},
	{"reuse", []Flow{Discarded}, []Flow{Reused, WasteGenerated}, false},
	{"collection", []Flow{WasteGenerated}, []Flow{SeparatelyCollected, MixedCollected}, false},
	{"sorting", []Flow{SeparatelyCollected}, []Flow{SortedToRecycling, SortingResidue}, false},
	{"recycling", []Flow{SortedToRecycling, DismantledInput}, []Flow{RecyclateOutput, ProcessLoss, RecyclingResidue, ReturnedResidue, Dismantled}, false},
	{"dispatch", []Flow{MixedCollected, SortingResidue, RecyclingResidue, ResidueFromMaterials}, []Flow{DirectLandfill, ResidueLandfilled, Incinerated}, false},
	{"incineration", []Flow{Incinerated}, []Flow{CombustionLoss, Ash}, false},
	{"ash_treatment", []Flow{Ash}, []Flow{AshRecycled, AshLandfilled}, false},
	{"landfill", []Flow{DirectLandfill, ResidueLandfilled, AshLandfilled}, []Flow{FinalDisposal}, false},
	{"grading", []Flow{RecyclateOutput}, []Flow{RecyclateHigh, RecyclateLow}, false},
	{"offtake", []Flow{RecyclateHigh, RecyclateLow}, []Flow{RecyclateLocalHigh, RecyclateLocalLow,
		RecyclateOtherRegionsHigh, RecyclateOtherRegionsLow, RecyclateOutsideHigh, RecyclateOutsideLow}, false},
	{"manufacturing", []Flow{RecyclateLocalHigh, RecyclateLocalLow, RecyclateReceived}, []Flow{RecyclateUsed}, false},
	{"system", []Flow{WasteGenerated, DismantledInput, ResidueFromMaterials}, []Flow{RecyclateOutput, CombustionLoss, ProcessLoss, AshRecycled, FinalDisposal, Dismantled, ReturnedResidue}, false},
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
	ok := true
	var sum float64
	for i := Flow(0); i < FirstAccount; i++ {
		v := f[i]
		ok = ok && (v >= 0 || i == StockChange)
		sum += v
	}
	for i := FirstAccount; i < NumFlows; i++ {
		sum += f[i]
	}
	ok = ok && sum-sum == 0 // no NaN, no ±Inf anywhere
	close := func(in, out float64) bool {
		r := in - out
		t := in
		if out > t {
			t = out
		}
		lim := BalanceRelTol*t + BalanceAbsTol
		return r <= lim && -r <= lim
	}
	use := f[Inflow] + f[Reused] - f[StockChange]
	ok = ok && close(use, f[Discarded]) &&
		close(f[Discarded], f[Reused]+f[WasteGenerated]) &&
		close(f[WasteGenerated], f[SeparatelyCollected]+f[MixedCollected]) &&
		close(f[SeparatelyCollected], f[SortedToRecycling]+f[SortingResidue]) &&
		close(f[SortedToRecycling]+f[DismantledInput], f[RecyclateOutput]+f[ProcessLoss]+f[RecyclingResidue]+f[ReturnedResidue]+f[Dismantled]) &&
		close(f[MixedCollected]+f[SortingResidue]+f[RecyclingResidue]+f[ResidueFromMaterials], f[DirectLandfill]+f[ResidueLandfilled]+f[Incinerated]) &&
		close(f[Incinerated], f[CombustionLoss]+f[Ash]) &&
		close(f[Ash], f[AshRecycled]+f[AshLandfilled]) &&
		close(f[DirectLandfill]+f[ResidueLandfilled]+f[AshLandfilled], f[FinalDisposal]) &&
		close(f[RecyclateOutput], f[RecyclateHigh]+f[RecyclateLow]) &&
		close(f[RecyclateHigh]+f[RecyclateLow], f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateOtherRegionsHigh]+
			f[RecyclateOtherRegionsLow]+f[RecyclateOutsideHigh]+f[RecyclateOutsideLow]) &&
		close(f[RecyclateLocalHigh]+f[RecyclateLocalLow]+f[RecyclateReceived], f[RecyclateUsed]) &&
		close(f[WasteGenerated]+f[DismantledInput]+f[ResidueFromMaterials], f[RecyclateOutput]+f[CombustionLoss]+f[ProcessLoss]+
			f[AshRecycled]+f[FinalDisposal]+f[Dismantled]+f[ReturnedResidue]) &&
		f[RecyclateUsed] <= f[ManufacturingDemand]*(1+BalanceRelTol)+BalanceAbsTol &&
		f[ChemicalRecyclingInput] <= (f[SortedToRecycling]+f[DismantledInput])*(1+BalanceRelTol)+BalanceAbsTol
	if ok {
		return -1, 0
	}
	return CheckBalanceGeneric(f)
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
		return 11, f[RecyclateUsed] - f[ManufacturingDemand]
	}
	if in := f[SortedToRecycling] + f[DismantledInput]; f[ChemicalRecyclingInput] > in*(1+BalanceRelTol)+BalanceAbsTol {
		return 4, f[ChemicalRecyclingInput] - in
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
