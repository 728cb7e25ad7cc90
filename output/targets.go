package output

import (
	"bytes"
	"fmt"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Target is a goal in the Circular Partners' format (see
// scenarios.TargetSpec): an indicator at a level and scope, a fiscal year,
// and an absolute value or a change (%) from the base year.
type Target struct {
	Name      string
	Indicator string // flow name, "population" or derived indicator
	Level     string // LevelTotal, LevelArchetype, LevelRegion or LevelBlock
	Scope     string // archetype letter, region code or block id ("" for total)
	Material  string // material id, MaterialAll or MaterialMSW
	Year      int
	Value     *float64 // absolute target, in the indicator's unit
	ChangePct *float64 // or change from the base year, %
	Direction model.Direction
}

// TargetResult is a target evaluated for one variant.
type TargetResult struct {
	Name           string  `json:"name"`
	Variant        string  `json:"variant"`
	Indicator      string  `json:"indicator"`
	Unit           string  `json:"unit"`
	Level          string  `json:"level"`
	Scope          string  `json:"scope"`
	Material       string  `json:"material"`
	Year           int     `json:"year"`
	Direction      string  `json:"direction"`
	Base           float64 `json:"base_value"`   // base year, this variant
	Target         float64 `json:"target_value"` // absolute target
	Value          float64 `json:"value"`        // reached in Year
	AchievementPct float64 `json:"achievement_pct"`
	Band           string  `json:"band"` // 0-19, 20-39, 40-59, 60-79, 80-99, 100
}

// evaluateTargets evaluates every target for one variant from its group
// sums; res gives regions and materials (its flows are not read).
func evaluateTargets(targets []Target, res *sim.Result, gs *groups, blocks *Blocks) ([]TargetResult, error) {
	var out []TargetResult
	M := len(res.Materials)
	for _, tg := range targets {
		m := -1
		switch tg.Material {
		case MaterialAll:
			m = M
		case MaterialMSW:
			m = M + 1
		default:
			for i := range res.Materials {
				if res.Materials[i].ID == tg.Material {
					m = i
				}
			}
		}
		if m < 0 {
			return nil, fmt.Errorf("output: target %q: material %q not in the run", tg.Name, tg.Material)
		}
		y := tg.Year - res.BaseYear
		if y <= 0 || y >= gs.Y {
			return nil, fmt.Errorf("output: target %q: year %d outside the run", tg.Name, tg.Year)
		}
		get := func(yi int) (*model.Flows, float64, error) {
			switch tg.Level {
			case LevelTotal, "":
				return gs.cell(numArchetypes, yi, m), gs.pop[numArchetypes*gs.Y+yi], nil
			case LevelArchetype:
				a, err := model.ParseArchetype(tg.Scope)
				if err != nil {
					return nil, 0, err
				}
				return gs.cell(a.Index(), yi, m), gs.pop[a.Index()*gs.Y+yi], nil
			case LevelBlock:
				if blocks == nil {
					return nil, 0, fmt.Errorf("output: target %q: the run has no blocks", tg.Name)
				}
				for k, id := range blocks.IDs {
					if id == tg.Scope {
						g := numArchetypes + 1 + k
						if m < M && !gs.blockMaterials {
							return nil, 0, fmt.Errorf("output: target %q: block targets are on material all or msw unless region_materials is on", tg.Name)
						}
						return gs.cell(g, yi, m), gs.pop[g*gs.Y+yi], nil
					}
				}
				return nil, 0, fmt.Errorf("output: target %q: unknown block %q", tg.Name, tg.Scope)
			case LevelRegion:
				if m < M {
					return nil, 0, fmt.Errorf("output: target %q: region targets are on material all or msw", tg.Name)
				}
				for r := range res.Regions {
					if res.Regions[r].Code == tg.Scope {
						if m == M {
							return &gs.regAll[r*gs.Y+yi], gs.regPop[r*gs.Y+yi], nil
						}
						return &gs.regMSW[r*gs.Y+yi], gs.regPop[r*gs.Y+yi], nil
					}
				}
				return nil, 0, fmt.Errorf("output: target %q: unknown region %q", tg.Name, tg.Scope)
			}
			return nil, 0, fmt.Errorf("output: target %q: unknown level %q", tg.Name, tg.Level)
		}
		f0, p0, err := get(0)
		if err != nil {
			return nil, err
		}
		f1, p1, err := get(y)
		if err != nil {
			return nil, err
		}
		base, unit, ok := model.IndicatorValue(tg.Indicator, f0, p0, res.BaseYear)
		if !ok {
			return nil, fmt.Errorf("output: target %q: unknown indicator %q", tg.Name, tg.Indicator)
		}
		val, _, _ := model.IndicatorValue(tg.Indicator, f1, p1, tg.Year)
		target := base
		if tg.Value != nil {
			target = *tg.Value
		} else if tg.ChangePct != nil {
			target = base * (1 + *tg.ChangePct/100)
		}
		pct, _ := model.Achievement(base, target, val, tg.Direction)
		level := tg.Level
		if level == "" {
			level = LevelTotal
		}
		out = append(out, TargetResult{Name: tg.Name, Variant: res.Variant, Indicator: tg.Indicator, Unit: unit,
			Level: level, Scope: tg.Scope, Material: tg.Material, Year: tg.Year, Direction: tg.Direction.String(),
			Base: base, Target: target, Value: val, AchievementPct: pct, Band: model.Band(pct)})
	}
	return out, nil
}

// targetsCSV returns the evaluated targets as CSV.
func targetsCSV(rs []TargetResult) []byte {
	var b bytes.Buffer
	b.WriteString("target,scenario,indicator,unit,level,scope,material,year,direction,base_value,target_value,value,achievement_pct,band\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s\n", csvField(r.Name), csvField(r.Variant), r.Indicator,
			csvField(r.Unit), r.Level, csvField(r.Scope), r.Material, r.Year, r.Direction,
			appendValue(nil, r.Base), appendValue(nil, r.Target), appendValue(nil, r.Value), appendValue(nil, r.AchievementPct), r.Band)
	}
	return b.Bytes()
}
