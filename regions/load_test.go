package regions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testCols maps the small test files' header.
var testCols = MunicipalityColumns{
	Code: "code", Name: "name", Prefecture: "pref", Population: "pop",
	Employees: "emp", ManufacturingEmployees: "mfg",
}

const testHeader = "code,name,pref,pop,emp,mfg\n"

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// wantErr is one expected error: its sentinel (nil = any), line (0 = none) and
// column ("" = none), and substrings of the message.
type wantErr struct {
	is   error
	line int
	col  string
	msg  []string
}

// checkErr asserts that err is a *DataError (or joins them) for file and
// matches w.
func checkErr(t *testing.T, err error, file string, w wantErr) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil; want error %+v", w)
	}
	var de *DataError
	if !errors.As(err, &de) {
		t.Fatalf("err %v (%T) is not a *DataError", err, err)
	}
	if de.File != file {
		t.Errorf("DataError.File = %q; want %q", de.File, file)
	}
	if w.is != nil && !errors.Is(err, w.is) {
		t.Errorf("errors.Is(%v, %v) = false", err, w.is)
	}
	msg := err.Error()
	pos := file
	if w.line > 0 {
		pos += fmt.Sprintf(":%d", w.line)
	}
	pos += ": "
	if w.col != "" {
		pos += "column " + w.col + ": "
	}
	if !strings.Contains(msg, pos) {
		t.Errorf("error %q does not contain %q", msg, pos)
	}
	for _, s := range w.msg {
		if !strings.Contains(msg, s) {
			t.Errorf("error %q does not contain %q", msg, s)
		}
	}
}

func TestLoadMunicipalitiesErrors(t *testing.T) {
	cases := []struct {
		name    string
		content string // "" with noFile: file not written
		noFile  bool
		cols    MunicipalityColumns
		prefs   []string
		want    wantErr
	}{
		{name: "missing file", noFile: true, cols: testCols,
			want: wantErr{is: fs.ErrNotExist, msg: []string{"no such file"}}},
		{name: "empty file", content: "", cols: testCols,
			want: wantErr{is: ErrEmptyFile, msg: []string{"no header row"}}},
		{name: "header only", content: testHeader, cols: testCols,
			want: wantErr{is: ErrEmptyFile, msg: []string{"no data rows"}}},
		{name: "missing column", content: "code,name,pref,population\n01100,札幌市,北海道,1\n", cols: testCols,
			want: wantErr{is: ErrMissingColumn, line: 1, col: "pop",
				msg: []string{`"pop" is not in the header (the column for population)`, `header has: "code", "name", "pref", "population"`}}},
		{name: "missing optional column", content: "code,name,pref,pop\n01100,札幌市,北海道,1\n", cols: testCols,
			want: wantErr{is: ErrMissingColumn, line: 1, col: "emp"}},
		{name: "required field not mapped", content: testHeader + "01100,札幌市,北海道,1,1,0\n",
			cols: MunicipalityColumns{Code: "code", Name: "name", Prefecture: "pref"},
			want: wantErr{is: ErrMissingColumn, line: 1, msg: []string{"no header name given for population, which is required"}}},
		{name: "non-numeric population", content: testHeader + "01100,札幌市,北海道,1000,10,1\n01202,函館市,北海道,abc,10,1\n", cols: testCols,
			want: wantErr{line: 3, col: "pop", msg: []string{`population "abc" is not a number`}}},
		{name: "thousands separator", content: testHeader + "01100,札幌市,北海道,\"1,973,395\",10,1\n", cols: testCols,
			want: wantErr{line: 2, col: "pop", msg: []string{`population "1,973,395" is not a number`}}},
		{name: "NaN population", content: testHeader + "01100,札幌市,北海道,NaN,10,1\n", cols: testCols,
			want: wantErr{line: 2, col: "pop", msg: []string{"not finite"}}},
		{name: "Inf employees", content: testHeader + "01100,札幌市,北海道,5,+Inf,1\n", cols: testCols,
			want: wantErr{line: 2, col: "emp", msg: []string{"not finite"}}},
		{name: "negative manufacturing employees", content: testHeader + "01100,札幌市,北海道,5,10,-1\n", cols: testCols,
			want: wantErr{line: 2, col: "mfg", msg: []string{"manufacturing employees -1 is negative"}}},
		{name: "empty population", content: testHeader + "01100,札幌市,北海道,,10,1\n", cols: testCols,
			want: wantErr{line: 2, col: "pop", msg: []string{"empty population"}}},
		{name: "manufacturing above total", content: testHeader + "01100,札幌市,北海道,5,10,11\n", cols: testCols,
			want: wantErr{line: 2, col: "mfg", msg: []string{"exceed employees 10"}}},
		{name: "empty code", content: testHeader + "01100,札幌市,北海道,5,10,1\n,函館市,北海道,5,10,1\n", cols: testCols,
			want: wantErr{line: 3, col: "code", msg: []string{"empty code"}}},
		{name: "leading zero lost", content: testHeader + "1100,札幌市,北海道,5,10,1\n", cols: testCols,
			want: wantErr{line: 2, col: "code", msg: []string{`code "1100" is not 5 digits`, "leading zero lost"}}},
		{name: "code with check digit", content: testHeader + "011002,札幌市,北海道,5,10,1\n", cols: testCols,
			want: wantErr{line: 2, col: "code", msg: []string{"check digit"}}},
		{name: "duplicate code", content: testHeader + "01100,札幌市,北海道,5,10,1\n01202,函館市,北海道,5,10,1\n01100,札幌市,北海道,5,10,1\n", cols: testCols,
			want: wantErr{is: ErrDuplicateCode, line: 4, col: "code", msg: []string{`"01100" (first on line 2)`}}},
		{name: "ragged row", content: testHeader + "01100,札幌市,北海道,5,10,1\n01202,函館市,北海道,5\n", cols: testCols,
			want: wantErr{line: 3, msg: []string{"row has 4 fields, header has 6"}}},
		{name: "line after quoted newline", content: testHeader + "01100,\"札幌\n市\",北海道,5,10,1\n01202,函館市,北海道,x,10,1\n", cols: testCols,
			want: wantErr{line: 4, col: "pop"}},
		{name: "malformed quote", content: testHeader + "01100,札\"幌市,北海道,5,10,1\n", cols: testCols,
			want: wantErr{line: 2, msg: []string{"malformed CSV"}}},
		{name: "unknown prefecture", content: testHeader + "11203,川口市,埼玉県,5,10,1\n", cols: testCols, prefs: []string{"埼玉"},
			want: wantErr{is: ErrUnknownPrefecture, col: "pref", msg: []string{`"埼玉"`}}},
		{name: "bad row of other prefecture ignored, bad row kept", cols: testCols, prefs: []string{"埼玉県"},
			content: testHeader + "01100,札幌市,北海道,x,10,1\n11203,川口市,埼玉県,y,10,1\n",
			want:    wantErr{line: 3, col: "pop", msg: []string{`"y"`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "munis.csv")
			if !tc.noFile {
				writeFile(t, dir, "munis.csv", tc.content)
			}
			ms, err := LoadMunicipalities(path, tc.cols, tc.prefs)
			if ms != nil {
				t.Errorf("got %d municipalities with an error; want nil", len(ms))
			}
			checkErr(t, err, path, tc.want)
		})
	}
}

func TestLoadMunicipalitiesAllErrors(t *testing.T) {
	// Every row of the file has one error: all are reported, capped at maxErrors.
	for _, n := range []int{3, maxErrors, maxErrors + 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var b strings.Builder
			b.WriteString(testHeader)
			for i := range n {
				fmt.Fprintf(&b, "%05d,x,北海道,-%d,1,0\n", 1100+i, i+1)
			}
			path := writeFile(t, t.TempDir(), "bad.csv", b.String())
			_, err := LoadMunicipalities(path, testCols, nil)
			if err == nil {
				t.Fatal("err = nil")
			}
			msg := err.Error()
			shown := min(n, maxErrors)
			if got := strings.Count(msg, "is negative"); got != shown {
				t.Errorf("%d errors shown; want %d:\n%s", got, shown, msg)
			}
			for i := range shown {
				want := fmt.Sprintf("bad.csv:%d: column pop: population -%d is negative", i+2, i+1)
				if !strings.Contains(msg, want) {
					t.Errorf("missing %q in\n%s", want, msg)
				}
			}
			more := fmt.Sprintf("… and %d more errors", n-maxErrors)
			if got := strings.Contains(msg, more); got != (n > maxErrors) {
				t.Errorf("contains %q = %v; want %v:\n%s", more, got, n > maxErrors, msg)
			}
		})
	}
}

func TestLoadMunicipalities(t *testing.T) {
	// BOM, leading zeros, optional columns, extra columns, filter.
	content := "\ufeffcode,name,pref,pop,emp,mfg,extra\n" +
		"01100,札幌市,北海道,1973395,872779,36948,x\n" +
		"11203, 川口市 ,埼玉県,594274,200000,50000,y\n" +
		"11100,さいたま市,埼玉県,1324025,500000,0,z\n"
	path := writeFile(t, t.TempDir(), "ok.csv", content)

	cases := []struct {
		name  string
		cols  MunicipalityColumns
		prefs []string
		want  []Municipality
	}{
		{name: "all", cols: testCols, want: []Municipality{
			{Code: "01100", Name: "札幌市", Prefecture: "北海道", Population: 1973395, Employees: 872779, ManufacturingEmployees: 36948},
			{Code: "11203", Name: "川口市", Prefecture: "埼玉県", Population: 594274, Employees: 200000, ManufacturingEmployees: 50000},
			{Code: "11100", Name: "さいたま市", Prefecture: "埼玉県", Population: 1324025, Employees: 500000},
		}},
		{name: "Saitama, no employees", prefs: []string{"埼玉県"},
			cols: MunicipalityColumns{Code: "code", Name: "name", Prefecture: "pref", Population: "pop"},
			want: []Municipality{
				{Code: "11203", Name: "川口市", Prefecture: "埼玉県", Population: 594274},
				{Code: "11100", Name: "さいたま市", Prefecture: "埼玉県", Population: 1324025},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadMunicipalities(path, tc.cols, tc.prefs)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d municipalities; want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("row %d = %+v; want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestLoadLocations(t *testing.T) {
	newMs := func() []Municipality {
		return []Municipality{{Code: "01100"}, {Code: "11203"}, {Code: "47382"}}
	}
	const header = "code5,lat,lon\n"
	cases := []struct {
		name    string
		content string
		want    wantErr // zero: success
		located int
	}{
		{name: "ok, unknown and bad rows of other codes ignored", located: 2,
			content: header + "01100,43.06208877,141.3543886\n01101,999,999\n11203,35.80771,139.72413\n"},
		{name: "lat lon swapped", content: header + "01100,135.5,34.7\n",
			want: wantErr{line: 2, col: "lat", msg: []string{"latitude 135.5 out of range [-90, 90]; are lon and lat swapped?"}}},
		{name: "lon out of range", content: header + "01100,43,181\n",
			want: wantErr{line: 2, col: "lon", msg: []string{"longitude 181 out of range [-180, 180]"}}},
		{name: "sign of lon lost", content: header + "11203,35.80771,-139.72413\n",
			want: wantErr{line: 2, col: "lon", msg: []string{"longitude -139.72413, latitude 35.80771 lies outside Japan", "minus sign"}}},
		{name: "swapped within range", content: header + "11203,139.72413,35.80771\n",
			want: wantErr{line: 2, col: "lat", msg: []string{"latitude 139.72413 out of range"}}},
		{name: "outside Japan", content: header + "47382,-33.9,151.2\n",
			want: wantErr{line: 2, col: "lon", msg: []string{"outside Japan (longitude 122.4 to 154.5, latitude 20 to 46)"}}},
		{name: "lon not a number", content: header + "01100,43,east\n",
			want: wantErr{line: 2, col: "lon", msg: []string{`longitude "east" is not a number`}}},
		{name: "lat NaN", content: header + "01100,NaN,141\n",
			want: wantErr{line: 2, col: "lat", msg: []string{"not finite"}}},
		{name: "duplicate code", content: header + "01100,43,141\n11203,35,139\n01100,43,141\n",
			want: wantErr{is: ErrDuplicateCode, line: 4, col: "code5", msg: []string{"first on line 2"}}},
		{name: "missing column", content: "code5,latitude,lon\n01100,43,141\n",
			want: wantErr{is: ErrMissingColumn, line: 1, col: "lat", msg: []string{`"code5", "latitude", "lon"`}}},
		{name: "header only", content: header, want: wantErr{is: ErrEmptyFile}},
		{name: "ragged", content: header + "01100,43\n", want: wantErr{line: 2, msg: []string{"2 fields, header has 3"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "points.csv", tc.content)
			ms := newMs()
			n, err := LoadLocations(path, OfficeColumns(), ms)
			if tc.want.line == 0 && tc.want.is == nil {
				if err != nil {
					t.Fatal(err)
				}
				if n != tc.located {
					t.Errorf("located %d; want %d", n, tc.located)
				}
				if p := ms[0].Location; !ms[0].HasLocation || p[0] != 141.3543886 || p[1] != 43.06208877 {
					t.Errorf("01100 location = %v, %v; want {141.3543886 43.06208877}", p, ms[0].HasLocation)
				}
				if ms[2].HasLocation {
					t.Errorf("47382 located; want not")
				}
				return
			}
			checkErr(t, err, path, tc.want)
			for _, m := range ms {
				if m.HasLocation {
					t.Errorf("%s located despite error", m.Code)
				}
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "none.csv")
		_, err := LoadLocations(path, OfficeColumns(), newMs())
		checkErr(t, err, path, wantErr{is: fs.ErrNotExist})
	})
}

func TestLoadPrefectureStats(t *testing.T) {
	const header = "pref_name,population_sanitation_total_persons,waste_total_generated_t,waste_per_capita_g_per_day,recycling_rate_pct,fiscal_year\n"
	cases := []struct {
		name    string
		content string
		want    wantErr
	}{
		{name: "recycling above 100", content: header + "埼玉県,7379422,2133356,790,124.3,2023\n",
			want: wantErr{line: 2, col: "recycling_rate_pct", msg: []string{"above 100"}}},
		{name: "fiscal year not integer", content: header + "埼玉県,7379422,2133356,790,24.3,2023.5\n",
			want: wantErr{line: 2, col: "fiscal_year", msg: []string{`"2023.5" is not an integer`}}},
		{name: "negative waste", content: header + "埼玉県,7379422,-1,790,24.3,2023\n",
			want: wantErr{line: 2, col: "waste_total_generated_t", msg: []string{"negative"}}},
		{name: "duplicate prefecture", content: header + "埼玉県,1,1,1,1,2023\n全国,2,2,2,2,2023\n埼玉県,1,1,1,1,2023\n",
			want: wantErr{is: ErrDuplicateCode, line: 4, col: "pref_name", msg: []string{`"埼玉県" (first on line 2)`}}},
		{name: "empty prefecture", content: header + ",1,1,1,1,2023\n",
			want: wantErr{line: 2, col: "pref_name", msg: []string{"empty prefecture"}}},
		// 2,133,356 t ÷ 7,379,422 persons ÷ 366 days = 789.9 g/person/day.
		{name: "tonnage halved", content: header + "埼玉県,7379422,1066678,790,24.3,2023\n",
			want: wantErr{line: 2, col: "waste_per_capita_g_per_day", msg: []string{"the figures disagree", "= 394.9 g/person/day, but the file says 790"}}},
		{name: "per capita in kg", content: header + "埼玉県,7379422,2133356,0.79,24.3,2023\n",
			want: wantErr{line: 2, col: "waste_per_capita_g_per_day", msg: []string{"the figures disagree"}}},
		{name: "population in thousands", content: header + "埼玉県,7379,2133356,790,24.3,2023\n",
			want: wantErr{line: 2, col: "waste_per_capita_g_per_day", msg: []string{"÷ 366 days"}}},
		{name: "1.2 % apart", content: header + "埼玉県,7379422,2133356,780,24.3,2023\n",
			want: wantErr{line: 2, col: "waste_per_capita_g_per_day", msg: []string{"more than 1 % apart"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "prefs.csv", tc.content)
			got, err := LoadPrefectureStats(path, SSDSEWasteColumns())
			if got != nil {
				t.Errorf("got %d rows with error; want nil", len(got))
			}
			checkErr(t, err, path, tc.want)
		})
	}
	t.Run("ok without fiscal year", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "prefs.csv", header+"埼玉県,7379422,2133356,790,24.3,2023\n")
		cols := SSDSEWasteColumns()
		cols.FiscalYear = ""
		got, err := LoadPrefectureStats(path, cols)
		if err != nil {
			t.Fatal(err)
		}
		want := PrefectureStats{Prefecture: "埼玉県", Population: 7379422, WasteT: 2133356, PerCapitaGPerDay: 790, RecyclingRatePct: 24.3}
		if got["埼玉県"] != want || len(got) != 1 {
			t.Errorf("got %+v; want {埼玉県: %+v}", got, want)
		}
	})
}

const incHeader = "pref_name,operator_code,facility_code,operator_name,facility_name,annual_throughput_t,capacity_t_per_day,start_fiscal_year,status_change,site_municipality_code5,site_lat_approx,site_lon_approx\n"

func TestLoadIncinerators(t *testing.T) {
	content := incHeader +
		"北海道,01100,0110001,札幌市,駒岡清掃工場,115761,600,1985,,01100,42.99000828,141.3533998\n" +
		"青森県,02000,0200001,組合,クリーンセンターしもきた,22479.5,86,2024,\"新設（建設中）, 新設（新規稼働）\",02208,,\n" +
		"東京都,13000,1300001,区,休止工場,,,,休止,13101,35.69,139.75\n"
	path := writeFile(t, t.TempDir(), "inc.csv", content)
	got, err := LoadIncinerators(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Incinerator{
		{Prefecture: "北海道", OperatorCode: "01100", OperatorName: "札幌市", FacilityCode: "0110001", Name: "駒岡清掃工場",
			SiteCode: "01100", ThroughputT: 115761, CapacityTPerDay: 600, StartFiscalYear: 1985,
			Location: [2]float64{141.3533998, 42.99000828}, HasLocation: true},
		{Prefecture: "青森県", OperatorCode: "02000", OperatorName: "組合", FacilityCode: "0200001", Name: "クリーンセンターしもきた",
			SiteCode: "02208", ThroughputT: 22479.5, CapacityTPerDay: 86, StartFiscalYear: 2024, Status: "新設（建設中）, 新設（新規稼働）"},
		{Prefecture: "東京都", OperatorCode: "13000", OperatorName: "区", FacilityCode: "1300001", Name: "休止工場",
			SiteCode: "13101", Status: "休止", Location: [2]float64{139.75, 35.69}, HasLocation: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d facilities; want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v;\nwant %+v", i, got[i], want[i])
		}
	}

	errCases := []struct {
		name    string
		content string
		want    wantErr
	}{
		{name: "missing column", content: strings.Replace(incHeader, "capacity_t_per_day", "capacity", 1) + "",
			want: wantErr{is: ErrMissingColumn, line: 1, col: "capacity_t_per_day", msg: []string{`"capacity"`}}},
		{name: "duplicate facility", content: incHeader +
			"北海道,01100,0110001,札幌市,a,1,1,1985,,01100,43,141\n北海道,01100,0110001,札幌市,b,1,1,1985,,01100,43,141\n",
			want: wantErr{is: ErrDuplicateCode, line: 3, col: "facility_code"}},
		{name: "negative capacity", content: incHeader + "北海道,01100,0110001,札幌市,a,1,-1,1985,,01100,43,141\n",
			want: wantErr{line: 2, col: "capacity_t_per_day", msg: []string{"negative"}}},
		{name: "bad start year", content: incHeader + "北海道,01100,0110001,札幌市,a,1,1,H10,,01100,43,141\n",
			want: wantErr{line: 2, col: "start_fiscal_year", msg: []string{`"H10"`}}},
		{name: "swapped site", content: incHeader + "北海道,01100,0110001,札幌市,a,1,1,1985,,01100,141,43\n",
			want: wantErr{line: 2, col: "site_lat_approx", msg: []string{"swapped"}}},
		{name: "one coordinate", content: incHeader + "北海道,01100,0110001,札幌市,a,1,1,1985,,01100,43,\n",
			want: wantErr{line: 2, col: "site_lon_approx", msg: []string{"empty longitude"}}},
		{name: "header only", content: incHeader, want: wantErr{is: ErrEmptyFile}},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "inc.csv", tc.content)
			got, err := LoadIncinerators(path)
			if got != nil {
				t.Errorf("got %d rows with error; want nil", len(got))
			}
			checkErr(t, err, path, tc.want)
		})
	}
}

func TestOperating(t *testing.T) {
	cases := []struct {
		status string
		want   bool
	}{
		{"", true},
		{"  ", true},
		{"新設（新規稼働）", true},
		{"新設（建設中）, 新設（新規稼働）", true},
		{"新設（建設中）", false},
		{"休止", false},
		{"廃止", false},
		{"廃止, 移管", false},
		{"休止, 新設（新規稼働）", false},
		{"移管", false},
	}
	for _, tc := range cases {
		f := Incinerator{Status: tc.status}
		if got := f.Operating(); got != tc.want {
			t.Errorf("Operating() with status %q = %v; want %v", tc.status, got, tc.want)
		}
	}
}
