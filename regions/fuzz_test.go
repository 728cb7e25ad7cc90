package regions

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadCSV feeds arbitrary bytes to the CSV loaders (municipalities,
// prefecture statistics, locations). They must not panic; an error must be
// located (a *DataError naming the file); what loads must be sound.
func FuzzLoadCSV(f *testing.F) {
	const mun = "code5,pref_name,municipality_name,pop,emp,mfg\n"
	const pref = "pref_name,population_sanitation_total_persons,waste_total_generated_t,waste_per_capita_g_per_day,recycling_rate_pct,fiscal_year\n"
	for _, s := range []string{
		mun + "11100,埼玉県,さいたま市,1300000,500000,40000\n",
		mun + "11100,埼玉県,さいたま市,1e400,1,1\n",                  // overflow
		mun + "11100,埼玉県,\"さいたま\n市\",1300000,500000,40000\n", // quoted newline
		mun + "11100,埼玉県", // ragged, no newline
		"\ufeff" + mun + "11201,埼玉県,川越市,350000,140000,20000\r\n",
		pref + "埼玉県,7379422,2133356,790,24.3,2023\n",
		pref + "埼玉県,7379422,1066678,790,24.3,2023\n", // figures disagree
		pref + "埼玉県,0,5,790,24.3,2023\n",
		"code5,lat,lon\n11100,35.86,139.65\n",
		"code5,lat,lon\n11100,35.86,-139.65\n", // sign lost
		"code5,lat,lon\n11100,139.65,35.86\n",  // swapped
		strings.Repeat("a", 5000),
		"",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		located := func(err error) {
			var de *DataError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error not located in %s: %v", path, err)
			}
		}
		cols := MunicipalityColumns{Code: "code5", Name: "municipality_name", Prefecture: "pref_name", Population: "pop",
			Employees: "emp", ManufacturingEmployees: "mfg"}
		ms, err := LoadMunicipalities(path, cols, nil)
		if err != nil {
			located(err)
		}
		for _, m := range ms {
			if m.Code == "" || !(m.Population >= 0) || math.IsInf(m.Population, 0) {
				t.Fatalf("loaded %+v", m)
			}
		}
		stats, err := LoadPrefectureStats(path, SSDSEWasteColumns())
		if err != nil {
			located(err)
		}
		for _, s := range stats {
			if err := statsAgree(s); err != nil {
				t.Fatalf("loaded disagreeing statistics %+v: %v", s, err)
			}
		}
		pts := []Municipality{{Code: "11100"}, {Code: "11201"}}
		if _, err := LoadLocations(path, OfficeColumns(), pts); err != nil {
			located(err)
		}
		for _, m := range pts {
			if m.HasLocation && !JapanBounds.Contains(m.Location) {
				t.Fatalf("location outside Japan loaded: %v", m.Location)
			}
		}
	})
}

// FuzzLoadBoundaries feeds arbitrary bytes to the GeoJSON boundary loader.
// It must not panic; an error must be located; every geometry loaded must
// be valid and have a centroid inside its bounding box.
func FuzzLoadBoundaries(f *testing.F) {
	const feat = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"11100"},"geometry":`
	for _, g := range []string{
		`{"type":"Polygon","coordinates":[[[139,35],[139.2,35],[139.2,35.2],[139,35.2],[139,35]]]}`,
		`{"type":"Polygon","coordinates":[[[139,35],[139.2,35],[139.2,35.2],[139,35.2],[139,35]],[[139.6,35],[139.7,35],[139.7,35.1],[139.6,35]]]}`, // hole outside
		`{"type":"Polygon","coordinates":[[[139,35],[139.2,35.2],[139.2,35],[139,35.2],[139,35]]]}`,                                                 // bow tie
		`{"type":"MultiPolygon","coordinates":[[[[139,35],[139.1,35.1],[139.2,35.2],[139,35]]]]}`,                                                   // zero area
		`{"type":"Polygon","coordinates":[[[139,35],[139.2,35],[139.2,35.2],[139,35]]]}`,
		`null`,
		`{"type":"Point","coordinates":[139,35]}`,
	} {
		f.Add([]byte(feat + g + `}]}`))
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[]}`))
	f.Add([]byte(`[`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "b.geojson")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		gs, err := LoadBoundaries(path, "code")
		if err != nil {
			var de *DataError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error not located in %s: %v", path, err)
			}
			return
		}
		for code, g := range gs {
			if err := ValidateGeometry(g); err != nil {
				t.Fatalf("%s: invalid geometry loaded: %v", code, err)
			}
			c, err := Centroid(g)
			if err != nil {
				continue // e.g. spanning the antimeridian
			}
			b := g.Bound().Pad(1e-9)
			if !b.Contains(c) && !(b.Max[0]-b.Min[0] > 90) {
				t.Fatalf("%s: centroid %v outside the bound %v", code, c, b)
			}
		}
	})
}

// TestOverflowingNumber checks that a number beyond float64 in a CSV is a
// located error naming the column.
func TestOverflowingNumber(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.csv")
	os.WriteFile(path, []byte("code5,pref_name,municipality_name,pop,emp,mfg\n11100,埼玉県,さいたま市,1e400,1,1\n"), 0o644)
	cols := MunicipalityColumns{Code: "code5", Name: "municipality_name", Prefecture: "pref_name", Population: "pop",
		Employees: "emp", ManufacturingEmployees: "mfg"}
	_, err := LoadMunicipalities(path, cols, nil)
	if err == nil || !strings.Contains(err.Error(), path+":2: column pop: ") || !strings.Contains(err.Error(), `"1e400" is too large`) {
		t.Errorf("err = %v", err)
	}
}
