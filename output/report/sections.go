package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/output/chart"
)

var esc = template.HTMLEscapeString

// headlineMap returns the figures of h by their summary.json keys.
func headlineMap(h output.Headline) map[string]float64 {
	b, _ := json.Marshal(h) // a struct of float64: cannot fail
	m := map[string]float64{}
	json.Unmarshal(b, &m)
	return m
}

// totalOf returns the group summary of v in the run's headline scope.
func totalOf(r *Run, v *output.VariantSummary) output.GroupSummary {
	if r.Scope() == "msw" && v.TotalMSW != nil {
		return *v.TotalMSW
	}
	return v.Total
}

func (b *builder) scopeNote(r *Run) string {
	if r.Scope() == "msw" {
		return b.st.T("一般廃棄物（製品を除く素材）の範囲（環境省 一般廃棄物処理実態調査と比較可能）。summary.json の total_msw。",
			"Municipal solid waste scope (materials without durable products, comparable with the MOE survey): total_msw of summary.json.")
	}
	return b.st.T("全素材の合計（summary.json の total）。", "All materials (total of summary.json).")
}

func (b *builder) secRun() (section, error) {
	st := b.st
	var h strings.Builder
	for _, r := range b.runs {
		m := &r.Manifest
		if len(b.runs) > 1 {
			h.WriteString("<h3>" + esc(r.Name) + "</h3>")
		}
		prefs := map[string]int{}
		arch := map[string]int{}
		var pop float64
		for _, g := range m.Regions {
			prefs[g.Prefecture]++
			arch[g.Archetype]++
			pop += g.Population
		}
		pn := sortedKeys(prefs)
		h.WriteString("<table>")
		row := func(k, v string) { h.WriteString("<tr><th>" + esc(k) + "</th><td>" + v + "</td></tr>") }
		row(st.T("シナリオ", "Scenario"), esc(m.Scenario))
		row(st.T("出力ディレクトリ", "Output directory"), esc(r.Dir))
		row(st.T("期間", "Horizon"), esc(fmt.Sprintf("FY%d – FY%d", r.Years[0], r.Years[len(r.Years)-1])))
		row(st.T("乱数シード", "Seed"), esc(strconv.FormatUint(m.Seed, 10)))
		row(st.T("地域数", "Regions"), esc(chart.FormatNumber(float64(len(m.Regions)), 0))+st.T(" 市区町村（人口 ", " municipalities (population ")+esc(chart.FormatNumber(pop, 0))+st.T(" 人）", ")"))
		if len(pn) > 0 {
			if len(pn) > 12 {
				row(st.T("都道府県", "Prefectures"), esc(fmt.Sprintf("%d: %s …", len(pn), strings.Join(pn[:12], "、"))))
			} else {
				row(st.T("都道府県", "Prefectures"), esc(strings.Join(pn, "、")))
			}
		}
		var as []string
		for _, a := range sortedKeys(arch) {
			as = append(as, b.archName(a)+": "+strconv.Itoa(arch[a]))
		}
		row(st.T("地域類型", "Archetypes"), esc(strings.Join(as, "、")))
		row(st.T("バージョン", "Version"), esc(m.Tool+" "+m.Version))
		h.WriteString("</table>")
		h.WriteString("<table><tr><th>" + esc(st.T("バリアント", "Variant")) + "</th><th>" + esc(st.T("モデル要素（開始年度・立ち上がり年数）", "Model elements (start year, ramp years)")) + "</th></tr>")
		for _, v := range r.Variants {
			var es []string
			for _, e := range r.Elements[v] {
				s := b.elementName(e.Element) + fmt.Sprintf(" (FY%d", e.StartYear)
				if e.RampYears > 1 {
					s += fmt.Sprintf(st.T("、%d年", ", %d y"), e.RampYears)
					if e.Ramp != "" {
						s += " " + e.Ramp
					}
				}
				s += ")"
				if len(e.Archetypes) > 0 {
					s += st.T(" 類型 ", " archetypes ") + strings.Join(e.Archetypes, ",")
				}
				if len(e.Regions) > 0 {
					s += st.T(" 地域 ", " regions ") + strings.Join(e.Regions, ",")
				}
				es = append(es, s)
			}
			cell := esc(strings.Join(es, "; "))
			if r.Elements == nil || (len(es) == 0 && r.elementsUnknown()) {
				cell = `<span class="note">` + esc(st.T("（シナリオファイルが見つからないため不明）", "(unknown: scenario file not found)")) + `</span>`
			} else if len(es) == 0 {
				cell = esc(st.T("なし（現状趨勢）", "none (business as usual)"))
			}
			h.WriteString("<tr><td>" + esc(v) + "</td><td>" + cell + "</td></tr>")
		}
		h.WriteString("</table>")
	}
	return section{ID: "run", Title: st.T("実行内容", "What was run"), Body: template.HTML(h.String())}, nil
}

func (r *Run) elementsUnknown() bool { return len(r.Elements) == 0 }

func (b *builder) elementName(id string) string {
	if b.st.Lang == "ja" {
		if s, ok := elementJA[id]; ok {
			return s
		}
	}
	return id
}

func (b *builder) archName(a string) string {
	m := archetypeEN
	if b.st.Lang == "ja" {
		m = archetypeJA
	}
	if s, ok := m[a]; ok {
		return s
	}
	return a
}

func (b *builder) indName(ind indicator) string { return b.st.T(ind.ja, ind.en) }

func (ind indicator) scale() float64 {
	if ind.div == 0 {
		return 1
	}
	return ind.div
}

func (b *builder) tableUnit(ind indicator) string {
	if ind.div != 0 {
		return b.st.T(ind.tableUnitJA, ind.tableUnitEN)
	}
	return b.unitLabel(ind.unit)
}

// secTable is the headline comparison: per year shown, one row per
// variant, from summary.json (base and end years) or timeseries.csv
// (other report years); then the end-year change from the first variant.
func (b *builder) secTable() (section, error) {
	st := b.st
	var h strings.Builder
	for _, r := range b.runs {
		if len(b.runs) > 1 {
			h.WriteString("<h3>" + esc(r.Name) + "</h3>")
		}
		h.WriteString(`<p class="note">` + esc(b.scopeNote(r)) + "</p>")
		base, end := r.Years[0], r.Years[len(r.Years)-1]
		years := []int{base}
		for _, y := range b.opt.Years {
			if y > base && y < end && !slices.Contains(years, y) {
				years = append(years, y)
			}
		}
		slices.Sort(years)
		years = append(years, end)
		header := func(title string) {
			h.WriteString("<h3>" + esc(title) + `</h3><div class="scroll"><table class="headline"><tr><th>` + esc(st.T("バリアント", "Variant")) + "</th>")
			for _, ind := range headlines {
				h.WriteString("<th>" + esc(b.indName(ind)) + "<br><small>" + esc(b.tableUnit(ind)) + "</small></th>")
			}
			h.WriteString("</tr>")
		}
		for _, y := range years {
			t := fmt.Sprintf("FY%d", y)
			switch y {
			case base:
				t += st.T("（基準年度）", " (base year)")
			case end:
				t += st.T("（最終年度）", " (end year)")
			}
			header(t)
			for vi := range r.Summary.Variants {
				v := &r.Summary.Variants[vi]
				g := totalOf(r, v)
				var m map[string]float64
				switch y {
				case base:
					m = headlineMap(g.BaseYear.Headline)
				case end:
					m = headlineMap(g.EndYear.Headline)
				}
				h.WriteString(fmt.Sprintf(`<tr data-variant="%s" data-year="%d"><td>%s</td>`, esc(v.Name), y, esc(v.Name)))
				for _, ind := range headlines {
					val := math.NaN()
					if m != nil {
						val = m[ind.json]
					} else if s := r.Total(v.Name, r.Scope(), ind.name); s != nil {
						val = s[r.YearIndex(y)]
					}
					h.WriteString(fmt.Sprintf(`<td class="n" data-key="%s" data-value="%s">%s</td>`, ind.json,
						strconv.FormatFloat(val, 'g', -1, 64), esc(fmtValue(val/ind.scale(), ind.dec))))
				}
				h.WriteString("</tr>")
			}
			h.WriteString("</table></div>")
		}
		first := r.Summary.Variants[0]
		header(fmt.Sprintf(st.T("FY%d の %s との差", "FY%d: change from %s"), end, first.Name))
		f0 := headlineMap(totalOf(r, &first).EndYear.Headline)
		for vi := range r.Summary.Variants {
			v := &r.Summary.Variants[vi]
			m := headlineMap(totalOf(r, v).EndYear.Headline)
			h.WriteString(fmt.Sprintf(`<tr data-variant="%s" data-year="%d" data-diff="1"><td>%s</td>`, esc(v.Name), end, esc(v.Name)))
			for _, ind := range headlines {
				d := m[ind.json] - f0[ind.json]
				cls := "n"
				if d > 0 {
					cls += " pos"
				} else if d < 0 {
					cls += " neg"
				}
				pct := ""
				if f0[ind.json] != 0 && ind.unit != "%" {
					pct = " (" + fmtSigned(d/math.Abs(f0[ind.json])*100, 1) + "%)"
				}
				h.WriteString(fmt.Sprintf(`<td class="%s" data-key="%s" data-value="%s">%s%s</td>`, cls, ind.json,
					strconv.FormatFloat(d, 'g', -1, 64), esc(fmtSigned(d/ind.scale(), ind.dec)), esc(pct)))
			}
			h.WriteString("</tr>")
		}
		h.WriteString("</table></div>")
		h.WriteString(`<p class="note">` + esc(st.T("率（%）の差はポイント差。色: 増加は赤、減少は緑（指標の良し悪しではなく符号）。",
			"Differences of rates (%) are in percentage points. Colour: red up, green down (the sign, not good or bad).")) + "</p>")
	}
	return section{ID: "headline", Title: st.T("主要指標の比較", "Headline comparison"), Body: template.HTML(h.String())}, nil
}

// secLines draws one chart per headline indicator.
func (b *builder) secLines() (section, error) {
	st := b.st
	s := section{ID: "trends", Title: st.T("主要指標の推移", "Headline indicators over time")}
	vs := b.variants()
	if len(vs) > 15 {
		s.Intro = st.T(fmt.Sprintf("%d バリアントを描画（report.variants / --variants で選択可）。", len(vs)),
			fmt.Sprintf("%d variants drawn (choose with report.variants / --variants).", len(vs)))
	}
	bands := false
	for _, ind := range headlines {
		l := &chart.Lines{Title: b.indName(ind), Quantity: b.indName(ind), Unit: ind.unit, ZeroY: true}
		for _, v := range vs {
			ys := v.run.Total(v.name, v.run.Scope(), ind.name)
			xs := make([]float64, len(v.run.Years))
			for i, y := range v.run.Years {
				xs[i] = float64(y)
			}
			ser := chart.Series{Name: v.label, X: xs, Y: ys, Index: v.index}
			if bd, ok := v.run.Batch[Key{v.name, "total", "total", v.run.Scope(), ind.name}]; ok {
				ser.Y, ser.Lo, ser.Hi = bd.P50, bd.P5, bd.P95
				bands = true
			}
			l.Series = append(l.Series, ser)
		}
		f, err := b.fig(b.indName(ind), l, 7.2, 4)
		if err != nil {
			return s, err
		}
		s.Figures = append(s.Figures, f)
	}
	if bands {
		s.Intro += st.T("帯はバッチ実行の p5–p95、線は中央値。", "Bands: p5–p95 of the batch; lines: median.")
	} else {
		s.Intro += st.T("決定論的な1回の実行（不確実性の帯はバッチ実行の集計があるときに表示）。", "One deterministic run (p5–p95 bands appear when batch aggregates are given).")
	}
	s.Intro += " " + b.scopeNote(b.runs[0])
	return s, nil
}

func (b *builder) secValidation() (section, error) {
	st := b.st
	var h strings.Builder
	for _, r := range b.runs {
		if len(r.Validation) < 2 {
			continue
		}
		if len(b.runs) > 1 {
			h.WriteString("<h3>" + esc(r.Name) + "</h3>")
		}
		h.WriteString(`<div class="scroll"><table>`)
		for i, row := range r.Validation {
			h.WriteString("<tr>")
			for _, c := range row {
				if i == 0 {
					h.WriteString("<th>" + esc(c) + "</th>")
				} else if v, err := strconv.ParseFloat(c, 64); err == nil {
					h.WriteString(`<td class="n">` + esc(chart.FormatNumber(v, decimalsOf(v))) + "</td>")
				} else {
					h.WriteString("<td>" + esc(c) + "</td>")
				}
			}
			h.WriteString("</tr>")
		}
		h.WriteString("</table></div>")
	}
	if h.Len() == 0 {
		h.WriteString(`<p class="note">` + esc(st.T("検証データなし（validation.csv がありません）。", "No validation (no validation.csv).")) + "</p>")
	}
	return section{ID: "validation", Title: st.T("基準年度の検証", "Base-year validation"), Body: template.HTML(h.String())}, nil
}

func decimalsOf(v float64) int {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return 0
	case a >= 10:
		return 1
	case a >= 1:
		return 2
	}
	return 3
}

func (b *builder) secSources() (section, error) {
	st := b.st
	var h strings.Builder
	for _, r := range b.runs {
		m := &r.Manifest
		if len(b.runs) > 1 {
			h.WriteString("<h3>" + esc(r.Name) + "</h3>")
		}
		h.WriteString("<h3>" + esc(st.T("入力ファイル", "Input files")) + `</h3><div class="scroll"><table><tr><th>` + esc(st.T("役割", "Role")) + "</th><th>" + esc(st.T("パス", "Path")) + "</th><th>SHA-256</th></tr>")
		for _, in := range m.Inputs {
			h.WriteString("<tr><td>" + esc(in.Role) + "</td><td>" + esc(in.Path) + "</td><td><small>" + esc(in.SHA256) + "</small></td></tr>")
		}
		h.WriteString("</table></div>")
		kinds := map[string]int{}
		for _, p := range m.Parameters {
			kinds[p.Kind]++
		}
		var ks []string
		for _, k := range sortedKeys(kinds) {
			ks = append(ks, fmt.Sprintf("%s %d", k, kinds[k]))
		}
		h.WriteString("<h3>" + esc(st.T("使用したパラメータと出典", "Parameters used and their sources")) + "</h3>")
		h.WriteString(`<p class="note">` + esc(fmt.Sprintf(st.T("%d 件（%s）。cited = 出典の数値、derived = 出典から算出、assumption = 仮定（理由を記載）、scenario = シナリオで指定。",
			"%d parameters (%s). cited = figure of the source, derived = computed from sources, assumption = assumed (reason given), scenario = set in the scenario."), len(m.Parameters), strings.Join(ks, ", "))) + "</p>")
		h.WriteString(`<div class="scroll"><table><tr><th>` + esc(st.T("パラメータ", "Parameter")) + "</th><th>" + esc(st.T("類型", "Archetype")) + "</th><th>" + esc(st.T("素材", "Material")) +
			"</th><th>" + esc(st.T("値", "Value")) + "</th><th>" + esc(st.T("単位", "Unit")) + "</th><th>" + esc(st.T("種別", "Kind")) + "</th><th>" + esc(st.T("出典", "Source")) + "</th></tr>")
		for _, p := range m.Parameters {
			key := p.Key
			if len(p.Regions) > 0 {
				key += " [" + strings.Join(p.Regions, ",") + "]"
			}
			h.WriteString("<tr><td>" + esc(key) + "</td><td>" + esc(p.Archetype) + "</td><td>" + esc(p.Material) + `</td><td class="n">` +
				esc(strconv.FormatFloat(p.Value, 'g', 6, 64)) + "</td><td>" + esc(p.Unit) + "</td><td>" + esc(p.Kind) + `</td><td><small class="src">` + esc(p.Source) + "</small></td></tr>")
		}
		h.WriteString("</table></div>")
	}
	return section{ID: "sources", Title: st.T("パラメータと出典", "Parameters and sources"), Body: template.HTML(h.String())}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
