package regions

import (
	"fmt"
	"strconv"
	"strings"
)

// SurveyRow is one row of a municipal waste survey (環境省 一般廃棄物処理実態調査,
// or a municipality's own figures in the same shape): the base-year
// figures of one municipality, or of several together (the 23 special
// wards share row 13100).
type SurveyRow struct {
	Code string // 全国地方公共団体コード of the row
	Name string // as written in the file ("" if not loaded)
	// Covers lists the codes of the municipalities the row stands for
	// (13101 … 13123 for 13100); [Code] when the file has no such column
	// or the cell is empty.
	Covers     []string
	Population float64 // persons; 0 if not loaded
	TotalT     float64 // ごみ総排出量, t/yr (計画収集 + 直接搬入 + 集団回収)
	// GroupCollectionT is 集団回収量, t/yr.
	GroupCollectionT float64
	TreatedT         float64 // ごみ処理量, t/yr; 0 if not loaded
	FinalDisposalT   float64 // 最終処分量, t/yr; NaN-free, 0 if not loaded
	HasFinalDisposal bool
	// ReductionRatePct is 減量処理率 (%), (処理量 − 直接埋立量) ÷ 処理量 × 100;
	// HasReductionRate false if not loaded.
	ReductionRatePct float64
	HasReductionRate bool
	RecyclingRatePct float64 // リサイクル率 R (%)
	// RecyclingRateR2Pct is R′ (%): R without fuel, cement and smelter
	// routes; HasR2 false if not loaded.
	RecyclingRateR2Pct float64
	HasR2              bool
	Flags              []string // oddities flagged in the file, as written
	FiscalYear         int      // 0 if not loaded
	Line               int      // line of the row in the file
}

// SurveyColumns maps the fields of [SurveyRow] to CSV header names. Code,
// TotalT, GroupCollectionT and RecyclingRatePct are required; the others
// are optional ("" = not loaded).
type SurveyColumns struct {
	Code, Name, Covers, Population, TotalT, GroupCollectionT, TreatedT, FinalDisposalT string
	ReductionRatePct, RecyclingRatePct, RecyclingRateR2Pct, Flags, FiscalYear          string
}

// MOESurveyColumns returns the column mapping of
// jp_municipal_waste_fy2023_moe.csv.
func MOESurveyColumns() SurveyColumns {
	return SurveyColumns{Code: "code5", Name: "municipality_name", Covers: "covers_ssdse_code5", Population: "population_moe",
		TotalT: "total_waste_t", GroupCollectionT: "group_collection_t_derived", TreatedT: "treated_amount_t",
		FinalDisposalT: "final_disposal_t", ReductionRatePct: "reduction_rate_pct", RecyclingRatePct: "recycling_rate_r_pct",
		RecyclingRateR2Pct: "recycling_rate_r2_pct", Flags: "flags", FiscalYear: "fiscal_year"}
}

// LoadSurvey reads a municipal waste survey, rows in file order. Codes
// (and covered codes) must be 5 digits and occur once across the file;
// tonnages and populations finite and ≥ 0; group collection at most the
// total; rates in [0, 100] with R′ ≤ R; the fiscal year an integer. Errors
// are reported as in [LoadMunicipalities], each with file, line and column.
func LoadSurvey(path string, cols SurveyColumns) ([]SurveyRow, error) {
	t, err := openTable(path)
	if err != nil {
		return nil, err
	}
	defer t.close()
	iCode := t.column("Code", cols.Code, true)
	iName := t.column("Name", cols.Name, false)
	iCov := t.column("Covers", cols.Covers, false)
	iPop := t.column("Population", cols.Population, false)
	iTot := t.column("TotalT", cols.TotalT, true)
	iGrp := t.column("GroupCollectionT", cols.GroupCollectionT, true)
	iTr := t.column("TreatedT", cols.TreatedT, false)
	iFD := t.column("FinalDisposalT", cols.FinalDisposalT, false)
	iRed := t.column("ReductionRatePct", cols.ReductionRatePct, false)
	iR := t.column("RecyclingRatePct", cols.RecyclingRatePct, true)
	iR2 := t.column("RecyclingRateR2Pct", cols.RecyclingRateR2Pct, false)
	iFl := t.column("Flags", cols.Flags, false)
	iFY := t.column("FiscalYear", cols.FiscalYear, false)
	if t.errs.len() > 0 {
		return nil, t.errs.err()
	}
	var rows []SurveyRow
	seen := map[string]int{} // code (of a row or covered) → line
	for rec, line, ok := t.next(); ok; rec, line, ok = t.next() {
		s := SurveyRow{Code: cell(rec, iCode), Name: cell(rec, iName), Line: line}
		rowOK := true
		fail := func(col string, err error) {
			t.errs.add(line, col, err)
			rowOK = false
		}
		if err := checkCode(s.Code); err != nil {
			fail(cols.Code, err)
		} else if first, dup := seen[s.Code]; dup {
			fail(cols.Code, fmt.Errorf("%w %q (first on line %d)", ErrDuplicateCode, s.Code, first))
		} else {
			seen[s.Code] = line
		}
		if c := cell(rec, iCov); c != "" {
			for _, x := range strings.Split(c, ";") {
				x = strings.TrimSpace(x)
				if x == s.Code {
					s.Covers = append(s.Covers, x)
					continue
				}
				if err := checkCode(x); err != nil {
					fail(cols.Covers, err)
				} else if first, dup := seen[x]; dup {
					fail(cols.Covers, fmt.Errorf("%w %q (first on line %d)", ErrDuplicateCode, x, first))
				} else {
					seen[x] = line
					s.Covers = append(s.Covers, x)
				}
			}
		} else {
			s.Covers = []string{s.Code}
		}
		num := func(i int, col, what string, dst *float64) bool {
			if i < 0 {
				return false
			}
			v, err := nonNegative(cell(rec, i), what)
			if err != nil {
				fail(col, err)
				return false
			}
			*dst = v
			return true
		}
		num(iPop, cols.Population, "population", &s.Population)
		num(iTot, cols.TotalT, "total waste (t)", &s.TotalT)
		if num(iGrp, cols.GroupCollectionT, "group collection (t)", &s.GroupCollectionT) && s.GroupCollectionT > s.TotalT {
			fail(cols.GroupCollectionT, fmt.Errorf("group collection %g t above the total %g t", s.GroupCollectionT, s.TotalT))
		}
		num(iTr, cols.TreatedT, "waste treated (t)", &s.TreatedT)
		s.HasFinalDisposal = num(iFD, cols.FinalDisposalT, "final disposal (t)", &s.FinalDisposalT)
		pct := func(i int, col, what string, dst *float64) bool {
			if !num(i, col, what, dst) {
				return false
			}
			if *dst > 100 {
				fail(col, fmt.Errorf("%s %g %% above 100 %%", what, *dst))
				return false
			}
			return true
		}
		s.HasReductionRate = pct(iRed, cols.ReductionRatePct, "reduction rate (%)", &s.ReductionRatePct)
		pct(iR, cols.RecyclingRatePct, "recycling rate R (%)", &s.RecyclingRatePct)
		if s.HasR2 = pct(iR2, cols.RecyclingRateR2Pct, "recycling rate R′ (%)", &s.RecyclingRateR2Pct); s.HasR2 && s.RecyclingRateR2Pct > s.RecyclingRatePct+1e-9 {
			fail(cols.RecyclingRateR2Pct, fmt.Errorf("R′ %g %% above R %g %% (R′ leaves out routes R counts)", s.RecyclingRateR2Pct, s.RecyclingRatePct))
		}
		if c := cell(rec, iFl); c != "" {
			for _, x := range strings.Split(c, ";") {
				if x = strings.TrimSpace(x); x != "" {
					s.Flags = append(s.Flags, x)
				}
			}
		}
		if iFY >= 0 {
			v := cell(rec, iFY)
			if s.FiscalYear, err = strconv.Atoi(v); err != nil {
				fail(cols.FiscalYear, fmt.Errorf("fiscal year %q is not an integer", v))
			}
		}
		if rowOK {
			rows = append(rows, s)
		}
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	return rows, nil
}

// PrefectureCostColumns maps the fields of a prefecture cost table to CSV
// header names; both are required.
type PrefectureCostColumns struct {
	Prefecture    string // 都道府県名
	CostPerCapita string // ごみ処理事業経費 per person, JPY/person/yr
}

// LoadPrefectureCost reads the waste-management cost per person of each
// prefecture (jp_prefecture_waste_cost_fy2023_moe.csv: pref_name,
// cost_per_capita_yen), keyed by prefecture name. Values must be finite
// and ≥ 0, names unique; errors as in [LoadMunicipalities].
func LoadPrefectureCost(path string, cols PrefectureCostColumns) (map[string]float64, error) {
	t, err := openTable(path)
	if err != nil {
		return nil, err
	}
	defer t.close()
	iPref := t.column("Prefecture", cols.Prefecture, true)
	iCost := t.column("CostPerCapita", cols.CostPerCapita, true)
	if t.errs.len() > 0 {
		return nil, t.errs.err()
	}
	out := map[string]float64{}
	seen := map[string]int{}
	for rec, line, ok := t.next(); ok; rec, line, ok = t.next() {
		p := cell(rec, iPref)
		if p == "" {
			t.errs.add(line, cols.Prefecture, fmt.Errorf("empty prefecture"))
			continue
		}
		if first, dup := seen[p]; dup {
			t.errs.add(line, cols.Prefecture, fmt.Errorf("%w: prefecture %q (first on line %d)", ErrDuplicateCode, p, first))
			continue
		}
		seen[p] = line
		v, err := nonNegative(cell(rec, iCost), "cost per person (JPY)")
		if err != nil {
			t.errs.add(line, cols.CostPerCapita, err)
			continue
		}
		out[p] = v
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	return out, nil
}
