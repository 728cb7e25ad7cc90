package report

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/circular-partners/junkan/output/chart"
)

// SankeyTerm is one flow of timeseries.csv with its sign in a link.
type SankeyTerm struct {
	Flow string
	Sign float64
}

// sankeyNodes: name (ja, en), column, colour.
var sankeyNodes = []struct {
	ja, en string
	col    int
	c      color.RGBA
}{
	{"使用中の製品・消費", "in use", 0, color.RGBA{0x39, 0x3b, 0x79, 255}},                     // 0
	{"排出（廃棄）", "discarded", 1, color.RGBA{0x52, 0x54, 0xa3, 255}},                     // 1
	{"ごみ総排出量", "waste generated", 2, color.RGBA{0x63, 0x79, 0x39, 255}},               // 2
	{"分別収集・選別", "separate collection, sorting", 3, color.RGBA{0x2c, 0xa0, 0x2c, 255}}, // 3
	{"混合収集", "mixed collection", 3, color.RGBA{0x8c, 0x6d, 0x31, 255}},                // 4
	{"資源化", "recycling", 4, color.RGBA{0x2c, 0xa0, 0x2c, 255}},                        // 5
	{"焼却", "incineration", 4, color.RGBA{0xff, 0x7f, 0x0e, 255}},                      // 6
	{"残渣", "residues", 5, color.RGBA{0x7f, 0x7f, 0x7f, 255}},                          // 7
	{"焼却灰", "ash", 5, color.RGBA{0xbc, 0xbd, 0x22, 255}},                              // 8
	{"再生材", "recyclate", 6, color.RGBA{0x2c, 0xa0, 0x2c, 255}},                        // 9
	{"処理ロス", "process loss", 6, color.RGBA{0xaa, 0xaa, 0xaa, 255}},                    // 10
	{"燃焼による減量", "combustion loss", 6, color.RGBA{0xff, 0x7f, 0x0e, 255}},              // 11
	{"焼却灰の資源化", "ash recycled", 6, color.RGBA{0x98, 0xdf, 0x8a, 255}},                 // 12
	{"最終処分", "final disposal", 6, color.RGBA{0x8c, 0x56, 0x4b, 255}},                  // 13
	{"集団回収", "group collection", 3, color.RGBA{0x98, 0xdf, 0x8a, 255}},                // 14
	{"燃料化・セメント原料化", "fuel and cement routes", 6, color.RGBA{0xd6, 0x27, 0x28, 255}},   // 15
}

// SankeyLinks are the links of the Sankey with the flows of
// timeseries.csv (level total, material all) that make each one; the two
// loops are reuse (discarded → back to use) and residues → incineration.
var SankeyLinks = []struct {
	From, To int
	Terms    []SankeyTerm
}{
	{0, 1, []SankeyTerm{{"discarded", 1}}},
	{1, 0, []SankeyTerm{{"reused", 1}}},
	{1, 2, []SankeyTerm{{"waste_generated", 1}}},
	{2, 3, []SankeyTerm{{"separately_collected", 1}}},
	{2, 4, []SankeyTerm{{"mixed_collected", 1}}},
	{4, 13, []SankeyTerm{{"direct_landfill", 1}}},
	{2, 14, []SankeyTerm{{"group_collected", 1}}},
	{14, 5, []SankeyTerm{{"group_collected", 1}}},
	{4, 15, []SankeyTerm{{"fuel_cement_input", 1}}},
	{4, 6, []SankeyTerm{{"mixed_collected", 1}, {"direct_landfill", -1}, {"fuel_cement_input", -1}}},
	{3, 5, []SankeyTerm{{"sorted_to_recycling", 1}}},
	{3, 7, []SankeyTerm{{"sorting_residue", 1}}},
	{5, 9, []SankeyTerm{{"recyclate_output", 1}}},
	{5, 10, []SankeyTerm{{"process_loss", 1}}},
	{5, 7, []SankeyTerm{{"recycling_residue", 1}, {"returned_residue", 1}}},
	{7, 6, []SankeyTerm{{"incinerated", 1}, {"mixed_collected", -1}, {"direct_landfill", 1}, {"fuel_cement_input", 1}}},
	{7, 13, []SankeyTerm{{"residue_landfilled", 1}}},
	{6, 11, []SankeyTerm{{"combustion_loss", 1}}},
	{6, 8, []SankeyTerm{{"ash", 1}}},
	{8, 12, []SankeyTerm{{"ash_recycled", 1}}},
	{8, 13, []SankeyTerm{{"ash_landfilled", 1}}},
}

// optionalFlows may be absent from outputs of earlier versions (then 0).
var optionalFlows = map[string]bool{"group_collected": true, "fuel_cement_input": true, "fuel_cement_output": true}

// Sankey returns the Sankey of variant in fiscal year at the total level,
// material all (every tonne discarded, products included), with notes
// when a node does not balance.
//
// Nodes with no flow at all (e.g. group collection where the run has
// none) are left out, with a note; the reuse loop is always drawn. The
// returned links[i] is the index in [SankeyLinks] of the figure's link i.
func (r *Run) Sankey(lang, variant string, year int) (fig *chart.Sankey, links []int, notes []string, err error) {
	yi := r.YearIndex(year)
	if yi < 0 {
		return nil, nil, nil, fmt.Errorf("%w: Sankey year %d outside the run (FY%d–FY%d)", ErrOption, year, r.Years[0], r.Years[len(r.Years)-1])
	}
	found := false
	for _, v := range r.Variants {
		found = found || v == variant
	}
	if !found {
		return nil, nil, nil, fmt.Errorf("%w: Sankey variant %q is not in the run", ErrOption, variant)
	}
	ja := lang != "en"
	s := &chart.Sankey{Unit: "t"}
	if ja {
		s.Title = fmt.Sprintf("物質フロー %s FY%d（全素材、t/年）", variant, year)
	} else {
		s.Title = fmt.Sprintf("Material flows, %s, FY%d (all materials, t/yr)", variant, year)
	}
	for _, n := range sankeyNodes {
		name := n.en
		if ja {
			name = n.ja
		}
		s.Nodes = append(s.Nodes, chart.SankeyNode{Name: name, Col: n.col, Color: n.c})
	}
	var all []chart.SankeyLink
	for _, l := range SankeyLinks {
		v := 0.0
		for _, t := range l.Terms {
			ser := r.Total(variant, "all", t.Flow)
			if ser == nil && optionalFlows[t.Flow] {
				continue // an output of an earlier version without this process
			}
			if ser == nil || math.IsNaN(ser[yi]) {
				return nil, nil, nil, fmt.Errorf("report: Sankey: timeseries.csv has no %s for %s FY%d at level total, material all", t.Flow, variant, year)
			}
			v += t.Sign * ser[yi]
		}
		if v < 0 && v > -1e-6*math.Max(1, r.Total(variant, "all", "discarded")[yi]) {
			v = 0 // rounding of a difference
		}
		if v < 0 {
			return nil, nil, nil, fmt.Errorf("report: Sankey: negative flow %v t from %s to %s", v, sankeyNodes[l.From].en, sankeyNodes[l.To].en)
		}
		all = append(all, chart.SankeyLink{From: l.From, To: l.To, Value: v})
	}
	// Leave out nodes without any flow, except use and discarded (the
	// reuse loop).
	total := make([]float64, len(s.Nodes))
	for _, l := range all {
		total[l.From] += l.Value
		total[l.To] += l.Value
	}
	keep := make([]int, len(s.Nodes))
	var nodes []chart.SankeyNode
	var gone []string
	for k, nd := range s.Nodes {
		if total[k] == 0 && k > 1 {
			keep[k] = -1
			gone = append(gone, nd.Name)
			continue
		}
		keep[k] = len(nodes)
		nodes = append(nodes, nd)
	}
	s.Nodes = nodes
	for i, l := range all {
		if keep[l.From] < 0 || keep[l.To] < 0 {
			continue
		}
		s.Links = append(s.Links, chart.SankeyLink{From: keep[l.From], To: keep[l.To], Value: l.Value})
		links = append(links, i)
	}
	if len(gone) > 0 {
		if ja {
			notes = append(notes, "流れのない経路は省略: "+strings.Join(gone, "、"))
		} else {
			notes = append(notes, "left out (no flow): "+strings.Join(gone, ", "))
		}
	}
	// Balance of the inner nodes.
	in := make([]float64, len(s.Nodes))
	out := make([]float64, len(s.Nodes))
	for _, l := range s.Links {
		out[l.From] += l.Value
		in[l.To] += l.Value
	}
	for k := range s.Nodes {
		if in[k] == 0 || out[k] == 0 {
			continue
		}
		if d := in[k] - out[k]; math.Abs(d) > 1e-6*math.Max(in[k], 1) {
			name := s.Nodes[k].Name
			notes = append(notes, fmt.Sprintf("%s: in %s t, out %s t", name, chart.FormatNumber(in[k], 0), chart.FormatNumber(out[k], 0)))
		}
	}
	return s, links, notes, nil
}

func (b *builder) secSankey() (section, error) {
	st := b.st
	s := section{ID: "sankey", Title: st.T("物質フロー（サンキー図）", "Material flows (Sankey)"),
		Intro: st.T("帯の幅は量に比例（t/年）。「ループ」は逆向きの流れ：リユース（排出から使用へ戻る）と、選別・資源化の残渣が焼却へ戻る流れ。全素材（製品を含む）、総計レベル。",
			"Band widths to scale (t/yr). Loops are backward flows: reuse (back from discarded to use) and sorting and recycling residues going back to incineration. All materials (products included), total level.")}
	for _, r := range b.runs {
		v := r.Variants[0]
		if b.opt.SankeyVariant != "" && contains(r.Variants, b.opt.SankeyVariant) {
			v = b.opt.SankeyVariant
		}
		y := r.Years[0]
		if b.opt.SankeyYear != 0 {
			y = b.opt.SankeyYear
		}
		sk, _, notes, err := r.Sankey(st.Lang, v, y)
		if err != nil {
			return s, err
		}
		if len(b.runs) > 1 {
			sk.Title = r.Name + ": " + sk.Title
		}
		f, err := b.fig(sk.Title, sk, 11, 6.2)
		if err != nil {
			return s, err
		}
		f.Notes = append(f.Notes, notes...)
		s.Figures = append(s.Figures, f)
	}
	return s, nil
}
