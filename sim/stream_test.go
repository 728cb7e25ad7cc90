package sim

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/circular-partners/junkan/model"
)

// TestStreamEqualsRun checks that Stream hands over, year by year, the very
// bits Run computes: with durables, elements, manufacturing demand
// (offtake across regions), sub-steps, one and several workers.
func TestStreamEqualsRun(t *testing.T) {
	v := &Variant{Name: "x", Elements: []ElementUse{
		{Element: "collection_incentives", Start: 2026, RampYears: 5, Effects: []model.Effect{
			{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.081},
			{Param: model.LifetimeExtension, Op: model.Add, Magnitude: 0.2}}}}}
	for _, steps := range []int{1, 4} {
		for _, workers := range []int{1, 2} {
			t.Run(fmt.Sprintf("steps=%d/workers=%d", steps, workers), func(t *testing.T) {
				cfg := japanLikeN(t, true, 200)
				cfg.StepsPerYear = steps
				m, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				m.SetWorkers(workers)
				res, err := m.Run(v)
				if err != nil {
					t.Fatal(err)
				}
				years := 0
				buf := &Result{}
				err = m.Stream(v, buf, func(yr *Year) error {
					if yr.Index != years || yr.Year != cfg.BaseYear+years {
						t.Fatalf("year %d (FY%d) handed over as the %d-th", yr.Index, yr.Year, years)
					}
					want := res.YearOf(yr.Index)
					for r, p := range yr.Population {
						if math.Float64bits(p) != math.Float64bits(want.Population[r]) {
							t.Fatalf("FY%d region %d: population %v, Run %v", yr.Year, r, p, want.Population[r])
						}
					}
					for k := range yr.Flows {
						if yr.Flows[k] != want.Flows[k] {
							t.Fatalf("FY%d cell %d: flows differ from Run", yr.Year, k)
						}
					}
					years++
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if years != res.Years {
					t.Errorf("%d years handed over; want %d", years, res.Years)
				}
				if len(buf.Flows) != len(cfg.Regions)*len(cfg.Materials) {
					t.Errorf("year buffer holds %d cells; want one year (%d)", len(buf.Flows), len(cfg.Regions)*len(cfg.Materials))
				}
			})
		}
	}
}

// TestStreamStopsOnYieldError checks that an error of yield ends the run
// with that error, and that an error of the engine reaches the caller.
func TestStreamStopsOnYieldError(t *testing.T) {
	m, err := New(twoRegions())
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("enough")
	n := 0
	err = m.Stream(&Variant{}, nil, func(*Year) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Stream = %v after %d years; want %v after 1", err, n, stop)
	}
	// An element naming no material of the run is refused before any year.
	n = 0
	bad := &Variant{Name: "bad", Elements: []ElementUse{{Effects: []model.Effect{{Param: model.SortingYield, Material: "unobtainium"}}}}}
	if err := m.Stream(bad, nil, func(*Year) error { n++; return nil }); err == nil || n != 0 {
		t.Errorf("Stream with an unknown material = %v after %d years; want an error before any", err, n)
	}
}

// TestRenewEqualsNew checks that a model renewed from another, of the
// same or another shape, runs exactly as a new one, and that renewing a
// model of the same shape allocates little.
func TestRenewEqualsNew(t *testing.T) {
	v := &Variant{Name: "x", Elements: []ElementUse{{Start: 2026, RampYears: 3, Effects: []model.Effect{
		{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.3}}}}}
	a, b := japanLikeN(t, true, 150), japanLikeN(t, true, 150)
	for r := range b.Regions {
		b.Regions[r].RecyclingRate *= 0.9
		b.Regions[r].PerCapitaGPerDay *= 1.1
	}
	small := japanLikeN(t, true, 40)
	var old *Model
	for _, cfg := range []*Config{a, b, small, a} {
		want, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Renew(old, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rw, _ := want.Run(v)
		rg, err := got.Run(v)
		if err != nil {
			t.Fatal(err)
		}
		for k := range rw.Flows {
			if rw.Flows[k] != rg.Flows[k] {
				t.Fatalf("%d regions: cell %d differs after Renew", len(cfg.Regions), k)
			}
		}
		for r := range want.Multiplier {
			if want.Multiplier[r] != got.Multiplier[r] {
				t.Fatalf("region %d: multiplier %v after Renew, %v new", r, got.Multiplier[r], want.Multiplier[r])
			}
		}
		old = got
	}
	m, _ := New(a)
	alloc := func(f func()) uint64 {
		var s0, s1 runtime.MemStats
		runtime.ReadMemStats(&s0)
		for range 3 {
			f()
		}
		runtime.ReadMemStats(&s1)
		return s1.TotalAlloc - s0.TotalAlloc
	}
	newBytes := alloc(func() { New(a) })
	renewBytes := alloc(func() { m, _ = Renew(m, a) })
	if renewBytes*10 > newBytes {
		t.Errorf("Renew allocates %d bytes, New %d; want Renew under a tenth", renewBytes, newBytes)
	}
}
