package model

import (
	"fmt"
	"math"
)

// Op is how an [Effect] changes a parameter at full strength (weight 1).
// At ramp weight w ∈ [0, 1] the change is scaled by w.
type Op int

const (
	// GapClose moves the value toward 1 by a fraction of the remaining gap:
	// v' = v + w·m·(1 − v). For yields and collection shares.
	GapClose Op = iota
	// Relative scales the value: v' = v·(1 + w·m). m = −0.1 is a 10 % cut.
	Relative
	// Add adds: v' = v + w·m.
	Add
)

var opNames = [...]string{"gap_close", "relative", "add"}

// String returns "gap_close", "relative" or "add".
func (o Op) String() string {
	if o < 0 || int(o) >= len(opNames) {
		return "op?"
	}
	return opNames[o]
}

// ParseOp parses the names of [Op.String].
func ParseOp(s string) (Op, error) {
	for i, n := range opNames {
		if n == s {
			return Op(i), nil
		}
	}
	return 0, fmt.Errorf("model: unknown effect op %q (want gap_close, relative or add)", s)
}

// Apply returns v changed by op with magnitude m at weight w.
func (o Op) Apply(v, m, w float64) float64 {
	switch o {
	case GapClose:
		return v + w*m*(1-v)
	case Relative:
		return v * (1 + w*m)
	case Add:
		return v + w*m
	}
	return v
}

// Effect is one parameter change made by an element.
type Effect struct {
	Key       string  // defaults-table key of the magnitude, e.g. "ai_sorting.sorting_yield_gain"
	Param     Param   // parameter changed
	Material  string  // material id, or "" for every material
	Op        Op      // how the value changes
	Magnitude float64 // at full ramp; unit as Op says (fraction)
}

// Element is one model element (モデル要素) of the working group
// (DESIGN §1): a documented set of parameter changes.
type Element struct {
	ID          string   // scenario name, e.g. "ai_sorting"
	NameJA      string   // the working group's wording
	Stage       string   // value-chain stage it acts on
	Description string   // mechanism in one or two sentences
	Effects     []Effect // default effects; empty when the mechanism is not built yet
	// MagnitudeKeys are the defaults-table keys whose values fill Effects,
	// and which a scenario may override.
	MagnitudeKeys []string
}

// Implemented reports whether the element has a mechanism in this release
// (at least one effect).
func (e *Element) Implemented() bool { return len(e.Effects) > 0 }

// Ramp is the shape of an element's phase-in.
type Ramp int

const (
	// Linear: weight (y − start + 1)/years for start ≤ y < start+years, then 1.
	Linear Ramp = iota
	// Logistic: weight 1/(1+exp(−10·(x − 0.5))) rescaled to 0 at x=0 and 1 at
	// x=1, with x = (y − start + 1)/years, then 1.
	Logistic
)

// ParseRamp parses "linear" or "logistic".
func ParseRamp(s string) (Ramp, error) {
	switch s {
	case "", "linear":
		return Linear, nil
	case "logistic":
		return Logistic, nil
	}
	return 0, fmt.Errorf("model: unknown ramp %q (want linear or logistic)", s)
}

func (r Ramp) String() string {
	if r == Logistic {
		return "logistic"
	}
	return "linear"
}

// Weight returns the strength in [0, 1] of an element started in fiscal
// year start with a ramp of years (≥ 0) in fiscal year y: 0 before start;
// with years ≤ 1, 1 from start on. Linear ramps reach 1/years in the start
// year and 1 in year start+years−1.
func (r Ramp) Weight(y, start, years int) float64 {
	if y < start {
		return 0
	}
	if years <= 1 || y >= start+years-1 {
		return 1
	}
	x := float64(y-start+1) / float64(years)
	if r == Logistic {
		s := func(x float64) float64 { return 1 / (1 + math.Exp(-10*(x-0.5))) }
		return (s(x) - s(0)) / (s(1) - s(0))
	}
	return x
}
