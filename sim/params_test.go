package sim

import (
	"testing"

	"github.com/circular-partners/junkan/model"
)

// setCal writes the calibrated parameters in the order of calParams.
func TestSetCalOrder(t *testing.T) {
	var c [numCal]float64
	for j := range c {
		c[j] = float64(j + 1)
	}
	var p model.Params
	setCal(&p, &c)
	for j, q := range calParams {
		if p[q] != c[j] {
			t.Errorf("%s = %v, want %v", q, p[q], c[j])
		}
	}
	var n int
	for _, v := range p {
		if v != 0 {
			n++
		}
	}
	if n != numCal {
		t.Errorf("%d parameters set, want %d", n, numCal)
	}
}

// A cell that no element use changes this year is stepped with its base
// parameters (read in place, not copied), a changed one with the effect:
// before an element starts, outside its archetype and on other materials,
// the cells equal the baseline's bit for bit (but the offtake split,
// which pools all regions); inside, from its start, they differ.
func TestElementChangesOnlyItsCells(t *testing.T) {
	cfg := japanLikeN(t, true, 60)
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := m.Run(&Variant{Name: "baseline"})
	if err != nil {
		t.Fatal(err)
	}
	a := model.Archetypes[2]
	paper := model.MaterialIndex(cfg.Materials, "paper")
	v := &Variant{Name: "v", Elements: []ElementUse{{Element: "e", Start: 2030, RampYears: 3, Archetypes: []model.Archetype{a},
		Effects: []model.Effect{{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.5, Material: "paper"}}}}}
	res, err := m.Run(v)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for y := 0; y < res.Years; y++ {
		for r := range cfg.Regions {
			for i := range cfg.Materials {
				in := cfg.Regions[r].Archetype == a && i == paper && res.Year(y) >= 2030
				g, w := res.Cell(y, r, i), base.Cell(y, r, i)
				same := true
				for k := model.Flow(0); k < model.NumFlows; k++ {
					if k >= model.RecyclateLocalHigh && k <= model.RecyclateUsed {
						continue
					}
					same = same && g[k] == w[k]
				}
				if in && same {
					t.Errorf("FY%d region %d %s: element had no effect", res.Year(y), r, cfg.Materials[i].ID)
				}
				if !in && !same {
					t.Errorf("FY%d region %d %s: changed by an element that does not apply", res.Year(y), r, cfg.Materials[i].ID)
				}
				if in {
					changed++
				}
			}
		}
	}
	if changed == 0 {
		t.Fatal("no cell in the element's scope")
	}
}
