package regions

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestDistance(t *testing.T) {
	tokyo := orb.Point{139.767, 35.681}
	osaka := orb.Point{135.500, 34.702}
	cases := []struct {
		name     string
		a, b     orb.Point
		min, max float64 // km
	}{
		{"co-located", tokyo, tokyo, 0, 0},
		// About 403 km great-circle (issue 4). The computed value is
		// 403.153 km with orb's 6,378,137 m radius (403.153·6371.0/6378.137
		// = 402.70 km with the mean radius, 0.11 % less).
		{"Tokyo-Osaka", tokyo, osaka, 400, 406},
		{"Osaka-Tokyo", osaka, tokyo, 400, 406},
		// 1° of longitude on the equator is 2π·6378.137/360 = 111.3195 km.
		{"1° on the equator", orb.Point{0, 0}, orb.Point{1, 0}, 111.3194, 111.3196},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Distance(tc.a, tc.b)
			if got < tc.min || got > tc.max {
				t.Errorf("Distance(%v, %v) = %.4f km; want in [%g, %g]", tc.a, tc.b, got, tc.min, tc.max)
			}
			t.Logf("Distance(%v, %v) = %.3f km", tc.a, tc.b, got)
		})
	}
	if got, want := RoadDistance(tokyo, osaka, 1.26), 1.26*Distance(tokyo, osaka); got != want {
		t.Errorf("RoadDistance(detour 1.26) = %g; want %g", got, want)
	}
}

func TestRoadDistancePanics(t *testing.T) {
	for _, detour := range []float64{0, 0.99, math.NaN(), math.Inf(1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RoadDistance with detour %g did not panic", detour)
				}
			}()
			RoadDistance(orb.Point{0, 0}, orb.Point{1, 1}, detour)
		}()
	}
}

func TestValidatePoint(t *testing.T) {
	cases := []struct {
		p    orb.Point
		want string // "" = valid; else a substring of the error
	}{
		{orb.Point{139.767, 35.681}, ""},
		{orb.Point{-180, -90}, ""},
		{orb.Point{180, 90}, ""},
		{orb.Point{35.681, 139.8}, "latitude 139.8 out of range [-90, 90]; are lon and lat swapped?"},
		{orb.Point{0, 90.5}, "latitude 90.5 out of range [-90, 90]; are lon and lat swapped?"},
		{orb.Point{0, -200}, "latitude -200 out of range [-90, 90]"},
		{orb.Point{181, 0}, "longitude 181 out of range [-180, 180]"},
		{orb.Point{math.NaN(), 0}, "longitude NaN is not finite"},
		{orb.Point{0, math.Inf(1)}, "latitude +Inf is not finite"},
	}
	for _, tc := range cases {
		err := ValidatePoint(tc.p)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ValidatePoint(%v) = %v; want nil", tc.p, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ValidatePoint(%v) = %v; want error containing %q", tc.p, err, tc.want)
		}
	}
	if err := ValidatePoint(orb.Point{0, -200}); strings.Contains(err.Error(), "swapped") {
		t.Errorf("ValidatePoint(0, -200) = %v; a latitude beyond ±180 cannot be a swapped longitude", err)
	}
}

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func reversed(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func TestCentroid(t *testing.T) {
	// Square [0, 2]×[0, 2] degrees with a square hole [0.5, 1]×[0.5, 1], on
	// the equator. Planar by hand: outer area 4 with centroid (1, 1), hole
	// area 0.25 with centroid (0.75, 0.75); centroid = (4·1 − 0.25·0.75) /
	// (4 − 0.25) = 3.8125/3.75 = 1.016667 in both coordinates. On the sphere
	// the cos(lat) weighting near the equator shifts the latitude by about
	// −tan(1°)·(1°)²/3 ≈ −1e-4°, inside the tolerance of 1e-3° (≈ 110 m).
	holed := orb.Polygon{square(0, 0, 2, 2), square(0.5, 0.5, 1, 1)}
	want := orb.Point{3.8125 / 3.75, 3.8125 / 3.75}

	// 2°×2° square centred on (1° E, 60° N). Treating degrees as planar
	// would give exactly 60. By hand: area ∝ cos(lat) moves the centroid by
	// −tan(60°)·(1° in rad)²/3 = −1.76e-4 rad = −0.0101°; the straight edges
	// of the equal-area projection bow poleward of the parallels (sagitta
	// ≈ (cos 60° · 1°)²/(2 cos 60°) ≈ 7.6e-5 rad), adding ≈ +0.0029°. So
	// ≈ 59.9928° N by this estimate (computed: 59.99370); tolerance 0.002°,
	// well below the 0.0063° by which the planar answer 60 is off.
	north := orb.Polygon{square(0, 59, 2, 61)}

	cases := []struct {
		name string
		g    orb.Geometry
		want orb.Point
		tol  float64 // degrees
	}{
		{"square with hole", holed, want, 1e-3},
		{"square with hole, clockwise outer ring", orb.Polygon{reversed(holed[0]), holed[1]}, want, 1e-3},
		{"square with hole, clockwise hole", orb.Polygon{holed[0], reversed(holed[1])}, want, 1e-3},
		// Two unit squares: [0,1]² (area 1, centroid (0.5, 0.5)) and
		// [2,4]×[0,1] (area 2, centroid (3, 0.5)) → x = (0.5 + 6)/3 = 2.1667.
		{"multipolygon", orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(2, 0, 4, 1)}}, orb.Point{6.5 / 3, 0.5}, 1e-3},
		{"2° square at 60° N", north, orb.Point{1, 59.9928}, 2e-3},
		{"point", orb.Point{139.7, 35.8}, orb.Point{139.7, 35.8}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Centroid(tc.g)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got[0]-tc.want[0]) > tc.tol || math.Abs(got[1]-tc.want[1]) > tc.tol {
				t.Errorf("Centroid = (%.6f, %.6f); want (%.6f, %.6f) ± %g", got[0], got[1], tc.want[0], tc.want[1], tc.tol)
			}
			t.Logf("Centroid = (%.6f, %.6f)", got[0], got[1])
		})
	}
	got, _ := Centroid(north)
	if got[1] > 59.996 {
		t.Errorf("Centroid of the 60° N square at latitude %.5f: area weighting missing (planar degrees give 60)", got[1])
	}
}

func TestCentroidErrors(t *testing.T) {
	cases := []struct {
		name string
		g    orb.Geometry
		want string
	}{
		{"nil", nil, "nil geometry"},
		{"empty polygon", orb.Polygon{}, "empty Polygon"},
		{"empty multipolygon", orb.MultiPolygon{}, "empty MultiPolygon"},
		{"short ring", orb.Polygon{{{0, 0}, {1, 0}, {0, 0}}}, "outer ring has 3 points; a closed ring needs at least 4"},
		{"unclosed ring", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}, "outer ring is not closed"},
		{"unclosed hole", orb.Polygon{square(0, 0, 2, 2), {{0.5, 0.5}, {1, 0.5}, {1, 1}, {0.5, 1}}}, "hole 1 is not closed"},
		{"swapped coordinates", orb.Polygon{square(35, 139, 36, 140)}, "latitude 139 out of range [-90, 90]; are lon and lat swapped?"},
		{"latitude above 90", orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(0, 89.5, 1, 90.5)}}, "polygon 1: outer ring point 2: latitude 90.5 out of range"},
		{"zero area", orb.Polygon{{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}, "zero area"},
		{"line string", orb.LineString{{0, 0}, {1, 1}}, "geometry type LineString not supported"},
		{"antimeridian", orb.Polygon{square(-179, 0, 179, 1)}, "antimeridian"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Centroid(tc.g)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Centroid = %v, %v; want error containing %q", p, err, tc.want)
			}
		})
	}
}
