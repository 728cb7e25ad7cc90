package model

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Folded normal |X|, X ~ N(μ, σ): with μ = 0 it is the half-normal, CDF(σ)
// = 2Φ(1) − 1 = 0.682689492 and mean σ·√(2/π); far from zero it is the
// normal itself. Scaling multiplies μ and σ.
func TestFoldedNormal(t *testing.T) {
	half := Lifetime{Kind: FoldedNormal, A: 0, B: 2}
	if err := half.Validate(); err != nil {
		t.Fatal(err)
	}
	const tol = 1e-9
	if got := half.CDF(2); !scalar.EqualWithinAbsOrRel(got, 0.682689492137, tol, tol) {
		t.Errorf("half-normal CDF(σ) = %v; want 0.682689492", got)
	}
	if got, want := half.Mean(), 2*math.Sqrt(2/math.Pi); !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("half-normal mean %v; want %v", got, want)
	}
	far := Lifetime{Kind: FoldedNormal, A: 12, B: 2}
	n := Lifetime{Kind: Normal, A: 12, B: 2}
	for _, x := range []float64{8, 12, 15} {
		if got, want := far.CDF(x), n.CDF(x); !scalar.EqualWithinAbsOrRel(got, want, 1e-8, 1e-8) {
			t.Errorf("CDF(%v) = %v; want the normal's %v", x, got, want)
		}
	}
	if got := far.Scaled(2); got != (Lifetime{FoldedNormal, 24, 4}) {
		t.Errorf("Scaled(2) = %+v", got)
	}
	// The discretised distribution sums to 1 and its mean is near the
	// continuous one.
	pmf := make([]float64, 60)
	far.PMF(pmf)
	sum, mean := 0.0, 0.0
	for a, p := range pmf {
		sum += p
		mean += float64(a) * p
	}
	if math.Abs(sum-1) > 1e-12 || math.Abs(mean-far.Mean()) > 0.05 {
		t.Errorf("PMF sums to %v, mean %v; want 1 and ≈ %v", sum, mean, far.Mean())
	}
	if k, err := ParseLifetimeKind("folded_normal"); err != nil || k != FoldedNormal {
		t.Errorf("ParseLifetimeKind(folded_normal) = %v, %v", k, err)
	}
	if err := (Lifetime{Kind: FoldedNormal, A: 5, B: 0}).Validate(); err == nil {
		t.Error("σ = 0 accepted")
	}
}
