package model

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// LifetimeKind is the family of a lifetime distribution.
type LifetimeKind int

// The lifetime families of DESIGN §5.
const (
	Fixed     LifetimeKind = iota // every product lives exactly A years
	Normal                        // mean A, standard deviation B (years), truncated at zero
	Weibull                       // shape A (k > 0), scale B (λ > 0, years)
	Lognormal                     // A = μ and B = σ > 0 of ln(years)
	// FoldedNormal is |X| for X normal with mean A and standard deviation
	// B > 0 (years), as flodym's FoldedNormalLifetime: mass below zero is
	// reflected, not cut off.
	FoldedNormal
)

var lifetimeNames = [...]string{"fixed", "normal", "weibull", "lognormal", "folded_normal"}

func (k LifetimeKind) String() string {
	if k < 0 || int(k) >= len(lifetimeNames) {
		return "lifetime?"
	}
	return lifetimeNames[k]
}

// ParseLifetimeKind parses "fixed", "normal", "weibull", "lognormal" or
// "folded_normal".
func ParseLifetimeKind(s string) (LifetimeKind, error) {
	for i, n := range lifetimeNames {
		if n == s {
			return LifetimeKind(i), nil
		}
	}
	return 0, fmt.Errorf("model: unknown lifetime distribution %q (want fixed, normal, weibull, lognormal or folded_normal)", s)
}

// Lifetime is the distribution of the time (years) a product stays in use.
// The meaning of A and B depends on Kind.
type Lifetime struct {
	Kind LifetimeKind
	A, B float64
}

// Validate reports parameters outside their domain: a fixed lifetime or
// normal mean ≤ 0, a negative standard deviation, Weibull shape or scale
// ≤ 0, lognormal σ ≤ 0, or any non-finite value.
func (l Lifetime) Validate() error {
	if math.IsNaN(l.A) || math.IsInf(l.A, 0) || math.IsNaN(l.B) || math.IsInf(l.B, 0) {
		return fmt.Errorf("%s lifetime parameters must be finite, got %v, %v", l.Kind, l.A, l.B)
	}
	switch l.Kind {
	case Fixed:
		if l.A <= 0 {
			return fmt.Errorf("fixed lifetime %v years must be > 0", l.A)
		}
	case Normal:
		if l.A <= 0 {
			return fmt.Errorf("normal lifetime mean %v years must be > 0", l.A)
		}
		if l.B < 0 {
			return fmt.Errorf("normal lifetime standard deviation %v must be ≥ 0", l.B)
		}
	case Weibull:
		if l.A <= 0 {
			return fmt.Errorf("Weibull shape %v must be > 0", l.A)
		}
		if l.B <= 0 {
			return fmt.Errorf("Weibull scale %v years must be > 0", l.B)
		}
	case Lognormal:
		if l.B <= 0 {
			return fmt.Errorf("lognormal σ %v must be > 0", l.B)
		}
	case FoldedNormal:
		if l.B <= 0 {
			return fmt.Errorf("folded normal standard deviation %v must be > 0", l.B)
		}
	default:
		return fmt.Errorf("unknown lifetime kind %d", l.Kind)
	}
	return nil
}

// Scaled returns the distribution of lifetimes multiplied by f > 0.
func (l Lifetime) Scaled(f float64) Lifetime {
	switch l.Kind {
	case Fixed:
		return Lifetime{Fixed, l.A * f, 0}
	case Normal:
		return Lifetime{Normal, l.A * f, l.B * f}
	case Weibull:
		return Lifetime{Weibull, l.A, l.B * f}
	case Lognormal:
		return Lifetime{Lognormal, l.A + math.Log(f), l.B}
	case FoldedNormal:
		return Lifetime{FoldedNormal, l.A * f, l.B * f}
	}
	return l
}

// CDF returns the probability that a product has left use by age t years.
func (l Lifetime) CDF(t float64) float64 {
	if t <= 0 {
		return 0
	}
	switch l.Kind {
	case Fixed:
		if t >= l.A {
			return 1
		}
		return 0
	case Normal:
		if l.B == 0 {
			if t >= l.A {
				return 1
			}
			return 0
		}
		d := distuv.Normal{Mu: l.A, Sigma: l.B}
		f0 := d.CDF(0)
		return (d.CDF(t) - f0) / (1 - f0)
	case Weibull:
		return distuv.Weibull{K: l.A, Lambda: l.B}.CDF(t)
	case Lognormal:
		return distuv.LogNormal{Mu: l.A, Sigma: l.B}.CDF(t)
	case FoldedNormal:
		// P(|X| ≤ t) = Φ((t−μ)/σ) − Φ((−t−μ)/σ)
		return distuv.UnitNormal.CDF((t-l.A)/l.B) - distuv.UnitNormal.CDF((-t-l.A)/l.B)
	}
	return 0
}

// Mean returns the mean lifetime (years) of the continuous distribution
// (for Normal, of the distribution truncated at zero).
func (l Lifetime) Mean() float64 {
	switch l.Kind {
	case Fixed:
		return l.A
	case Normal:
		if l.B == 0 {
			return l.A
		}
		a := -l.A / l.B
		phi := math.Exp(-a*a/2) / math.Sqrt(2*math.Pi)
		z := 1 - distuv.UnitNormal.CDF(a)
		return l.A + l.B*phi/z
	case Weibull:
		return l.B * math.Gamma(1+1/l.A)
	case Lognormal:
		return math.Exp(l.A + l.B*l.B/2)
	case FoldedNormal:
		// σ√(2/π)·exp(−μ²/2σ²) + μ·(1 − 2Φ(−μ/σ))
		return l.B*math.Sqrt(2/math.Pi)*math.Exp(-l.A*l.A/(2*l.B*l.B)) + l.A*(1-2*distuv.UnitNormal.CDF(-l.A/l.B))
	}
	return 0
}

// PMF writes into dst the discretised lifetime: dst[a] is the share of a
// cohort that leaves use in the a-th fiscal year after the year it entered,
// for a = 0 … len(dst)−1.
//
// Convention: products enter and leave at mid-year, so the age at exit is
// the lifetime rounded to the nearest year, dst[a] = F(a+½) − F(a−½);
// except that no product leaves in its entry year: the share F(½) that
// would leaves at age 1. A fixed lifetime of 3 years therefore leaves
// entirely 3 years after entry. The tail 1 − F(len(dst)−½) is added to the
// last element, so dst sums to 1 and no mass is lost. The discretised mean
// Σ a·dst[a] equals the continuous mean up to the midpoint-rule error
// (|error| < 0.05 years for the Weibull(2, 10) of the tests) plus the
// shift of the first half year. dst[0] is always 0. len(dst) must be ≥ 2.
func (l Lifetime) PMF(dst []float64) {
	n := len(dst)
	if n < 2 {
		panic("model: Lifetime.PMF needs len(dst) ≥ 2")
	}
	dst[0] = 0
	prev := 0.0
	for a := 1; a < n; a++ {
		c := l.CDF(float64(a) + 0.5)
		if a == n-1 {
			c = 1
		}
		dst[a] = c - prev
		prev = c
	}
}

// Horizon returns the number of years after which at most tol of a cohort
// is still in use, capped at max.
func (l Lifetime) Horizon(tol float64, max int) int {
	for a := 1; a < max; a++ {
		if 1-l.CDF(float64(a)+0.5) <= tol {
			return a + 1
		}
	}
	return max
}
