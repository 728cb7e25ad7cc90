package output

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

var update = flag.Bool("update", false, "update golden files")

func writeTS(t testing.TB, results []*sim.Result, regionMaterials bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTimeseries(&buf, results, regionMaterials); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHeader(t *testing.T) {
	data := writeTS(t, runConfig(t, testConfig(2024), testVariants), false)
	first, _, _ := strings.Cut(string(data), "\n")
	if want := "scenario,level,region,archetype,year,material,indicator,value,unit"; first != want {
		t.Errorf("header = %q; want %q", first, want)
	}
}

func TestHandValues(t *testing.T) {
	p := parseTimeseries(t, writeTS(t, runConfig(t, testConfig(2024), testVariants), true))
	cases := []struct {
		name                    string
		scenario, level, region string
		year                    int
		material, indicator     string
		want                    float64
	}{
		// 01100, FY2023 (366 days): 1000 persons × 1000 g/d × 366 d × 1e-6
		// = 366 t of waste generated, half paper: 183 t.
		{"paper waste", "baseline", "region", "01100", 2023, "paper", "waste_generated", 183},
		// separately collected = 183 × 0.5; sorted = 91.5 × 0.75.
		{"paper separate", "baseline", "region", "01100", 2023, "paper", "separately_collected", 91.5},
		{"paper sorted", "baseline", "region", "01100", 2023, "paper", "sorted_to_recycling", 68.625},
		// direct landfill 91.5 × 0.25 = 22.875; residues (22.875 + 17.15625)
		// × 0.5 = 20.015625; incinerated (91.5 − 22.875) + 20.015625 =
		// 88.640625, ash × 0.25 = 22.16015625, half landfilled 11.080078125;
		// final = 22.875 + 20.015625 + 11.080078125.
		{"paper final", "baseline", "region", "01100", 2023, "paper", "final_disposal", 53.970703125},
		{"paper incinerated", "baseline", "region", "01100", 2023, "paper", "incinerated", 88.640625},
		// recycling rate = (68.625 + 11.080078125) ÷ 183 × 100.
		{"paper recycling", "baseline", "region", "01100", 2023, "paper", "recycling_rate", 79.705078125 / 183 * 100},
		// per capita of one material: 183 t × 1e6 ÷ 1000 ÷ 366 d = 500 g/d.
		{"paper per capita", "baseline", "region", "01100", 2023, "paper", "waste_per_capita", 500},
		// plastics: discarded = 183 ÷ (1 − 0.25) = 244, reused 61.
		{"plastics discarded", "baseline", "region", "01100", 2023, "plastics", "discarded", 244},
		{"plastics reused", "baseline", "region", "01100", 2023, "plastics", "reused", 61},
		// incinerated = 137.25 mixed + 22.875 sorting residue + 5.71875
		// recycling residue (22.875 × 0.25) = 165.84375; ash × 0.125, all
		// landfilled: 20.73046875.
		{"plastics final", "baseline", "region", "01100", 2023, "plastics", "final_disposal", 20.73046875},
		// all materials: 53.970703125 + 20.73046875.
		{"all final", "baseline", "region", "01100", 2023, "all", "final_disposal", 74.701171875},
		{"all per capita", "baseline", "region", "01100", 2023, "all", "waste_per_capita", 1000},
		// (sorted 68.625 + 22.875 + ash recycled 11.080078125) ÷ 366 × 100.
		{"all recycling", "baseline", "region", "01100", 2023, "all", "recycling_rate", 102.580078125 / 366 * 100},
		// (reused 61 + 91.5 + 11.080078125) ÷ (366 + 61) × 100.
		{"all outlet", "baseline", "region", "01100", 2023, "all", "outlet_circular_use_rate", 163.580078125 / 427 * 100},
		// 13101, FY2024: 500 × 1.25 = 625 persons.
		{"population", "baseline", "region", "13101", 2024, "all", "population", 625},
		// 625 × 800 g/d × 365 d × 1e-6 = 182.5 t; per capita back to 800.
		{"e waste", "baseline", "region", "13101", 2024, "all", "waste_generated", 182.5},
		{"e per capita", "baseline", "archetype", "e", 2024, "all", "waste_per_capita", 800},
		// total FY2024: 365 + 182.5 = 547.5 t over 1000 + 625 persons.
		{"total population", "baseline", "total", "total", 2024, "all", "population", 1625},
		{"total per capita", "baseline", "total", "total", 2024, "all", "waste_per_capita", 547.5e6 / 1625 / 365},
		// ai, FY2024: sorting yield of paper 0.75 + 0.5 × (1 − 0.75) = 0.875;
		// 01100 paper: 182.5 × 0.5 × 0.875.
		{"ai sorted", "ai", "region", "01100", 2024, "paper", "sorted_to_recycling", 79.84375},
		{"ai before start", "ai", "region", "01100", 2023, "paper", "sorted_to_recycling", 68.625},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := p.get(t, tc.scenario, tc.level, tc.region, tc.year, tc.material, tc.indicator)
			if !near(got, tc.want, 1e-11) { // 12 significant digits in the CSV
				t.Errorf("%s = %.17g; want %.17g", tc.indicator, got, tc.want)
			}
		})
	}
	for _, k := range p.keys {
		r := p.rows[k]
		want := "t"
		if f, ok := model.FlowByName(k.indicator); ok {
			want = f.Unit()
		}
		for i := model.Indicator(0); i < model.NumIndicators; i++ {
			if i.String() == k.indicator {
				want = i.Unit()
			}
		}
		switch k.indicator {
		case "population":
			want = "persons"
		case "waste_per_capita":
			want = "g/person/day"
		case "recycling_rate", "outlet_circular_use_rate", "inlet_circular_use_rate":
			want = "%"
		}
		if r.unit != want {
			t.Fatalf("%v: unit %q; want %q", k, r.unit, want)
		}
	}
}

// TestLayout checks the levels, archetype column, order and row counts.
func TestLayout(t *testing.T) {
	results := runConfig(t, testConfig(2024), testVariants)
	for _, rm := range []bool{false, true} {
		p := parseTimeseries(t, writeTS(t, results, rm))
		// Per entity and year: per material NumFlows flows + NumIndicators
		// indicators, and for "all" also population: 2 × (F+I) + (F+I+1)
		// rows, or F+I+1 at level region without materials. Entities:
		// 2 regions, archetypes c and e, total; 2 years; 2 variants.
		fi := int(model.NumFlows) + int(model.NumIndicators)
		perAll := 2*fi + fi + 1
		perRegion := fi + 1
		if rm {
			perRegion = perAll
		}
		if want := 2 * 2 * (2*perRegion + 3*perAll); len(p.keys) != want {
			t.Errorf("regionMaterials=%v: %d rows; want %d", rm, len(p.keys), want)
		}
		var levels []string
		for _, k := range p.keys {
			if n := len(levels); n == 0 || levels[n-1] != k.scenario+"/"+k.level+"/"+k.region {
				levels = append(levels, k.scenario+"/"+k.level+"/"+k.region)
			}
			arch := p.rows[k].archetype
			switch {
			case k.level == "region" && k.region == "01100" && arch == "c":
			case k.level == "region" && k.region == "13101" && arch == "e":
			case k.level == "archetype" && k.region == arch:
			case k.level == "total" && k.region == "total" && arch == "all":
			default:
				t.Fatalf("%v: archetype %q", k, arch)
			}
			if k.indicator == "population" && k.material != "all" {
				t.Fatalf("%v: population row not at material all", k)
			}
		}
		want := "baseline/region/01100 baseline/region/13101 baseline/archetype/c baseline/archetype/e baseline/total/total " +
			"ai/region/01100 ai/region/13101 ai/archetype/c ai/archetype/e ai/total/total"
		if got := strings.Join(levels, " "); got != want {
			t.Errorf("entity order:\n%s\nwant\n%s", got, want)
		}
	}
}

// TestGroupsAreSums checks that archetype and total rows of flows and
// population are sums of the region rows, and that rates of groups are
// recomputed from summed numerators and denominators.
func TestGroupsAreSums(t *testing.T) {
	p := parseTimeseries(t, writeTS(t, runConfig(t, testConfig(2024), testVariants), true))
	regions := map[string][]string{"c": {"01100"}, "e": {"13101"}, "total": {"01100", "13101"}}
	for _, scen := range []string{"baseline", "ai"} {
		for _, year := range []int{2023, 2024} {
			for _, mat := range []string{"paper", "plastics", "all"} {
				inds := make([]string, 0, model.NumFlows+1)
				for f := model.Flow(0); f < model.NumFlows; f++ {
					inds = append(inds, f.String())
				}
				if mat == "all" {
					inds = append(inds, "population")
				}
				for _, g := range []string{"c", "e", "total"} {
					level := "archetype"
					if g == "total" {
						level = "total"
					}
					for _, ind := range inds {
						var sum float64
						for _, r := range regions[g] {
							sum += p.get(t, scen, "region", r, year, mat, ind)
						}
						if got := p.get(t, scen, level, g, year, mat, ind); !near(got, sum, 1e-10) {
							t.Errorf("%s %s %s %d %s %s = %.17g; sum of regions %.17g", scen, level, g, year, mat, ind, got, sum)
						}
					}
				}
				// Rates at total level from summed flows.
				sum := func(ind string) float64 {
					return p.get(t, scen, "region", "01100", year, mat, ind) + p.get(t, scen, "region", "13101", year, mat, ind)
				}
				rr := (sum("sorted_to_recycling") + sum("ash_recycled")) / sum("waste_generated") * 100
				if got := p.get(t, scen, "total", "total", year, mat, "recycling_rate"); !near(got, rr, 1e-10) {
					t.Errorf("%s %d %s: total recycling_rate = %.17g; want %.17g", scen, year, mat, got, rr)
				}
				ou := (sum("reused") + sum("sorted_to_recycling") + sum("ash_recycled")) / (sum("waste_generated") + sum("reused")) * 100
				if got := p.get(t, scen, "total", "total", year, mat, "outlet_circular_use_rate"); !near(got, ou, 1e-10) {
					t.Errorf("%s %d %s: total outlet_circular_use_rate = %.17g; want %.17g", scen, year, mat, got, ou)
				}
				avg := (p.get(t, scen, "region", "01100", year, mat, "recycling_rate") + p.get(t, scen, "region", "13101", year, mat, "recycling_rate")) / 2
				if mat == "all" && near(avg, rr, 1e-6) {
					t.Errorf("%s %d %s: test is weak: average of rates %g equals rate of sums %g", scen, year, mat, avg, rr)
				}
			}
		}
	}
}

// TestMassBalanceRows walks the CSV and checks the balances of DESIGN §5
// for every (scenario, level, region, year, material).
func TestMassBalanceRows(t *testing.T) {
	p := parseTimeseries(t, writeTS(t, runConfig(t, testConfig(2026), testVariants), true))
	cells := make(map[cellKey]map[string]float64)
	var order []cellKey
	for _, k := range p.keys {
		c := cellKey{k.scenario, k.level, k.region, k.year, k.material}
		if cells[c] == nil {
			cells[c] = make(map[string]float64)
			order = append(order, c)
		}
		cells[c][k.indicator] = p.rows[k].value
	}
	if len(order) != 2*5*4*3 { // variants × entities × years × (2 materials + all)
		t.Fatalf("%d cells; want %d", len(order), 2*5*4*3)
	}
	for _, c := range order {
		v := cells[c]
		w := v["waste_generated"]
		if w <= 0 {
			t.Fatalf("%v: waste_generated = %g", c, w)
		}
		if s := v["separately_collected"] + v["mixed_collected"]; !near(w, s, 1e-9) {
			t.Errorf("%v: waste_generated %.17g ≠ separately + mixed collected %.17g", c, w, s)
		}
		if s := v["recyclate_output"] + v["combustion_loss"] + v["process_loss"] + v["ash_recycled"] + v["final_disposal"]; math.Abs(w-s) > 1e-9*w {
			t.Errorf("%v: waste_generated %.17g ≠ Σ sinks %.17g", c, w, s)
		}
	}
}

func TestDeterministic(t *testing.T) {
	results := runConfig(t, testConfig(2030), testVariants)
	a := writeTS(t, results, true)
	b := writeTS(t, results, true)
	if !bytes.Equal(a, b) {
		t.Error("two calls of WriteTimeseries differ")
	}
}

func TestNonFinite(t *testing.T) {
	results := runConfig(t, testConfig(2024), testVariants)
	bad := *results[1]
	bad.Flows = append([]model.Flows(nil), bad.Flows...)
	bad.Flows[len(bad.Flows)-1][model.Ash] = math.Inf(1)
	err := WriteTimeseries(io.Discard, []*sim.Result{results[0], &bad}, false)
	if !errors.Is(err, ErrNonFinite) {
		t.Fatalf("err = %v; want ErrNonFinite", err)
	}
	if !strings.Contains(err.Error(), "region 13101, FY2024") || !strings.Contains(err.Error(), "ash is +Inf") {
		t.Errorf("err = %v; want it to name region, year and flow", err)
	}
}

func TestMismatch(t *testing.T) {
	a := runConfig(t, testConfig(2024), testVariants[:1])
	b := runConfig(t, testConfig(2025), testVariants[:1])
	if err := WriteTimeseries(io.Discard, append(a, b...), false); !errors.Is(err, ErrMismatch) {
		t.Errorf("err = %v; want ErrMismatch", err)
	}
}

func TestAppendValue(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{366, "366"},
		{38974270, "38974270"},
		{0.1, "0.1"},
		{851.0213, "851.0213"},
		{1e-6, "0.000001"},
		{1e-7, "1e-7"},
		{-2.5e-10, "-2.5e-10"},
		{1e21, "1e+21"},
		{123456789012345680000, "123456789012000000000"}, // 12 significant digits
		{2.1519e12, "2151900000000"},
		{38.309151785714285, "38.3091517857"},
		{-0.000123456789012345, "-0.000123456789012"},
		{999999999999.6, "1000000000000"},
	}
	for _, tc := range cases {
		if got := string(appendValue(nil, tc.v)); got != tc.want {
			t.Errorf("appendValue(%g) = %q; want %q", tc.v, got, tc.want)
		}
	}
}

func TestCSVField(t *testing.T) {
	for in, want := range map[string]string{
		"baseline": "baseline", "a,b": `"a,b"`, `say "hi"`: `"say ""hi"""`, " x": `" x"`, "": "",
	} {
		if got := csvField(in); got != want {
			t.Errorf("csvField(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestGolden pins the format of a tiny run (run with -update to
// regenerate testdata/tiny_timeseries.golden.csv).
func TestGolden(t *testing.T) {
	results := runConfig(t, testConfig(2023), testVariants[:1])
	got := writeTS(t, results, true)
	path := filepath.Join("testdata", "tiny_timeseries.golden.csv")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("timeseries differs from %s at line %d:\ngot  %s\nwant %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("timeseries differs from %s: %d lines; want %d", path, len(gl), len(wl))
	}
}

// TestAllocs checks that allocations do not grow with the number of rows.
func TestAllocs(t *testing.T) {
	small := runConfig(t, bigConfig(2, 2, 2023, 2024), testVariants[:1])
	large := runConfig(t, bigConfig(200, 9, 2023, 2030), testVariants[:1])
	as := testing.AllocsPerRun(5, func() { WriteTimeseries(io.Discard, small, true) })
	al := testing.AllocsPerRun(5, func() { WriteTimeseries(io.Discard, large, true) })
	if al > as+2 { // a per-row allocation would add thousands
		t.Errorf("allocations: %v for the small run, %v for the large one; want no growth with rows", as, al)
	}
}

// bigConfig returns R regions (archetypes in turn) × M materials with the
// paper and plastics parameters in turn.
func bigConfig(R, M, base, end int) *sim.Config {
	cfg := &sim.Config{BaseYear: base, EndYear: end}
	for m := 0; m < M; m++ {
		cfg.Materials = append(cfg.Materials, model.Material{ID: "m" + string(rune('a'+m))})
	}
	for r := 0; r < R; r++ {
		cfg.Regions = append(cfg.Regions, sim.Region{
			Code:             string(rune('0'+r/10000%10)) + string(rune('0'+r/1000%10)) + string(rune('0'+r/100%10)) + string(rune('0'+r/10%10)) + string(rune('0'+r%10)),
			Archetype:        model.Archetypes[r%len(model.Archetypes)],
			Population:       float64(1000 + 137*r),
			PopulationChange: -0.005,
			PerCapitaGPerDay: 850 + float64(r%50),
			RecyclingRate:    -1,
		})
		for m := 0; m < M; m++ {
			cfg.Composition = append(cfg.Composition, 1/float64(M))
			if m%2 == 0 {
				cfg.Params = append(cfg.Params, paperParams)
			} else {
				cfg.Params = append(cfg.Params, plasticsParams)
			}
		}
	}
	return cfg
}

// BenchmarkWriteTimeseries writes an all-Japan-sized run: 3 variants ×
// 1,741 regions × 28 years × 9 materials, material "all" only at level
// region.
func BenchmarkWriteTimeseries(b *testing.B) {
	variants := []*sim.Variant{{Name: "baseline"}, testVariants[1], {Name: "third"}}
	results := runConfig(b, bigConfig(1741, 9, 2023, 2050), variants)
	var cw countWriter
	rows, err := writeTimeseries(&cw, results, false)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		if err := WriteTimeseries(io.Discard, results, false); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(rows)*float64(n)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows), "rows/op")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }
