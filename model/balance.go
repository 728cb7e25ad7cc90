package model

import (
	"fmt"
	"math"
)

// Process is one process of the chain with the flows entering and leaving
// it. A process has no stock, except the landfill, whose stock change is
// final_disposal (so inputs − outputs − stock change is written with
// final_disposal among the outputs).
type Process struct {
	Name    string
	Inputs  []Flow
	Outputs []Flow
}

// Processes lists the processes whose mass balance is checked each step.
// "system" is the whole chain: waste_generated = Σ [Sinks].
var Processes = []Process{
	{"reuse", []Flow{Discarded}, []Flow{Reused, WasteGenerated}},
	{"collection", []Flow{WasteGenerated}, []Flow{SeparatelyCollected, MixedCollected}},
	{"sorting", []Flow{SeparatelyCollected}, []Flow{SortedToRecycling, SortingResidue}},
	{"recycling", []Flow{SortedToRecycling}, []Flow{RecyclateOutput, ProcessLoss, RecyclingResidue}},
	{"dispatch", []Flow{MixedCollected, SortingResidue, RecyclingResidue}, []Flow{DirectLandfill, ResidueLandfilled, Incinerated}},
	{"incineration", []Flow{Incinerated}, []Flow{CombustionLoss, Ash}},
	{"ash_treatment", []Flow{Ash}, []Flow{AshRecycled, AshLandfilled}},
	{"landfill", []Flow{DirectLandfill, ResidueLandfilled, AshLandfilled}, []Flow{FinalDisposal}},
	{"system", []Flow{WasteGenerated}, Sinks[:]},
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
	return in - out, math.Max(in, out)
}

// CheckBalance returns the index into [Processes] of the first process of f
// whose residual exceeds the tolerance, with that residual (t), or −1 when
// all close. A negative or non-finite flow counts as a violation of the
// first process (residual = the flow's value). It is the hot-path form of
// [CheckBalanceGeneric], with the sums of [Processes] written out.
func CheckBalance(f *Flows) (process int, residual float64) {
	for i := range f {
		if v := f[i]; !(v >= 0) || v > math.MaxFloat64 {
			return 0, v
		}
	}
	type pr struct{ in, out float64 }
	ps := [...]pr{
		{f[Discarded], f[Reused] + f[WasteGenerated]},
		{f[WasteGenerated], f[SeparatelyCollected] + f[MixedCollected]},
		{f[SeparatelyCollected], f[SortedToRecycling] + f[SortingResidue]},
		{f[SortedToRecycling], f[RecyclateOutput] + f[ProcessLoss] + f[RecyclingResidue]},
		{f[MixedCollected] + f[SortingResidue] + f[RecyclingResidue], f[DirectLandfill] + f[ResidueLandfilled] + f[Incinerated]},
		{f[Incinerated], f[CombustionLoss] + f[Ash]},
		{f[Ash], f[AshRecycled] + f[AshLandfilled]},
		{f[DirectLandfill] + f[ResidueLandfilled] + f[AshLandfilled], f[FinalDisposal]},
		{f[WasteGenerated], f[RecyclateOutput] + f[CombustionLoss] + f[ProcessLoss] + f[AshRecycled] + f[FinalDisposal]},
	}
	for i, p := range ps {
		r := p.in - p.out
		if !(math.Abs(r) <= BalanceRelTol*math.Max(p.in, p.out)+BalanceAbsTol) {
			return i, r
		}
	}
	return -1, 0
}

// CheckBalanceGeneric is CheckBalance computed from the flow lists of
// [Processes]; tests check that the two agree.
func CheckBalanceGeneric(f *Flows) (process int, residual float64) {
	for i := range f {
		if v := f[i]; !(v >= 0) || v > math.MaxFloat64 {
			return 0, v
		}
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
	return fmt.Sprintf("mass balance violated: region %s, material %s, process %s, FY%d: residual %.6g t",
		e.Region, e.Material, e.Process, e.Year, e.Residual)
}
