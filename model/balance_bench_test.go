package model

import "testing"

func BenchmarkCheckBalance(b *testing.B) {
	var p Params
	p[SeparateCollection], p[SortingYield], p[RecyclingYield], p[AshContent], p[AshRecycling] = 0.3, 0.9, 0.8, 0.1, 0.25
	var f Flows
	f.Step(1000, &p)
	for b.Loop() {
		if i, _ := CheckBalance(&f); i >= 0 {
			b.Fatal("does not close")
		}
	}
}
