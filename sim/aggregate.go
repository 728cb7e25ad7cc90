package sim

import "github.com/circular-partners/junkan/model"

// Sum adds into dst the flows of year index y over the regions whose
// indices are listed (nil = all regions) and over material i (i < 0 = all
// materials), and returns their population (persons). dst is not cleared.
func (res *Result) Sum(dst *model.Flows, y int, regions []int, i int) (population float64) {
	R, M := len(res.Regions), len(res.Materials)
	add := func(r int) {
		population += res.Population[y*R+r]
		if i >= 0 {
			dst.Add(res.Cell(y, r, i))
			return
		}
		for j := 0; j < M; j++ {
			dst.Add(res.Cell(y, r, j))
		}
	}
	if regions == nil {
		for r := 0; r < R; r++ {
			add(r)
		}
	} else {
		for _, r := range regions {
			add(r)
		}
	}
	return population
}

// ByArchetype returns the region indices of each archetype a … e, in
// region order, index 0 … 4.
func (res *Result) ByArchetype() [5][]int {
	var out [5][]int
	for r, g := range res.Regions {
		if k := g.Archetype.Index(); k >= 0 {
			out[k] = append(out[k], r)
		}
	}
	return out
}
