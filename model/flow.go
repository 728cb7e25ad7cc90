package model

import "math"

// Flow identifies one mass flow of the chain of DESIGN §5. Every flow is in
// tonnes per fiscal year for one region and material.
type Flow int

// The flows, in output order. See [Flows.Step] for the equations.
const (
	Discarded                 Flow = iota // products leaving use (input of reuse)
	Reused                                // discarded and returned to use, not waste
	WasteGenerated                        // ごみ総排出量: discarded − reused
	SeparatelyCollected                   // 分別収集: input of sorting (of dismantling, for products)
	MixedCollected                        // 混合収集
	GroupCollected                        // 集団回収: delivered by residents' groups straight to recyclers, outside municipal collection
	DirectLandfill                        // 直接埋立: mixed waste landfilled untreated
	FuelCementInput                       // mixed waste sent to fuel or cement routes (燃料化, セメント原料化, 山元還元)
	FuelCementOutput                      // fuel (RDF/RPF) or clinker raw material made of it (sink; in R, not in R′)
	SortedToRecycling                     // sorting output sent to recycling (資源化量); for products, dismantled mass
	SortingResidue                        // sorting (dismantling) output rejected
	Dismantled                            // products only: dismantled mass handed to the recycling of its materials
	DismantledInput                       // materials only: mass from dismantled products entering recycling
	RecyclateOutput                       // recycling output: secondary material (sink)
	ChemicalRecyclingInput                // part of the recycling input sent to chemical recycling
	ProcessLoss                           // water and carbon lost in recycling or composting (sink)
	RecyclingResidue                      // recycling output rejected (of the material's own sorted input)
	ReturnedResidue                       // materials only: recycling residue of dismantled input, returned to the products
	ResidueFromMaterials                  // products only: residue of recycling their dismantled materials
	ResidueLandfilled                     // sorting and recycling residues landfilled directly
	Incinerated                           // input of incineration: mixed + residues
	CombustionLoss                        // incinerated mass lost to air (sink)
	Ash                                   // bottom and fly ash (焼却残渣)
	AshRecycled                           // ash sent to recycling, e.g. cement (sink)
	AshLandfilled                         // ash landfilled
	FinalDisposal                         // 最終処分量: direct + residues + ash landfilled (sink)
	Inflow                                // products put into use (new; for non-durables discarded − reused)
	Stock                                 // in-use stock at the end of the year (t, a level)
	StockChange                           // change of the in-use stock over the year
	RecyclateHigh                         // recyclate output of high grade
	RecyclateLow                          // recyclate output of low grade
	RecyclateLocalHigh                    // high-grade recyclate taken by the region's own manufacturers
	RecyclateLocalLow                     // low-grade recyclate taken locally
	RecyclateOtherRegionsHigh             // high-grade recyclate shipped to other regions of the run
	RecyclateOtherRegionsLow              // low-grade recyclate shipped to other regions of the run
	RecyclateOutsideHigh                  // high-grade recyclate leaving the system
	RecyclateOutsideLow                   // low-grade recyclate leaving the system
	ManufacturingDemand                   // material input of the region's manufacturers
	RecyclateReceived                     // recyclate received from other regions of the run
	RecyclateUsed                         // recyclate used by the region's manufacturers: local + received
	// Accounts: quantities that are not mass, in the unit [Flow.Unit] gives.
	EnergyRecovered // MWh: incinerated × energy_recovered_per_t
	Transport       // t·km: collected × collection_distance_km × detour_factor
	CostTotal       // JPY: collection, sorting, recycling, incineration, landfill, ash recycling, element costs, minus electricity sold
	CEMarket        // JPY: recyclate sold by grade + electricity sold (CE market size)
	GHGGross        // tCO2e: incineration, landfill, recycling processes, transport
	GHGCredits      // tCO2e: avoided virgin production (recyclate) and grid electricity (energy recovered)
	GHGNet          // tCO2e: gross − credits
	Jobs            // FTE: employment factors × tonnes per process
	NumFlows        // number of flows
)

// FirstAccount is the first flow that is not a mass; mass flows are
// [Discarded] … [RecyclateUsed].
const FirstAccount = EnergyRecovered

var flowNames = [NumFlows]string{
	"discarded", "reused", "waste_generated", "separately_collected",
	"mixed_collected", "group_collected", "direct_landfill", "fuel_cement_input", "fuel_cement_output", "sorted_to_recycling",
	"sorting_residue", "dismantled", "dismantled_input", "recyclate_output", "chemical_recycling_input", "process_loss",
	"recycling_residue", "returned_residue", "residue_from_materials", "residue_landfilled", "incinerated",
	"combustion_loss", "ash", "ash_recycled", "ash_landfilled",
	"final_disposal", "inflow", "stock", "stock_change",
	"recyclate_high", "recyclate_low", "recyclate_local_high", "recyclate_local_low",
	"recyclate_other_regions_high", "recyclate_other_regions_low",
	"recyclate_outside_high", "recyclate_outside_low",
	"manufacturing_demand", "recyclate_received", "recyclate_used",
	"energy_recovered", "transport", "cost_total", "ce_market",
	"ghg_gross", "ghg_credits", "ghg_net", "jobs",
}

// Unit returns the output unit of the flow: "t" for mass flows, else the
// account's unit (MWh, t·km, JPY, tCO2e, FTE).
func (f Flow) Unit() string {
	switch f {
	case EnergyRecovered:
		return "MWh"
	case Transport:
		return "t·km"
	case CostTotal, CEMarket:
		return "JPY"
	case GHGGross, GHGCredits, GHGNet:
		return "tCO2e"
	case Jobs:
		return "FTE"
	}
	return "t"
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
// dimensionless multiplier ≥ 0 on the base-year generation, and
// LifetimeExtension, the relative lengthening (> −1) of product lifetimes.
type Param int

// The parameters of one region × material cell: first the shares (in
// [0, 1]), then LifetimeExtension, then the economic factors (any finite
// value; costs may be negative where the recycler pays).
const (
	GenerationFactor         Param = iota // multiplier on base discards (1 = base year); elements lower it
	ReuseShare                            // share of discarded that is reused
	SeparateCollection                    // share of waste generated (net of group collection) that is separately collected
	GroupCollectionShare                  // share of waste generated collected by residents' groups (集団回収); materials only
	SortingYield                          // share of separately collected sent to recycling (dismantling yield, for products)
	RecyclingYield                        // share of sorted_to_recycling that becomes recyclate
	ProcessLossShare                      // share of sorted_to_recycling lost to air and water
	ResidueLandfill                       // share of sorting and recycling residues landfilled directly
	DirectLandfillShare                   // share of mixed collection landfilled untreated
	FuelCementShare                       // share of mixed collection not landfilled sent to fuel or cement routes
	AshContent                            // share of incinerated mass left as ash
	AshRecycling                          // share of ash recycled
	HighGradeShare                        // share of recyclate output of high grade
	MaxRecycledContent                    // maximum share of recyclate in the manufacturers' input of the material
	EnergySoldShare                       // share of energy recovered that is sold
	ChemicalShare                         // share of the recycling input sent to chemical recycling (own yield, cost and GHG)
	ChemicalYield                         // share of chemical recycling input that becomes (high-grade) recyclate
	LifetimeExtension                     // products: relative lengthening of the lifetimes of cohorts entering this year (0 = none)
	CostCollectionSeparate                // JPY/t separately collected
	CostCollectionMixed                   // JPY/t mixed collected
	CostSorting                           // JPY/t separately collected (sorting or dismantling)
	CostRecycling                         // JPY/t recycling input (gate fee; negative: the recycler pays)
	CostIncineration                      // JPY/t incinerated
	CostLandfill                          // JPY/t final disposal
	CostAshRecycling                      // JPY/t ash recycled
	ChemicalCost                          // JPY/t chemical recycling input
	ChemicalGHGProcess                    // tCO2e/t chemical recycling input
	ChemicalGHGCredit                     // tCO2e avoided per t chemical recycling input
	PriceRecyclateHigh                    // JPY/t high-grade recyclate
	PriceRecyclateLow                     // JPY/t low-grade recyclate
	PriceElectricity                      // JPY/MWh sold
	EnergyRecoveredPerT                   // MWh/t incinerated
	GHGIncineration                       // tCO2e/t incinerated (fossil carbon)
	GHGLandfill                           // tCO2e/t landfilled untreated (direct_landfill + residue_landfilled)
	GHGLandfillAsh                        // tCO2e/t ash landfilled
	GHGRecyclingProcess                   // tCO2e/t recycling input
	GHGCreditRecyclate                    // tCO2e avoided per t recyclate
	GridFactor                            // tCO2e/MWh of grid electricity displaced
	GHGTransportPerTKm                    // tCO2e/(t·km)
	GHGTransportPerTKmHaul                // tCO2e/(t·km) of transfer hauls in large trucks (beyond RelayKm)
	HaulKm                                // km straight-line from the region to a shared facility (wide-area consolidation), per t collected
	RelayKm                               // road km beyond which hauls go through a transfer (relay) station in large trucks
	CostHaulPerTKm                        // JPY per t·km of the haul to a shared facility (0 by default: no cited figure)
	CollectionDistanceKm                  // km straight-line haul per t collected
	DetourFactor                          // road km per straight-line km
	JobsCollection                        // FTE per 10,000 t collected
	JobsSorting                           // FTE per 10,000 t separately collected
	JobsRecycling                         // FTE per 10,000 t recycling input
	JobsIncineration                      // FTE per 10,000 t incinerated
	JobsLandfill                          // FTE per 10,000 t final disposal
	ElementCostPerTGenerated              // JPY/t waste generated: running costs of elements (e.g. incentive schemes)
	ElementCostPerTSorted                 // JPY/t separately collected: annualised element capital (e.g. AI sorting)
	NumParams                             // number of parameters
)

var paramNames = [NumParams]string{
	"generation_factor", "reuse_share", "separate_collection_share", "group_collection_share",
	"sorting_yield", "recycling_yield", "process_loss_share",
	"residue_landfill_share", "direct_landfill_share", "fuel_cement_share", "ash_content",
	"ash_recycling_share", "high_grade_share", "max_recycled_content",
	"energy_sold_share", "chemical_recycling_share", "chemical_recycling_yield", "lifetime_extension",
	"cost_collection_separate", "cost_collection_mixed", "cost_sorting", "cost_recycling",
	"cost_incineration", "cost_landfill", "cost_ash_recycling",
	"chemical_recycling_cost", "chemical_recycling_ghg_process", "chemical_recycling_ghg_credit",
	"price_recyclate_high", "price_recyclate_low", "price_electricity",
	"energy_recovered_per_t", "ghg_incineration", "ghg_landfill", "ghg_landfill_ash",
	"ghg_recycling_process", "ghg_credit_recyclate", "grid_factor", "ghg_transport_per_tkm",
	"ghg_transport_per_tkm_haul", "haul_km", "relay_km", "cost_haul_per_tkm",
	"collection_distance_km", "detour_factor",
	"jobs_collection", "jobs_sorting", "jobs_recycling", "jobs_incineration", "jobs_landfill",
	"element_cost_per_t_generated", "element_cost_per_t_sorted",
}

// IsShare reports whether the parameter is a fraction in [0, 1].
func (p Param) IsShare() bool { return p > GenerationFactor && p < LifetimeExtension }

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
	if !(p[LifetimeExtension] > -0.99) {
		p[LifetimeExtension] = -0.99
	}
	for i := ReuseShare; i < LifetimeExtension; i++ {
		p[i] = clamp01(p[i])
	}
	if p[DetourFactor] < 1 {
		p[DetourFactor] = 1
	}
	if p[ProcessLossShare] > 1-p[RecyclingYield] {
		p[ProcessLossShare] = 1 - p[RecyclingYield]
	}
}

// ClampParam forces parameter k of p into its domain, as [Params.Clamp]
// does for all of them; with k = RecyclingYield or ProcessLossShare it also
// keeps ProcessLossShare ≤ 1 − RecyclingYield.
func (p *Params) ClampParam(k Param) {
	switch {
	case k == GenerationFactor:
		if !(p[k] >= 0) {
			p[k] = 0
		}
	case k.IsShare():
		p[k] = clamp01(p[k])
		if (k == RecyclingYield || k == ProcessLossShare) && p[ProcessLossShare] > 1-p[RecyclingYield] {
			p[ProcessLossShare] = 1 - p[RecyclingYield]
		}
	case k == LifetimeExtension:
		if !(p[k] > -0.99) {
			p[k] = -0.99
		}
	case k == DetourFactor:
		if !(p[k] >= 1) {
			p[k] = 1
		}
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
// mass discarded (t) and the cell's parameters, writing into f. It is
// StepMaterial with no dismantled input.
func (f *Flows) Step(discarded float64, p *Params) { f.StepMaterial(discarded, 0, p) }

// StepMaterial computes the flows of a non-durable material cell from the
// mass discarded (t), the mass dismantledIn (t) of this material from
// dismantled products entering recycling, and the cell's parameters. The
// chain (DESIGN §5):
//
//	reused               = discarded × ReuseShare
//	waste_generated      = discarded − reused
//	inflow               = discarded − reused (consumption net of reuse; no stock)
//	group_collected      = waste_generated × GroupCollectionShare (集団回収)
//	separately_collected = (waste_generated − group_collected) × SeparateCollection
//	mixed_collected      = waste_generated − group_collected − separately_collected
//	direct_landfill      = mixed_collected × DirectLandfillShare
//	fuel_cement_input    = (mixed_collected − direct_landfill) × FuelCementShare
//	fuel_cement_output   = fuel_cement_input (the fuel or raw material made; sink)
//	sorted_to_recycling  = separately_collected × SortingYield
//	sorting_residue      = separately_collected − sorted_to_recycling
//	recycling input      = sorted_to_recycling + group_collected + dismantled_input
//	recyclate_output     = recycling input × RecyclingYield
//	process_loss         = recycling input × ProcessLossShare
//	residue              = recycling input − recyclate_output − process_loss
//	recycling_residue    = residue × (sorted_to_recycling + group_collected) ÷ recycling input
//	returned_residue     = residue − recycling_residue (goes back to the products)
//	residue_landfilled   = (sorting_residue + recycling_residue) × ResidueLandfill
//	incinerated          = mixed_collected − direct_landfill − fuel_cement_input + residues − residue_landfilled
//	ash                  = incinerated × AshContent
//	combustion_loss      = incinerated − ash
//	ash_recycled         = ash × AshRecycling
//	ash_landfilled       = ash − ash_recycled
//	final_disposal       = direct_landfill + residue_landfilled + ash_landfilled
//	recyclate_high       = recyclate_output × HighGradeShare
//	recyclate_low        = recyclate_output − recyclate_high
//
// Each remainder is computed by subtraction, so every process closes to
// rounding. All recyclate is put in recyclate_outside_high/low; the engine
// reallocates it to local manufacturers and other regions, which it alone
// can see, and sets the manufacturing flows.
// p must be within its domain (see [Params.Clamp]); then no flow is
// negative. StepMaterial does not allocate.
func (f *Flows) StepMaterial(discarded, dismantledIn float64, p *Params) {
	*f = Flows{}
	f[Discarded] = discarded
	f[Reused] = discarded * p[ReuseShare]
	w := discarded - f[Reused]
	f[WasteGenerated] = w
	f[Inflow] = w
	f.chain(w, dismantledIn, p, false)
}

// StepProduct computes the flows of a durable product cell for one year:
// discarded (t) leaves the in-use stock, reused (t, ≤ discarded) goes back
// into it, inflow (t) of new products enters it and stockChange = inflow +
// reused − discarded. The product waste (discarded − reused) is separately
// collected for dismantling (SeparateCollection) or mixed; of the
// dismantled mass, SortingYield is handed to the recycling of its materials
// as dismantled, the rest is a residue; the mixed part and the residues
// follow the chain of [Flows.StepMaterial] with the product's ash content,
// in [Flows.FinishProduct], which must be called next.
func (f *Flows) StepProduct(discarded, reused, inflow, stock, stockChange float64, p *Params) {
	*f = Flows{}
	f[Discarded] = discarded
	f[Reused] = reused
	w := discarded - reused
	f[WasteGenerated] = w
	f[Inflow] = inflow
	f[Stock] = stock
	f[StockChange] = stockChange
	f.chain(w, 0, p, true)
}

func (f *Flows) chain(w, dismantledIn float64, p *Params, product bool) {
	var g float64
	if !product {
		g = w * p[GroupCollectionShare]
	}
	f[GroupCollected] = g
	u := w - g
	s := u * p[SeparateCollection]
	f[SeparatelyCollected] = s
	m := u - s
	f[MixedCollected] = m
	f[DirectLandfill] = m * p[DirectLandfillShare]
	r := s * p[SortingYield]
	f[SortedToRecycling] = r
	f[SortingResidue] = s - r
	if product {
		f[Dismantled] = r
		return // disposal in FinishProduct, once the residues of its materials are known
	}
	f[DismantledInput] = dismantledIn
	own := r + g // the material's own recycling input
	in := own + dismantledIn
	// Chemical recycling takes a share of the input with its own yield;
	// its product is of high grade. The rest is recycled mechanically.
	chem := in * p[ChemicalShare]
	mech := in - chem
	rm := mech * p[RecyclingYield]
	pl := mech * p[ProcessLossShare]
	resM := mech - rm - pl
	if resM < 0 { // rounding only: yield + loss ≤ 1
		resM = 0
		pl = mech - rm
	}
	rc := chem * p[ChemicalYield]
	ro := rm + rc
	rres := resM + (chem - rc)
	f[ChemicalRecyclingInput] = chem
	f[RecyclateOutput] = ro
	f[ProcessLoss] = pl
	ownRes := rres
	if in > 0 && dismantledIn > 0 {
		ownRes = rres * (own / in)
	}
	f[RecyclingResidue] = ownRes
	f[ReturnedResidue] = rres - ownRes
	hi := rm*p[HighGradeShare] + rc
	f[RecyclateHigh] = hi
	f[RecyclateLow] = ro - hi
	// Until the engine allocates offtake across regions, all recyclate
	// leaves the system.
	f[RecyclateOutsideHigh] = hi
	f[RecyclateOutsideLow] = ro - hi
	f.dispose(f[SortingResidue]+ownRes, p)
}

// FinishProduct completes a product cell after [Flows.StepProduct]: the
// residue (t) of recycling its dismantled materials comes back as
// residue_from_materials and, with the dismantling residue and the mixed
// part, goes to direct landfill or incineration with the product's shares.
func (f *Flows) FinishProduct(residueFromMaterials float64, p *Params) {
	f[ResidueFromMaterials] = residueFromMaterials
	f.dispose(f[SortingResidue]+residueFromMaterials, p)
}

// dispose routes the mixed collection and the residues res (t) of a cell:
// fuel and cement routes, residue_landfilled, incineration, ash, final
// disposal.
func (f *Flows) dispose(res float64, p *Params) {
	dl := f[DirectLandfill]
	rest := f[MixedCollected] - dl
	fc := rest * p[FuelCementShare]
	f[FuelCementInput] = fc
	f[FuelCementOutput] = fc
	rl := res * p[ResidueLandfill]
	f[ResidueLandfilled] = rl
	inc := (rest - fc) + (res - rl)
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
var Sinks = [...]Flow{RecyclateOutput, CombustionLoss, ProcessLoss, AshRecycled, FuelCementOutput, FinalDisposal}

// Account computes the accounts of f (energy, transport, cost, CE market,
// GHG, jobs) from its mass flows and the economic factors of p. Call it
// once the mass flows, including offtake, are final. Recycling input is
// recyclate_output + process_loss + recycling_residue (zero on product
// rows, whose dismantled mass is recycled, and paid for, on the rows of
// their materials).
func (f *Flows) Account(p *Params) {
	collected := f[SeparatelyCollected] + f[MixedCollected] // municipal collection: group collection is outside it
	chem := f[ChemicalRecyclingInput]
	recIn := f[SortedToRecycling] + f[DismantledInput] + f[GroupCollected] - f[Dismantled] - chem // mechanical recycling input
	// The municipality pays for the recycling of what it collected, not of
	// what residents' groups sell to recyclers.
	muni := 1.0
	if g := f[GroupCollected]; g > 0 {
		muni = ratio(recIn+chem-g, recIn+chem)
	}
	e := f[Incinerated] * p[EnergyRecoveredPerT]
	f[EnergyRecovered] = e
	sold := e * p[EnergySoldShare] * p[PriceElectricity]
	tkm := collected * p[CollectionDistanceKm] * p[DetourFactor]
	// The haul to a shared facility: through a relay station in large
	// trucks when it is longer than RelayKm, else in the collection trucks.
	haul := p[HaulKm] * p[DetourFactor]
	htkm := collected * haul
	hf := p[GHGTransportPerTKm]
	if haul > p[RelayKm] {
		hf = p[GHGTransportPerTKmHaul]
	}
	f[Transport] = tkm + htkm
	f[CostTotal] = f[SeparatelyCollected]*(p[CostCollectionSeparate]+p[CostSorting]+p[ElementCostPerTSorted]) +
		f[MixedCollected]*p[CostCollectionMixed] +
		muni*recIn*p[CostRecycling] + muni*chem*p[ChemicalCost] +
		f[Incinerated]*p[CostIncineration] +
		f[FinalDisposal]*p[CostLandfill] +
		f[AshRecycled]*p[CostAshRecycling] +
		f[WasteGenerated]*p[ElementCostPerTGenerated] +
		htkm*p[CostHaulPerTKm] -
		sold
	f[CEMarket] = f[RecyclateHigh]*p[PriceRecyclateHigh] + f[RecyclateLow]*p[PriceRecyclateLow] + sold
	gross := f[Incinerated]*p[GHGIncineration] +
		(f[DirectLandfill]+f[ResidueLandfilled])*p[GHGLandfill] +
		f[AshLandfilled]*p[GHGLandfillAsh] +
		recIn*p[GHGRecyclingProcess] + chem*p[ChemicalGHGProcess] +
		tkm*p[GHGTransportPerTKm] + htkm*hf
	credits := (f[RecyclateOutput]-chem*p[ChemicalYield])*p[GHGCreditRecyclate] + chem*p[ChemicalGHGCredit] + e*p[GridFactor]
	f[GHGGross] = gross
	f[GHGCredits] = credits
	f[GHGNet] = gross - credits
	f[Jobs] = (collected*p[JobsCollection] + f[SeparatelyCollected]*p[JobsSorting] + (recIn+chem)*p[JobsRecycling] +
		f[Incinerated]*p[JobsIncineration] + f[FinalDisposal]*p[JobsLandfill]) / 1e4
}

// StepMaterialChecked is [Flows.StepMaterial], then manufacturing_demand
// set to demand (t), then [Flows.Account] and [CheckBalance], in one pass:
// each flow is written once and checked as it is computed, not read back.
// The flows and the result are those of the three calls, bit for bit.
// With split, the offtake and manufacturing flows (recyclate_local_high …
// recyclate_used, but manufacturing_demand) are not written: the caller
// allocates the recyclate and writes them, then checks them with
// [CheckOfftake]; here they are checked as StepMaterial sets them (all
// recyclate outside, nothing used). It does not allocate.
func (f *Flows) StepMaterialChecked(discarded, dismantledIn, demand float64, split bool, p *Params) (process int, residual float64) {
	// The chain of StepMaterial (chain and dispose: the same operations
	// in the same order), each flow written as it is computed and its sign
	// bit ORed into neg (set: a negative value, −0 or NaN with its sign
	// set; the generic check then decides).
	f[Discarded] = discarded
	neg := math.Float64bits(discarded)
	ru := discarded * p[ReuseShare]
	f[Reused] = ru
	neg |= math.Float64bits(ru)
	w := discarded - ru
	f[WasteGenerated] = w
	f[Inflow] = w
	neg |= math.Float64bits(w)
	g := w * p[GroupCollectionShare]
	f[GroupCollected] = g
	neg |= math.Float64bits(g)
	u := w - g
	s := u * p[SeparateCollection]
	f[SeparatelyCollected] = s
	neg |= math.Float64bits(s)
	m := u - s
	f[MixedCollected] = m
	neg |= math.Float64bits(m)
	dl := m * p[DirectLandfillShare]
	f[DirectLandfill] = dl
	neg |= math.Float64bits(dl)
	r := s * p[SortingYield]
	f[SortedToRecycling] = r
	neg |= math.Float64bits(r)
	sres := s - r
	f[SortingResidue] = sres
	neg |= math.Float64bits(sres)
	f[Dismantled] = 0
	f[DismantledInput] = dismantledIn
	neg |= math.Float64bits(dismantledIn)
	own := r + g
	in := own + dismantledIn
	chem := in * p[ChemicalShare]
	f[ChemicalRecyclingInput] = chem
	neg |= math.Float64bits(chem)
	mech := in - chem
	rm := mech * p[RecyclingYield]
	pl := mech * p[ProcessLossShare]
	resM := mech - rm - pl
	if resM < 0 { // rounding only: yield + loss ≤ 1
		resM = 0
		pl = mech - rm
	}
	f[ProcessLoss] = pl
	neg |= math.Float64bits(pl)
	rc := chem * p[ChemicalYield]
	ro := rm + rc
	f[RecyclateOutput] = ro
	neg |= math.Float64bits(ro)
	rres := resM + (chem - rc)
	ownRes := rres
	if in > 0 && dismantledIn > 0 {
		ownRes = rres * (own / in)
	}
	f[RecyclingResidue] = ownRes
	neg |= math.Float64bits(ownRes)
	ret := rres - ownRes
	f[ReturnedResidue] = ret
	neg |= math.Float64bits(ret)
	hi := rm*p[HighGradeShare] + rc
	f[RecyclateHigh] = hi
	neg |= math.Float64bits(hi)
	lo := ro - hi
	f[RecyclateLow] = lo
	neg |= math.Float64bits(lo)
	res := sres + ownRes
	rest := m - dl
	fc := rest * p[FuelCementShare]
	f[FuelCementInput] = fc
	f[FuelCementOutput] = fc
	neg |= math.Float64bits(fc)
	rl := res * p[ResidueLandfill]
	f[ResidueLandfilled] = rl
	neg |= math.Float64bits(rl)
	f[ResidueFromMaterials] = 0
	inc := (rest - fc) + (res - rl)
	f[Incinerated] = inc
	neg |= math.Float64bits(inc)
	ash := inc * p[AshContent]
	f[Ash] = ash
	neg |= math.Float64bits(ash)
	cl := inc - ash
	f[CombustionLoss] = cl
	neg |= math.Float64bits(cl)
	ar := ash * p[AshRecycling]
	f[AshRecycled] = ar
	neg |= math.Float64bits(ar)
	al := ash - ar
	f[AshLandfilled] = al
	neg |= math.Float64bits(al)
	fd := dl + rl + al
	f[FinalDisposal] = fd
	neg |= math.Float64bits(fd)
	f[Stock] = 0
	f[StockChange] = 0
	if !split {
		f[RecyclateLocalHigh] = 0
		f[RecyclateLocalLow] = 0
		f[RecyclateOtherRegionsHigh] = 0
		f[RecyclateOtherRegionsLow] = 0
		f[RecyclateOutsideHigh] = hi
		f[RecyclateOutsideLow] = lo
		f[RecyclateReceived] = 0
		f[RecyclateUsed] = 0
	}
	f[ManufacturingDemand] = demand
	neg |= math.Float64bits(demand)
	// The accounts of Account, on the same values (dismantled is 0 on a
	// material row).
	collected := s + m
	recIn := r + dismantledIn + g - chem
	muni := 1.0
	if g > 0 {
		muni = ratio(recIn+chem-g, recIn+chem)
	}
	e := inc * p[EnergyRecoveredPerT]
	f[EnergyRecovered] = e
	sold := e * p[EnergySoldShare] * p[PriceElectricity]
	tkm := collected * p[CollectionDistanceKm] * p[DetourFactor]
	haul := p[HaulKm] * p[DetourFactor]
	htkm := collected * haul
	hf := p[GHGTransportPerTKm]
	if haul > p[RelayKm] {
		hf = p[GHGTransportPerTKmHaul]
	}
	tr := tkm + htkm
	f[Transport] = tr
	cost := s*(p[CostCollectionSeparate]+p[CostSorting]+p[ElementCostPerTSorted]) +
		m*p[CostCollectionMixed] +
		muni*recIn*p[CostRecycling] + muni*chem*p[ChemicalCost] +
		inc*p[CostIncineration] +
		fd*p[CostLandfill] +
		ar*p[CostAshRecycling] +
		w*p[ElementCostPerTGenerated] +
		htkm*p[CostHaulPerTKm] -
		sold
	f[CostTotal] = cost
	market := hi*p[PriceRecyclateHigh] + lo*p[PriceRecyclateLow] + sold
	f[CEMarket] = market
	gross := inc*p[GHGIncineration] +
		(dl+rl)*p[GHGLandfill] +
		al*p[GHGLandfillAsh] +
		recIn*p[GHGRecyclingProcess] + chem*p[ChemicalGHGProcess] +
		tkm*p[GHGTransportPerTKm] + htkm*hf
	f[GHGGross] = gross
	credits := (ro-chem*p[ChemicalYield])*p[GHGCreditRecyclate] + chem*p[ChemicalGHGCredit] + e*p[GridFactor]
	f[GHGCredits] = credits
	net := gross - credits
	f[GHGNet] = net
	jobs := (collected*p[JobsCollection] + s*p[JobsSorting] + (recIn+chem)*p[JobsRecycling] +
		inc*p[JobsIncineration] + fd*p[JobsLandfill]) / 1e4
	f[Jobs] = jobs
	// The balances of CheckBalance on these values, in the order of
	// Processes (the flows that are 0 on a material row dropped from the
	// sums: adding 0 changes no verdict); then the bounds, and that the
	// values in no balance are finite.
	if neg>>63 == 0 &&
		within(w+ru, discarded) && // use
		within(discarded, ru+w) && // reuse
		within(w, s+m+g) && // collection
		within(s, r+sres) && // sorting
		within(r+g+dismantledIn, ro+pl+ownRes+ret) && // recycling
		within(m+sres+ownRes, dl+fc+rl+inc) && // dispatch
		within(fc, fc) && // fuel_cement
		within(inc, cl+ash) && // incineration
		within(ash, ar+al) && // ash_treatment
		within(dl+rl+al, fd) && // landfill
		within(ro, hi+lo) && // grading
		within(hi+lo, hi+lo) && // offtake (all outside)
		within(w+dismantledIn, ro+cl+pl+ar+fc+fd+ret) && // system
		// manufacturing: nothing used, demand ≥ 0 (in the sign test)
		chem <= in*(1+BalanceRelTol)+BalanceAbsTol &&
		finite((demand+e)+(tr+cost)+(market+gross)+(credits+net)+jobs) {
		return -1, 0
	}
	if split { // for the generic check to see the cell as checked here
		f[RecyclateLocalHigh], f[RecyclateLocalLow], f[RecyclateOtherRegionsHigh], f[RecyclateOtherRegionsLow] = 0, 0, 0, 0
		f[RecyclateOutsideHigh], f[RecyclateOutsideLow], f[RecyclateReceived], f[RecyclateUsed] = hi, lo, 0, 0
	}
	return CheckBalanceGeneric(f)
}
