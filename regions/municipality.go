package regions

import (
	"fmt"
	"maps"
	"slices"

	"github.com/paulmach/orb"
)

// Municipality is one region (市区町村) loaded from a CSV file.
type Municipality struct {
	Code       string  // 全国地方公共団体コード, 5 digits without check digit, leading zeros kept (e.g. "01100")
	Name       string  // 市区町村名
	Prefecture string  // 都道府県名, e.g. "埼玉県"
	Population float64 // persons

	// Employees is the number of private employees, all industries (persons);
	// 0 if not mapped.
	Employees float64
	// ManufacturingEmployees is the number of private employees in
	// manufacturing (persons); 0 if not mapped.
	ManufacturingEmployees float64

	Location    orb.Point // {lon, lat} in decimal degrees; valid only if HasLocation
	HasLocation bool
}

// ManufacturingShare returns ManufacturingEmployees/Employees (a fraction), or 0
// if Employees is 0.
func (m *Municipality) ManufacturingShare() float64 {
	if m.Employees <= 0 {
		return 0
	}
	return m.ManufacturingEmployees / m.Employees
}

// MunicipalityColumns maps the fields of [Municipality] to CSV header names.
// Code, Name, Prefecture and Population are required; the others are optional
// ("" = not loaded, the field stays 0).
type MunicipalityColumns struct {
	Code, Name, Prefecture, Population, Employees, ManufacturingEmployees string
}

// SSDSEColumns returns the column mapping of jp_municipalities_ssdse_a_2026.csv
// (SSDSE-A-2026: 2020 census population, 2021 Economic Census private employees).
func SSDSEColumns() MunicipalityColumns {
	return MunicipalityColumns{
		Code:                   "code5",
		Name:                   "municipality_name",
		Prefecture:             "pref_name",
		Population:             "population_total",
		Employees:              "employees_private",
		ManufacturingEmployees: "employees_private_manufacturing",
	}
}

// LoadMunicipalities reads path (CSV, UTF-8, header row; a UTF-8 BOM is
// ignored). If prefectures is non-empty, only rows whose Prefecture is in it are
// kept and checked; a listed prefecture that matches no row is an error
// (ErrUnknownPrefecture). Rows are returned in file order.
//
// Codes are kept as strings and must be 5 digits. Population and employee
// counts must be finite numbers >= 0, and manufacturing employees may not
// exceed employees. All row errors of the file are returned at once, joined,
// each a *[DataError] naming file, line and column; checkable sentinels are
// ErrEmptyFile, ErrMissingColumn, ErrDuplicateCode and ErrUnknownPrefecture,
// and a missing file wraps the *fs.PathError.
func LoadMunicipalities(path string, cols MunicipalityColumns, prefectures []string, opts ...ReadOption) ([]Municipality, error) {
	t, err := openTable(path, opts...)
	if err != nil {
		return nil, err
	}
	defer t.close()

	iCode := t.column("Code", cols.Code, true)
	iName := t.column("Name", cols.Name, true)
	iPref := t.column("Prefecture", cols.Prefecture, true)
	iPop := t.column("Population", cols.Population, true)
	iEmp := t.column("Employees", cols.Employees, false)
	iMfg := t.column("ManufacturingEmployees", cols.ManufacturingEmployees, false)
	if t.errs.len() > 0 {
		return nil, t.errs.err()
	}

	want := make(map[string]bool, len(prefectures))
	for _, p := range prefectures {
		want[p] = false
	}
	var ms []Municipality
	seen := make(map[string]int) // code → line of first occurrence
	for rec, line, ok := t.next(); ok; rec, line, ok = t.next() {
		m := Municipality{
			Code:       cell(rec, iCode),
			Name:       cell(rec, iName),
			Prefecture: cell(rec, iPref),
		}
		if len(want) > 0 {
			if _, keep := want[m.Prefecture]; !keep {
				continue
			}
			want[m.Prefecture] = true
		}
		rowOK := true
		fail := func(col string, err error) {
			t.errs.add(line, col, err)
			rowOK = false
		}
		if err := checkCode(m.Code); err != nil {
			fail(cols.Code, err)
		} else if first, dup := seen[m.Code]; dup {
			fail(cols.Code, fmt.Errorf("%w %q (first on line %d)", ErrDuplicateCode, m.Code, first))
		} else {
			seen[m.Code] = line
		}
		if m.Name == "" {
			fail(cols.Name, fmt.Errorf("empty name"))
		}
		if m.Prefecture == "" {
			fail(cols.Prefecture, fmt.Errorf("empty prefecture"))
		}
		var err error
		if m.Population, err = nonNegative(cell(rec, iPop), "population"); err != nil {
			fail(cols.Population, err)
		}
		if iEmp >= 0 {
			if m.Employees, err = nonNegative(cell(rec, iEmp), "employees"); err != nil {
				fail(cols.Employees, err)
			}
		}
		if iMfg >= 0 {
			if m.ManufacturingEmployees, err = nonNegative(cell(rec, iMfg), "manufacturing employees"); err != nil {
				fail(cols.ManufacturingEmployees, err)
			}
		}
		if rowOK && iEmp >= 0 && iMfg >= 0 && m.ManufacturingEmployees > m.Employees {
			fail(cols.ManufacturingEmployees, fmt.Errorf("manufacturing employees %g exceed employees %g (column %s)",
				m.ManufacturingEmployees, m.Employees, cols.Employees))
		}
		if rowOK {
			ms = append(ms, m)
		}
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if !want[p] {
			t.errs.add(0, cols.Prefecture, fmt.Errorf("%w %q: no row has it (names are written in full, e.g. \"埼玉県\")",
				ErrUnknownPrefecture, p))
		}
	}
	if err := t.errs.err(); err != nil {
		return nil, err
	}
	return ms, nil
}
