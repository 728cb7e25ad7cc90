package regions

import (
	"errors"
	"github.com/circular-partners/junkan/internal/testutil"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// sharedDataDir is dataDir for tests and benchmarks: $JUNKAN_DATA_DIR or
// ../../shared/data; it skips if the directory is missing.
func sharedDataDir(tb testing.TB) string { tb.Helper(); return testutil.DataDir(tb) }

func requireFile(tb testing.TB, path string) {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("data file missing: %v", err)
	}
}

const sq = `{"type":"Polygon","coordinates":[[[139,35],[140,35],[140,36],[139,36],[139,35]]]}`

func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// feat returns a feature with the raw JSON code value (e.g. `"11203"`, `null`,
// `11203`) and raw geometry.
func feat(code, geom string) string {
	return `{"type":"Feature","properties":{"N03_004":"x","N03_007":` + code + `},"geometry":` + geom + `}`
}

func TestLoadBoundaries(t *testing.T) {
	dir := t.TempDir()
	multi := `{"type":"MultiPolygon","coordinates":[[[[141,35],[142,35],[142,36],[141,36],[141,35]]]]}`
	path := writeFile(t, dir, "ok.geojson", fc(feat(`"11203"`, sq), feat(`"01100"`, multi)))
	g, err := LoadBoundaries(path, "N03_007")
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 2 {
		t.Fatalf("got %d geometries; want 2", len(g))
	}
	if p, ok := g["11203"].(orb.Polygon); !ok || len(p) != 1 || len(p[0]) != 5 || p[0][1] != (orb.Point{140, 35}) {
		t.Errorf("11203 = %#v; want the square polygon", g["11203"])
	}
	if _, ok := g["01100"].(orb.MultiPolygon); !ok {
		t.Errorf("01100 = %T; want orb.MultiPolygon", g["01100"])
	}
}

func TestLoadBoundariesErrors(t *testing.T) {
	unclosed := `{"type":"Polygon","coordinates":[[[139,35],[140,35],[140,36],[139,36]]]}`
	cases := []struct {
		name     string
		content  string
		sentinel error
		want     []string
	}{
		{"null geometry", fc(feat(`"11203"`, sq), feat(`"13362"`, "null")), ErrNullGeometry,
			[]string{`column N03_007: feature 1 (code "13362"): null or empty geometry`}},
		{"missing geometry", fc(`{"type":"Feature","properties":{"N03_007":"13362"}}`), ErrNullGeometry,
			[]string{`feature 0 (code "13362"): null or empty geometry`}},
		{"empty coordinates", fc(feat(`"13362"`, `{"type":"Polygon","coordinates":[]}`)), ErrNullGeometry,
			[]string{`feature 0 (code "13362"): null or empty geometry (Polygon without coordinates)`}},
		{"duplicate code", fc(feat(`"11203"`, sq), feat(`"11203"`, sq)), ErrDuplicateCode,
			[]string{`feature 1 (code "11203"): duplicate code (first in feature 0)`}},
		{"numeric code", fc(feat(`11203`, sq)), nil,
			[]string{`feature 0: property has the wrong type: property "N03_007" is the number 11203; codes must be strings`}},
		{"null code", fc(feat(`null`, sq)), nil, []string{`feature 0: no code: property "N03_007" is missing or null`}},
		{"short code", fc(feat(`"1203"`, sq)), nil, []string{`code "1203" is not 5 digits (leading zero lost`}},
		{"unclosed ring", fc(feat(`"11203"`, unclosed)), nil,
			[]string{`feature 0 (code "11203"): polygon 0: outer ring is not closed`}},
		{"three points", fc(feat(`"11203"`, `{"type":"Polygon","coordinates":[[[139,35],[140,35],[139,35]]]}`)), nil,
			[]string{`outer ring has 3 points; a closed ring needs at least 4`}},
		{"one coordinate", fc(feat(`"11203"`, `{"type":"Polygon","coordinates":[[[139],[140,35],[140,36],[139]]]}`)), nil,
			[]string{`polygon 0 ring 0 point 0 has 1 coordinates; want 2 (lon, lat) or 3`}},
		{"null coordinate", fc(feat(`"11203"`, `{"type":"Polygon","coordinates":[[[null,35],[140,35],[140,36],[null,35]]]}`)), nil,
			[]string{`polygon 0 ring 0 point 0 has a null coordinate`}},
		{"swapped", fc(feat(`"11203"`, `{"type":"Polygon","coordinates":[[[35,139],[35,140],[36,140],[35,139]]]}`)), nil,
			[]string{`latitude 139 out of range [-90, 90]; are lon and lat swapped?`}},
		{"point", fc(feat(`"11203"`, `{"type":"Point","coordinates":[139,35]}`)), nil,
			[]string{`geometry type "Point"; a boundary must be Polygon or MultiPolygon`}},
		{"not a collection", `{"type":"Feature"}`, nil, []string{`GeoJSON type "Feature"; want FeatureCollection`}},
		{"no features", fc(), ErrEmptyFile, []string{"FeatureCollection has no features"}},
		{"bad json", `{"type":`, nil, []string{"not valid GeoJSON"}},
		{"all errors", fc(feat(`"11203"`, "null"), feat(`"11204"`, unclosed)), ErrNullGeometry,
			[]string{`feature 0 (code "11203")`, `feature 1 (code "11204")`}},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_")+".geojson", tc.content)
			g, err := LoadBoundaries(path, "N03_007")
			if err == nil {
				t.Fatalf("LoadBoundaries = %v, nil; want error", g)
			}
			if g != nil {
				t.Errorf("LoadBoundaries returned a map with the error")
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("error %v; want errors.Is %v", err, tc.sentinel)
			}
			var de *DataError
			if !errors.As(err, &de) || de.File != path {
				t.Errorf("error %v is not a *DataError for %s", err, path)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
	if _, err := LoadBoundaries(filepath.Join(dir, "missing.geojson"), "N03_007"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v; want os.ErrNotExist", err)
	}
}

func TestLoadBoundariesLenient(t *testing.T) {
	dir := t.TempDir()
	sq2 := `{"type":"Polygon","coordinates":[[[141,35],[142,35],[142,36],[141,36],[141,35]]]}`
	path := writeFile(t, dir, "lenient.geojson", fc(
		feat(`"11203"`, sq), feat(`"13362"`, "null"), feat(`null`, sq), feat(`"11203"`, sq2)))
	g, rep, err := LoadBoundariesWith(path, "N03_007", LenientBoundaryOptions())
	if err != nil {
		t.Fatal(err)
	}
	mp, ok := g["11203"].(orb.MultiPolygon)
	if !ok || len(mp) != 2 || mp[1][0][0] != (orb.Point{141, 35}) {
		t.Errorf("11203 = %#v; want a MultiPolygon of both parts in file order", g["11203"])
	}
	if len(g) != 1 {
		t.Errorf("got %d codes; want 1", len(g))
	}
	if rep.Features != 4 || len(rep.Skipped) != 2 || strings.Join(rep.Merged, ",") != "11203" {
		t.Fatalf("report = %+v; want 4 features, 2 skipped, 11203 merged", rep)
	}
	if s := rep.Skipped[0]; s.Index != 1 || s.Code != "13362" || s.Name != "x" || !strings.Contains(s.Reason, "null") {
		t.Errorf("skipped[0] = %+v", s)
	}
	if s := rep.Skipped[1]; s.Index != 2 || s.Code != "" {
		t.Errorf("skipped[1] = %+v", s)
	}
	// Bad geometry is never skipped.
	bad := writeFile(t, dir, "bad.geojson", fc(feat(`"11203"`, `{"type":"Polygon","coordinates":[[[139,35],[140,35],[140,36],[139,36]]]}`)))
	if _, _, err := LoadBoundariesWith(bad, "N03_007", LenientBoundaryOptions()); err == nil {
		t.Error("unclosed ring accepted by lenient options")
	}
}

func TestDataBoundariesSaitama(t *testing.T) {
	dir := sharedDataDir(t)
	path := filepath.Join(dir, "jp_municipal_boundaries_n03_2021_pref11_s0010.geojson")
	requireFile(t, path)
	g, err := LoadBoundaries(path, "N03_007")
	if err != nil {
		t.Fatal(err)
	}
	// SOURCES.md §6: 72 features at ward level (さいたま市 as its 10 wards
	// 11101–11110), one per code.
	if len(g) != 72 {
		t.Errorf("got %d codes; want 72", len(g))
	}
	for _, code := range []string{"11101", "11110", "11203", "11442"} {
		if _, ok := g[code]; !ok {
			t.Errorf("code %s missing", code)
		}
	}
	c, err := Centroid(g["11203"])
	if err != nil {
		t.Fatal(err)
	}
	// 川口市 office, jp_municipal_offices.csv: lat 35.806733, lon 139.7234.
	office := orb.Point{139.7234, 35.806733}
	ms := []Municipality{{Code: "11203"}}
	if n, err := LoadLocations(filepath.Join(dir, "jp_municipal_offices.csv"), OfficeColumns(), ms); err == nil && n == 1 {
		office = ms[0].Location
	}
	d := Distance(c, office)
	t.Logf("川口市 11203: centroid (%.5f, %.5f), office (%.5f, %.5f), %.2f km apart", c[0], c[1], office[0], office[1], d)
	if d > 5 {
		t.Errorf("centroid of 11203 is %.2f km from its office; want <= 5 km", d)
	}
}

func TestDataBoundariesJapan(t *testing.T) {
	dir := sharedDataDir(t)
	path := filepath.Join(dir, "jp_municipal_boundaries_n03_2021_s0001_designated_city.geojson")
	requireFile(t, path)
	if _, err := LoadBoundaries(path, "N03_007"); !errors.Is(err, ErrNullGeometry) {
		t.Errorf("strict load of the all-Japan file: %v; want ErrNullGeometry", err)
	}
	g, rep, err := LoadBoundariesWith(path, "N03_007", LenientBoundaryOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Read from the file: 1,751 features; 11 municipalities with null
	// geometry (SOURCES.md §6), 4 所属未定地 without code (one of them also
	// without geometry); no repeated code. 1751 − 15 = 1736.
	if rep.Features != 1751 || len(rep.Skipped) != 15 || len(rep.Merged) != 0 || len(g) != 1736 {
		t.Errorf("features %d, skipped %d, merged %d, codes %d; want 1751, 15, 0, 1736",
			rep.Features, len(rep.Skipped), len(rep.Merged), len(g))
	}
	for _, s := range rep.Skipped {
		if s.Code == "13362" && s.Name != "利島村" {
			t.Errorf("skipped 13362 named %q; want 利島村", s.Name)
		}
	}
	for code, geom := range g {
		if _, err := Centroid(geom); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}
