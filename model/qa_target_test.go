package model

import "testing"

// TestAchievementRoundingNoise: the Saitama baseline's FY2030 waste per
// capita equals its base-year value but for the last bits; its progress
// toward −10 % is 0, not 1.4e-13 %. A real move of 1 % of the way stays
// 1 %.
func TestAchievementRoundingNoise(t *testing.T) {
	base, target := 789.877714489, 710.88994304
	if pct, raw := Achievement(base, target, base*(1-1e-15), Decrease); pct != 0 || raw != 0 {
		t.Errorf("noise: pct %v raw %v, want 0 0", pct, raw)
	}
	v := base + (target-base)*0.01
	if pct, _ := Achievement(base, target, v, Decrease); pct < 0.999999 || pct > 1.000001 {
		t.Errorf("1 %% of the way: pct %v", pct)
	}
}
