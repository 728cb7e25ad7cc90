package batch

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Kind is the family of a [Dist].
type Kind int

// The distribution families of uncertain inputs.
const (
	Uniform    Kind = iota + 1 // min, max
	Triangular                 // min, mode, max
	PERT                       // min, mode, max (beta with shape 4, Vose 2008)
	Normal                     // mean, sd; truncated to the input's domain
	Lognormal                  // mu, sigma of ln x
	Beta                       // alpha, beta on [min, max] (default [0, 1])
)

var kindNames = map[Kind]string{Uniform: "uniform", Triangular: "triangular", PERT: "pert",
	Normal: "normal", Lognormal: "lognormal", Beta: "beta"}

// KindNames lists the family names in the scenario syntax.
var KindNames = []string{"uniform", "triangular", "pert", "normal", "lognormal", "beta"}

// ParseKind returns the family of name ("uniform", …, "beta").
func ParseKind(name string) (Kind, bool) {
	for k, n := range kindNames {
		if n == name {
			return k, true
		}
	}
	return 0, false
}

func (k Kind) String() string { return kindNames[k] }

// Dist is the distribution of one uncertain input, truncated to the
// input's domain [Lo, Hi] (±Inf for none). Fields used per family:
// Uniform Min, Max; Triangular and PERT Min, Mode, Max; Normal Mean, SD;
// Lognormal Mu, Sigma (of ln x); Beta Alpha, Beta on [Min, Max].
//
// Call [Dist.Validate] before use; it also prepares the truncation.
type Dist struct {
	Kind           Kind
	Min, Mode, Max float64
	Mean, SD       float64
	Mu, Sigma      float64
	Alpha, Beta    float64
	Lo, Hi         float64 // domain of the input; the distribution is truncated to it
	cLo, cHi       float64 // CDF at Lo and Hi (set by Validate)
	ready          bool
}

// ErrDist is wrapped by every error of [Dist.Validate].
var ErrDist = errors.New("invalid distribution")

// q returns the untruncated quantile function and CDF.
func (d *Dist) q() (quant func(float64) float64, cdf func(float64) float64) {
	switch d.Kind {
	case Uniform:
		u := distuv.Uniform{Min: d.Min, Max: d.Max}
		return u.Quantile, u.CDF
	case Triangular:
		t := distuv.NewTriangle(d.Min, d.Max, d.Mode, nil)
		return t.Quantile, t.CDF
	case PERT:
		a, b := d.pertShapes()
		return d.scaledBeta(a, b)
	case Normal:
		n := distuv.Normal{Mu: d.Mean, Sigma: d.SD}
		return n.Quantile, n.CDF
	case Lognormal:
		l := distuv.LogNormal{Mu: d.Mu, Sigma: d.Sigma}
		return l.Quantile, func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			return l.CDF(x)
		}
	case Beta:
		return d.scaledBeta(d.Alpha, d.Beta)
	}
	panic("batch: unknown distribution kind")
}

func (d *Dist) pertShapes() (float64, float64) {
	w := d.Max - d.Min
	return 1 + 4*(d.Mode-d.Min)/w, 1 + 4*(d.Max-d.Mode)/w
}

func (d *Dist) scaledBeta(a, b float64) (func(float64) float64, func(float64) float64) {
	bd := distuv.Beta{Alpha: a, Beta: b}
	lo, w := d.Min, d.Max-d.Min
	return func(p float64) float64 { return lo + w*bd.Quantile(p) },
		func(x float64) float64 {
			switch {
			case x <= lo:
				return 0
			case x >= lo+w:
				return 1
			}
			return bd.CDF((x - lo) / w)
		}
}

// bounded reports whether the family has a finite support [Min, Max].
func (d *Dist) bounded() bool {
	switch d.Kind {
	case Uniform, Triangular, PERT, Beta:
		return true
	}
	return false
}

// Validate checks the parameters and that the distribution has mass in the
// domain [Lo, Hi]. A bounded family (uniform, triangular, PERT, beta) must
// lie inside the domain; a normal or lognormal one is truncated to it.
// Errors wrap [ErrDist] and are in plain words.
func (d *Dist) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrDist, fmt.Sprintf(format, a...))
	}
	fin := func(xs ...float64) bool {
		for _, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	if math.IsNaN(d.Lo) || math.IsNaN(d.Hi) || d.Lo > d.Hi {
		return bad("empty domain [%g, %g]", d.Lo, d.Hi)
	}
	switch d.Kind {
	case Uniform:
		if !fin(d.Min, d.Max) || !(d.Min < d.Max) {
			return bad("uniform needs min < max (got min %g, max %g)", d.Min, d.Max)
		}
	case Triangular, PERT:
		if !fin(d.Min, d.Mode, d.Max) || !(d.Min < d.Max) {
			return bad("%s needs min < max (got min %g, max %g)", d.Kind, d.Min, d.Max)
		}
		if d.Mode < d.Min || d.Mode > d.Max {
			return bad("%s mode %g is outside [min, max] = [%g, %g]", d.Kind, d.Mode, d.Min, d.Max)
		}
	case Normal:
		if !fin(d.Mean, d.SD) || !(d.SD > 0) {
			return bad("normal needs sd > 0 (got %g)", d.SD)
		}
	case Lognormal:
		if !fin(d.Mu, d.Sigma) || !(d.Sigma > 0) {
			return bad("lognormal needs sigma > 0 (got %g)", d.Sigma)
		}
	case Beta:
		if !fin(d.Alpha, d.Beta) || !(d.Alpha > 0) || !(d.Beta > 0) {
			return bad("beta needs alpha > 0 and beta > 0 (got %g, %g)", d.Alpha, d.Beta)
		}
		if !fin(d.Min, d.Max) || !(d.Min < d.Max) {
			return bad("beta needs min < max (got min %g, max %g)", d.Min, d.Max)
		}
	default:
		return bad("unknown distribution")
	}
	if d.bounded() && (d.Min < d.Lo || d.Max > d.Hi) {
		return bad("range [%g, %g] goes outside [%g, %g], the valid range of this value", d.Min, d.Max, d.Lo, d.Hi)
	}
	_, cdf := d.q()
	d.cLo, d.cHi = 0, 1
	if !math.IsInf(d.Lo, -1) {
		d.cLo = cdf(d.Lo)
	}
	if !math.IsInf(d.Hi, 1) {
		d.cHi = cdf(d.Hi)
	}
	if d.bounded() {
		d.cLo, d.cHi = 0, 1
	}
	if !(d.cHi-d.cLo > 1e-9) {
		return bad("%s has almost no probability inside [%g, %g], the valid range of this value", d.Kind, d.Lo, d.Hi)
	}
	d.ready = true
	return nil
}

// Quantile returns the value at probability u in [0, 1] of the
// distribution truncated to [Lo, Hi]; u is clamped to (0, 1) so that the
// result is finite. It panics if Validate has not succeeded.
func (d *Dist) Quantile(u float64) float64 {
	if !d.ready {
		panic("batch: Dist used before Validate")
	}
	const eps = 0x1p-53
	quant, _ := d.q()
	p := math.Min(math.Max(d.cLo+u*(d.cHi-d.cLo), eps), 1-eps)
	x := quant(p)
	return math.Min(math.Max(x, d.Lo), d.Hi)
}

// Central returns the value a plain (non-batch) run uses: the mean of the
// distribution truncated to its domain: (min+max)/2, (min+mode+max)/3,
// (min+4·mode+max)/6, min+(max−min)·alpha/(alpha+beta); for a normal or
// lognormal the mean of the truncated distribution, e.g. for a normal on
// [a, b]: μ + σ(φ(α) − φ(β))/(Φ(β) − Φ(α)), α = (a−μ)/σ, β = (b−μ)/σ.
func (d *Dist) Central() float64 {
	std := distuv.UnitNormal
	switch d.Kind {
	case Uniform:
		return (d.Min + d.Max) / 2
	case Triangular:
		return (d.Min + d.Mode + d.Max) / 3
	case PERT:
		return (d.Min + 4*d.Mode + d.Max) / 6
	case Beta:
		return d.Min + (d.Max-d.Min)*d.Alpha/(d.Alpha+d.Beta)
	case Normal:
		a, b := (d.Lo-d.Mean)/d.SD, (d.Hi-d.Mean)/d.SD
		pa, pb := 0.0, 0.0
		if !math.IsInf(a, 0) {
			pa = std.Prob(a)
		}
		if !math.IsInf(b, 0) {
			pb = std.Prob(b)
		}
		x := d.Mean + d.SD*(pa-pb)/(d.cHi-d.cLo)
		return math.Min(math.Max(x, d.Lo), d.Hi)
	case Lognormal:
		// E[X; a < X < b] = e^(μ+σ²/2)·(Φ((ln b−μ−σ²)/σ) − Φ((ln a−μ−σ²)/σ)).
		m := math.Exp(d.Mu + d.Sigma*d.Sigma/2)
		phi := func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			if math.IsInf(x, 1) {
				return 1
			}
			return std.CDF((math.Log(x) - d.Mu - d.Sigma*d.Sigma) / d.Sigma)
		}
		x := m * (phi(d.Hi) - phi(d.Lo)) / (d.cHi - d.cLo)
		return math.Min(math.Max(x, d.Lo), d.Hi)
	}
	panic("batch: unknown distribution kind")
}
