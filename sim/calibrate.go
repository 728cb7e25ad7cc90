package sim

import (
	"fmt"
	"math"

	"github.com/circular-partners/junkan/model"
)

// Survey holds the base-year figures of a region's own survey row (環境省
// 一般廃棄物処理実態調査) that calibration reaches besides the recycling rate
// R of [Region.RecyclingRate].
type Survey struct {
	// GroupCollectionRate is group collection (集団回収) ÷ waste generated
	// (ごみ総排出量), a fraction.
	GroupCollectionRate float64
	// DirectLandfillRate is direct landfill ÷ waste treated (ごみ処理量 =
	// waste generated − group collection): 1 − 減量処理率, a fraction;
	// negative: not known (direct_landfill_share stays as given).
	DirectLandfillRate float64
	// RecyclingRateR2 is R′ (R without fuel, cement and smelter routes and
	// without ash recycled), a fraction; negative: not known.
	RecyclingRateR2 float64
}

// Calibration records what calibration set for one region.
type Calibration struct {
	// Multiplier on separate_collection_share (each share capped at 1);
	// 1 when the region is not calibrated.
	Multiplier float64
	// GroupCollectionRate, DirectLandfillShare and FuelCementShare are the
	// values set on the region's materials (survey calibration only; NaN
	// otherwise): group collection ÷ waste generated, the share of mixed
	// collection landfilled untreated, the share of the rest sent to fuel
	// and cement routes.
	GroupCollectionRate, DirectLandfillShare, FuelCementShare float64
	// AshRecyclingScale multiplies ash_recycling_share (1: unchanged).
	AshRecyclingScale float64
	// Unreached lists, in words, the base-year figures calibration could
	// not reach exactly (empty: all reached within 1e-9).
	Unreached []string
}

// mswTerms are one material cell's contributions to the recycling rate's
// numerator as linear functions of its separate-collection share σ, with
// everything else fixed: value n0 + σ·d.
type mswTerms struct {
	w, s   float64 // waste generated (t per unit of the region's), base separate_collection_share
	n0, d  float64 // numerator at σ = 0 and its slope
	sorted float64 // sorted_to_recycling per unit σ
}

// cellAt returns, for a non-durable cell with waste w (t) and parameters p
// at separate-collection share sigma (and no dismantled input), the flows
// calibration needs: the recycling numerator ([model.Recycled]), the
// mixed collection, its part not landfilled directly, and ash recycled.
// It computes what [model.Flows.StepMaterial] does, in closed form (tests
// check that they agree).
func cellAt(w float64, p *model.Params, sigma float64) (num, mixed, rest, ashRec, sorted, fuel float64) {
	g := w * p[model.GroupCollectionShare]
	u := w - g
	s := u * sigma
	m := u - s
	dl := m * p[model.DirectLandfillShare]
	rest = m - dl
	fc := rest * p[model.FuelCementShare]
	r := s * p[model.SortingYield]
	in := r + g
	chem := in * p[model.ChemicalShare]
	mech := in - chem
	rm := mech * p[model.RecyclingYield]
	resM := mech - rm - mech*p[model.ProcessLossShare]
	if resM < 0 {
		resM = 0
	}
	rres := resM + (chem - chem*p[model.ChemicalYield])
	res := (s - r) + rres
	inc := (rest - fc) + (res - res*p[model.ResidueLandfill])
	ar := inc * p[model.AshContent] * p[model.AshRecycling]
	return g + r + ar + fc, m, rest, ar, r, fc
}

// solvePiecewise returns the smallest k ≥ 0 at which Σ_i n0_i + min(1,
// k·s_i)·d_i reaches target (a piecewise-linear function of k with
// breakpoints 1/s_i), or, if it never does, the k in [0, kmax] closest to
// it with ok false. terms must hold only cells with s > 0 and w > 0 for the
// slope; others contribute n0 only (pass their n0 in base).
func solvePiecewise(terms []mswTerms, base, target float64, order []int) (k float64, ok bool) {
	// order: indices of terms sorted by breakpoint 1/s (ascending s⁻¹).
	c, b := base, 0.0
	for i := range terms {
		c += terms[i].n0
		b += terms[i].s * terms[i].d
	}
	k0 := 0.0
	best, bestK := math.Abs(c-target), 0.0
	if c == target {
		return 0, true
	}
	for _, j := range order {
		k1 := 1 / terms[j].s
		v0, v1 := c+b*k0, c+b*k1
		if (v0 <= target && target <= v1) || (v1 <= target && target <= v0) {
			if b == 0 {
				return k0, true
			}
			k := (target - c) / b
			return min(max(k, k0), k1), true
		}
		if d := math.Abs(v1 - target); d < best {
			best, bestK = d, k1
		}
		// material j saturates at k1
		c += terms[j].d
		b -= terms[j].s * terms[j].d
		k0 = k1
	}
	return bestK, false
}

// calibrateRegion calibrates the cells of one region in place (see [New])
// and returns what it set, or an error when the recycling rate cannot be
// reached with the region's parameters (regions without a survey row).
func calibrateRegion(g *Region, cells []model.Params, comp []float64, mats []model.Material, weights []float64,
	terms []mswTerms, order []int, base []float64) (Calibration, error) {
	cal := Calibration{Multiplier: 1, GroupCollectionRate: math.NaN(), DirectLandfillShare: math.NaN(),
		FuelCementShare: math.NaN(), AshRecyclingScale: 1}
	if g.RecyclingRate < 0 {
		return cal, nil
	}
	var W float64
	for i := range cells {
		if !mats[i].Durable {
			W += comp[i]
		}
	}
	if sv := g.Survey; sv != nil && W > 0 {
		calibrateSurvey(g, sv, cells, comp, mats, weights, terms, order, base, W, &cal)
		return cal, nil
	}
	k, err := solveSeparate(g.RecyclingRate*W, cells, comp, mats, terms, order, W)
	if err != nil {
		return cal, err
	}
	cal.Multiplier = k
	scaleSeparate(cells, mats, k)
	return cal, nil
}

// collectTerms fills terms (one per non-durable material with w > 0) and
// order (by breakpoint) for the current cells and returns the numerator of
// the cells with no slope (base).
func collectTerms(cells []model.Params, comp []float64, mats []model.Material, terms []mswTerms, order []int,
	numOnly bool) ([]mswTerms, []int, float64) {
	terms, order = terms[:0], order[:0]
	var base float64
	for i := range cells {
		if mats[i].Durable || comp[i] <= 0 {
			continue
		}
		p := &cells[i]
		var n0, n1, r1 float64
		if numOnly { // R′: sorted_to_recycling only, u × sorting_yield at σ = 1
			r1 = (comp[i] - comp[i]*p[model.GroupCollectionShare]) * p[model.SortingYield]
			n1 = r1
		} else {
			n0, _, _, _, _, _ = cellAt(comp[i], p, 0)
			n1, _, _, _, r1, _ = cellAt(comp[i], p, 1)
		}
		s := p[model.SeparateCollection]
		if !(s > 0) {
			base += n0
			continue
		}
		terms = append(terms, mswTerms{w: comp[i], s: s, n0: n0, d: n1 - n0, sorted: r1})
		order = append(order, len(terms)-1)
	}
	// By descending s, equal shares in material order (a stable insertion
	// sort: a dozen terms at most).
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && terms[order[j-1]].s < terms[order[j]].s; j-- {
			order[j-1], order[j] = order[j], order[j-1]
		}
	}
	return terms, order, base
}

// solveSeparate returns the multiplier k on separate_collection_share for
// which the region's recycling numerator reaches target (t per unit).
func solveSeparate(target float64, cells []model.Params, comp []float64, mats []model.Material, terms []mswTerms,
	order []int, W float64) (float64, error) {
	terms, order, base := collectTerms(cells, comp, mats, terms, order, false)
	lo := base
	hi := base
	for _, t := range terms {
		lo += t.n0
		hi += t.n0 + t.d
	}
	if lo > hi { // ash recycling outweighs sorting: the rate falls with collection
		return 0, fmt.Errorf("recycling rate falls as separate collection rises (%.4g %% with none, %.4g %% with all): check sorting_yield and ash_recycling_share",
			lo/W*100, hi/W*100)
	}
	if target < lo-1e-12*W || target > hi+1e-12*W {
		return 0, fmt.Errorf("recycling rate %.4g %% is outside the reachable range [%.4g %%, %.4g %%] of its parameters",
			target/W*100, lo/W*100, hi/W*100)
	}
	k, ok := solvePiecewise(terms, base, target, order)
	if !ok {
		return 0, fmt.Errorf("recycling rate %.6g %% not reached: rate not monotone in separate collection", target/W*100)
	}
	return k, nil
}

// scaleSeparate multiplies separate_collection_share of the non-durable
// cells by k, capping each at 1.
func scaleSeparate(cells []model.Params, mats []model.Material, k float64) {
	for i := range cells {
		if !mats[i].Durable { // products keep their own collection rates
			cells[i][model.SeparateCollection] = min(1, k*cells[i][model.SeparateCollection])
		}
	}
}

// calibrateSurvey reaches the survey figures of a region in closed form:
// group collection spread over the eligible materials by weight; the
// separate-collection multiplier for R′ (sorted_to_recycling + group);
// the direct-landfill share for 1 − 減量処理率; then, for R − R′, the
// fuel and cement share on top of ash recycled, or ash recycling scaled
// down when ash recycling alone exceeds it.
func calibrateSurvey(g *Region, sv *Survey, cells []model.Params, comp []float64, mats []model.Material,
	weights []float64, terms []mswTerms, order []int, base []float64, W float64, cal *Calibration) {
	unreached := func(format string, a ...any) { cal.Unreached = append(cal.Unreached, fmt.Sprintf(format, a...)) }
	// Group collection.
	var sumE float64
	for i := range cells {
		if !mats[i].Durable && weights != nil {
			sumE += weights[i] * comp[i] * cells[i][model.SeparateCollection]
		}
	}
	G := sv.GroupCollectionRate * W
	var gotG float64
	for i := range cells {
		if mats[i].Durable {
			continue
		}
		share := 0.0
		if sumE > 0 && comp[i] > 0 {
			share = min(1, G*weights[i]*cells[i][model.SeparateCollection]/sumE)
		}
		if G == 0 {
			share = 0
		}
		cells[i][model.GroupCollectionShare] = share
		cells[i][model.FuelCementShare] = 0
		gotG += comp[i] * share
	}
	cal.GroupCollectionRate = gotG / W
	if math.Abs(gotG-G) > 1e-9*W {
		unreached("group collection %.4g %% of waste generated (reached %.4g %%: every material residents' groups collect is group-collected in full)", sv.GroupCollectionRate*100, gotG/W*100)
	}
	var treated float64 // waste generated − group collection
	for i := range cells {
		if !mats[i].Durable {
			treated += comp[i] * (1 - cells[i][model.GroupCollectionShare])
		}
	}
	D := sv.DirectLandfillRate * treated
	// setDL sets the direct-landfill share at multiplier k and returns the
	// part of D it cannot place (all mixed waste landfilled).
	setDL := func(k float64) float64 {
		if sv.DirectLandfillRate < 0 {
			return 0
		}
		var mixed float64
		for i := range cells {
			if !mats[i].Durable {
				_, m, _, _, _, _ := cellAt(comp[i], &cells[i], sepAt(base[i], k))
				mixed += m
			}
		}
		d := 0.0
		if mixed > 0 {
			d = min(1, D/mixed)
		}
		for i := range cells {
			if !mats[i].Durable {
				cells[i][model.DirectLandfillShare] = d
			}
		}
		if D > mixed*(1+1e-12) {
			return D - mixed
		}
		return 0
	}
	R := g.RecyclingRate * W
	for i := range cells {
		base[i] = cells[i][model.SeparateCollection] // before scaling
	}
	k := 1.0
	var short float64
	if sv.RecyclingRateR2 >= 0 {
		// R′ from separate collection (group collection counts in it).
		t1 := sv.RecyclingRateR2*W - gotG
		ts, or, _ := collectTerms(cells, comp, mats, terms, order, true)
		var most float64 // every share at 1
		for _, t := range ts {
			most += t.d
		}
		switch {
		case t1 <= 0:
			k = 0
			if t1 < -1e-9*W {
				unreached("R′ %.4g %% below group collection alone (%.4g %%)", sv.RecyclingRateR2*100, gotG/W*100)
			}
		case t1 > most:
			k = math.Inf(1)
			short = t1 - most
		default:
			k, _ = solvePiecewise(ts, 0, t1, or)
		}
		if dlShort := setDL(k); dlShort > 1e-9*W {
			unreached("direct landfill %.4g %% of waste treated (reached %.4g %%: all mixed waste landfilled)",
				sv.DirectLandfillRate*100, (D-dlShort)/treated*100)
		}
		applySeparate(cells, base, mats, k)
	} else {
		// No R′: separate collection for the whole R with ash recycling as
		// its parameters give; the direct-landfill share and the multiplier
		// depend on each other, so alternate until both settle.
		for it := 0; it < 100; it++ {
			setDL(k)
			kn, err := solveSeparate(R, cells, comp, mats, terms, order, W)
			if err != nil {
				unreached("%v", err)
				break
			}
			done := math.Abs(kn-k) <= 1e-14*max(1, kn)
			k = kn
			if done {
				break
			}
		}
		applySeparate(cells, base, mats, k)
		cal.Multiplier = k
		cal.DirectLandfillShare = cells[firstMSW(mats)][model.DirectLandfillShare]
		cal.FuelCementShare = 0
		return
	}
	if math.IsInf(k, 1) {
		cal.Multiplier = math.Inf(1)
		for i := range base {
			if s := base[i]; s > 0 && !mats[i].Durable {
				cal.Multiplier = min(cal.Multiplier, 1/s) // any k beyond saturates every share
			}
		}
		if math.IsInf(cal.Multiplier, 1) {
			cal.Multiplier = 0
		}
	} else {
		cal.Multiplier = k
	}
	cal.DirectLandfillShare = cells[firstMSW(mats)][model.DirectLandfillShare]
	// R − R′: ash recycled as is, plus the fuel and cement routes.
	t2 := R - sv.RecyclingRateR2*W + short
	if t2 < 0 {
		t2 = 0
	}
	var ar, den float64
	for i := range cells {
		if mats[i].Durable || comp[i] <= 0 {
			continue
		}
		p := &cells[i]
		_, _, rest, a, _, _ := cellAt(comp[i], p, p[model.SeparateCollection])
		ar += a
		den += rest * (1 - p[model.AshContent]*p[model.AshRecycling])
	}
	phi := 0.0
	switch {
	case t2 >= ar:
		if den > 0 {
			phi = (t2 - ar) / den
		}
		if phi > 1 || (den == 0 && t2 > ar+1e-9*W) {
			phi = min(1, phi)
			// Every tonne of mixed waste on the fuel and cement routes: the
			// rest from ash recycling (of residues), up to all ash.
			var fuel, ar1, arMax float64
			for i := range cells {
				if mats[i].Durable || comp[i] <= 0 {
					continue
				}
				p := cells[i]
				p[model.FuelCementShare] = phi
				_, _, _, a, _, fc := cellAt(comp[i], &p, p[model.SeparateCollection])
				fuel += fc
				ar1 += a
				if p[model.AshRecycling] > 0 {
					arMax += a / p[model.AshRecycling]
				}
			}
			need := t2 - fuel
			if ar1 > 0 && need > ar1 {
				cal.AshRecyclingScale = min(need, arMax) / ar1
				for i := range cells {
					if !mats[i].Durable {
						cells[i][model.AshRecycling] = min(1, cells[i][model.AshRecycling]*cal.AshRecyclingScale)
					}
				}
			}
			if need > arMax+1e-9*W || ar1 == 0 {
				unreached("recycling rate R %.4g %% not reached: separate collection, ash recycling and the fuel and cement routes together fall short",
					g.RecyclingRate*100)
			}
		}
	case ar > 0:
		cal.AshRecyclingScale = t2 / ar
		for i := range cells {
			if !mats[i].Durable {
				cells[i][model.AshRecycling] *= cal.AshRecyclingScale
			}
		}
	}
	for i := range cells {
		if !mats[i].Durable {
			cells[i][model.FuelCementShare] = phi
		}
	}
	cal.FuelCementShare = phi
	if short > 1e-9*W {
		unreached("R′ %.4g %% above what separate collection reaches (every share at 1): the rest is counted on the fuel and cement routes",
			sv.RecyclingRateR2*100)
	}
}

// applySeparate sets separate_collection_share of the non-durable cells to
// min(1, k × base share).
func applySeparate(cells []model.Params, base []float64, mats []model.Material, k float64) {
	for i := range cells {
		if !mats[i].Durable {
			cells[i][model.SeparateCollection] = sepAt(base[i], k)
		}
	}
}

// sepAt is separate-collection share s scaled by k, capped at 1 (k may be
// +Inf: every positive share at 1).
func sepAt(s, k float64) float64 {
	if !(s > 0) {
		return 0
	}
	return min(1, k*s)
}

func firstMSW(mats []model.Material) int {
	for i, m := range mats {
		if !m.Durable {
			return i
		}
	}
	return 0
}
