package regions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Incinerator is one municipal solid waste incineration facility (焼却施設,
// melting facilities included) of the MOE 一般廃棄物処理実態調査, as in
// jp_incineration_facilities_fy2024.csv.
type Incinerator struct {
	Prefecture   string // 都道府県名 of the operator
	OperatorCode string // 地方公共団体コード of the operator: a municipality or a 一部事務組合/広域連合
	OperatorName string // 地方公共団体名 of the operator; "" if the column is absent
	FacilityCode string // 施設コード, unique in the file
	Name         string // 施設名称
	// SiteCode is the 5-digit code of the municipality (of the 1,741 basic
	// units) whose name begins the facility address; "" if unknown.
	SiteCode        string
	ThroughputT     float64 // annual throughput, t per fiscal year (0 if blank)
	CapacityTPerDay float64 // design capacity of the whole facility, t per day (0 if blank)
	StartFiscalYear int     // fiscal year of first use (0 if blank)
	Status          string  // 施設の改廃 (status_change) as written; "" if blank. See [Incinerator.Operating].
	// Location is the office location of the site municipality, {lon, lat} in
	// decimal degrees, NOT the plant itself; valid only if HasLocation.
	Location    orb.Point
	HasLocation bool
}

// Status markers used in the status_change column of the MOE facility table.
const (
	StatusNewlyOperating    = "新規稼働" // as in 新設（新規稼働）: new plant that started operating
	StatusUnderConstruction = "建設中"  // as in 新設（建設中）: new plant under construction
	StatusSuspended         = "休止"   // suspended
	StatusDecommissioned    = "廃止"   // closed
)

// Operating reports whether the facility counts as operating in the survey
// year (FY2024 for jp_incineration_facilities_fy2024.csv):
//
//   - a row marked 休止 (suspended) or 廃止 (closed) is not operating, whatever
//     else the cell says;
//   - otherwise a row whose status contains 新規稼働 (newly operating) is
//     operating, also when the cell also says 新設（建設中） (the two rows
//     "新設（建設中）, 新設（新規稼働）" in FY2024 report throughput for the
//     year, 22,479 t and 8,683 t, so a plant part was running);
//   - otherwise a row with a blank status is operating;
//   - anything else (新設（建設中） alone, or an unknown marker) is not.
//
// In the FY2024 file this gives 844 blank + 14 新設（新規稼働） + 2 both = 860
// operating facilities of 1,014.
func (f *Incinerator) Operating() bool {
	s := strings.TrimSpace(f.Status)
	switch {
	case strings.Contains(s, StatusSuspended), strings.Contains(s, StatusDecommissioned):
		return false
	case strings.Contains(s, StatusNewlyOperating):
		return true
	}
	return s == ""
}

// Header names of jp_incineration_facilities_fy2024.csv read by [LoadIncinerators].
const (
	colIncPref       = "pref_name"
	colIncOperator   = "operator_code"
	colIncOpName     = "operator_name"
	colIncFacility   = "facility_code"
	colIncName       = "facility_name"
	colIncThroughput = "annual_throughput_t"
	colIncCapacity   = "capacity_t_per_day"
	colIncStart      = "start_fiscal_year"
	colIncStatus     = "status_change"
	colIncSite       = "site_municipality_code5"
	colIncLat        = "site_lat_approx"
	colIncLon        = "site_lon_approx"
)

// LoadIncinerators reads jp_incineration_facilities_fy2024.csv, or any CSV with
// its header names pref_name, operator_code, facility_code, facility_name,
// annual_throughput_t, capacity_t_per_day, start_fiscal_year, status_change,
// site_municipality_code5, site_lat_approx, site_lon_approx (operator_name is
// read if present). Rows are returned in file order.
//
// Empty numeric cells are read as 0 (no location if both coordinates are
// empty); non-empty ones must be finite and >= 0, the start year an integer,
// coordinates in range. An empty or repeated facility code is an error
// (ErrDuplicateCode for a repeat). Errors are reported as in [LoadMunicipalities].
func LoadIncinerators(path string, opts ...ReadOption) ([]Incinerator, error) {
	t, err := openTable(path, opts...)
	if err != nil {
		return nil, err
	}
	defer t.close()

	iPref := t.column("Prefecture", colIncPref, true)
	iOp := t.column("OperatorCode", colIncOperator, true)
	iFac := t.column("FacilityCode", colIncFacility, true)
	iName := t.column("Name", colIncName, true)
	iThr := t.column("ThroughputT", colIncThroughput, true)
	iCap := t.column("CapacityTPerDay", colIncCapacity, true)
	iStart := t.column("StartFiscalYear", colIncStart, true)
	iStatus := t.column("Status", colIncStatus, true)
	iSite := t.column("SiteCode", colIncSite, true)
	iLat := t.column("Location", colIncLat, true)
	iLon := t.column("Location", colIncLon, true)
	iOpName := -1
	if _, ok := t.index[colIncOpName]; ok {
		iOpName = t.column("OperatorName", colIncOpName, false)
	}
	if t.errs.len() > 0 {
		return nil, t.errs.err()
	}

	var fs []Incinerator
	seen := make(map[string]int)
	for rec, line, ok := t.next(); ok; rec, line, ok = t.next() {
		f := Incinerator{
			Prefecture:   cell(rec, iPref),
			OperatorCode: cell(rec, iOp),
			OperatorName: cell(rec, iOpName),
			FacilityCode: cell(rec, iFac),
			Name:         cell(rec, iName),
			SiteCode:     cell(rec, iSite),
			Status:       cell(rec, iStatus),
		}
		rowOK := true
		fail := func(col string, err error) {
			t.errs.add(line, col, err)
			rowOK = false
		}
		if f.FacilityCode == "" {
			fail(colIncFacility, fmt.Errorf("empty code"))
		} else if first, dup := seen[f.FacilityCode]; dup {
			fail(colIncFacility, fmt.Errorf("%w %q (first on line %d)", ErrDuplicateCode, f.FacilityCode, first))
		} else {
			seen[f.FacilityCode] = line
		}
		if f.SiteCode != "" {
			if err := checkCode(f.SiteCode); err != nil {
				fail(colIncSite, err)
			}
		}
		var err error
		if f.ThroughputT, err = optNonNegative(cell(rec, iThr), "throughput (t)"); err != nil {
			fail(colIncThroughput, err)
		}
		if f.CapacityTPerDay, err = optNonNegative(cell(rec, iCap), "capacity (t/day)"); err != nil {
			fail(colIncCapacity, err)
		}
		if v := cell(rec, iStart); v != "" {
			if f.StartFiscalYear, err = strconv.Atoi(v); err != nil || f.StartFiscalYear < 0 {
				fail(colIncStart, fmt.Errorf("start fiscal year %q is not a non-negative integer", v))
			}
		}
		lonS, latS := cell(rec, iLon), cell(rec, iLat)
		if lonS != "" || latS != "" {
			p, errs := lonLat(lonS, latS, colIncLon, colIncLat)
			for _, e := range errs {
				fail(e.col, e.err)
			}
			if len(errs) == 0 {
				f.Location, f.HasLocation = orb.Point(p), true
			}
		}
		if rowOK {
			fs = append(fs, f)
		}
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	return fs, nil
}
