package batch

import (
	"math"
	"testing"
)

// ishigami is the Ishigami–Homma function on [−π, π]³.
func ishigami(x []float64, a, b float64) float64 {
	return math.Sin(x[0]) + a*math.Pow(math.Sin(x[1]), 2) + b*math.Pow(x[2], 4)*math.Sin(x[0])
}

func TestSobolIshigami(t *testing.T) {
	// Analytic indices for a = 7, b = 0.1 (Ishigami and Homma 1990;
	// Saltelli et al. 2008 §4.6): S1 = 0.3139, 0.4424, 0;
	// ST = 0.5576, 0.4424, 0.2437.
	wantS1 := []float64{0.3139, 0.4424, 0}
	wantST := []float64{0.5576, 0.4424, 0.2437}
	const N = 1 << 13
	d := &Saltelli{Seed: 7, N: N, IDs: []uint64{InputID("x1"), InputID("x2"), InputID("x3")}}
	in := make([]Dist, 3)
	for k := range in {
		in[k] = Dist{Kind: Uniform, Min: -math.Pi, Max: math.Pi, Lo: math.Inf(-1), Hi: math.Inf(1)}
		if err := in[k].Validate(); err != nil {
			t.Fatal(err)
		}
	}
	y := make([]float64, d.Runs())
	u, x := make([]float64, 3), make([]float64, 3)
	for r := range y {
		d.Point(r, u)
		for k := range x {
			x[k] = in[k].Quantile(u[k])
		}
		y[r] = ishigami(x, 7, 0.1)
	}
	got, err := Sobol(d, y, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Tolerance from the sample size: with N = 8192 base points the
	// bootstrap 95 % half-widths are about 0.02–0.04 for these indices
	// (their standard errors ∝ 1/√N); we require the analytic value
	// within 0.05 and within 3 half-widths of the estimate.
	for k := 0; k < 3; k++ {
		for _, c := range []struct {
			name            string
			got, conf, want float64
		}{{"S1", got.S1[k], got.S1Conf[k], wantS1[k]}, {"ST", got.ST[k], got.STConf[k], wantST[k]}} {
			if e := math.Abs(c.got - c.want); e > 0.05 || e > 3*c.conf+0.005 {
				t.Errorf("%s[x%d] = %.4f ± %.4f; want %.4f", c.name, k+1, c.got, c.conf, c.want)
			}
			if c.conf <= 0 || c.conf > 0.06 {
				t.Errorf("%s[x%d] interval half-width %.4f: want in (0, 0.06] at N = %d", c.name, k+1, c.conf, N)
			}
		}
	}
	t.Logf("S1 = %.4f ± %.4f, ST = %.4f ± %.4f", got.S1, got.S1Conf, got.ST, got.STConf)
}

func TestMorrisLinear(t *testing.T) {
	// y = 3·u0 − 2·u1 + 0·u2 on the unit cube: every elementary effect of
	// input k is its coefficient exactly (Δ cancels), so μ = coefficient,
	// μ* = |coefficient| and σ = 0.
	d := &Morris{Seed: 3, R: 20, Levels: 4, IDs: []uint64{1, 2, 3}}
	y := make([]float64, d.Runs())
	u := make([]float64, 3)
	lv := func(x float64) float64 { return (x*4 - 0.5) / 3 } // probability → level grid l/(p−1)
	for r := range y {
		d.Point(r, u)
		y[r] = 3*lv(u[0]) - 2*lv(u[1])
	}
	m, err := MorrisEffects(d, y, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{3, -2, 0}
	for k := range want {
		if math.Abs(m.Mu[k]-want[k]) > 1e-12 || math.Abs(m.MuStar[k]-math.Abs(want[k])) > 1e-12 || m.Sigma[k] > 1e-12 {
			t.Errorf("input %d: μ %.6g μ* %.6g σ %.6g; want %g, %g, 0", k, m.Mu[k], m.MuStar[k], m.Sigma[k], want[k], math.Abs(want[k]))
		}
	}
}

func TestMorrisIshigamiRanking(t *testing.T) {
	// On Ishigami, μ* ranks x1 first and x3 above zero although its
	// first-order index is 0 (it acts through the interaction with x1).
	d := &Morris{Seed: 5, R: 200, Levels: 4, IDs: []uint64{1, 2, 3}}
	in := Dist{Kind: Uniform, Min: -math.Pi, Max: math.Pi, Lo: math.Inf(-1), Hi: math.Inf(1)}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	y := make([]float64, d.Runs())
	u, x := make([]float64, 3), make([]float64, 3)
	for r := range y {
		d.Point(r, u)
		for k := range x {
			x[k] = in.Quantile(u[k])
		}
		y[r] = ishigami(x, 7, 0.1)
	}
	m, err := MorrisEffects(d, y, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r := Ranked(m.MuStar); r[0] != 0 || m.MuStar[2] <= 0 || m.Sigma[2] <= 0 {
		t.Errorf("μ* = %.3f, σ = %.3f: want x1 first and x3 with μ*, σ > 0", m.MuStar, m.Sigma)
	}
}
