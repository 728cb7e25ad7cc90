package regions

import (
	"fmt"
	"math"
	"strconv"

	"github.com/circular-partners/junkan/model"
)

// PrefectureStats holds the base-year municipal solid waste (一般廃棄物)
// statistics of one prefecture, or of Japan for the national row.
type PrefectureStats struct {
	Prefecture       string  // 都道府県名, or "全国" for the national row
	Population       float64 // persons (SSDSE H5507 総人口)
	WasteT           float64 // total MSW generated, t per fiscal year (H5609 ごみ総排出量)
	PerCapitaGPerDay float64 // g per person per day (H5610)
	RecyclingRatePct float64 // recycling rate, % in [0, 100] (H5614)
	FiscalYear       int     // Japanese fiscal year (April Y to March Y+1); 0 if not loaded
}

// PrefectureStatsColumns maps the fields of [PrefectureStats] to CSV header
// names. FiscalYear is optional ("" = not loaded); the others are required.
type PrefectureStatsColumns struct {
	Prefecture, Population, WasteT, PerCapitaGPerDay, RecyclingRatePct, FiscalYear string
}

// SSDSEWasteColumns returns the column mapping of
// jp_prefecture_waste_fy2023_ssdse_e_2026.csv.
func SSDSEWasteColumns() PrefectureStatsColumns {
	return PrefectureStatsColumns{
		Prefecture:       "pref_name",
		Population:       "population_sanitation_total_persons",
		WasteT:           "waste_total_generated_t",
		PerCapitaGPerDay: "waste_per_capita_g_per_day",
		RecyclingRatePct: "recycling_rate_pct",
		FiscalYear:       "fiscal_year",
	}
}

// LoadPrefectureStats reads per-prefecture waste statistics, keyed by
// prefecture name. A national row (pref_name 全国 in
// jp_prefecture_waste_fy2023_ssdse_e_2026.csv) is included under its name.
// Values must be finite and >= 0, the recycling rate at most 100 %, the fiscal
// year an integer; a name that occurs twice is ErrDuplicateCode. The
// population, tonnage and per-capita figure of a row must agree (see
// [StatsTolerance]). Errors are reported as in [LoadMunicipalities].
func LoadPrefectureStats(path string, cols PrefectureStatsColumns, opts ...ReadOption) (map[string]PrefectureStats, error) {
	t, err := openTable(path, opts...)
	if err != nil {
		return nil, err
	}
	defer t.close()

	iPref := t.column("Prefecture", cols.Prefecture, true)
	iPop := t.column("Population", cols.Population, true)
	iWaste := t.column("WasteT", cols.WasteT, true)
	iPC := t.column("PerCapitaGPerDay", cols.PerCapitaGPerDay, true)
	iRR := t.column("RecyclingRatePct", cols.RecyclingRatePct, true)
	iFY := t.column("FiscalYear", cols.FiscalYear, false)
	if t.errs.len() > 0 {
		return nil, t.errs.err()
	}

	stats := make(map[string]PrefectureStats)
	seen := make(map[string]int)
	for rec, line, ok := t.next(); ok; rec, line, ok = t.next() {
		var s PrefectureStats
		rowOK := true
		fail := func(col string, err error) {
			t.errs.add(line, col, err)
			rowOK = false
		}
		s.Prefecture = cell(rec, iPref)
		if s.Prefecture == "" {
			fail(cols.Prefecture, fmt.Errorf("empty prefecture"))
		} else if first, dup := seen[s.Prefecture]; dup {
			fail(cols.Prefecture, fmt.Errorf("%w: prefecture %q (first on line %d)", ErrDuplicateCode, s.Prefecture, first))
		} else {
			seen[s.Prefecture] = line
		}
		var err error
		if s.Population, err = nonNegative(cell(rec, iPop), "population"); err != nil {
			fail(cols.Population, err)
		}
		if s.WasteT, err = nonNegative(cell(rec, iWaste), "waste (t)"); err != nil {
			fail(cols.WasteT, err)
		}
		if s.PerCapitaGPerDay, err = nonNegative(cell(rec, iPC), "waste per capita (g/person/day)"); err != nil {
			fail(cols.PerCapitaGPerDay, err)
		}
		if s.RecyclingRatePct, err = nonNegative(cell(rec, iRR), "recycling rate (%)"); err != nil {
			fail(cols.RecyclingRatePct, err)
		} else if s.RecyclingRatePct > 100 {
			fail(cols.RecyclingRatePct, fmt.Errorf("recycling rate %g %% above 100 %%", s.RecyclingRatePct))
		}
		if iFY >= 0 {
			v := cell(rec, iFY)
			if s.FiscalYear, err = strconv.Atoi(v); err != nil {
				fail(cols.FiscalYear, fmt.Errorf("fiscal year %q is not an integer", v))
			}
		}
		if rowOK {
			if err := statsAgree(s); err != nil {
				fail(cols.PerCapitaGPerDay, err)
			}
		}
		if rowOK {
			stats[s.Prefecture] = s
		}
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	return stats, nil
}

// StatsTolerance is how far (relative) the per-capita figure of a row of
// prefecture statistics may lie from tonnage ÷ population ÷ days of the
// fiscal year (365 or 366; either when the year is not given). Published
// figures agree within rounding: the FY2023 rows of SSDSE-E-2026 within
// 0.06 % (per-capita figures are rounded to 1 g); 1 % leaves room for a
// population counted on another date, and catches a figure in the wrong
// unit or for the wrong year.
const StatsTolerance = 0.01

// statsAgree checks population, tonnage and per-capita figure of s.
func statsAgree(s PrefectureStats) error {
	if s.Population == 0 && s.WasteT == 0 {
		return nil
	}
	if s.Population == 0 {
		return fmt.Errorf("population 0 with %g t of waste", s.WasteT)
	}
	days := []float64{365, 366}
	if s.FiscalYear != 0 {
		days = []float64{float64(model.DaysInFY(s.FiscalYear))}
	}
	best := math.Inf(1)
	for _, d := range days {
		implied := s.WasteT * 1e6 / s.Population / d
		best = min(best, math.Abs(implied-s.PerCapitaGPerDay))
	}
	if best <= StatsTolerance*max(s.PerCapitaGPerDay, 1) {
		return nil
	}
	implied := s.WasteT * 1e6 / s.Population / days[len(days)-1]
	return fmt.Errorf("the figures disagree: %g t ÷ %g persons ÷ %g days = %.1f g/person/day, but the file says %g (more than %g %% apart; check the units and that all three are for the same year)",
		s.WasteT, s.Population, days[len(days)-1], implied, s.PerCapitaGPerDay, StatsTolerance*100)
}
