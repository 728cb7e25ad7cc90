package regions

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// checkRings checks the shape of a polygon whose rings are closed and of
// 4 points or more: no ring of zero area, no ring crossing itself, every
// hole inside the outer ring. Such polygons would give wrong centroids
// (a hole outside the shell subtracts area elsewhere: tens of km off). The
// tests are topological, so they are done on {lon, lat} as given.
func checkRings(p orb.Polygon, prefix string) error {
	for r, ring := range p {
		what := "outer ring"
		if r > 0 {
			what = fmt.Sprintf("hole %d", r)
		}
		if i, j, ok := selfCrossing(ring); ok {
			return fmt.Errorf("%s%s crosses itself (edges %d and %d)", prefix, what, i, j)
		}
		if zeroArea(ring) {
			return fmt.Errorf("%s%s has zero area (its points lie on a line)", prefix, what)
		}
		if r == 0 {
			continue
		}
		for k, pt := range ring[:len(ring)-1] {
			if !ringContains(p[0], pt) && !onRing(p[0], pt) {
				return fmt.Errorf("%s%s point %d %v lies outside the outer ring; a hole must lie inside it", prefix, what, k, pt)
			}
		}
	}
	return nil
}

// zeroArea reports whether ring encloses no area (relative to its
// bounding box).
func zeroArea(ring orb.Ring) bool {
	b := ring.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if w == 0 || h == 0 {
		return true
	}
	var a float64
	o := ring[0]
	for i := 0; i+1 < len(ring); i++ {
		a += (ring[i][0]-o[0])*(ring[i+1][1]-o[1]) - (ring[i+1][0]-o[0])*(ring[i][1]-o[1])
	}
	return math.Abs(a/2) <= 1e-12*w*h
}

// ringContains reports whether pt lies inside ring (ray casting; points
// on the ring may go either way).
func ringContains(ring orb.Ring, pt orb.Point) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// onRing reports whether pt lies on an edge of ring (within 1e-9°, about
// 0.1 mm).
func onRing(ring orb.Ring, pt orb.Point) bool {
	const eps = 1e-9
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l2 := dx*dx + dy*dy
		t := 0.0
		if l2 > 0 {
			t = max(0, min(1, ((pt[0]-a[0])*dx+(pt[1]-a[1])*dy)/l2))
		}
		x, y := a[0]+t*dx-pt[0], a[1]+t*dy-pt[1]
		if x*x+y*y <= eps*eps {
			return true
		}
	}
	return false
}

// selfCrossing returns two edges of ring (edge i from point i to i+1)
// that cross properly, if any. Edges sharing a point do not count. The
// edges are swept in order of their smallest longitude, so only edges
// whose longitude ranges overlap are compared.
func selfCrossing(ring orb.Ring) (int, int, bool) {
	n := len(ring) - 1 // edges
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	lo := func(i int) float64 { return min(ring[i][0], ring[i+1][0]) }
	hi := func(i int) float64 { return max(ring[i][0], ring[i+1][0]) }
	slices.SortFunc(order, func(a, b int) int {
		switch la, lb := lo(a), lo(b); {
		case la < lb:
			return -1
		case la > lb:
			return 1
		}
		return a - b
	})
	for x, i := range order {
		hx := hi(i)
		for _, j := range order[x+1:] {
			if lo(j) > hx {
				break
			}
			if d := j - i; d == 1 || d == -1 || d == n-1 || d == 1-n {
				continue // neighbours share a point
			}
			if crosses(ring[i], ring[i+1], ring[j], ring[j+1]) {
				return min(i, j), max(i, j), true
			}
		}
	}
	return 0, 0, false
}

// crosses reports whether segments pq and rs cross at a point inside both.
func crosses(p, q, r, s orb.Point) bool {
	d1, d2 := orient(p, q, r), orient(p, q, s)
	d3, d4 := orient(r, s, p), orient(r, s, q)
	return (d1 > 0 && d2 < 0 || d1 < 0 && d2 > 0) && (d3 > 0 && d4 < 0 || d3 < 0 && d4 > 0)
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}
