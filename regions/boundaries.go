package regions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/circular-partners/junkan/internal/limit"
)

// The GeoJSON reader below decodes into orb types with encoding/json instead of
// orb/geojson: importing orb/geojson v0.14.0 adds go.mongodb.org/mongo-driver/v2
// to the module graph (go.mod/go.sum), and it would accept a null coordinate as
// 0 and leave property checks to the caller. Only what boundary files need is
// read: a FeatureCollection of Polygon and MultiPolygon features.

// ErrNullGeometry is wrapped by the error for a feature whose geometry is null
// or has no coordinates, checkable with [errors.Is].
var ErrNullGeometry = errors.New("null or empty geometry")

// BoundaryOptions relaxes [LoadBoundariesWith]. The zero value is strict:
// every feature must have a non-empty Polygon or MultiPolygon geometry and a
// unique code.
type BoundaryOptions struct {
	// SkipNullGeometry skips features whose geometry is null or empty, listing
	// them in [BoundaryReport.Skipped]. In the all-Japan N03 file these are 12
	// features: 11 small municipalities lost in simplification (e.g. 13362
	// 利島村) and one 所属未定地; use office points for those.
	SkipNullGeometry bool
	// SkipMissingCode skips features whose code property is absent, null or
	// the empty string (N03 所属未定地, areas of undetermined affiliation),
	// listing them in [BoundaryReport.Skipped].
	SkipMissingCode bool
	// MergeDuplicates merges features sharing a code into one
	// orb.MultiPolygon (parts in file order), listing the codes in
	// [BoundaryReport.Merged]; otherwise a repeated code is ErrDuplicateCode.
	MergeDuplicates bool
}

// LenientBoundaryOptions returns options for the all-Japan N03 file
// (jp_municipal_boundaries_n03_2021_s0001_designated_city.geojson): skip null
// geometries and missing codes, merge repeated codes.
func LenientBoundaryOptions() BoundaryOptions {
	return BoundaryOptions{SkipNullGeometry: true, SkipMissingCode: true, MergeDuplicates: true}
}

// SkippedFeature is a feature left out by [LoadBoundariesWith].
type SkippedFeature struct {
	Index  int    // 0-based position in the "features" array
	Code   string // the code property, "" if missing
	Name   string // N03_004 (市区町村名) or "name" property if present, else ""
	Reason string // e.g. "null or empty geometry"
}

// BoundaryReport says what [LoadBoundariesWith] did with a lenient file.
type BoundaryReport struct {
	Features int              // features in the file
	Skipped  []SkippedFeature // in file order
	Merged   []string         // codes that had several features, sorted
}

// LoadBoundaries reads a GeoJSON FeatureCollection of municipal boundaries
// (lon/lat, WGS84/JGD2011) and returns each feature's geometry, an orb.Polygon
// or orb.MultiPolygon, keyed by the string property codeProperty ("N03_007"
// in the N03 files of ../shared/data). It is strict: see [LoadBoundariesWith]
// with the zero [BoundaryOptions].
func LoadBoundaries(path, codeProperty string) (map[string]orb.Geometry, error) {
	g, _, err := LoadBoundariesWith(path, codeProperty, BoundaryOptions{})
	return g, err
}

// LoadBoundariesWith is [LoadBoundaries] with options for files that have null
// geometries, missing codes or municipalities split over several features.
//
// The code property must be a JSON string of 5 digits (a number is rejected,
// since it would have lost leading zeros). Geometries must be Polygon or
// MultiPolygon and pass [ValidateGeometry] (coordinates finite and in range,
// each position 2 or 3 numbers — a third, altitude, is dropped — rings
// closed with at least 4 points); these errors are never skipped.
//
// All feature errors are returned at once, joined, each a *[DataError] with
// File = path, Line = 0, Column = codeProperty and a message naming the
// feature's 0-based index and code, e.g.
// `regions: b.geojson: column N03_007: feature 3 (code "11203"): null or empty geometry`.
// Checkable sentinels: ErrNullGeometry, ErrDuplicateCode, ErrEmptyFile (no
// features); a missing file wraps the *fs.PathError. On error the map and
// report are nil.
func LoadBoundariesWith(path, codeProperty string, opt BoundaryOptions) (map[string]orb.Geometry, *BoundaryReport, error) {
	data, err := limit.ReadFile(path, limit.GeoJSON)
	if err != nil {
		return nil, nil, &DataError{File: path, Err: err}
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string          `json:"type"`
			Properties map[string]any  `json:"properties"`
			Geometry   json.RawMessage `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, nil, &DataError{File: path, Err: fmt.Errorf("not valid GeoJSON: %w", err)}
	}
	if fc.Type != "FeatureCollection" {
		return nil, nil, &DataError{File: path, Err: fmt.Errorf("GeoJSON type %q; want FeatureCollection", fc.Type)}
	}
	if len(fc.Features) == 0 {
		return nil, nil, &DataError{File: path, Err: fmt.Errorf("%w: FeatureCollection has no features", ErrEmptyFile)}
	}
	if codeProperty == "" {
		return nil, nil, &DataError{File: path, Err: fmt.Errorf("%w: no code property name given", ErrMissingColumn)}
	}

	errs := errList{file: path}
	rep := &BoundaryReport{Features: len(fc.Features)}
	out := make(map[string]orb.Geometry)
	first := make(map[string]int)
	merged := make(map[string]bool)
	for i, f := range fc.Features {
		fail := func(code string, err error) {
			if code != "" {
				err = fmt.Errorf("feature %d (code %q): %w", i, code, err)
			} else {
				err = fmt.Errorf("feature %d: %w", i, err)
			}
			errs.add(0, codeProperty, err)
		}
		if f.Type != "Feature" {
			fail("", fmt.Errorf("type %q; want Feature", f.Type))
			continue
		}
		code, codeErr := stringProperty(f.Properties, codeProperty)
		name := featureName(f.Properties)
		if codeErr == nil {
			codeErr = checkCode(code)
		}
		if codeErr != nil {
			if opt.SkipMissingCode && code == "" && !errors.Is(codeErr, errPropertyType) {
				rep.Skipped = append(rep.Skipped, SkippedFeature{Index: i, Name: name, Reason: codeErr.Error()})
				continue
			}
			fail("", codeErr)
			continue
		}
		geom, gerr := decodeBoundary(f.Geometry)
		if gerr != nil {
			if opt.SkipNullGeometry && errors.Is(gerr, ErrNullGeometry) {
				rep.Skipped = append(rep.Skipped, SkippedFeature{Index: i, Code: code, Name: name, Reason: gerr.Error()})
				continue
			}
			fail(code, gerr)
			continue
		}
		if j, dup := first[code]; dup {
			if !opt.MergeDuplicates {
				fail(code, fmt.Errorf("%w (first in feature %d)", ErrDuplicateCode, j))
				continue
			}
			merged[code] = true
			out[code] = appendPolygons(asMultiPolygon(out[code]), geom)
		} else {
			first[code] = i
			out[code] = geom
		}
	}
	if err := errs.err(); err != nil {
		return nil, nil, err
	}
	rep.Merged = slices.Sorted(maps.Keys(merged))
	return out, rep, nil
}

var errPropertyType = errors.New("property has the wrong type")

// stringProperty returns props[key] if it is a JSON string; "" with an error if
// it is absent, null or another type.
func stringProperty(props map[string]any, key string) (string, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return "", fmt.Errorf("no code: property %q is missing or null", key)
	}
	switch v := v.(type) {
	case string:
		if v == "" {
			return "", fmt.Errorf("no code: property %q is empty", key)
		}
		return v, nil
	case float64:
		return "", fmt.Errorf("%w: property %q is the number %v; codes must be strings (a number loses leading zeros)",
			errPropertyType, key, v)
	default:
		kind := "not text"
		switch v.(type) {
		case bool:
			kind = "true or false"
		case []any:
			kind = "a list"
		case map[string]any:
			kind = "an object"
		}
		return "", fmt.Errorf("%w: property %q is %s; want a string", errPropertyType, key, kind)
	}
}

func featureName(props map[string]any) string {
	for _, k := range []string{"N03_004", "name"} {
		if s, ok := props[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// asMultiPolygon returns g as a MultiPolygon (a new one for a Polygon).
func asMultiPolygon(g orb.Geometry) orb.MultiPolygon {
	if p, ok := g.(orb.Polygon); ok {
		return orb.MultiPolygon{p}
	}
	return g.(orb.MultiPolygon)
}

func appendPolygons(mp orb.MultiPolygon, g orb.Geometry) orb.MultiPolygon {
	if p, ok := g.(orb.Polygon); ok {
		return append(mp, p)
	}
	return append(mp, g.(orb.MultiPolygon)...)
}

// decodeBoundary decodes a GeoJSON Polygon or MultiPolygon and validates it.
func decodeBoundary(raw json.RawMessage) (orb.Geometry, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, ErrNullGeometry
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	c := bytes.TrimSpace(g.Coordinates)
	if len(c) == 0 || bytes.Equal(c, []byte("null")) || bytes.Equal(c, []byte("[]")) {
		return nil, fmt.Errorf("%w (%s without coordinates)", ErrNullGeometry, g.Type)
	}
	var polys [][][][]*float64
	switch g.Type {
	case "Polygon":
		var p [][][]*float64
		if err := json.Unmarshal(c, &p); err != nil {
			return nil, fmt.Errorf("Polygon coordinates: %w", err)
		}
		polys = [][][][]*float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(c, &polys); err != nil {
			return nil, fmt.Errorf("MultiPolygon coordinates: %w", err)
		}
	default:
		return nil, fmt.Errorf("geometry type %q; a boundary must be Polygon or MultiPolygon", g.Type)
	}
	out := make([]orb.Polygon, len(polys))
	for i, p := range polys {
		if len(p) == 0 {
			return nil, fmt.Errorf("%w (polygon %d has no rings)", ErrNullGeometry, i)
		}
		poly := make(orb.Polygon, len(p))
		for r, ring := range p {
			rr := make(orb.Ring, len(ring))
			for k, pos := range ring {
				if len(pos) != 2 && len(pos) != 3 {
					return nil, fmt.Errorf("polygon %d ring %d point %d has %d coordinates; want 2 (lon, lat) or 3", i, r, k, len(pos))
				}
				if pos[0] == nil || pos[1] == nil {
					return nil, fmt.Errorf("polygon %d ring %d point %d has a null coordinate", i, r, k)
				}
				rr[k] = orb.Point{*pos[0], *pos[1]}
			}
			poly[r] = rr
		}
		if err := validatePolygon(poly, fmt.Sprintf("polygon %d: ", i)); err != nil {
			return nil, err
		}
		out[i] = poly
	}
	if g.Type == "Polygon" {
		return out[0], nil
	}
	return orb.MultiPolygon(out), nil
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
