package report

import (
	"fmt"
	"html/template"
	"image/color"
	"math"
	"strings"

	"github.com/circular-partners/junkan/output/chart"
)

// pathwayLayers partition what is discarded: reused + the sinks of
// waste_generated (DESIGN §5). Each layer sums flows of timeseries.csv.
var pathwayLayers = []struct {
	ja, en string
	flows  []string
	col    color.RGBA
}{
	{"リユース", "reused", []string{"reused"}, color.RGBA{0x17, 0xbe, 0xcf, 255}},
	{"再生利用（再生材）", "recycled (recyclate)", []string{"recyclate_output"}, color.RGBA{0x2c, 0xa0, 0x2c, 255}},
	{"焼却灰の資源化", "ash recycled", []string{"ash_recycled"}, color.RGBA{0x98, 0xdf, 0x8a, 255}},
	{"処理ロス（資源化・堆肥化）", "process loss", []string{"process_loss"}, color.RGBA{0xc7, 0xc7, 0xc7, 255}},
	{"燃料化・セメント原料化", "fuel and cement routes", []string{"fuel_cement_output"}, color.RGBA{0xd6, 0x27, 0x28, 255}},
	{"焼却（減量分）", "incinerated (to air)", []string{"combustion_loss"}, color.RGBA{0xff, 0x7f, 0x0e, 255}},
	{"最終処分（埋立）", "landfilled (final disposal)", []string{"final_disposal"}, color.RGBA{0x8c, 0x56, 0x4b, 255}},
}

func (b *builder) secPathways() (section, error) {
	st := b.st
	s := section{ID: "pathways", Title: st.T("ごみの行き先（処理経路）", "Where waste goes (pathways)"),
		Intro: st.T("排出量（廃棄された製品・ごみ）の行き先。リユース＋ごみ総排出量の行き先（再生材、焼却灰の資源化、処理ロス、燃料化・セメント原料化、焼却による減量、最終処分）で、合計は排出量に等しい。全素材（製品を含む）。",
			"Where discarded mass goes: reused plus the sinks of waste generated (recyclate, ash recycled, process loss, fuel and cement routes, combustion loss, final disposal); the layers sum to discarded. All materials (products included).")}
	st2 := &chart.Stacked{Title: st.T("ごみの行き先（バリアント別）", "Where waste goes, by variant"), Quantity: st.T("量", "mass"), Unit: "t"}
	for _, l := range pathwayLayers {
		st2.Layers = append(st2.Layers, chart.Layer{Name: st.T(l.ja, l.en), Color: l.col})
	}
	vs := b.variants()
	for _, v := range vs {
		pn := chart.Panel{Title: v.label}
		for _, y := range v.run.Years {
			pn.X = append(pn.X, float64(y))
		}
		for _, l := range pathwayLayers {
			vals := make([]float64, len(pn.X))
			for _, fl := range l.flows {
				ser := v.run.Total(v.name, "all", fl)
				for k := range vals {
					if ser == nil && optionalFlows[fl] {
						continue
					}
					if ser == nil {
						vals[k] = math.NaN()
					} else {
						vals[k] += ser[k]
					}
				}
			}
			pn.Values = append(pn.Values, vals)
		}
		st2.Panels = append(st2.Panels, pn)
	}
	cols := 3
	if len(vs) <= 2 {
		cols = len(vs)
	}
	rows := (len(vs) + cols - 1) / cols
	f, err := b.fig(st2.Title, st2, 11, 1.0+2.1*float64(rows))
	if err != nil {
		return s, err
	}
	s.Figures = append(s.Figures, f)
	return s, nil
}

func (b *builder) secArchetypes() (section, error) {
	st := b.st
	s := section{ID: "archetypes", Title: st.T("地域類型別", "By archetype")}
	vs := b.variants()
	r0 := b.runs[0]
	end := r0.Years[len(r0.Years)-1]
	var names []string
	for _, a := range []string{"a", "b", "c", "d", "e"} {
		names = append(names, b.archName(a))
	}
	s.Intro = fmt.Sprintf(st.T("FY%d、地域類型別（%s）。", "FY%d, by archetype (%s). "), end, strings.Join(names, st.T("、", "; "))) + b.scopeNote(r0)
	var groups []string
	arch := []string{}
	for _, a := range []string{"a", "b", "c", "d", "e"} {
		for _, r := range b.runs {
			if r.Get(Key{r.Variants[0], "archetype", a, r.Scope(), "waste_generated"}) != nil {
				arch = append(arch, a)
				groups = append(groups, a)
				break
			}
		}
	}
	for _, ind := range []indicator{headlines[0], headlines[1], headlines[2], headlines[4], headlines[5]} {
		bars := &chart.Bars{Title: b.indName(ind) + fmt.Sprintf(" (FY%d)", end), Quantity: b.indName(ind), Unit: ind.unit, Groups: groups}
		for _, v := range vs {
			bs := chart.BarSeries{Name: v.label, Index: v.index}
			for _, a := range arch {
				val := math.NaN()
				if ser := v.run.Get(Key{v.name, "archetype", a, v.run.Scope(), ind.name}); ser != nil {
					val = ser[len(ser)-1]
				}
				bs.Values = append(bs.Values, val)
			}
			bars.Series = append(bars.Series, bs)
		}
		f, err := b.fig(bars.Title, bars, 7.2, 4)
		if err != nil {
			return s, err
		}
		s.Figures = append(s.Figures, f)
	}
	return s, nil
}

func (b *builder) secTargets() (section, error) {
	st := b.st
	s := section{ID: "targets", Title: st.T("目標の達成度（CPs 形式）", "Targets (CPs format)"),
		Intro: st.T("達成度 = 基準年度から目標値への進捗（%）。帯は CPs のフォローアップ区分（0–19、20–39、40–59、60–79、80–99、100 %）。",
			"Achievement = progress from the base-year value toward the target (%). Bands: the CPs follow-up bands (0–19, 20–39, 40–59, 60–79, 80–99, 100 %).")}
	var h strings.Builder
	vs := b.variants()
	for _, r := range b.runs {
		if len(r.Summary.Targets) == 0 {
			continue
		}
		if len(b.runs) > 1 {
			h.WriteString("<h3>" + esc(r.Name) + "</h3>")
		}
		h.WriteString(`<div class="scroll"><table><tr><th>` + strings.Join([]string{esc(st.T("目標", "Target")), esc(st.T("バリアント", "Variant")),
			esc(st.T("年度", "Year")), esc(st.T("基準値", "Base")), esc(st.T("目標値", "Target")), esc(st.T("到達値", "Value")), esc(st.T("単位", "Unit")),
			esc(st.T("達成度 %", "Achievement %")), esc(st.T("区分", "Band"))}, "</th><th>") + "</th></tr>")
		names := []string{}
		for _, t := range r.Summary.Targets {
			if !contains(names, t.Name) {
				names = append(names, t.Name)
			}
			h.WriteString("<tr><td>" + esc(t.Name) + "</td><td>" + esc(t.Variant) + fmt.Sprintf("</td><td>FY%d</td>", t.Year) +
				`<td class="n">` + esc(fmtValue(t.Base, decimalsOf(t.Base))) + `</td><td class="n">` + esc(fmtValue(t.Target, decimalsOf(t.Target))) +
				`</td><td class="n">` + esc(fmtValue(t.Value, decimalsOf(t.Value))) + "</td><td>" + esc(b.unitLabel(t.Unit)) +
				`</td><td class="n">` + esc(fmtValue(t.AchievementPct, 1)) + "</td><td>" + esc(t.Band) + "</td></tr>")
		}
		h.WriteString("</table></div>")
		for _, name := range names {
			a := &chart.Achievement{Title: name}
			for _, v := range vs {
				if v.run != r {
					continue
				}
				for _, t := range r.Summary.Targets {
					if t.Name == name && t.Variant == v.name {
						a.Rows = append(a.Rows, chart.AchievementRow{Label: v.label, Pct: t.AchievementPct, Index: v.index})
					}
				}
			}
			f, err := b.fig(name, a, 7.2, 1.4+0.22*float64(len(a.Rows)))
			if err != nil {
				return s, err
			}
			s.Figures = append(s.Figures, f)
		}
	}
	if h.Len() == 0 {
		h.WriteString(`<p class="note">` + esc(st.T("シナリオに目標（targets）がありません。", "The scenario has no targets.")) + "</p>")
	}
	s.Body = template.HTML(h.String())
	return s, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// attribution indicators drawn as waterfalls, with their names.
var attribNames = map[string][2]string{
	"waste_generated": {"ごみ総排出量", "Waste generated"}, "final_disposal": {"最終処分量", "Final disposal"},
	"ghg_net": {"温室効果ガス排出量（正味）", "GHG net"}, "cost_total": {"処理費用（総額）", "Total cost"},
	"ce_market": {"CE市場規模", "CE market"}, "jobs": {"雇用", "Jobs"}, "recycling_rate": {"リサイクル率", "Recycling rate"},
	"outlet_circular_use_rate": {"出口側の循環利用率", "Outlet circular use rate"}, "inlet_circular_use_rate": {"入口側の循環利用率", "Inlet circular use rate"},
}

func (b *builder) secAttribution() (section, error) {
	st := b.st
	s := section{ID: "attribution", Title: st.T("要素別の寄与（アトリビューション）", "Attribution of a variant's change to its elements")}
	for _, r := range b.runs {
		for _, a := range r.Summary.Attribution {
			s.Intro = st.T("最終年度における、要素を何も採用しない場合からの変化を要素ごとに分解（シャープレイ値：全ての採用順序での限界寄与の平均）。寄与の和は全体の変化に等しい。全素材。",
				"End-year change from the variant without any of its elements, split among its elements (Shapley values: mean marginal contribution over all orders of adoption); contributions sum to the total change. All materials.")
			for j, ind := range a.Indicators {
				if ind != "final_disposal" && ind != "ghg_net" && ind != "cost_total" && ind != "ce_market" && ind != "recycling_rate" && ind != "jobs" {
					continue
				}
				nm := attribNames[ind]
				name := st.T(nm[0], nm[1])
				unit := ""
				if j < len(a.Units) {
					unit = a.Units[j]
				}
				w := &chart.Waterfall{Title: fmt.Sprintf("%s: %s (FY%d)", a.Variant, name, a.Year), Quantity: st.T("変化", "change"), Unit: unit,
					TotalLabel: st.T("合計", "total")}
				if len(b.runs) > 1 {
					w.Title = r.Name + ": " + w.Title
				}
				if j < len(a.Total) {
					w.Total = a.Total[j]
				}
				for _, e := range a.Elements {
					v := math.NaN()
					if j < len(e.Contribution) {
						v = e.Contribution[j]
					}
					w.Steps = append(w.Steps, chart.Step{Label: b.elementName(e.Element), Value: v})
				}
				f, err := b.fig(w.Title, w, 7.2, 1.6+0.3*float64(len(w.Steps)))
				if err != nil {
					return s, err
				}
				s.Figures = append(s.Figures, f)
			}
		}
	}
	if len(s.Figures) == 0 {
		s.Body = template.HTML(`<p class="note">` + esc(st.T("アトリビューションの対象バリアントがありません（outputs.attribution）。", "No variant is attributed (outputs.attribution).")) + "</p>")
	}
	return s, nil
}
