package regions

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// Distances: all distances in this package are in kilometres. Great-circle distances use
// the haversine formula of orb/geo ([geo.DistanceHaversine]) on a sphere of
// radius orb.EarthRadius = 6,378,137 m, the WGS84 equatorial radius. That is
// about 0.11 % larger than the mean Earth radius of 6,371.0 km (used e.g. by
// golang/geo), so distances here are about 0.11 % longer than with a mean-radius
// sphere; Tokyo–Osaka (403.15 km) differs by 0.45 km. This is far below the
// uncertainty of any road detour factor. geo.DistanceHaversine was chosen over
// the equirectangular geo.Distance because it stays accurate over the ~3,000 km
// spans of all-Japan runs.

// Distance returns the great-circle distance between a and b in km
// (haversine on a sphere of radius orb.EarthRadius, see above). Points are
// {lon, lat} in decimal degrees; Distance does not validate them (see
// [ValidatePoint]).
func Distance(a, b orb.Point) float64 {
	return geo.DistanceHaversine(a, b) / 1000
}

// RoadDistance returns an estimate of the road distance between a and b in km:
// the great-circle [Distance] times detour, the ratio of road to straight-line
// distance (circuity factor). No Japanese value was found (parameter_facts.csv,
// topic 5_scale_life_distance): it cites 1.2 for random point pairs in urban
// areas (Newell 1980) and 1.26 for South Korea nationally (1.22–1.44 by
// province; Kim et al. 2015, who state that Japan's is higher).
//
// RoadDistance panics if detour is NaN or below 1 (a programmer error;
// [ConsolidationOptions.Validate] checks user input).
func RoadDistance(a, b orb.Point, detour float64) float64 {
	if !(detour >= 1) || math.IsInf(detour, 0) {
		panic(fmt.Sprintf("regions: RoadDistance: detour factor %g must be finite and >= 1", detour))
	}
	return Distance(a, b) * detour
}

// ValidatePoint reports whether p is a finite {lon, lat} point with the
// longitude in [-180, 180] and the latitude in [-90, 90] (decimal degrees).
// A latitude out of range whose magnitude would fit a longitude gets the hint
// "are lon and lat swapped?", e.g.
// "latitude 139.8 out of range [-90, 90]; are lon and lat swapped?".
func ValidatePoint(p orb.Point) error {
	lon, lat := p[0], p[1]
	var errs []error
	switch {
	case math.IsNaN(lon) || math.IsInf(lon, 0):
		errs = append(errs, fmt.Errorf("longitude %g is not finite", lon))
	case lon < -180 || lon > 180:
		errs = append(errs, fmt.Errorf("longitude %g out of range [-180, 180]", lon))
	}
	switch {
	case math.IsNaN(lat) || math.IsInf(lat, 0):
		errs = append(errs, fmt.Errorf("latitude %g is not finite", lat))
	case lat < -90 || lat > 90:
		hint := ""
		if math.Abs(lat) <= 180 {
			hint = "; are lon and lat swapped?"
		}
		errs = append(errs, fmt.Errorf("latitude %g out of range [-90, 90]%s", lat, hint))
	}
	return errors.Join(errs...)
}

// ValidateGeometry checks a boundary or location geometry: g must be an
// orb.Point, orb.Polygon or orb.MultiPolygon (nil, other types and empty
// polygons are errors); every coordinate must pass [ValidatePoint]; every ring
// must have at least 4 points and be closed (first point == last point),
// enclose a non-zero area and not cross itself; every hole must lie inside
// its outer ring. The first problem found is returned, naming the polygon,
// ring and point or edge index.
func ValidateGeometry(g orb.Geometry) error {
	switch g := g.(type) {
	case nil:
		return errors.New("nil geometry")
	case orb.Point:
		return ValidatePoint(g)
	case orb.Polygon:
		return validatePolygon(g, "")
	case orb.MultiPolygon:
		if len(g) == 0 {
			return errors.New("empty MultiPolygon")
		}
		for i, p := range g {
			if err := validatePolygon(p, fmt.Sprintf("polygon %d: ", i)); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("geometry type %s not supported (want Point, Polygon or MultiPolygon)", g.GeoJSONType())
	}
}

func validatePolygon(p orb.Polygon, prefix string) error {
	if len(p) == 0 {
		return fmt.Errorf("%sempty Polygon", prefix)
	}
	for r, ring := range p {
		what := "outer ring"
		if r > 0 {
			what = fmt.Sprintf("hole %d", r)
		}
		if len(ring) < 4 {
			return fmt.Errorf("%s%s has %d points; a closed ring needs at least 4", prefix, what, len(ring))
		}
		for k, pt := range ring {
			if err := ValidatePoint(pt); err != nil {
				return fmt.Errorf("%s%s point %d: %w", prefix, what, k, err)
			}
		}
		if ring[0] != ring[len(ring)-1] {
			return fmt.Errorf("%s%s is not closed: first point %v != last point %v", prefix, what, ring[0], ring[len(ring)-1])
		}
	}
	return checkRings(p, prefix)
}

// Centroid returns the area-weighted centroid {lon, lat} of a Polygon or
// MultiPolygon (holes subtract, whatever their winding order); for a Point it
// returns the point. g is first checked with [ValidateGeometry].
//
// The centroid is computed in a Lambert azimuthal equal-area projection (on a
// sphere) centred on the centre of g's bounding box: vertices are projected,
// the planar centroid of the projected rings is taken (edges are straight lines
// in the projection), and the result is projected back. Since the projection
// preserves area, each part is weighted by its true area; the distortion of
// shapes is negligible at municipal and prefectural scale. Coordinates are never
// treated as planar degrees (which would over-weight high latitudes: a 2°×2°
// square centred on 60° N has its area centroid near 59.99° N, not 60°).
//
// Errors: everything [ValidateGeometry] rejects; a geometry spanning more than
// 180° of longitude (e.g. crossing the antimeridian, not supported); a total
// area of zero (degenerate rings).
func Centroid(g orb.Geometry) (orb.Point, error) {
	if err := ValidateGeometry(g); err != nil {
		return orb.Point{}, fmt.Errorf("regions: centroid: %w", err)
	}
	var polys orb.MultiPolygon
	switch g := g.(type) {
	case orb.Point:
		return g, nil
	case orb.Polygon:
		polys = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	b := polys.Bound()
	if b.Max[0]-b.Min[0] > 180 {
		return orb.Point{}, fmt.Errorf("regions: centroid: geometry spans %g° of longitude; antimeridian crossing is not supported",
			b.Max[0]-b.Min[0])
	}
	pr := newLAEA(b.Center())
	var area, cx, cy float64
	for _, poly := range polys {
		for r, ring := range poly {
			a, x, y := pr.ringMoments(ring)
			// Weight by |area|: the outer ring adds, holes subtract,
			// independent of the winding order of the file.
			sign := 1.0
			if r > 0 {
				sign = -1
			}
			if a < 0 {
				a, x, y = -a, -x, -y
			}
			area += sign * a
			cx += sign * x
			cy += sign * y
		}
	}
	if !(area > 0) {
		return orb.Point{}, fmt.Errorf("regions: centroid: geometry has zero area")
	}
	return pr.inverse(cx/area, cy/area), nil
}

// laea is a spherical Lambert azimuthal equal-area projection (unit sphere)
// centred on {lon0, lat0}. Formulas: Snyder (1987), Map Projections — A
// Working Manual, USGS PP 1395, eqs. 24-2 to 24-4 (forward) and 20-14, 20-15,
// 24-16 (inverse).
type laea struct {
	lon0, sinLat0, cosLat0 float64
}

func newLAEA(c orb.Point) laea {
	s, co := math.Sincos(c[1] * math.Pi / 180)
	return laea{lon0: c[0] * math.Pi / 180, sinLat0: s, cosLat0: co}
}

func (p laea) forward(pt orb.Point) (x, y float64) {
	sinLat, cosLat := math.Sincos(pt[1] * math.Pi / 180)
	sinDL, cosDL := math.Sincos(pt[0]*math.Pi/180 - p.lon0)
	k := math.Sqrt(2 / (1 + p.sinLat0*sinLat + p.cosLat0*cosLat*cosDL))
	return k * cosLat * sinDL, k * (p.cosLat0*sinLat - p.sinLat0*cosLat*cosDL)
}

func (p laea) inverse(x, y float64) orb.Point {
	rho := math.Hypot(x, y)
	if rho == 0 {
		return orb.Point{p.lon0 * 180 / math.Pi, math.Asin(p.sinLat0) * 180 / math.Pi}
	}
	c := 2 * math.Asin(math.Min(1, rho/2))
	sinC, cosC := math.Sincos(c)
	lat := math.Asin(cosC*p.sinLat0 + y*sinC*p.cosLat0/rho)
	lon := p.lon0 + math.Atan2(x*sinC, rho*p.cosLat0*cosC-y*p.sinLat0*sinC)
	return orb.Point{lon * 180 / math.Pi, lat * 180 / math.Pi}
}

// ringMoments returns the signed area A of the projected ring (shoelace) and
// its first moments A·cx and A·cy. The ring must be closed.
func (p laea) ringMoments(ring orb.Ring) (a, mx, my float64) {
	x0, y0 := p.forward(ring[0])
	px, py := x0, y0
	for _, pt := range ring[1:] {
		x, y := p.forward(pt)
		// Use coordinates relative to the first vertex for accuracy.
		ax, ay, bx, by := px-x0, py-y0, x-x0, y-y0
		cross := ax*by - bx*ay
		a += cross
		mx += (ax + bx) * cross
		my += (ay + by) * cross
		px, py = x, y
	}
	a /= 2
	// Shift the moments back from the first-vertex origin.
	return a, mx/6 + a*x0, my/6 + a*y0
}
