package batch

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
)

// SobolIndices are the first- and total-order Sobol indices of one output
// with respect to each input (len Dim), with the half-widths of their 95 %
// bootstrap confidence intervals (1.96 × the bootstrap standard deviation,
// as SALib reports them).
type SobolIndices struct {
	S1, S1Conf []float64
	ST, STConf []float64
}

// Sobol estimates first-order indices by Saltelli et al. (2010, Table 2
// (b)): S_k = mean(f_B·(f_ABk − f_A)) / V, and total-order indices by
// Jansen (1999): ST_k = mean((f_A − f_ABk)²) / (2V), V the variance of
// f_A and f_B together; y holds the output of every run of d, in run
// order. boot resamples of the N base points (with replacement, from
// [Source](seed, 0, …)) give the confidence intervals; boot = 0 gives none.
// The error of the estimates shrinks as 1/√N.
func Sobol(d *Saltelli, y []float64, boot int, seed uint64) (*SobolIndices, error) {
	D, N := d.Dim(), d.N
	if len(y) != d.Runs() {
		return nil, errors.New("batch: Sobol: one output per run of the design needed")
	}
	if N < 2 {
		return nil, errors.New("batch: Sobol: at least 2 base points needed")
	}
	fA := func(j int) float64 { return y[j*(D+2)] }
	fB := func(j int) float64 { return y[j*(D+2)+D+1] }
	fAB := func(j, k int) float64 { return y[j*(D+2)+k+1] }
	est := func(idx []int, s1, st []float64) {
		var m, m2 float64
		for _, j := range idx {
			m += fA(j) + fB(j)
		}
		n2 := float64(2 * len(idx))
		m /= n2
		for _, j := range idx {
			m2 += (fA(j)-m)*(fA(j)-m) + (fB(j)-m)*(fB(j)-m)
		}
		v := m2 / n2
		for k := 0; k < D; k++ {
			var a, b float64
			for _, j := range idx {
				a += fB(j) * (fAB(j, k) - fA(j))
				b += (fA(j) - fAB(j, k)) * (fA(j) - fAB(j, k))
			}
			n := float64(len(idx))
			if v == 0 {
				s1[k], st[k] = 0, 0
				continue
			}
			s1[k] = a / n / v
			st[k] = b / n / (2 * v)
		}
	}
	out := &SobolIndices{S1: make([]float64, D), ST: make([]float64, D), S1Conf: make([]float64, D), STConf: make([]float64, D)}
	idx := make([]int, N)
	for j := range idx {
		idx[j] = j
	}
	est(idx, out.S1, out.ST)
	if boot > 0 {
		rng := rand.New(Source(seed, 0, InputID("sobol_bootstrap")))
		s1s, sts := make([][]float64, D), make([][]float64, D)
		s1, st := make([]float64, D), make([]float64, D)
		for range boot {
			for j := range idx {
				idx[j] = rng.IntN(N)
			}
			est(idx, s1, st)
			for k := 0; k < D; k++ {
				s1s[k] = append(s1s[k], s1[k])
				sts[k] = append(sts[k], st[k])
			}
		}
		for k := 0; k < D; k++ {
			out.S1Conf[k] = 1.959963984540054 * sampleSD(s1s[k])
			out.STConf[k] = 1.959963984540054 * sampleSD(sts[k])
		}
	}
	return out, nil
}

func sampleSD(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

// MorrisResult holds the elementary-effect statistics of one output per
// input (len Dim): Mu (mean effect), MuStar (mean absolute effect, Campolongo
// et al. 2007), Sigma (standard deviation of the effects) and the 95 %
// bootstrap half-width of MuStar.
type MorrisResult struct {
	Mu, MuStar, Sigma, MuStarConf []float64
}

// MorrisEffects computes the elementary effects EE = (y(after) −
// y(before)) / (±Δ) of each step of each trajectory of d; y holds the
// output of every run of d in run order. boot resamples of the effects
// give the MuStar intervals.
func MorrisEffects(d *Morris, y []float64, boot int, seed uint64) (*MorrisResult, error) {
	D := d.Dim()
	if len(y) != d.Runs() {
		return nil, errors.New("batch: Morris: one output per run of the design needed")
	}
	ee := make([][]float64, D)
	delta := d.Delta()
	for t := 0; t < d.R; t++ {
		order, _, sign := d.Trajectory(t)
		for s, k := range order {
			y0, y1 := y[t*(D+1)+s], y[t*(D+1)+s+1]
			ee[k] = append(ee[k], (y1-y0)/(sign[k]*delta))
		}
	}
	out := &MorrisResult{Mu: make([]float64, D), MuStar: make([]float64, D), Sigma: make([]float64, D), MuStarConf: make([]float64, D)}
	rng := rand.New(Source(seed, 0, InputID("morris_bootstrap")))
	for k := 0; k < D; k++ {
		var m, ma float64
		for _, e := range ee[k] {
			m += e
			ma += math.Abs(e)
		}
		n := float64(len(ee[k]))
		out.Mu[k], out.MuStar[k] = m/n, ma/n
		out.Sigma[k] = sampleSD(ee[k])
		if boot > 0 {
			bs := make([]float64, boot)
			for b := range bs {
				var s float64
				for range ee[k] {
					s += math.Abs(ee[k][rng.IntN(len(ee[k]))])
				}
				bs[b] = s / n
			}
			out.MuStarConf[k] = 1.959963984540054 * sampleSD(bs)
		}
	}
	return out, nil
}

// Ranked returns the input indices ordered by decreasing value of v (ties
// by index), e.g. total-order indices for a tornado plot.
func Ranked(v []float64) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case v[a] > v[b]:
			return -1
		case v[a] < v[b]:
			return 1
		}
		return 0
	})
	return idx
}
