package model

// Flow identifies one mass flow of the chain of DESIGN §5. Every flow is in
// tonnes per fiscal year for one region and material.
type Flow int

// The flows, in output order. See [Flows.Step] for the equations.
const (
	Discarded           Flow = iota // products leaving use (input of reuse)
	Reused                          // discarded and returned to use, not waste
	WasteGenerated                  // ごみ総排出量: discarded − reused
	SeparatelyCollected             // 分別収集: input of sorting
	MixedCollected                  // 混合収集
	DirectLandfill                  // 直接埋立: mixed waste landfilled untreated
	SortedToRecycling               // sorting output sent to recycling (資源化量)
	SortingResidue                  // sorting output rejected
	RecyclateOutput                 // recycling output: secondary material (sink)
	ProcessLoss                     // water and carbon lost in recycling or composting (sink)
	RecyclingResidue                // recycling output rejected
	ResidueLandfilled               // sorting and recycling residues landfilled directly
	Incinerated                     // input of incineration: mixed + residues
	CombustionLoss                  // incinerated mass lost to air (sink)
	Ash                             // bottom and fly ash (焼却残渣)
	AshRecycled                     // ash sent to recycling, e.g. cement (sink)
	AshLandfilled                   // ash landfilled
	FinalDisposal                   // 最終処分量: direct + residues + ash landfilled (sink)
	NumFlows                        // number of flows
)

var flowNames = [NumFlows]string{
	"discarded", "reused", "waste_generated", "separately_collected",
	"mixed_collected", "direct_landfill", "sorted_to_recycling",
	"sorting_residue", "recyclate_output", "process_loss",
	"recycling_residue", "residue_landfilled", "incinerated",
	"combustion_loss", "ash", "ash_recycled", "ash_landfilled",
	"final_disposal",
}

// String returns the output name of the flow, e.g. "waste_generated".
func (f Flow) String() string {
	if f < 0 || f >= NumFlows {
		return "flow?"
	}
	return flowNames[f]
}

// FlowByName returns the flow with the given output name.
func FlowByName(name string) (Flow, bool) {
	for i, n := range flowNames {
		if n == name {
			return Flow(i), true
		}
	}
	return 0, false
}

// Flows holds one value per flow, in t, for one region, material and step.
type Flows [NumFlows]float64

// Param identifies one transfer coefficient or factor of a region and
// material. All are fractions in [0, 1] except GenerationFactor, a
// dimensionless multiplier ≥ 0 on the base-year generation.
type Param int

// The parameters of one region × material cell.
const (
	GenerationFactor    Param = iota // multiplier on base discards (1 = base year); elements lower it
	ReuseShare                       // share of discarded that is reused
	SeparateCollection               // share of waste generated that is separately collected
	SortingYield                     // share of separately collected sent to recycling
	RecyclingYield                   // share of sorted_to_recycling that becomes recyclate
	ProcessLossShare                 // share of sorted_to_recycling lost to air and water
	ResidueLandfill                  // share of sorting and recycling residues landfilled directly
	DirectLandfillShare              // share of mixed collection landfilled untreated
	AshContent                       // share of incinerated mass left as ash
	AshRecycling                     // share of ash recycled
	NumParams                        // number of parameters
)

var paramNames = [NumParams]string{
	"generation_factor", "reuse_share", "separate_collection_share",
	"sorting_yield", "recycling_yield", "process_loss_share",
	"residue_landfill_share", "direct_landfill_share", "ash_content",
	"ash_recycling_share",
}

// String returns the scenario key of the parameter, e.g. "sorting_yield".
func (p Param) String() string {
	if p < 0 || p >= NumParams {
		return "param?"
	}
	return paramNames[p]
}

// ParamByName returns the parameter with the given scenario key.
func ParamByName(name string) (Param, bool) {
	for i, n := range paramNames {
		if n == name {
			return Param(i), true
		}
	}
	return 0, false
}

// ParamNames returns the scenario keys of all parameters in order.
func ParamNames() []string { return append([]string(nil), paramNames[:]...) }

// Params holds the parameters of one region × material cell.
type Params [NumParams]float64

// Clamp forces p into its domain: shares into [0, 1], GenerationFactor ≥ 0,
// and ProcessLossShare ≤ 1 − RecyclingYield. Elements call it after
// changing values so that no flow becomes negative.
func (p *Params) Clamp() {
	if !(p[GenerationFactor] >= 0) {
		p[GenerationFactor] = 0
	}
	for i := ReuseShare; i < NumParams; i++ {
		p[i] = clamp01(p[i])
	}
	if p[ProcessLossShare] > 1-p[RecyclingYield] {
		p[ProcessLossShare] = 1 - p[RecyclingYield]
	}
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also NaN
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// Step computes every flow of one region, material and fiscal year from the
// mass discarded (t) and the cell's parameters, writing into f. The chain
// (DESIGN §5):
//
//	reused               = discarded × ReuseShare
//	waste_generated      = discarded − reused
//	separately_collected = waste_generated × SeparateCollection
//	mixed_collected      = waste_generated − separately_collected
//	direct_landfill      = mixed_collected × DirectLandfillShare
//	sorted_to_recycling  = separately_collected × SortingYield
//	sorting_residue      = separately_collected − sorted_to_recycling
//	recyclate_output     = sorted_to_recycling × RecyclingYield
//	process_loss         = sorted_to_recycling × ProcessLossShare
//	recycling_residue    = sorted_to_recycling − recyclate_output − process_loss
//	residue_landfilled   = (sorting_residue + recycling_residue) × ResidueLandfill
//	incinerated          = mixed_collected − direct_landfill + residues − residue_landfilled
//	ash                  = incinerated × AshContent
//	combustion_loss      = incinerated − ash
//	ash_recycled         = ash × AshRecycling
//	ash_landfilled       = ash − ash_recycled
//	final_disposal       = direct_landfill + residue_landfilled + ash_landfilled
//
// Each remainder is computed by subtraction, so every process closes to
// rounding. p must be within its domain (see [Params.Clamp]); then no flow
// is negative. Step does not allocate.
func (f *Flows) Step(discarded float64, p *Params) {
	f[Discarded] = discarded
	f[Reused] = discarded * p[ReuseShare]
	w := discarded - f[Reused]
	f[WasteGenerated] = w
	s := w * p[SeparateCollection]
	f[SeparatelyCollected] = s
	m := w - s
	f[MixedCollected] = m
	dl := m * p[DirectLandfillShare]
	f[DirectLandfill] = dl
	r := s * p[SortingYield]
	f[SortedToRecycling] = r
	sres := s - r
	f[SortingResidue] = sres
	ro := r * p[RecyclingYield]
	pl := r * p[ProcessLossShare]
	f[RecyclateOutput] = ro
	f[ProcessLoss] = pl
	rres := r - ro - pl
	if rres < 0 { // rounding only: yield + loss ≤ 1
		rres = 0
		f[ProcessLoss] = r - ro
	}
	f[RecyclingResidue] = rres
	res := sres + rres
	rl := res * p[ResidueLandfill]
	f[ResidueLandfilled] = rl
	inc := (m - dl) + (res - rl)
	f[Incinerated] = inc
	ash := inc * p[AshContent]
	f[Ash] = ash
	f[CombustionLoss] = inc - ash
	ar := ash * p[AshRecycling]
	f[AshRecycled] = ar
	f[AshLandfilled] = ash - ar
	f[FinalDisposal] = dl + rl + (ash - ar)
}

// Sinks lists the flows where every tonne of waste_generated ends
// (DESIGN §5): waste_generated = Σ sinks.
var Sinks = [...]Flow{RecyclateOutput, CombustionLoss, ProcessLoss, AshRecycled, FinalDisposal}
