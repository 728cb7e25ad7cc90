package regions

import (
	"fmt"

	"github.com/paulmach/orb"
)

// LocationColumns maps a point CSV to header names: the 5-digit municipality
// code and the longitude and latitude in decimal degrees. All are required.
type LocationColumns struct{ Code, Lon, Lat string }

// OfficeColumns returns the column mapping of jp_municipal_offices.csv.
func OfficeColumns() LocationColumns {
	return LocationColumns{Code: "code5", Lon: "lon", Lat: "lat"}
}

// LoadLocations reads a point CSV (e.g. jp_municipal_offices.csv) and sets
// Location and HasLocation of every municipality in ms whose code appears.
// Rows whose code is not in ms are ignored and not checked (only their CSV
// shape is). It returns the number of municipalities in ms located.
//
// A longitude outside [-180, 180] or a latitude outside [-90, 90] is an error,
// as is a point outside Japan ([JapanBounds]),
// as is a code that appears twice among the rows used (ErrDuplicateCode).
// Errors are reported as in [LoadMunicipalities]; on error ms is not modified.
func LoadLocations(path string, cols LocationColumns, ms []Municipality, opts ...ReadOption) (int, error) {
	t, err := openTable(path, opts...)
	if err != nil {
		return 0, err
	}
	defer t.close()

	iCode := t.column("Code", cols.Code, true)
	iLon := t.column("Lon", cols.Lon, true)
	iLat := t.column("Lat", cols.Lat, true)
	if t.errs.len() > 0 {
		return 0, t.errs.err()
	}

	byCode := make(map[string][]int, len(ms))
	for i := range ms {
		byCode[ms[i].Code] = append(byCode[ms[i].Code], i)
	}
	points := make(map[string]orb.Point)
	seen := make(map[string]int)
	for rec, line, ok := t.next(); ok; rec, line, ok = t.next() {
		code := cell(rec, iCode)
		if _, use := byCode[code]; !use {
			continue
		}
		if first, dup := seen[code]; dup {
			t.errs.add(line, cols.Code, fmt.Errorf("%w %q (first on line %d)", ErrDuplicateCode, code, first))
			continue
		}
		seen[code] = line
		p, errs := lonLat(cell(rec, iLon), cell(rec, iLat), cols.Lon, cols.Lat)
		for _, e := range errs {
			t.errs.add(line, e.col, e.err)
		}
		if len(errs) == 0 {
			points[code] = orb.Point(p)
		}
	}
	if err := t.finish(); err != nil {
		return 0, err
	}
	n := 0
	for code, p := range points {
		for _, i := range byCode[code] {
			ms[i].Location, ms[i].HasLocation = p, true
			n++
		}
	}
	return n, nil
}
