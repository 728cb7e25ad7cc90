package scenarios

import (
	"math"
	"strings"
	"testing"
)

const uncertainYAML = `name: u
base_year: 2023
end_year: 2026
regions: {source: synthetic}
parameters:
  - {key: sorting_yield, material: plastics, value: {distribution: uniform, min: 0.8, max: 0.9}}
  - key: recycling_yield
    material: paper
    value:
      distribution: triangular
      min: 0.6
      mode: 0.7
      max: 0.95
  - {key: cost_incineration, value: {distribution: normal, mean: 30000, sd: 5000, name: incineration cost}}
transfer_coefficients:
  - process: recycling
    material: glass
    shares: {recyclate_output: {distribution: uniform, min: 0.8, max: 0.9}, process_loss: 0.05, recycling_residue: {distribution: uniform, min: 0.05, max: 0.15}}
variants:
  - name: baseline
  - name: ai
    elements:
      - {element: ai_sorting, start_year: 2024, magnitudes: {ai_sorting.sorting_yield_gain: {distribution: pert, min: 0.1, mode: 0.25, max: 0.5}}}
`

func TestUncertainCentral(t *testing.T) {
	f, err := Parse("u.yaml", ".", []byte(uncertainYAML))
	if err != nil {
		t.Fatal(err)
	}
	us := f.Uncertain()
	want := []struct {
		name    string
		central float64
	}{
		{"sorting_yield[plastics]", 0.85},
		{"recycling_yield[paper]", (0.6 + 0.7 + 0.95) / 3},
		// normal truncated to [0, ∞) at 6σ: the mean moves up by
		// σφ(6)/(1 − Φ(−6)) = 5000 × 6.076e-9.
		{"incineration cost", 30000 + 5000*6.075882849823286e-09},
		// The uncertain glass shares (central 0.85 and 0.1) fill what the
		// fixed process_loss (0.05) leaves: 0.95 × 0.85/0.95 and 0.95 × 0.1/0.95.
		{"tc.recycling.recyclate_output[glass]", 0.85},
		{"tc.recycling.recycling_residue[glass]", 0.1},
		{"ai:ai_sorting.sorting_yield_gain", (0.1 + 4*0.25 + 0.5) / 6},
	}
	if len(us) != len(want) {
		t.Fatalf("%d uncertain numbers; want %d: %+v", len(us), len(want), us)
	}
	for i, w := range want {
		if us[i].Name != w.name || math.Abs(us[i].Central-w.central) > 1e-9*math.Abs(w.central) {
			t.Errorf("input %d = %q central %.15g; want %q %.15g", i, us[i].Name, us[i].Central, w.name, w.central)
		}
	}
	// The plain run sees the central values.
	s := f.Scenario
	if s.Parameters[0].Value != us[0].Central || s.Parameters[2].Value != us[2].Central ||
		math.Abs(s.Variants[1].Elements[0].Magnitudes["ai_sorting.sorting_yield_gain"]-want[5].central) > 1e-15 {
		t.Errorf("decoded central values: %+v %+v", s.Parameters, s.Variants[1].Elements[0].Magnitudes)
	}
	if _, err := f.Build("."); err != nil {
		t.Fatal(err)
	}
}

func TestUncertainErrors(t *testing.T) {
	cases := []struct {
		name, old, new, want string
	}{
		{"sd zero", "sd: 5000", "sd: 0", "u.yaml:14:37: parameters[2].value: normal needs sd > 0"},
		{"min > max", "min: 0.8, max: 0.9}}\n  - key", "min: 0.95, max: 0.9}}\n  - key", "u.yaml:6:53: parameters[0].value: uniform needs min < max"},
		{"share beyond 1", "min: 0.8, max: 0.9}}\n  - key", "min: 0.8, max: 1.2}}\n  - key", "goes outside [0, 1]"},
		{"unknown family", "distribution: pert", "distribution: perts", `unknown distribution "perts"`},
		{"unknown key", "mode: 0.7", "mod: 0.7", `unknown key "mod" in a distribution (did you mean "mode"?)`},
		{"missing key", "      mode: 0.7\n", "", "triangular distribution needs min, mode, max"},
		{"not allowed", "end_year: 2026", "end_year: {distribution: uniform, min: 2026, max: 2030}", "u.yaml:3:11: end_year:"},
		// Too wide for its mean to be a number (e^(μ + σ²/2) = e^1260), on
		// a cost and on a share in [0, 1]: a batch said two inputs "change
		// the same model value", without a position; a plain run used +Inf.
		{"lognormal σ 50", "{distribution: normal, mean: 30000, sd: 5000, name: incineration cost}", "{distribution: lognormal, mu: 10, sigma: 50}",
			"u.yaml:14:37: parameters[2].value: lognormal with mu 10 and sigma 50 is too wide: its mean, which a plain run uses, is not a finite number (e^(mu + sigma²/2) = e^1260), and its middle 90 % spans 71 powers of ten; give a much smaller sigma"},
		{"lognormal σ 50 on a share", "{distribution: uniform, min: 0.8, max: 0.9}}\n  - key", "{distribution: lognormal, mu: -0.2, sigma: 50}}\n  - key",
			"u.yaml:6:53: parameters[0].value: lognormal with mu -0.2 and sigma 50 is too wide"},
		{"error after a block distribution keeps its line", "variants:\n  - name: baseline", "variants:\n  - name: baseline\n    bogus: 1", "u.yaml:21:5: variants[0].bogus"},
	}
	for _, c := range cases {
		src := strings.Replace(uncertainYAML, c.old, c.new, 1)
		if src == uncertainYAML {
			t.Fatalf("%s: replacement not applied", c.name)
		}
		_, err := Parse("u.yaml", ".", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v; want it to contain %q", c.name, err, c.want)
		}
	}
}

// TestApplyReusesSample checks that a Sample reused across runs (as a batch
// worker does) ends exactly as a fresh one, and that the base run is never
// changed: the element magnitude, a parameter and a TC share included.
func TestApplyReusesSample(t *testing.T) {
	f, err := Parse("u.yaml", ".", []byte(uncertainYAML))
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.Build(".")
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.NewSampling(run, ".")
	if err != nil {
		t.Fatal(err)
	}
	us := f.Uncertain()
	at := func(q float64) []float64 {
		x := make([]float64, len(us))
		for i, u := range us {
			x[i] = u.Dist.Quantile(q)
		}
		f.ScaleShares(x)
		return x
	}
	baseMag := run.Variants[1].Elements[0].Effects[0].Magnitude
	baseP := run.Config.Params[0]
	var reused Sample
	for _, q := range []float64{0.1, 0.9, 0.3} {
		x := at(q)
		s.Apply(x, &reused)
		var fresh Sample
		s.Apply(x, &fresh)
		for c := range fresh.Config.Params {
			if fresh.Config.Params[c] != reused.Config.Params[c] {
				t.Fatalf("q=%v: cell %d parameters differ between a reused and a fresh sample", q, c)
			}
		}
		for v := range fresh.Variants {
			for e := range fresh.Variants[v].Elements {
				for k, ef := range fresh.Variants[v].Elements[e].Effects {
					if got := reused.Variants[v].Elements[e].Effects[k]; got != ef {
						t.Fatalf("q=%v: variant %d element %d effect %d: reused %+v, fresh %+v", q, v, e, k, got, ef)
					}
				}
			}
		}
		if g := reused.Variants[1].Elements[0].Effects[0].Magnitude; g == baseMag {
			t.Errorf("q=%v: sampled magnitude %v equals the central one", q, g)
		}
	}
	if run.Variants[1].Elements[0].Effects[0].Magnitude != baseMag || run.Config.Params[0] != baseP {
		t.Error("Apply changed the base run")
	}
	x := at(0.5)
	// AllocsPerRun measures with one P, so other goroutines' allocations
	// under load do not count.
	if n := testing.AllocsPerRun(10, func() { s.Apply(x, &reused) }); n > 0 {
		t.Errorf("Apply into a used sample allocates %v times per call; want 0", n)
	}
}

// TestBatchMaterials: batch.materials names all, msw, a material or a
// product; anything else is an error at its position with a suggestion
// (it used to surface at run time as `batch: material "plastic" is not in
// the run`, with no file, line or field).
func TestBatchMaterials(t *testing.T) {
	if _, err := Parse("u.yaml", ".", []byte(uncertainYAML+"batch: {runs: 3, materials: [all, msw, plastics, appliances]}\n")); err != nil {
		t.Errorf("valid materials: %v", err)
	}
	_, err := Parse("u.yaml", ".", []byte(uncertainYAML+"batch: {runs: 3, materials: [all, plastic]}\n"))
	want := `u.yaml:24:35: batch.materials[1]: unknown material "plastic": want all, msw, a material or a product (did you mean "plastics"?)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v; want it to contain %q", err, want)
	}
}

// TestBatchMethodMessage: an unknown method lists the methods once, with
// a did-you-mean only when one is near.
func TestBatchMethodMessage(t *testing.T) {
	for _, c := range []struct{ method, want, not string }{
		{"xyz", "want one of montecarlo, latin_hypercube, grid, sobol, morris", "known:"},
		{"montecarl", `(did you mean "montecarlo"?)`, "known:"},
	} {
		src := strings.Replace(uncertainYAML, "variants:", "batch: {runs: 4, method: "+c.method+"}\nvariants:", 1)
		_, err := Parse("u.yaml", ".", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), c.not) {
			t.Errorf("method %s: %v; want %q and no %q", c.method, err, c.want, c.not)
		}
	}
}

// TestBatchListsOnce: a level, indicator, variant, material or statistic
// listed twice is an error at its position (levels [total, total] wrote
// every total row twice; statistics [mean, mean] or a repeated indicator
// ran the whole batch and then failed writing Parquet with exit 1), and a
// percentile has one spelling (p05 and p5.0 were columns beside p5).
func TestBatchListsOnce(t *testing.T) {
	for _, c := range []struct{ batch, want string }{
		{"{runs: 3, levels: [total, total]}", `u.yaml:24:34: batch.levels[1]: "total" is listed twice (also levels[0]): list it once`},
		{"{runs: 3, indicators: [waste_generated, final_disposal, waste_generated]}", `u.yaml:24:64: batch.indicators[2]: "waste_generated" is listed twice (also indicators[0])`},
		{"{runs: 3, variants: [ai, ai]}", `batch.variants[1]: "ai" is listed twice (also variants[0])`},
		{"{runs: 3, materials: [all, all]}", `batch.materials[1]: "all" is listed twice (also materials[0])`},
		{"{runs: 3, statistics: [mean, sd, mean]}", `u.yaml:24:41: batch.statistics[2]: "mean" is listed twice (also statistics[0])`},
		{"{runs: 3, statistics: [p5, p05]}", `u.yaml:24:35: batch.statistics[1]: percentile "p05": write it p5`},
		{"{runs: 3, statistics: [p5.0]}", `batch.statistics[0]: percentile "p5.0": write it p5`},
		{"{runs: 3, statistics: [p1e1]}", `batch.statistics[0]: percentile "p1e1": write it p10`},
	} {
		_, err := Parse("u.yaml", ".", []byte(uncertainYAML+"batch: "+c.batch+"\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("batch %s: err = %v; want it to contain %q", c.batch, err, c.want)
		}
	}
	if _, err := Parse("u.yaml", ".", []byte(uncertainYAML+"batch: {runs: 3, levels: [total, archetype], statistics: [mean, p2.5, p50, p97.5]}\n")); err != nil {
		t.Errorf("lists without repeats: %v", err)
	}
}

// TestBatchSettingsOfOtherMethods: a setting that the method does not use
// is an error at its position (runs of a grid, grid_levels of Monte Carlo,
// morris_levels of Sobol, bootstrap of Latin hypercube were ignored).
func TestBatchSettingsOfOtherMethods(t *testing.T) {
	for _, c := range []struct{ batch, want string }{
		{"{method: grid, runs: 20}", `u.yaml:24:29: batch.runs: a grid has no runs setting (its runs are grid_levels ^ inputs)`},
		{"{runs: 3, grid_levels: 5}", `u.yaml:24:31: batch.grid_levels: grid_levels is for method grid, not montecarlo`},
		{"{method: sobol, runs: 4, morris_levels: 6}", `batch.morris_levels: morris_levels is for method morris, not sobol`},
		{"{method: latin_hypercube, runs: 4, bootstrap: 50}", `batch.bootstrap: bootstrap is for methods sobol and morris (their confidence intervals), not latin_hypercube`},
	} {
		_, err := Parse("u.yaml", ".", []byte(uncertainYAML+"batch: "+c.batch+"\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("batch %s: err = %v; want it to contain %q", c.batch, err, c.want)
		}
	}
	for _, ok := range []string{"{method: grid, grid_levels: 4}", "{method: sobol, runs: 4, bootstrap: 50}",
		"{method: morris, runs: 4, morris_levels: 6, bootstrap: 10}", "{runs: 5}"} {
		if _, err := Parse("u.yaml", ".", []byte(uncertainYAML+"batch: "+ok+"\n")); err != nil {
			t.Errorf("batch %s: %v", ok, err)
		}
	}
}
