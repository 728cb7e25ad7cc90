package batch

import (
	"math"
	"math/big"
)

// xsum is an exact sum of float64 values: a non-overlapping expansion of
// partials in increasing magnitude (Shewchuk 1997; the algorithm of
// Python's math.fsum). Its value does not depend on the order of
// additions. Up to len(p) partials are kept inline; more (rare: values
// spanning many orders of magnitude) spill into *more.
type xsum struct {
	p    [4]float64
	n    int8
	more *[]float64
}

// add adds x exactly.
func (s *xsum) add(x float64) {
	if s.more != nil {
		*s.more = growExpansion(*s.more, x)
		return
	}
	i := 0
	for j := 0; j < int(s.n); j++ {
		y := s.p[j]
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		lo := y - (hi - x)
		if lo != 0 {
			s.p[i] = lo
			i++
		}
		x = hi
	}
	if i < len(s.p) {
		s.p[i] = x
		s.n = int8(i + 1)
		return
	}
	m := make([]float64, 0, 8)
	m = append(m, s.p[:i]...)
	m = append(m, x)
	s.more = &m
	s.n = 0
}

// partials returns the expansion (increasing magnitude).
func (s *xsum) partials() []float64 {
	if s.more != nil {
		return *s.more
	}
	return s.p[:s.n]
}

// merge adds the exact value of t.
func (s *xsum) merge(t *xsum) {
	for _, x := range t.partials() {
		s.add(x)
	}
}

func growExpansion(p []float64, x float64) []float64 {
	i := 0
	for _, y := range p {
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		lo := y - (hi - x)
		if lo != 0 {
			p[i] = lo
			i++
		}
		x = hi
	}
	return append(p[:i], x)
}

// value returns the sum correctly rounded to float64.
func (s *xsum) value() float64 {
	p := s.partials()
	n := len(p)
	if n == 0 {
		return 0
	}
	n--
	hi := p[n]
	lo := 0.0
	for n > 0 {
		x := hi
		n--
		y := p[n]
		hi = x + y
		yr := hi - x
		lo = y - yr
		if lo != 0 {
			break
		}
	}
	if n > 0 && ((lo < 0 && p[n-1] < 0) || (lo > 0 && p[n-1] > 0)) {
		y := lo * 2
		x := hi + y
		if yr := x - hi; y == yr {
			hi = x
		}
	}
	return hi
}

// bigValue returns the exact sum as a big.Float of sufficient precision.
func (s *xsum) bigValue() *big.Float {
	z := new(big.Float).SetPrec(0)
	prec := uint(64)
	p := s.partials()
	if len(p) > 0 {
		_, e1 := math.Frexp(p[0])
		_, e2 := math.Frexp(p[len(p)-1])
		prec = uint(e2-e1) + 128
	}
	z.SetPrec(prec)
	for _, x := range p {
		z.Add(z, new(big.Float).SetFloat64(x))
	}
	return z
}

// addSquare adds x² exactly (x·x and its rounding error by FMA).
func (s *xsum) addSquare(x float64) {
	p := x * x
	s.add(p)
	if e := math.FMA(x, x, -p); e != 0 {
		s.add(e)
	}
}

// meanVar returns the mean and the sample variance (n − 1 in the
// denominator; 0 for n < 2) of n values with exact sum s1 and exact sum
// of squares s2, each correctly rounded from the exact value.
func meanVar(n int64, s1, s2 *xsum) (mean, variance float64) {
	if n == 0 {
		return 0, 0
	}
	mean = s1.bigValueDiv(n)
	if n < 2 {
		return mean, 0
	}
	a, b := s1.bigValue(), s2.bigValue()
	prec := 2*a.Prec() + b.Prec() + 128
	a.SetPrec(prec)
	b.SetPrec(prec)
	nn := new(big.Float).SetPrec(prec).SetInt64(n)
	num := new(big.Float).SetPrec(prec).Mul(nn, b) // n·Σx²
	a2 := new(big.Float).SetPrec(prec).Mul(a, a)   // (Σx)²
	num.Sub(num, a2)
	if num.Sign() < 0 {
		num.SetInt64(0)
	}
	den := new(big.Float).SetPrec(prec).SetInt64(n * (n - 1))
	v, _ := num.Quo(num, den).Float64()
	return mean, v
}

func (s *xsum) bigValueDiv(n int64) float64 {
	z := s.bigValue()
	z.Quo(z, new(big.Float).SetPrec(z.Prec()).SetInt64(n))
	v, _ := z.Float64()
	return v
}
