package model

import (
	"math"
	"testing"
)

func TestAchievement(t *testing.T) {
	for _, c := range []struct {
		name                string
		base, target, value float64
		d                   Direction
		want                float64
		band                string
	}{
		// Decrease: 851 g → target 766 g (−10 %); reached 800: (800−851)/(766−851) = 60 %.
		{"decrease partway", 851, 766, 800, Decrease, 60, "60-79"},
		{"decrease reached", 851, 766, 760, Decrease, 100, "100"},
		// Increase: 20 % → 30 %; reached 24.5: (24.5−20)/(30−20) = 45 %.
		{"increase partway", 20, 30, 24.5, Increase, 45, "40-59"},
		{"increase just short", 19.5, 30, 29.9, Increase, (29.9 - 19.5) / 10.5 * 100, "80-99"},
		// Met in the base year (base 700 ≤ target 766) and still met.
		{"met at base", 700, 766, 720, Decrease, 100, "100"},
		// Met in the base year, no longer met.
		{"met at base, lost", 700, 766, 780, Decrease, 0, "0-19"},
		// Moving away: waste grows from 851 to 870 against a decrease target.
		{"moving away", 851, 766, 870, Decrease, 0, "0-19"},
	} {
		got, _ := Achievement(c.base, c.target, c.value, c.d)
		if math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: Achievement = %v; want %v", c.name, got, c.want)
		}
		if b := Band(got); b != c.band {
			t.Errorf("%s: Band(%v) = %s; want %s", c.name, got, b, c.band)
		}
	}
	if _, raw := Achievement(851, 766, 870, Decrease); !(raw < 0) {
		t.Errorf("moving away: raw %v; want negative", raw)
	}
}

func TestShapley(t *testing.T) {
	// Two players, v(∅)=0, v(A)=3, v(B)=5, v(AB)=10: φA = (3 + (10−5))/2 = 4,
	// φB = (5 + (10−3))/2 = 6; they sum to 10.
	v := map[uint]float64{0: 0, 1: 3, 2: 5, 3: 10}
	out := Shapley(2, 1, func(m uint) []float64 { return []float64{v[m]} })
	if out[0][0] != 4 || out[1][0] != 6 {
		t.Errorf("Shapley = %v; want [[4] [6]]", out)
	}
	// Efficiency on a non-additive game of 6 players.
	n := 6
	val := func(m uint) []float64 {
		x := float64(popcount(m))
		return []float64{x*x + float64(m%7), math.Sqrt(float64(m))}
	}
	out = Shapley(n, 2, val)
	for j := 0; j < 2; j++ {
		var sum float64
		for i := 0; i < n; i++ {
			sum += out[i][j]
		}
		want := val(1<<n - 1)[j] - val(0)[j]
		if math.Abs(sum-want) > 1e-9*math.Abs(want) {
			t.Errorf("indicator %d: contributions sum to %v; want %v", j, sum, want)
		}
	}
}
