package xlsx

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/circular-partners/junkan/output"
)

// view is a small view of two variants, three years and n regions.
func view(n int) *output.View {
	v := &output.View{BaseYear: 2023, EndYear: 2025, ReportYears: []int{2023, 2025}}
	for r := range n {
		v.Regions = append(v.Regions, output.ViewRegion{Code: fmt.Sprintf("%05d", 11000+r),
			Name: "とても長い名前の市区町村その" + fmt.Sprint(r), Prefecture: "埼玉県", Archetype: "c"})
	}
	for i, name := range []string{"baseline", "ai"} {
		v.Variants = append(v.Variants, name)
		tot := make([]output.Headline, 3)
		for y := range tot {
			tot[y] = output.Headline{WastePerCapita: 900 - float64(10*i*y), RecyclingRate: 20 + float64(i*y),
				FinalDisposal: 1000.123456789012345, Population: 1e6}
		}
		v.Totals = append(v.Totals, tot)
		v.RegionYears = append(v.RegionYears, make([]output.Headline, 2*n))
	}
	return v
}

func TestSheetNames(t *testing.T) {
	if got := sheetName("a[b]:c*d?e/f\\g"); got != "a_b__c_d_e_f_g" {
		t.Errorf("sheetName = %q", got)
	}
	long := strings.Repeat("長", 40)
	if got := sheetName(long); utf8.RuneCountInString(got) != MaxSheetName {
		t.Errorf("sheetName of 40 characters has %d", utf8.RuneCountInString(got))
	}
	wb := &workbook{sheets: []string{"Sheet", strings.Repeat("x", 31)}}
	if got := wb.unique("sheet"); got != "sheet (2)" {
		t.Errorf("unique(sheet) = %q (Excel ignores case)", got)
	}
	if got := wb.unique(strings.Repeat("x", 31)); utf8.RuneCountInString(got) > MaxSheetName || got == strings.Repeat("x", 31) {
		t.Errorf("unique of a full-length name = %q", got)
	}
}

// TestLimits: long tables continue on further sheets, per-region sheets
// have valid unique names, and the figures are rounded as in CSV.
func TestLimits(t *testing.T) {
	old := rowsPerSheet
	rowsPerSheet = 5
	defer func() { rowsPerSheet = old }()
	var b bytes.Buffer
	if err := Write(&b, view(3), Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	names := f.GetSheetList()
	seen := map[string]bool{}
	for _, n := range names {
		if utf8.RuneCountInString(n) > MaxSheetName || seen[strings.ToLower(n)] {
			t.Errorf("sheet name %q too long or repeated", n)
		}
		seen[strings.ToLower(n)] = true
	}
	// 3 regions × 2 variants × 2 report years = 12 rows: sheets of 5, 5, 2.
	for _, n := range []string{"市区町村", "市区町村 (2)", "市区町村 (3)"} {
		rows, err := f.GetRows(n)
		if err != nil {
			t.Fatalf("sheet %s: %v (sheets %q)", n, err, names)
		}
		if len(rows) < 2 || rows[0][0] != "団体コード" {
			t.Errorf("sheet %s: %d rows, header %q", n, len(rows), rows[0])
		}
	}
	// Comparison: base year and 2025, 2 variants = 4 rows → 5 + header.
	v, err := f.GetCellValue("比較", "G2", excelize.Options{RawCellValue: true})
	if err != nil || v != "1000.12345679" {
		t.Errorf("final disposal cell = %q (%v); want 12 significant digits 1000.12345679", v, err)
	}
	// comparison 1, yearly 2 (6 rows), municipalities 3, one per region 3,
	// targets, validation, parameters 1 each, information 2 (9 rows).
	if n := len(names); n != 1+2+3+3+3+2 {
		t.Errorf("%d sheets: %q", n, names)
	}
}

func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(&a, view(2), Options{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, view(2), Options{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same view gives different bytes")
	}
	if err := Write(&a, view(2), Options{Lang: "fr"}); err == nil {
		t.Error("Lang fr accepted")
	}
}
