package sim

import (
	"fmt"
	"math"

	"github.com/circular-partners/junkan/model"
)

type effect struct {
	param model.Param
	mat   int // material index, −1 for all
	op    model.Op
	mag   float64
}

type use struct {
	start, years int
	ramp         model.Ramp
	effects      []effect
}

// stepper holds what one Run needs per step, allocated once.
type stepper struct {
	m       *Model
	uses    []use
	applies []bool    // len E×R
	w       []float64 // ramp weight per use in the current year, len E
}

func (m *Model) newStepper(v *Variant) (*stepper, error) {
	cfg := &m.cfg
	R := len(cfg.Regions)
	st := &stepper{m: m, uses: make([]use, len(v.Elements)), applies: make([]bool, len(v.Elements)*R),
		w: make([]float64, len(v.Elements))}
	for e, eu := range v.Elements {
		u := use{start: eu.Start, years: eu.RampYears, ramp: eu.Ramp}
		for _, ef := range eu.Effects {
			mi := -1
			if ef.Material != "" {
				mi = model.MaterialIndex(cfg.Materials, ef.Material)
				if mi < 0 {
					return nil, fmt.Errorf("sim: variant %s: element %s: unknown material %q", v.Name, eu.Element, ef.Material)
				}
			}
			u.effects = append(u.effects, effect{param: ef.Param, mat: mi, op: ef.Op, mag: ef.Magnitude})
		}
		st.uses[e] = u
		all := len(eu.Archetypes) == 0 && len(eu.Regions) == 0
		for r := range cfg.Regions {
			in := all
			for _, a := range eu.Archetypes {
				in = in || cfg.Regions[r].Archetype == a
			}
			for _, c := range eu.Regions {
				in = in || cfg.Regions[r].Code == c
			}
			st.applies[e*R+r] = in
		}
	}
	return st, nil
}

// step computes year index y of res. It does not allocate.
func (st *stepper) step(res *Result, y int) error {
	m := st.m
	cfg := &m.cfg
	R, M := len(cfg.Regions), len(cfg.Materials)
	fy := cfg.BaseYear + y
	days := float64(model.DaysInFY(fy))
	for e := range st.uses {
		u := &st.uses[e]
		st.w[e] = u.ramp.Weight(fy, u.start, u.years)
	}
	for r := 0; r < R; r++ {
		g := &cfg.Regions[r]
		pop := g.Population * math.Pow(1+g.PopulationChange, float64(y))
		res.Population[y*R+r] = pop
		scale := pop * g.PerCapitaGPerDay * days * 1e-6 // t of waste generated at base parameters
		for i := 0; i < M; i++ {
			p := m.base[r*M+i]
			for e := range st.uses {
				w := st.w[e]
				if w == 0 || !st.applies[e*R+r] {
					continue
				}
				for _, ef := range st.uses[e].effects {
					if ef.mat < 0 || ef.mat == i {
						p[ef.param] = ef.op.Apply(p[ef.param], ef.mag, w)
					}
				}
			}
			p.Clamp()
			f := &res.Flows[(y*R+r)*M+i]
			f.Step(scale*m.disc[r*M+i]*p[model.GenerationFactor], &p)
			if pi, resid := model.CheckBalance(f); pi >= 0 {
				return &model.BalanceError{Region: g.Code, Material: cfg.Materials[i].ID,
					Process: model.Processes[pi].Name, Year: fy, Residual: resid}
			}
		}
	}
	return nil
}
