package scenarios

import (
	"fmt"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// products adds the durable products of the run to its configuration:
// inflow, reuse life factor, lifetime and composition, from the scenario
// or the defaults.
func (b *builder) products() {
	mats := b.mats
	M := len(mats)
	for i, m := range mats {
		if !m.Durable {
			continue
		}
		p := sim.Product{Material: i, Composition: make([]float64, M)}
		var spec ProductSpec
		for _, ps := range b.s.Products {
			if ps.ID == m.ID {
				spec = ps
			}
		}
		p.InflowPerCapita = b.val("durable_inflow_per_capita", 0, m.ID)
		if spec.InflowPerCapitaT != nil {
			p.InflowPerCapita = *spec.InflowPerCapitaT
		}
		p.ReuseLifeFactor = b.val("reuse_remaining_life_factor", 0, m.ID)
		if spec.ReuseLifeFactor != nil {
			p.ReuseLifeFactor = *spec.ReuseLifeFactor
		}
		if spec.Lifetime != nil {
			p.Lifetime, _ = lifetimeOf(spec.Lifetime)
		} else {
			lt, err := defaultLifetime(b.tab, m.ID)
			if err != nil {
				panic(err) // the embedded table is complete; tests check it
			}
			p.Lifetime = lt
			for _, k := range []string{"lifetime_fixed_years", "lifetime_normal_mean", "lifetime_normal_sd",
				"lifetime_weibull_shape", "lifetime_weibull_scale", "lifetime_lognormal_mu", "lifetime_lognormal_sigma"} {
				b.usedKeys[k] = true
			}
		}
		for j, x := range mats {
			if x.Durable {
				continue
			}
			if len(spec.Composition) > 0 {
				p.Composition[j] = spec.Composition[x.ID]
			} else {
				p.Composition[j] = b.val("product_composition."+m.ID, 0, x.ID)
			}
		}
		b.run.Config.Products = append(b.run.Config.Products, p)
	}
}

// demand sets the manufacturing demand: manufacturing employees × demand
// per employee, and its high-grade share.
func (b *builder) demand() {
	mats := b.mats
	M := len(mats)
	cfg := &b.run.Config
	cfg.Demand = make([]float64, len(b.regs)*M)
	cfg.DemandHighShare = make([]float64, M)
	for i, m := range mats {
		if m.Durable {
			continue
		}
		perEmp := b.val("manufacturing_demand_per_employee", 0, m.ID)
		cfg.DemandHighShare[i] = b.val("demand_high_grade_share", 0, m.ID)
		for r := range b.regs {
			cfg.Demand[r*M+i] = b.regs[r].ManufacturingEmployees * perEmp
		}
	}
}

// defaultLifetime returns the lifetime distribution of product id from the
// table: the first family with rows for it among fixed, normal, Weibull
// and lognormal.
func defaultLifetime(t *model.Table, id string) (model.Lifetime, error) {
	get := func(k string) (float64, bool) {
		f, ok := t.Lookup(k, 0, id)
		return f.Value, ok && f.Material == id
	}
	if v, ok := get("lifetime_fixed_years"); ok {
		return model.Lifetime{Kind: model.Fixed, A: v}, nil
	}
	if a, ok := get("lifetime_normal_mean"); ok {
		b, _ := get("lifetime_normal_sd")
		return model.Lifetime{Kind: model.Normal, A: a, B: b}, nil
	}
	if a, ok := get("lifetime_weibull_shape"); ok {
		b, _ := get("lifetime_weibull_scale")
		return model.Lifetime{Kind: model.Weibull, A: a, B: b}, nil
	}
	if a, ok := get("lifetime_lognormal_mu"); ok {
		b, _ := get("lifetime_lognormal_sigma")
		return model.Lifetime{Kind: model.Lognormal, A: a, B: b}, nil
	}
	return model.Lifetime{}, fmt.Errorf("scenarios: no default lifetime for product %s", id)
}
