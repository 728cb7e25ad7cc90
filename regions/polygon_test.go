package regions

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestPolygonShape(t *testing.T) {
	square := orb.Ring{{139, 35}, {139.2, 35}, {139.2, 35.2}, {139, 35.2}, {139, 35}}
	for name, tc := range map[string]struct {
		p    orb.Polygon
		want string // "" for valid
	}{
		"square":           {orb.Polygon{square}, ""},
		"hole inside":      {orb.Polygon{square, {{139.05, 35.05}, {139.1, 35.05}, {139.1, 35.1}, {139.05, 35.05}}}, ""},
		"hole on the edge": {orb.Polygon{square, {{139, 35.05}, {139.1, 35.05}, {139.1, 35.1}, {139, 35.05}}}, ""},
		// A hole 0.4° (about 40 km) east of the shell: its centroid would
		// move far outside the municipality.
		"hole outside": {orb.Polygon{square, {{139.6, 35}, {139.7, 35}, {139.7, 35.1}, {139.6, 35}}},
			"hole 1 point 0 [139.6 35] lies outside the outer ring"},
		"hole partly outside": {orb.Polygon{square, {{139.1, 35.1}, {139.3, 35.1}, {139.3, 35.15}, {139.1, 35.1}}},
			"hole 1 point 1 [139.3 35.1] lies outside"},
		"zero area": {orb.Polygon{{{139, 35}, {139.1, 35.1}, {139.2, 35.2}, {139, 35}}}, "outer ring has zero area"},
		"flat":      {orb.Polygon{{{139, 35}, {139.1, 35}, {139.2, 35}, {139, 35}}}, "zero area"},
		"bow tie": {orb.Polygon{{{139, 35}, {139.2, 35.2}, {139.2, 35}, {139, 35.2}, {139, 35}}},
			"outer ring crosses itself (edges 0 and 2)"},
	} {
		err := ValidateGeometry(tc.p)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v; want %q", name, err, tc.want)
		}
		if _, cerr := Centroid(tc.p); (cerr == nil) != (tc.want == "") {
			t.Errorf("%s: Centroid error %v", name, cerr)
		}
	}
}

// TestSelfCrossingLargeRing checks a ring of 200,000 points (a circle,
// valid) and the same ring with one crossing.
func TestSelfCrossingLargeRing(t *testing.T) {
	const n = 200000
	ring := make(orb.Ring, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		ring[i] = orb.Point{139 + 0.1*math.Cos(a), 35 + 0.1*math.Sin(a)}
	}
	ring[n] = ring[0]
	if _, _, ok := selfCrossing(ring); ok {
		t.Fatal("circle crosses itself")
	}
	ring[1000], ring[1001] = ring[1001], ring[1000]
	if i, j, ok := selfCrossing(ring); !ok || i != 999 || j != 1001 {
		t.Errorf("swapped points: crossing %d %d %v; want edges 999 and 1001", i, j, ok)
	}
}
