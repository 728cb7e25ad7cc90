package model

import (
	"math"
	"testing"
)

func TestLifetimePMFPulse(t *testing.T) {
	// A pulse of 100 t with a fixed lifetime of 3 years leaves entirely in
	// the third year after entry (mid-year convention).
	pmf := make([]float64, 10)
	Lifetime{Fixed, 3, 0}.PMF(pmf)
	for a, p := range pmf {
		want := 0.0
		if a == 3 {
			want = 1
		}
		if 100*p != 100*want {
			t.Errorf("pulse outflow at age %d = %v t; want %v t", a, 100*p, 100*want)
		}
	}
}

func TestLifetimeMeans(t *testing.T) {
	for _, c := range []struct {
		name string
		l    Lifetime
		mean float64 // known continuous mean
		tol  float64 // discretisation error the PMF doc states
	}{
		// Weibull k=2, λ=10: mean = 10·Γ(1.5) = 8.8623.
		{"weibull", Lifetime{Weibull, 2, 10}, 8.8623, 0.05},
		{"normal", Lifetime{Normal, 12, 3}, 12, 0.05},
		// Lognormal μ = ln 10, σ = 0.3: mean = 10·exp(0.045) = 10.460.
		{"lognormal", Lifetime{Lognormal, math.Log(10), 0.3}, 10.460, 0.05},
		{"fixed", Lifetime{Fixed, 7, 0}, 7, 0},
	} {
		if got := c.l.Mean(); math.Abs(got-c.mean) > 1e-3 {
			t.Errorf("%s: Mean() = %v; want %v", c.name, got, c.mean)
		}
		n := c.l.Horizon(1e-12, 400)
		pmf := make([]float64, n)
		c.l.PMF(pmf)
		var sum, mean float64
		for a, p := range pmf {
			if p < 0 {
				t.Fatalf("%s: negative pmf at %d", c.name, a)
			}
			sum += p
			mean += float64(a) * p
		}
		if pmf[0] != 0 {
			t.Errorf("%s: outflow in the entry year %v; want 0", c.name, pmf[0])
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%s: pmf sums to %v; want 1", c.name, sum)
		}
		if math.Abs(mean-c.mean) > c.tol {
			t.Errorf("%s: discretised mean %v; want %v ± %v", c.name, mean, c.mean, c.tol)
		}
	}
}

func TestLifetimeValidate(t *testing.T) {
	for _, l := range []Lifetime{
		{Fixed, 0, 0}, {Normal, -5, 1}, {Normal, 5, -1}, {Weibull, 0, 10}, {Weibull, 2, 0},
		{Lognormal, 1, 0}, {Lognormal, 1, -0.5}, {Weibull, math.NaN(), 1},
	} {
		if l.Validate() == nil {
			t.Errorf("%+v: Validate() = nil; want an error", l)
		}
	}
	if err := (Lifetime{Weibull, 2, 10}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestLifetimeScaled(t *testing.T) {
	for _, l := range []Lifetime{{Fixed, 5, 0}, {Normal, 10, 2}, {Weibull, 2, 10}, {Lognormal, 2, 0.4}} {
		if got, want := l.Scaled(1.5).Mean(), 1.5*l.Mean(); math.Abs(got-want) > 1e-9*want {
			t.Errorf("%v scaled by 1.5: mean %v; want %v", l.Kind, got, want)
		}
	}
}
