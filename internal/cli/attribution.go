package cli

import (
	"errors"
	"fmt"
	"sync"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/sim"
)

// attributionIndicators are the headline indicators decomposed among the
// elements of a variant (total level, material all, end year).
var attributionIndicators = []string{"waste_generated", "final_disposal", "ghg_net", "cost_total", "ce_market",
	"jobs", "recycling_rate", "outlet_circular_use_rate", "inlet_circular_use_rate"}

// attribute decomposes the end-year change of v (against v without any of
// its elements) among its element uses with Shapley values: every subset
// of the uses is simulated (2^n runs), and each element gets its average
// marginal contribution over all orders of adoption. Contributions sum to
// the total change. Each run streams its years (sim.Model.Stream) and
// keeps the sums of the end year, so a worker holds one year of flows; a
// signal caught by g (may be nil) stops it with g's error.
func attribute(m *sim.Model, v *sim.Variant, workers int, g *outdir.Guard) (output.Attribution, error) {
	n := len(v.Elements)
	a := output.Attribution{Variant: v.Name, Indicators: attributionIndicators,
		Method: "Shapley values over the element uses of the variant: mean marginal contribution over all orders of adoption, from 2^n simulated subsets"}
	if n > 10 {
		return a, fmt.Errorf("attribution of %s: %d elements, at most 10 (2^n runs)", v.Name, n)
	}
	for _, ind := range attributionIndicators {
		a.Units = append(a.Units, unitOf(ind))
	}
	// Simulate every subset of the uses, in parallel; each worker recycles
	// its own one-year buffer.
	N := 1 << n
	vals := make([][]float64, N)
	errs := make([]error, N)
	total := max(1, workers)
	workers = min(total, N)
	m.SetWorkers(max(1, total/workers))
	last := m.Config().EndYear
	var wg sync.WaitGroup
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			res := &sim.Result{}
			for mask := wk; mask < N; mask += workers {
				if err := g.Err(); err != nil {
					errs[mask] = err
					return
				}
				sub := sim.Variant{Name: v.Name}
				for i, u := range v.Elements {
					if mask&(1<<i) != 0 {
						sub.Elements = append(sub.Elements, u)
					}
				}
				out := make([]float64, len(attributionIndicators))
				if err := m.Stream(&sub, res, func(yr *sim.Year) error {
					if yr.Year != last {
						return nil
					}
					var f model.Flows
					pop := res.Sum(&f, 0, nil, -1) // res holds this year only
					for j, ind := range attributionIndicators {
						out[j] = valueOf(ind, &f, pop, yr.Year)
					}
					return nil
				}); err != nil {
					errs[mask] = err
					continue
				}
				vals[mask] = out
			}
		}(wk)
	}
	wg.Wait()
	if err := g.Err(); err != nil {
		return a, err
	}
	if err := errors.Join(errs...); err != nil {
		return a, err
	}
	cfg := m.Config()
	a.Year = cfg.EndYear
	value := func(mask uint) []float64 { return vals[mask] }
	contrib := model.Shapley(n, len(attributionIndicators), value)
	all, none := value(1<<n-1), value(0)
	for j := range attributionIndicators {
		a.Total = append(a.Total, all[j]-none[j])
	}
	for i, u := range v.Elements {
		a.Elements = append(a.Elements, output.ElementContribution{Element: u.Element, Contribution: contrib[i]})
	}
	return a, nil
}

func valueOf(name string, f *model.Flows, pop float64, fy int) float64 {
	v, _, _ := model.IndicatorValue(name, f, pop, fy)
	return v
}

func unitOf(name string) string {
	_, u, _ := model.IndicatorValue(name, &model.Flows{}, 0, 2023)
	return u
}
