package batch

import (
	"math"
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// TestObserveByHand: two regions (archetypes a and c), two materials (one
// a product), one year: the cells are the sums computed by hand.
func TestObserveByHand(t *testing.T) {
	mats := []model.Material{{ID: "paper"}, {ID: "appliances", Durable: true}}
	regs := []sim.Region{{Code: "1", Archetype: model.Archetype('a')}, {Code: "2", Archetype: model.Archetype('c')}}
	res := &sim.Result{BaseYear: 2023, Years: 1, Regions: regs, Materials: mats,
		Population: []float64{1000, 3000}, Flows: make([]model.Flows, 4)}
	// waste_generated: region 1 paper 10, appliances 2; region 2 paper 30, appliances 4.
	res.Cell(0, 0, 0)[model.WasteGenerated] = 10
	res.Cell(0, 0, 1)[model.WasteGenerated] = 2
	res.Cell(0, 1, 0)[model.WasteGenerated] = 30
	res.Cell(0, 1, 1)[model.WasteGenerated] = 4
	l, err := NewLayout(regs, mats, 2023, 1, []string{"v"}, []string{"total", "archetype", "region"},
		[]string{"all", "msw"}, []string{"waste_generated", "waste_per_capita"})
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(l.Cells))
	l.Observe(0, res, y, &Scratch{})
	perCap := func(t, p float64) float64 { return t / p / 366 * 1e6 } // FY2023 has 366 days
	want := map[[4]string]float64{
		{"total", "total", "all", "waste_generated"}: 46, {"total", "total", "msw", "waste_generated"}: 40,
		{"archetype", "a", "all", "waste_generated"}: 12, {"archetype", "c", "msw", "waste_generated"}: 30,
		{"region", "2", "all", "waste_generated"}: 34, {"region", "1", "msw", "waste_generated"}: 10,
		{"total", "total", "msw", "waste_per_capita"}: perCap(40, 4000),
		{"archetype", "c", "all", "waste_per_capita"}: perCap(34, 3000),
	}
	for k, w := range want {
		i := l.Index("v", k[0], k[1], 2023, k[2], k[3])
		if i < 0 {
			t.Fatalf("no cell %v", k)
		}
		if math.Abs(y[i]-w) > 1e-12*w {
			t.Errorf("%v = %v; want %v", k, y[i], w)
		}
	}
	if len(l.Cells) != (1+2+2)*2*2 {
		t.Errorf("%d cells; want 20", len(l.Cells))
	}
}

// TestResolvedIndicatorsAgree checks that every indicator name, resolved
// once by the layout, gives what model.IndicatorValue gives by name.
func TestResolvedIndicatorsAgree(t *testing.T) {
	var f model.Flows
	for k := range f {
		f[k] = float64(3*k+1) * 1.25
	}
	for _, name := range model.IndicatorNames() {
		k, ok := resolveIndicator(name)
		if !ok {
			t.Fatalf("%s not resolved", name)
		}
		want, _, _ := model.IndicatorValue(name, &f, 1234, 2030)
		if got := k.value(&f, 1234, 2030); got != want {
			t.Errorf("%s = %v; model.IndicatorValue gives %v", name, got, want)
		}
	}
	if _, ok := resolveIndicator("no_such_indicator"); ok {
		t.Error("an unknown name resolved")
	}
}
