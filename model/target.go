package model

import (
	"fmt"
	"math"
)

// Direction is the direction a target asks an indicator to move.
type Direction int

const (
	Decrease Direction = iota // lower is the goal (waste, disposal, GHG, cost)
	Increase                  // higher is the goal (rates, jobs, CE market)
)

// String returns "decrease" or "increase".
func (d Direction) String() string {
	if d == Increase {
		return "increase"
	}
	return "decrease"
}

// ParseDirection parses "decrease" or "increase".
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "decrease":
		return Decrease, nil
	case "increase":
		return Increase, nil
	}
	return 0, fmt.Errorf("model: direction %q: want decrease or increase", s)
}

// LowerIsBetter reports whether the named indicator (a flow name,
// population or a derived indicator) is one a region wants to reduce; it
// gives a target's default direction.
func LowerIsBetter(name string) bool {
	switch name {
	case "waste_generated", "waste_per_capita", "discarded", "mixed_collected", "direct_landfill",
		"incinerated", "ash", "ash_landfilled", "final_disposal", "residue_landfilled", "combustion_loss",
		"ghg_gross", "ghg_net", "cost_total", "cost_per_capita", "transport",
		"recyclate_outside_high", "recyclate_outside_low":
		return true
	}
	return false
}

// Achievement returns the progress (%) of value toward target from base in
// direction d, in the CPs follow-up format: 100 when value has reached or
// passed target; 0 when the target was met in the base year but no longer
// is, or when value moved away from it; else (value − base) ÷ (target −
// base) × 100, below 100. raw is the unclamped ratio × 100 (NaN when target
// equals base). A value within 1e-9 × |target − base| of base counts as
// base (rounding noise is no progress).
func Achievement(base, target, value float64, d Direction) (pct, raw float64) {
	met := func(x float64) bool {
		if d == Decrease {
			return x <= target
		}
		return x >= target
	}
	raw = math.NaN()
	if target != base {
		if math.Abs(value-base) <= 1e-9*math.Abs(target-base) {
			// Rounding noise of a value that did not move (a baseline
			// per-capita figure recomputed from tonnage and population):
			// no progress, not 1.4e-13 %.
			value = base
		}
		raw = (value - base) / (target - base) * 100
	}
	switch {
	case met(value):
		return 100, raw
	case met(base):
		return 0, raw
	case raw < 0 || math.IsNaN(raw):
		return 0, raw
	}
	return math.Min(raw, math.Nextafter(100, 0)), raw
}

// Band returns the CPs achievement band of pct: "0-19", "20-39", "40-59",
// "60-79", "80-99" or "100".
func Band(pct float64) string {
	switch {
	case pct >= 100:
		return "100"
	case pct >= 80:
		return "80-99"
	case pct >= 60:
		return "60-79"
	case pct >= 40:
		return "40-59"
	case pct >= 20:
		return "20-39"
	}
	return "0-19"
}

// Shapley returns the Shapley decomposition of a change among n players
// (model elements): value(mask) gives the k indicator values when exactly
// the players whose bits are set in mask are present (bit i = player i),
// for all 2^n masks. out[i][j] is player i's contribution to indicator j;
// for every j, Σ_i out[i][j] = value(all) − value(none) up to rounding.
// It calls value once per mask. n must be at most 16.
func Shapley(n, k int, value func(mask uint) []float64) [][]float64 {
	if n > 16 {
		panic("model: Shapley with more than 16 players")
	}
	N := uint(1) << n
	vals := make([][]float64, N)
	for m := uint(0); m < N; m++ {
		vals[m] = value(m)
		if len(vals[m]) != k {
			panic(fmt.Sprintf("model: Shapley: value returned %d values, want %d", len(vals[m]), k))
		}
	}
	// weight(s) = s!(n−s−1)!/n! for a coalition of size s without i.
	w := make([]float64, n)
	for s := 0; s < n; s++ {
		w[s] = math.Exp(lgamma(s+1) + lgamma(n-s) - lgamma(n+1))
	}
	out := make([][]float64, n)
	for i := 0; i < n; i++ {
		out[i] = make([]float64, k)
		bit := uint(1) << i
		for m := uint(0); m < N; m++ {
			if m&bit != 0 {
				continue
			}
			ws := w[popcount(m)]
			for j := 0; j < k; j++ {
				out[i][j] += ws * (vals[m|bit][j] - vals[m][j])
			}
		}
	}
	return out
}

func lgamma(x int) float64 {
	v, _ := math.Lgamma(float64(x))
	return v
}

func popcount(m uint) int {
	c := 0
	for ; m != 0; m &= m - 1 {
		c++
	}
	return c
}
