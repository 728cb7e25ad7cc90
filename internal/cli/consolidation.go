package cli

import (
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/scenarios"
)

// solverSummaries returns, per consolidation group, how it was solved and
// its optimality gap, for summary.json.
func solverSummaries(b *scenarios.Blocks) []output.SolverSummary {
	var out []output.SolverSummary
	for _, g := range b.Result.Groups {
		unit := "t·km/yr"
		if b.ByCost {
			unit = "JPY/yr"
		}
		s := output.SolverSummary{Group: g.Group, Method: g.Method, Status: g.Status, Objective: g.Objective,
			ObjectiveUnit: unit, Restricted: g.Restricted}
		if g.HasBound {
			pct := 100 * g.Gap
			s.GapPct = &pct
		}
		out = append(out, s)
	}
	return out
}
