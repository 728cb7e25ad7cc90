package chart

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"gonum.org/v1/plot/vg"
)

// style returns the Japanese style, skipping without a CJK font unless
// JUNKAN_REQUIRE_TOOLS=1.
func style(t *testing.T) *Style {
	t.Helper()
	if FindFont() == "" {
		if os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" {
			t.Fatalf("no CJK font; install %s", FontPackage)
		}
		t.Skipf("no CJK font (install %s)", FontPackage)
	}
	st, err := NewStyle("ja", "")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestNoFont(t *testing.T) {
	saved := FontCandidates
	FontCandidates = []string{filepath.Join(t.TempDir(), "none.ttf")}
	defer func() { FontCandidates = saved }()
	_, err := NewStyle("ja", "")
	if !errors.Is(err, ErrNoFont) || !strings.Contains(err.Error(), "fonts-ipaexfont-gothic") {
		t.Fatalf("error %v: want ErrNoFont naming fonts-ipaexfont-gothic", err)
	}
	st, err := NewStyle("en", "")
	if err != nil || st.FontPath != "" {
		t.Fatalf("en without CJK font: %v, %+v", err, st)
	}
	if _, err := NewStyle("fr", ""); err == nil {
		t.Fatal("language fr accepted")
	}
}

func TestFontWithoutJapanese(t *testing.T) {
	p := filepath.Join(t.TempDir(), "liberation.ttf")
	if err := os.WriteFile(p, liberationsansregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewStyle("ja", p)
	if !errors.Is(err, ErrNoFont) || !strings.Contains(err.Error(), "no Japanese glyphs") {
		t.Fatalf("error %v: want no Japanese glyphs", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.ttf")
	os.WriteFile(bad, []byte("not a font"), 0o644)
	if _, err := NewStyle("ja", bad); err == nil || !strings.Contains(err.Error(), "not a TrueType") {
		t.Fatalf("error %v", err)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		want string
	}{
		{0, 0, "0"}, {999, 0, "999"}, {1000, 0, "1,000"}, {1234567.891, 1, "1,234,567.9"},
		{-1234567, 0, "-1,234,567"}, {-0.04, 1, "0.0"}, {12.5, 2, "12.50"}, {math.NaN(), 0, "–"}, {math.Inf(1), 1, "–"},
		{250000, 0, "250,000"}, {3e7, 0, "30,000,000"},
	} {
		if got := FormatNumber(c.v, c.dec); got != c.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
}

func TestScaleFor(t *testing.T) {
	ja := &Style{Lang: "ja"}
	en := &Style{Lang: "en"}
	for _, c := range []struct {
		st   *Style
		unit string
		max  float64
		div  float64
		want string
	}{
		{ja, "t", 250000, 1e4, "万t"}, {ja, "t", 900, 1, "t"}, {ja, "JPY", 4.9e11, 1e8, "億円"}, {ja, "JPY", 5e5, 1e4, "万円"},
		{ja, "%", 30, 1, "%"}, {ja, "g/person/day", 850, 1, "g/人/日"}, {ja, "FTE", 2e4, 1, "人 (FTE)"},
		{en, "t", 3e7, 1e6, "million t"}, {en, "JPY", 4.9e11, 1e9, "billion JPY"},
	} {
		sc := c.st.ScaleFor(c.unit, c.max)
		if sc.Div != c.div || sc.Unit != c.want {
			t.Errorf("ScaleFor(%s, %q, %v) = %+v, want %v %q", c.st.Lang, c.unit, c.max, sc, c.div, c.want)
		}
	}
	ts := humanTicks{div: 1e4}.Ticks(0, 3e7)
	labelled := 0
	for _, tk := range ts {
		if tk.Label != "" {
			labelled++
			if strings.ContainsAny(tk.Label, "e+") {
				t.Errorf("tick label %q", tk.Label)
			}
		}
	}
	if labelled < 3 {
		t.Errorf("%d labelled ticks on 0–3e7", labelled)
	}
}

// render draws fig as SVG and PNG within a time limit (a hang fails).
func render(t *testing.T, st *Style, name string, fig Figure) []string {
	t.Helper()
	type res struct {
		notes []string
		err   error
	}
	done := make(chan res, 1)
	go func() {
		var r res
		for _, f := range []string{"svg", "png"} {
			out, notes, err := Render(fig, st, 6*vg.Inch, 4*vg.Inch, f)
			if err == nil && len(out) == 0 {
				err = errors.New("empty output")
			}
			if err != nil {
				r.err = err
				break
			}
			r.notes = notes
		}
		done <- r
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("%s: %v", name, r.err)
		}
		return r.notes
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: drawing did not finish in 60 s", name)
	}
	return nil
}

func years(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(2023 + i)
	}
	return xs
}

func TestRobustLines(t *testing.T) {
	st := style(t)
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name     string
		series   []Series
		log      bool
		wantNote string // substring of a note, "" = no note expected
	}{
		{"nan", []Series{{Name: "a", X: years(4), Y: []float64{1, nan, 3, 4}}}, false, "NaN"},
		{"inf", []Series{{Name: "a", X: years(4), Y: []float64{1, inf, -inf, 4}}}, false, "NaN・無限大の点 30 個"},
		{"all nan", []Series{{Name: "a", X: years(3), Y: []float64{nan, nan, nan}}}, false, "データなし"},
		{"zero", []Series{{Name: "a", X: years(3), Y: []float64{0, 0, 0}}}, false, ""},
		{"negative", []Series{{Name: "ghg", X: years(3), Y: []float64{-5e5, -1e5, 2e5}}}, false, ""},
		{"constant", []Series{{Name: "a", X: years(5), Y: []float64{7, 7, 7, 7, 7}}}, false, ""},
		{"empty", []Series{{Name: "a"}}, false, "データなし"},
		{"no series", nil, false, ""},
		{"variant without rows", []Series{{Name: "a", X: years(3), Y: []float64{1, 2, 3}}, {Name: "b", X: years(3), Y: nil}}, false, "15 系列はデータなし"},
		{"single point", []Series{{Name: "a", X: years(1), Y: []float64{5}}}, false, ""},
		{"log over zeros", []Series{{Name: "a", X: years(4), Y: []float64{0, 0, 10, 100}}}, true, "0 以下の点 30 個"},
		{"log all zero", []Series{{Name: "a", X: years(3), Y: []float64{0, 0, 0}}}, true, "0 以下"},
		{"huge", []Series{{Name: "a", X: years(3), Y: []float64{1e300, 1e301, 1e302}}}, false, ""},
		{"band", []Series{{Name: "a", X: years(3), Y: []float64{1, 2, 3}, Lo: []float64{0.5, nan, 2}, Hi: []float64{1.5, 3, 4}}}, false, ""},
		{"nan years", []Series{{Name: "a", X: []float64{nan, 2024, 2025}, Y: []float64{1, 2, 3}}}, false, "NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ser []Series
			for i := 0; i < 15; i++ { // 15 variants: also checks the legend fits
				for _, s := range c.series {
					s.Name += string(rune('A' + i))
					s.Index = i
					ser = append(ser, s)
				}
				if len(c.series) == 0 {
					break
				}
			}
			notes := render(t, st, c.name, &Lines{Title: "テスト", Quantity: "量", Unit: "t", Series: ser, LogY: c.log, ZeroY: true})
			joined := strings.Join(notes, " | ")
			if c.wantNote != "" && !strings.Contains(joined, c.wantNote) {
				t.Errorf("notes %q, want one with %q", joined, c.wantNote)
			}
			if c.wantNote == "" && len(notes) > 0 {
				t.Errorf("unexpected notes %q", joined)
			}
		})
	}
}

func TestRobustOthers(t *testing.T) {
	st := style(t)
	nan := math.NaN()
	layers := []Layer{{"a", colRecycled}, {"b", colLandfill}}
	render(t, st, "stacked nan/neg", &Stacked{Title: "t", Unit: "t", Layers: layers,
		Panels: []Panel{{Title: "p", X: years(3), Values: [][]float64{{1, nan, 3}, {-1, 2, 2}}}, {Title: "empty"}}})
	render(t, st, "stacked none", &Stacked{Title: "t", Unit: "t"})
	render(t, st, "stacked zeros", &Stacked{Title: "t", Unit: "t", Layers: layers, Panels: []Panel{{Title: "z", X: years(2), Values: [][]float64{{0, 0}, {0, 0}}}}})
	render(t, st, "bars", &Bars{Title: "t", Unit: "%", Groups: []string{"a", "b"}, Series: []BarSeries{{Name: "x", Values: []float64{nan, -3}}, {Name: "y"}}})
	render(t, st, "bars empty", &Bars{Title: "t"})
	render(t, st, "bars all nan", &Bars{Title: "t", Groups: []string{"a"}, Series: []BarSeries{{Name: "x", Values: []float64{nan}}}})
	notes := render(t, st, "waterfall", &Waterfall{Title: "t", Unit: "t", Steps: []Step{{"a", -5}, {"b", nan}, {"c", 2}}, Total: -3})
	if !strings.Contains(strings.Join(notes, " "), "NaN") {
		t.Errorf("waterfall notes %q", notes)
	}
	notes = render(t, st, "waterfall mismatch", &Waterfall{Title: "t", Unit: "t", Steps: []Step{{"a", -5}}, Total: -3})
	if !strings.Contains(strings.Join(notes, " "), "一致しません") {
		t.Errorf("waterfall notes %q", notes)
	}
	render(t, st, "waterfall zeros", &Waterfall{Title: "t", Unit: "JPY", Steps: []Step{{"a", 0}}, Total: 0})
	render(t, st, "waterfall empty", &Waterfall{Title: "t"})
	render(t, st, "achievement", &Achievement{Title: "t", Rows: []AchievementRow{{"a", nan, 0}, {"b", -300, 1}, {"c", 1e9, 2}}})
	render(t, st, "achievement empty", &Achievement{Title: "t"})
	render(t, st, "sankey zeros", &Sankey{Title: "t", Unit: "t", Nodes: []SankeyNode{{Name: "a"}, {Name: "b", Col: 1}}, Links: []SankeyLink{{0, 1, 0, ""}, {1, 0, 0, ""}}})
	render(t, st, "sankey empty", &Sankey{Title: "t", Unit: "t"})
	for _, bad := range []float64{nan, -1, math.Inf(1)} {
		_, _, err := Render(&Sankey{Nodes: []SankeyNode{{Name: "a"}, {Name: "b", Col: 1}}, Links: []SankeyLink{{0, 1, bad, ""}}}, st, 4*vg.Inch, 3*vg.Inch, "svg")
		if err == nil || !strings.Contains(err.Error(), "expected a finite value ≥ 0") {
			t.Errorf("sankey value %v: error %v", bad, err)
		}
	}
	if _, _, err := Render(&Sankey{Nodes: []SankeyNode{{Name: "a"}}, Links: []SankeyLink{{0, 3, 1, ""}}}, st, 4*vg.Inch, 3*vg.Inch, "svg"); err == nil {
		t.Error("sankey link to a missing node accepted")
	}
	if _, _, err := Render(&Lines{}, st, 0, 3*vg.Inch, "svg"); err == nil {
		t.Error("zero size accepted")
	}
	if _, _, err := Render(&Lines{}, st, 3*vg.Inch, 3*vg.Inch, "gif"); err == nil {
		t.Error("format gif accepted")
	}
}

// TestSankeyScale checks that band widths are value × scale and that
// backward and same-column links are loops.
func TestSankeyScale(t *testing.T) {
	st := style(t)
	s := &Sankey{Unit: "t", Nodes: []SankeyNode{{Name: "use", Col: 0}, {Name: "waste", Col: 1}, {Name: "inc", Col: 2}, {Name: "res", Col: 2}, {Name: "sink", Col: 3}},
		Links: []SankeyLink{{0, 1, 100, ""}, {1, 0, 10, ""}, {1, 2, 90, ""}, {2, 3, 30, ""}, {3, 2, 20, ""}, {2, 4, 80, ""}, {3, 4, 10, ""}}}
	lay, err := s.Layout(8*vg.Inch, 5*vg.Inch, st)
	if err != nil {
		t.Fatal(err)
	}
	wantLoop := []bool{false, true, false, true, true, false, false}
	for i, l := range s.Links {
		if got, want := float64(lay.Width[i]), l.Value*lay.Scale; math.Abs(got-want) > 1e-9*want+1e-12 {
			t.Errorf("link %d width %v, want %v", i, got, want)
		}
		if lay.Loop[i] != wantLoop[i] {
			t.Errorf("link %d loop %v, want %v", i, lay.Loop[i], wantLoop[i])
		}
	}
	svg, _, err := Render(s, st, 8*vg.Inch, 5*vg.Inch, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(svg), "ループ"); n != 3 {
		t.Errorf("%d loop labels in the SVG, want 3", n)
	}
}

func TestVariantStyles(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 30; i++ {
		c := VariantColor(i)
		key := fmt.Sprint(c, VariantDashes(i))
		if seen[key] {
			t.Errorf("variant %d repeats colour and dash of an earlier one", i)
		}
		seen[key] = true
	}
	for i := 0; i < 15; i++ {
		for j := 0; j < i; j++ {
			if VariantColor(i) == VariantColor(j) {
				t.Errorf("variants %d and %d share a colour", i, j)
			}
		}
	}
}
