package model

import (
	"fmt"
	"sort"
	"strings"
)

// effectSpec ties an element's parameter change to the defaults-table key
// holding its magnitude.
type effectSpec struct {
	key   string
	param Param
	op    Op
}

type elementSpec struct {
	id, nameJA, stage, desc string
	effects                 []effectSpec
}

// The eight elements of the 地域循環モデル構築WG (DESIGN §1). Elements
// without effects are listed so that scenarios and `junkan elements` know
// them; their mechanisms come in later releases.
var elementSpecs = []elementSpec{
	{"wide_area_consolidation", "地域の広域化", "collection → sorting → recycling",
		"Neighbouring municipalities share collection, sorting and recycling facilities (blocks; not built yet).", nil},
	{"ai_sorting", "先端技術を用いた高度かつ効率的な選別", "sorting",
		"AI and robotic sorting: the sorting yield closes part of its gap to 1.",
		[]effectSpec{{"ai_sorting.sorting_yield_gain", SortingYield, GapClose}}},
	{"advanced_recycling", "高度な再生技術", "recycling",
		"Material and chemical recycling with higher yield and grade (not built yet).", nil},
	{"arterial_venous_linkage", "動静脈連携", "design/manufacture",
		"Local manufacturers take recyclate and co-invest with recyclers (not built yet).", nil},
	{"cross_supply_chain_design", "サプライチェーン横断での製品設計", "design/manufacture",
		"Design for repair and disassembly; longer lifetimes (not built yet).", nil},
	{"collection_incentives", "分別・回収へのインセンティブ", "collection",
		"Incentives for separating and returning: the separate-collection share closes part of its gap to 1, and waste generation changes.",
		[]effectSpec{
			{"collection_incentives.separate_collection_gain", SeparateCollection, GapClose},
			{"collection_incentives.generation_change", GenerationFactor, Relative},
		}},
	{"consumer_experience_services", "消費者の体験価値に訴求したサービス", "use/sales",
		"Demand for circular products through local brands and services (not built yet).", nil},
	{"reskilling_education", "地域人材のリスキル・教育", "all stages",
		"Education and reskilling for new services (not built yet).", nil},
}

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
// taken from t, one Effect per material row of t (material "*" gives an
// effect on every material). Materials must list the material ids of the
// run, to expand per-material rows.
func Library(t *Table, materials []Material) ([]Element, error) {
	var out []Element
	for _, s := range elementSpecs {
		e := Element{ID: s.id, NameJA: s.nameJA, Stage: s.stage, Description: s.desc}
		for _, es := range s.effects {
			if !t.Has(es.key) {
				continue // an effect without a default magnitude is not applied
			}
			e.MagnitudeKeys = append(e.MagnitudeKeys, es.key)
			all, hasAll := t.Lookup(es.key, 0, "")
			var perMat bool
			for _, m := range materials {
				f, ok := t.Lookup(es.key, 0, m.ID)
				if ok && f.Material == m.ID {
					perMat = true
				}
			}
			if !perMat {
				if !hasAll {
					return nil, fmt.Errorf("model: element %s: %s has no row for material *", s.id, es.key)
				}
				e.Effects = append(e.Effects, Effect{Key: es.key, Param: es.param, Op: es.op, Magnitude: all.Value})
				continue
			}
			for _, m := range materials {
				f, ok := t.Lookup(es.key, 0, m.ID)
				if !ok {
					continue
				}
				e.Effects = append(e.Effects, Effect{Key: es.key, Param: es.param, Material: m.ID, Op: es.op, Magnitude: f.Value})
			}
		}
		out = append(out, e)
	}
	return out, nil
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
	return " (known: " + strings.Join(sorted, ", ") + ")"
}

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
