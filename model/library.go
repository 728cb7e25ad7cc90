package model

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Scopes of an effect: which rows of a run it changes.
const (
	scopeAll       = iota // every material and product
	scopeMaterials        // non-durable materials only
	scopeProducts         // durable products only
)

// effectSpec ties an element's parameter change to the defaults-table key
// holding its magnitude. transform, if set, turns the table value into the
// effect's magnitude (e.g. annualising a capital cost).
type effectSpec struct {
	key       string
	param     Param
	op        Op
	scope     int
	transform func(v float64, t *Table) (float64, error)
	material  string // only this material, if set
}

type elementSpec struct {
	id, nameJA, stage, desc string
	effects                 []effectSpec
}

// annualise turns a capital cost per unit into an annual cost with the
// capital recovery factor r/(1 − (1+r)^−n) of discount_rate r and
// capex_life_years n from the table.
func annualise(v float64, t *Table) (float64, error) {
	r, err := t.Value("discount_rate", 0, "")
	if err != nil {
		return 0, err
	}
	n, err := t.Value("capex_life_years", 0, "")
	if err != nil {
		return 0, err
	}
	return v * CapitalRecoveryFactor(r, n), nil
}

// CapitalRecoveryFactor returns r/(1 − (1+r)^−n), the share of a capital
// cost paid each year over n years at discount rate r (1/n when r = 0).
func CapitalRecoveryFactor(r, n float64) float64 {
	if r == 0 {
		return 1 / n
	}
	return r / (1 - math.Pow(1+r, -n))
}

// perTonneGenerated turns a cost per person per year into a cost per t of
// waste generated, with the national per_capita_g_per_day of the table
// (365 days).
func perTonneGenerated(v float64, t *Table) (float64, error) {
	g, err := t.Value("per_capita_g_per_day", 0, "")
	if err != nil {
		return 0, err
	}
	return v / (g * 365e-6), nil
}

// The eight elements of the 地域循環モデル構築WG (DESIGN §1).
var elementSpecs = []elementSpec{
	{"wide_area_consolidation", "地域の広域化", "collection → sorting → recycling",
		"Neighbouring municipalities share sorting, recycling and incineration facilities: treatment costs fall with scale; hauls lengthen (blocks from the geometry of the run).",
		[]effectSpec{
			{"wide_area_consolidation.treatment_cost_change", CostIncineration, Relative, scopeAll, nil, ""},
			{"wide_area_consolidation.treatment_cost_change", CostSorting, Relative, scopeAll, nil, ""},
		}},
	{"ai_sorting", "先端技術を用いた高度かつ効率的な選別", "sorting",
		"AI and robotic sorting: the sorting yield closes part of its gap to 1; sorting labour and cost fall; the plant's capital is annualised over its life.",
		[]effectSpec{
			{"ai_sorting.sorting_yield_gain", SortingYield, GapClose, scopeMaterials, nil, ""},
			{"ai_sorting.sorting_cost_change", CostSorting, Relative, scopeMaterials, nil, ""},
			{"ai_sorting.capex_per_t", ElementCostPerTSorted, Add, scopeMaterials, annualise, ""},
		}},
	{"advanced_recycling", "高度な再生技術", "recycling",
		"Material and chemical recycling: the recycling yield and the high-grade share of recyclate close part of their gaps to 1, and a share of plastics goes to chemical recycling (its own yield, cost and GHG; high-grade product).",
		[]effectSpec{
			{"advanced_recycling.recycling_yield_gain", RecyclingYield, GapClose, scopeMaterials, nil, ""},
			{"advanced_recycling.high_grade_gain", HighGradeShare, GapClose, scopeMaterials, nil, ""},
			{"advanced_recycling.chemical_share_plastics", ChemicalShare, Add, scopeMaterials, nil, "plastics"},
		}},
	{"arterial_venous_linkage", "動静脈連携", "design/manufacture",
		"Manufacturers (動脈) and recyclers (静脈) link up: more recyclate is of high grade and local manufacturers accept more recycled content.",
		[]effectSpec{
			{"arterial_venous_linkage.high_grade_gain", HighGradeShare, GapClose, scopeMaterials, nil, ""},
			{"arterial_venous_linkage.recycled_content_gain", MaxRecycledContent, GapClose, scopeMaterials, nil, ""},
		}},
	{"cross_supply_chain_design", "サプライチェーン横断での製品設計", "design/manufacture",
		"Design for repair and disassembly: more discarded products are reused, dismantling yields more for recycling, and new products last longer.",
		[]effectSpec{
			{"cross_supply_chain_design.reuse_gain", ReuseShare, GapClose, scopeProducts, nil, ""},
			{"cross_supply_chain_design.dismantling_yield_gain", SortingYield, GapClose, scopeProducts, nil, ""},
			{"cross_supply_chain_design.lifetime_extension", LifetimeExtension, Add, scopeProducts, nil, ""},
		}},
	{"collection_incentives", "分別・回収へのインセンティブ", "collection",
		"Incentives for separating and returning: the separate-collection share closes part of its gap to 1, waste generation changes, and the scheme has a running cost per person.",
		[]effectSpec{
			{"collection_incentives.separate_collection_gain", SeparateCollection, GapClose, scopeMaterials, nil, ""},
			{"collection_incentives.generation_change", GenerationFactor, Relative, scopeMaterials, nil, ""},
			{"collection_incentives.cost_per_capita", ElementCostPerTGenerated, Add, scopeMaterials, perTonneGenerated, ""},
		}},
	{"consumer_experience_services", "消費者の体験価値に訴求したサービス", "use/sales",
		"Services that make circular products attractive: less waste generated, more reuse, more demand for recycled content. Inert by default (no measured effect found): set the magnitudes in the scenario.",
		[]effectSpec{
			{"consumer_experience_services.generation_change", GenerationFactor, Relative, scopeAll, nil, ""},
			{"consumer_experience_services.reuse_gain", ReuseShare, GapClose, scopeAll, nil, ""},
			{"consumer_experience_services.recycled_demand_change", MaxRecycledContent, Relative, scopeMaterials, nil, ""},
		}},
	{"reskilling_education", "地域人材のリスキル・教育", "all stages",
		"Education and reskilling supply the staff new services need: employment per tonne changes, and the other elements of the variant ramp up faster. Inert by default (no measured effect found): set the magnitudes in the scenario.",
		[]effectSpec{
			{"reskilling_education.jobs_per_10kt_gain", JobsCollection, Relative, scopeAll, nil, ""},
			{"reskilling_education.jobs_per_10kt_gain", JobsSorting, Relative, scopeAll, nil, ""},
			{"reskilling_education.jobs_per_10kt_gain", JobsRecycling, Relative, scopeAll, nil, ""},
			{"reskilling_education.jobs_per_10kt_gain", JobsIncineration, Relative, scopeAll, nil, ""},
			{"reskilling_education.jobs_per_10kt_gain", JobsLandfill, Relative, scopeAll, nil, ""},
		}},
}

// RampSpeedupKey is the magnitude key of reskilling_education that shortens
// the ramps of the other elements of a variant: their ramp years are
// multiplied by (1 + value), rounded, at least 1.
const RampSpeedupKey = "reskilling_education.ramp_speedup"

// ElementIDs returns the ids of the eight model elements in the working
// group's order.
func ElementIDs() []string {
	ids := make([]string, len(elementSpecs))
	for i, s := range elementSpecs {
		ids[i] = s.id
	}
	return ids
}

// Library returns the eight elements with the magnitudes of their effects
// taken from t. An effect whose key has per-material rows in t gives one
// Effect per such material; a key with only a "*" row gives one Effect on
// every row in its scope (materials, products or both) of materials, the
// rows of the run. Magnitude keys are listed in MagnitudeKeys so scenarios
// can override them; [ApplyMagnitude] turns an override into an effect
// magnitude.
func Library(t *Table, materials []Material) ([]Element, error) {
	var out []Element
	for _, s := range elementSpecs {
		e := Element{ID: s.id, NameJA: s.nameJA, Stage: s.stage, Description: s.desc}
		for _, es := range s.effects {
			if !t.Has(es.key) {
				continue // an effect without a default magnitude is not applied
			}
			if !slices.Contains(e.MagnitudeKeys, es.key) {
				e.MagnitudeKeys = append(e.MagnitudeKeys, es.key)
			}
			inScope := func(m Material) bool {
				switch es.scope {
				case scopeMaterials:
					return !m.Durable
				case scopeProducts:
					return m.Durable
				}
				return true
			}
			for _, m := range materials {
				if !inScope(m) || (es.material != "" && m.ID != es.material) {
					continue
				}
				f, ok := t.Lookup(es.key, 0, m.ID)
				if !ok {
					continue
				}
				v := f.Value
				if es.transform != nil {
					var err error
					if v, err = es.transform(v, t); err != nil {
						return nil, fmt.Errorf("model: element %s: %w", s.id, err)
					}
				}
				e.Effects = append(e.Effects, Effect{Key: es.key, Param: es.param, Material: m.ID, Op: es.op, Magnitude: v})
			}
		}
		if s.id == "reskilling_education" && t.Has(RampSpeedupKey) {
			e.MagnitudeKeys = append(e.MagnitudeKeys, RampSpeedupKey)
		}
		out = append(out, e)
	}
	return out, nil
}

// ApplyMagnitude returns the effect magnitude for a scenario value v of
// magnitude key key (the table's unit; e.g. a capital cost per t of
// capacity becomes an annual cost per t).
func ApplyMagnitude(key string, v float64, t *Table) (float64, error) {
	for _, s := range elementSpecs {
		for _, es := range s.effects {
			if es.key == key && es.transform != nil {
				return es.transform(v, t)
			}
		}
	}
	return v, nil
}

// FindElement returns the element with the given id, or an error that
// suggests the nearest known id.
func FindElement(lib []Element, id string) (*Element, error) {
	for i := range lib {
		if lib[i].ID == id {
			return &lib[i], nil
		}
	}
	ids := make([]string, len(lib))
	for i := range lib {
		ids[i] = lib[i].ID
	}
	return nil, fmt.Errorf("unknown element %q%s", id, suggest(id, ids))
}

// suggest returns ` (did you mean "x"?)` for the nearest of names by edit
// distance, or a list of all names when none is near.
func suggest(s string, names []string) string {
	best, bd := "", 1<<30
	for _, n := range names {
		if d := editDistance(s, n); d < bd {
			best, bd = n, d
		}
	}
	if best != "" && bd <= len(best)/2 {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	if len(sorted) > maxKnown {
		return fmt.Sprintf(" (known: %s, … and %d more)", strings.Join(sorted[:maxKnown], ", "), len(sorted)-maxKnown)
	}
	return " (known: " + strings.Join(sorted, ", ") + ")"
}

// maxKnown is the most names a hint lists (all indicators fit): an unknown
// municipality code of an all-Japan run would otherwise list 1,741 codes
// in one line.
const maxKnown = 100

// Suggest is suggest for other packages: it returns a hint naming the
// nearest of names to s, to append to an error message.
func Suggest(s string, names []string) string { return suggest(s, names) }

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
