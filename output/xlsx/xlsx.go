package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/circular-partners/junkan/output"
)

// Excel's limits (Microsoft, "Excel specifications and limits").
const (
	MaxRows      = 1048576 // rows per sheet, header included
	MaxSheetName = 31      // characters of a sheet name
)

// rowsPerSheet is the number of rows under the header of one sheet (a
// variable for tests).
var rowsPerSheet = MaxRows - 1

// fastSheets writes the municipalities sheet with [fastRows] (false in
// tests: through excelize, for comparison).
var fastSheets = true

// Param is one parameter used by a run, as listed in the parameters sheet.
type Param struct {
	Key, Archetype, Material string
	Regions                  []string
	Value                    float64
	Unit, Kind, Source       string
}

// Options says what the workbook holds besides the view.
type Options struct {
	// Lang is "ja" (default) or "en": the language of sheet names and
	// headers.
	Lang       string
	Scenario   string // scenario name, for the information sheet
	Version    string // junkan version
	Params     []Param
	Validation *output.Validation
	// PerRegionSheets is the largest number of regions that get one
	// sheet each (besides the long sheet of all regions); 0: 30.
	PerRegionSheets int
}

// Column is one headline indicator column of the sheets: its indicator
// name (as in timeseries.csv), its headers and its number format.
type Column struct {
	Indicator string // timeseries.csv indicator name
	JA, EN    string // header without unit
	UnitJA    string
	UnitEN    string
	Format    string // Excel number format of the values
	Rate      bool   // a percentage: changes are in percentage points
	Get       func(*output.Headline) float64
}

// Columns are the headline indicators of every sheet, in order.
var Columns = []Column{
	{"waste_per_capita", "1人1日当たりごみ排出量", "Waste per capita", "g/人日", "g/person/day", "#,##0.0", false, func(h *output.Headline) float64 { return h.WastePerCapita }},
	{"waste_generated", "ごみ総排出量", "Waste generated", "t", "t", "#,##0", false, func(h *output.Headline) float64 { return h.WasteGenerated }},
	{"recycling_rate", "リサイクル率", "Recycling rate", "%", "%", "0.0", true, func(h *output.Headline) float64 { return h.RecyclingRate }},
	{"final_disposal", "最終処分量", "Final disposal", "t", "t", "#,##0", false, func(h *output.Headline) float64 { return h.FinalDisposal }},
	{"incinerated", "焼却量", "Incinerated", "t", "t", "#,##0", false, func(h *output.Headline) float64 { return h.Incinerated }},
	{"cost_per_capita", "1人当たり処理費用", "Cost per capita", "円/人年", "JPY/person/yr", "#,##0", false, func(h *output.Headline) float64 { return h.CostPerCapita }},
	{"cost_total", "処理費用", "Cost", "円", "JPY", "#,##0", false, func(h *output.Headline) float64 { return h.CostTotal }},
	{"ghg_net", "温室効果ガス純排出量", "GHG net", "tCO2e", "tCO2e", "#,##0", false, func(h *output.Headline) float64 { return h.GHGNet }},
	{"ce_market", "CE市場規模", "CE market", "円", "JPY", "#,##0", false, func(h *output.Headline) float64 { return h.CEMarket }},
	{"jobs", "雇用", "Jobs", "人 (FTE)", "FTE", "#,##0.0", false, func(h *output.Headline) float64 { return h.Jobs }},
	{"inlet_circular_use_rate", "入口側の循環利用率", "Inlet circular use rate", "%", "%", "0.0", true, func(h *output.Headline) float64 { return h.InletCircularUseRate }},
	{"outlet_circular_use_rate", "出口側の循環利用率", "Outlet circular use rate", "%", "%", "0.0", true, func(h *output.Headline) float64 { return h.OutletCircularUseRate }},
	{"population", "人口", "Population", "人", "persons", "#,##0", false, func(h *output.Headline) float64 { return h.Population }},
}

// Header returns the header of c in lang, with its unit.
func (c Column) Header(lang string) string {
	if lang == "en" {
		return c.EN + " (" + c.UnitEN + ")"
	}
	return c.JA + " (" + c.UnitJA + ")"
}

// ChangeHeader returns the header of the change of c from the first
// variant.
func (c Column) ChangeHeader(lang string) string {
	unitJA, unitEN := c.UnitJA, c.UnitEN
	if c.Rate {
		unitJA, unitEN = "ポイント", "points"
	}
	if lang == "en" {
		return c.EN + " change (" + unitEN + ")"
	}
	return c.JA + " 差 (" + unitJA + ")"
}

// words are the other headers and sheet names, ja and en.
var words = map[string][2]string{
	"comparison":   {"比較", "Comparison"},
	"yearly":       {"年次推移", "Yearly totals"},
	"regions":      {"市区町村", "Municipalities"},
	"targets":      {"目標", "Targets"},
	"validation":   {"検証", "Validation"},
	"parameters":   {"パラメータ", "Parameters"},
	"info":         {"情報", "About"},
	"scope":        {"範囲", "Scope"},
	"year":         {"年度", "Fiscal year"},
	"variant":      {"バリアント", "Variant"},
	"code":         {"団体コード", "Code"},
	"name":         {"市区町村名", "Name"},
	"prefecture":   {"都道府県", "Prefecture"},
	"archetype":    {"類型", "Archetype"},
	"target":       {"目標", "Target"},
	"indicator":    {"指標", "Indicator"},
	"unit":         {"単位", "Unit"},
	"level":        {"集計単位", "Level"},
	"material":     {"品目", "Material"},
	"direction":    {"方向", "Direction"},
	"base_value":   {"基準年度の値", "Base-year value"},
	"target_value": {"目標値", "Target value"},
	"value":        {"達成年度の値", "Value reached"},
	"achievement":  {"達成率 (%)", "Achievement (%)"},
	"band":         {"達成度区分 (%)", "Band (%)"},
	"check":        {"検証項目", "Check"},
	"check_scope":  {"対象", "Scope"},
	"simulated":    {"計算値", "Simulated"},
	"reference":    {"統計値", "Reference"},
	"ratio":        {"比 (計算/統計)", "Ratio (simulated/reference)"},
	"source":       {"出典", "Source"},
	"key":          {"キー", "Key"},
	"regions_col":  {"対象地域", "Regions"},
	"param_value":  {"値", "Value"},
	"kind":         {"種別", "Kind"},
}

func (wb *workbook) w(key string) string {
	p, ok := words[key]
	if !ok {
		panic("xlsx: no word " + key)
	}
	if wb.lang == "en" {
		return p[1]
	}
	return p[0]
}

// workbook is a workbook being written.
type workbook struct {
	f      *excelize.File
	lang   string
	styles map[string]int // number format → style
	header int            // style of header cells
	text   int            // style of text cells
	sheets []string       // in order
	// inject holds the sheets whose data rows pack writes, by name.
	inject map[string]*injected
}

// Write writes the workbook of view to w: comparison of the variants in the
// base and report years with the change from the first variant, yearly
// totals per variant, the regions in the report years (one long sheet,
// split at Excel's row limit, and one sheet per region for small runs),
// targets with their CPs bands, the validation, the parameters used and an
// information sheet. Headers are in Japanese (or English with Lang "en"),
// with units; numbers are numbers with number formats; header rows are
// frozen and filtered. Figures are rounded to output.SignificantDigits
// significant digits, as in timeseries.csv.
func Write(w io.Writer, view *output.View, opt Options) error {
	if len(view.Variants) == 0 {
		return fmt.Errorf("xlsx: no variants")
	}
	lang := opt.Lang
	if lang == "" {
		lang = "ja"
	}
	if lang != "ja" && lang != "en" {
		return fmt.Errorf("xlsx: language %q: want ja or en", lang)
	}
	wb := &workbook{f: excelize.NewFile(), lang: lang, styles: map[string]int{}, inject: map[string]*injected{}}
	// The parts are kept uncompressed, to be compressed once by pack.
	c := &capture{parts: map[string]*bytes.Buffer{}}
	wb.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return c })
	defer wb.f.Close()
	if err := wb.setup(); err != nil {
		return err
	}
	steps := []func() error{
		func() error { return wb.comparison(view) },
		func() error { return wb.yearly(view) },
		func() error { return wb.regions(view, opt.PerRegionSheets) },
		func() error { return wb.targets(view) },
		func() error { return wb.validation(opt.Validation) },
		func() error { return wb.parameters(opt.Params) },
		func() error { return wb.info(view, opt) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if err := wb.f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	wb.f.SetActiveSheet(0)
	if err := wb.f.Write(io.Discard); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return wb.pack(w, c)
}

// withDimension returns the worksheet XML b with its declared size
// (ref="A1", as excelize's stream writer leaves it) set to the
// cells it holds: from A1 to the last header column and the last row.
// Readers that trust the declaration (openpyxl in read-only mode) would
// otherwise see one cell.
func withDimension(b []byte) []byte {
	lastRow := lastAttr(b, `<row r="`)
	header := b
	if end := bytes.Index(b, []byte("</row>")); end >= 0 {
		header = b[:end]
	}
	lastCell := lastAttr(header, `<c r="`)
	col := strings.TrimRight(lastCell, "0123456789")
	if lastRow == "" || col == "" {
		return b
	}
	return setDimension(b, "A1:"+col+lastRow)
}

// lastAttr returns the value following the last occurrence of prefix in b,
// up to the closing quote, or "".
func lastAttr(b []byte, prefix string) string {
	i := bytes.LastIndex(b, []byte(prefix))
	if i < 0 {
		return ""
	}
	v := b[i+len(prefix):]
	j := bytes.IndexByte(v, '"')
	if j < 0 {
		return ""
	}
	return string(v[:j])
}

func (wb *workbook) setup() error {
	var err error
	wb.header, err = wb.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	wb.text, err = wb.f.NewStyle(&excelize.Style{})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	// A fixed creation time, so that the same run gives the same file.
	return wb.f.SetDocProps(&excelize.DocProperties{Creator: "junkan", Title: "junkan summary",
		Created: "2000-01-01T00:00:00Z", Modified: "2000-01-01T00:00:00Z"})
}

// style returns the style of numbers in format nf.
func (wb *workbook) style(nf string) int {
	if s, ok := wb.styles[nf]; ok {
		return s
	}
	f := nf
	s, err := wb.f.NewStyle(&excelize.Style{CustomNumFmt: &f})
	if err != nil {
		panic(err) // formats are the package's own constants
	}
	wb.styles[nf] = s
	return s
}

// round rounds x to output.SignificantDigits significant digits, the
// precision of timeseries.csv.
func round(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', output.SignificantDigits, 64), 64)
	return r
}

// num is a number cell in format nf.
func (wb *workbook) num(x float64, nf string) excelize.Cell {
	return excelize.Cell{StyleID: wb.style(nf), Value: round(x)}
}

// changeFormat is the number format of a change: signed.
func changeFormat(nf string) string { return "+" + nf + ";-" + nf + ";0" }

// table is one sheet of rows under a header.
type table struct {
	name   string
	header []string
	widths []float64 // per column; 0: default
	rows   [][]any   // excelize.Cell or plain values
	// fast, if not nil, writes the rows instead (rows is then nil).
	fast *fastRows
}

// sheet writes t as one or more sheets (split at Excel's row limit),
// with a frozen, filtered header row.
func (wb *workbook) sheet(t table) error {
	per := rowsPerSheet
	n := len(t.rows)
	if t.fast != nil {
		n = t.fast.n
	}
	for part, start := 0, 0; part == 0 || start < n; part++ {
		end := min(n, start+per)
		name := t.name
		if part > 0 {
			name = sheetName(fmt.Sprintf("%s (%d)", t.name, part+1))
		}
		var rows [][]any
		var in *injected
		if t.fast != nil {
			in = &injected{rows: t.fast, start: start, end: end, cols: len(t.header)}
		} else {
			rows = t.rows[start:end]
		}
		if err := wb.writeSheet(name, t.header, t.widths, rows, in); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// writeSheet writes one sheet: its header and rows, or with in not nil
// its header, leaving the rows of in to pack.
func (wb *workbook) writeSheet(name string, header []string, widths []float64, rows [][]any, in *injected) error {
	name = wb.unique(sheetName(name))
	nrows := len(rows)
	if in != nil {
		nrows = in.end - in.start
		wb.inject[name] = in
	}
	if _, err := wb.f.NewSheet(name); err != nil {
		return fmt.Errorf("xlsx: sheet %s: %w", name, err)
	}
	wb.sheets = append(wb.sheets, name)
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for i := range header {
		wd := 14.0
		if i < len(widths) && widths[i] > 0 {
			wd = widths[i]
		}
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = excelize.Cell{StyleID: wb.header, Value: h}
	}
	if err := sw.SetRow("A1", hdr, excelize.RowOpts{Height: 45}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, r); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if nrows > 0 {
		// A table without a style: filter buttons on the header row.
		last, _ := excelize.CoordinatesToCellName(len(header), nrows+1)
		no := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("T%d", len(wb.sheets)),
			ShowRowStripes: &no}); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// sheetName makes s a valid sheet name: no []:*?/\ and at most 31
// characters.
func sheetName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			r = '_'
		}
		out = append(out, r)
	}
	if len(out) > MaxSheetName {
		out = out[:MaxSheetName]
	}
	return string(out)
}

// unique returns name, or name with a number if a sheet has it (Excel
// compares sheet names without case).
func (wb *workbook) unique(name string) string {
	taken := func(n string) bool {
		for _, s := range wb.sheets {
			if strings.EqualFold(s, n) {
				return true
			}
		}
		return false
	}
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		base := []rune(name)
		if len(base)+utf8.RuneCountInString(suffix) > MaxSheetName {
			base = base[:MaxSheetName-utf8.RuneCountInString(suffix)]
		}
		if n := string(base) + suffix; !taken(n) {
			return n
		}
	}
}

// scopes returns the material scopes of the view and their totals: all,
// after msw (comparable with the MOE statistics) when the run has durable
// products.
func scopes(v *output.View) ([]string, [][][]output.Headline) {
	if v.TotalsMSW != nil {
		return []string{output.MaterialMSW, output.MaterialAll}, [][][]output.Headline{v.TotalsMSW, v.Totals}
	}
	return []string{output.MaterialAll}, [][][]output.Headline{v.Totals}
}

// comparison is the sheet of the variants in the base and report years,
// with the change from the first variant.
func (wb *workbook) comparison(v *output.View) error {
	t := table{name: wb.w("comparison"), header: []string{wb.w("scope"), wb.w("year"), wb.w("variant")},
		widths: []float64{8, 10, 24}}
	for _, c := range Columns {
		t.header = append(t.header, c.Header(wb.lang))
	}
	for _, c := range Columns {
		t.header = append(t.header, c.ChangeHeader(wb.lang))
	}
	years := v.ReportYears
	if len(years) == 0 || years[0] != v.BaseYear {
		years = append([]int{v.BaseYear}, years...)
	}
	names, totals := scopes(v)
	for s, tot := range totals {
		for _, fy := range years {
			y := v.Year(fy)
			ref := &tot[0][y]
			for i, name := range v.Variants {
				h := &tot[i][y]
				row := []any{names[s], fy, name}
				for _, c := range Columns {
					row = append(row, wb.num(c.Get(h), c.Format))
				}
				for _, c := range Columns {
					row = append(row, wb.num(c.Get(h)-c.Get(ref), changeFormat(c.Format)))
				}
				t.rows = append(t.rows, row)
			}
		}
	}
	return wb.sheet(t)
}

// yearly is the sheet of the totals of every variant in every year.
func (wb *workbook) yearly(v *output.View) error {
	t := table{name: wb.w("yearly"), header: []string{wb.w("scope"), wb.w("variant"), wb.w("year")},
		widths: []float64{8, 24, 10}}
	for _, c := range Columns {
		t.header = append(t.header, c.Header(wb.lang))
	}
	names, totals := scopes(v)
	for s, tot := range totals {
		for i, name := range v.Variants {
			for y := range tot[i] {
				row := []any{names[s], name, v.BaseYear + y}
				for _, c := range Columns {
					row = append(row, wb.num(c.Get(&tot[i][y]), c.Format))
				}
				t.rows = append(t.rows, row)
			}
		}
	}
	return wb.sheet(t)
}

// regions writes the long sheet of every region in the report years and,
// for runs of at most perRegion regions, one sheet per region.
func (wb *workbook) regions(v *output.View, perRegion int) error {
	if perRegion == 0 {
		perRegion = 30
	}
	K := len(v.ReportYears)
	scopeNames := []string{output.MaterialAll}
	data := [][][]output.Headline{v.RegionYears}
	if v.RegionYearsMSW != nil {
		scopeNames, data = []string{output.MaterialMSW, output.MaterialAll}, [][][]output.Headline{v.RegionYearsMSW, v.RegionYears}
	}
	head := []string{wb.w("code"), wb.w("name"), wb.w("prefecture"), wb.w("archetype"), wb.w("scope"), wb.w("variant"), wb.w("year")}
	long := table{name: wb.w("regions"), header: head, widths: []float64{10, 16, 10, 6, 8, 24, 10}}
	for _, c := range Columns {
		long.header = append(long.header, c.Header(wb.lang))
	}
	rowsOf := func(r int) [][]any {
		var rows [][]any
		g := v.Regions[r]
		for s := range data {
			for i, name := range v.Variants {
				for k, fy := range v.ReportYears {
					h := &data[s][i][r*K+k]
					row := []any{g.Code, g.Name, g.Prefecture, g.Archetype, scopeNames[s], name, fy}
					for _, c := range Columns {
						row = append(row, wb.num(c.Get(h), c.Format))
					}
					rows = append(rows, row)
				}
			}
		}
		return rows
	}
	if long.fast = wb.regionsFast(v, data, scopeNames); long.fast == nil {
		for r := range v.Regions {
			long.rows = append(long.rows, rowsOf(r)...)
		}
	}
	if err := wb.sheet(long); err != nil {
		return err
	}
	if len(v.Regions) > perRegion {
		return nil
	}
	for r, g := range v.Regions {
		t := table{name: g.Code + " " + g.Name, header: long.header, widths: long.widths, rows: rowsOf(r)}
		if err := wb.sheet(t); err != nil {
			return err
		}
	}
	return nil
}

// regionsFast returns the rows of the long sheet of regions written
// directly as XML, the same bytes as rowsOf in regions gives through
// excelize, or nil when a text needs excelize (see inlineText).
func (wb *workbook) regionsFast(v *output.View, data [][][]output.Headline, scopeNames []string) *fastRows {
	if !fastSheets {
		return nil
	}
	K, V, S := len(v.ReportYears), len(v.Variants), len(data)
	texts := make([]string, 0, 4*len(v.Regions)+V+S)
	for _, g := range v.Regions {
		texts = append(texts, g.Code, g.Name, g.Prefecture, g.Archetype)
	}
	texts = append(texts, scopeNames...)
	texts = append(texts, v.Variants...)
	enc := make([]string, len(texts))
	for i, t := range texts {
		var ok bool
		if enc[i], ok = inlineText(t); !ok {
			return nil
		}
	}
	R := len(v.Regions)
	scopeEnc, variantEnc := enc[4*R:4*R+S], enc[4*R+S:]
	// The styles in the order rowsOf creates them.
	styles := make([]int, len(Columns))
	for j, c := range Columns {
		styles[j] = wb.style(c.Format)
	}
	cols := colNames(7 + len(Columns))
	per := S * V * K // rows per region
	return &fastRows{n: R * per, encode: func(b []byte, i, row int) []byte {
		r, rem := i/per, i%per
		s, vi, k := rem/(V*K), rem/K%V, rem%K
		h := &data[s][vi][r*K+k]
		e := rowEncoder{cols: cols}
		e.begin(b, row)
		for _, t := range enc[4*r : 4*r+4] {
			e.text(t)
		}
		e.text(scopeEnc[s])
		e.text(variantEnc[vi])
		e.int(v.ReportYears[k])
		for j, c := range Columns {
			e.num(c.Get(h), styles[j])
		}
		return e.end()
	}}
}

// targets is the sheet of the targets of every variant with their CPs
// achievement bands.
func (wb *workbook) targets(v *output.View) error {
	t := table{name: wb.w("targets"), header: []string{wb.w("target"), wb.w("variant"), wb.w("indicator"), wb.w("unit"),
		wb.w("level"), wb.w("check_scope"), wb.w("material"), wb.w("year"), wb.w("direction"), wb.w("base_value"),
		wb.w("target_value"), wb.w("value"), wb.w("achievement"), wb.w("band")},
		widths: []float64{28, 24, 22, 12, 10, 10, 8, 10, 10, 14, 14, 14, 12, 12}}
	for _, tr := range v.Targets {
		t.rows = append(t.rows, []any{tr.Name, tr.Variant, tr.Indicator, tr.Unit, tr.Level, tr.Scope, tr.Material, tr.Year,
			tr.Direction, wb.num(tr.Base, "#,##0.0"), wb.num(tr.Target, "#,##0.0"), wb.num(tr.Value, "#,##0.0"),
			wb.num(tr.AchievementPct, "0.0"), tr.Band})
	}
	return wb.sheet(t)
}

// validation is the sheet of the base-year checks against published data.
func (wb *workbook) validation(val *output.Validation) error {
	t := table{name: wb.w("validation"), header: []string{wb.w("check"), wb.w("check_scope"), wb.w("simulated"),
		wb.w("reference"), wb.w("unit"), wb.w("ratio"), wb.w("source")},
		widths: []float64{28, 12, 16, 16, 14, 12, 60}}
	if val != nil {
		for _, c := range val.Checks {
			t.rows = append(t.rows, []any{c.Check, c.Scope, wb.num(c.Simulated, "#,##0.0"), wb.num(c.Reference, "#,##0.0"),
				c.Unit, wb.num(c.Ratio, "0.000"), c.Source})
		}
	}
	return wb.sheet(t)
}

// parameters is the sheet of every parameter used, with unit and source.
func (wb *workbook) parameters(ps []Param) error {
	t := table{name: wb.w("parameters"), header: []string{wb.w("key"), wb.w("archetype"), wb.w("material"),
		wb.w("regions_col"), wb.w("param_value"), wb.w("unit"), wb.w("kind"), wb.w("source")},
		widths: []float64{36, 6, 14, 14, 12, 16, 10, 80}}
	for _, p := range ps {
		regs := ""
		for i, r := range p.Regions {
			if i > 0 {
				regs += " "
			}
			regs += r
		}
		t.rows = append(t.rows, []any{p.Key, p.Archetype, p.Material, regs, excelize.Cell{Value: p.Value}, p.Unit, p.Kind, p.Source})
	}
	return wb.sheet(t)
}

// info is the sheet saying what produced the workbook and how to read it.
func (wb *workbook) info(v *output.View, opt Options) error {
	en := wb.lang == "en"
	pick := func(ja, e string) string {
		if en {
			return e
		}
		return ja
	}
	t := table{name: wb.w("info"), header: []string{pick("項目", "Item"), pick("内容", "Content")}, widths: []float64{24, 100}}
	add := func(k, val any) { t.rows = append(t.rows, []any{k, val}) }
	add(pick("シナリオ", "Scenario"), opt.Scenario)
	add(pick("ツール", "Tool"), "junkan "+opt.Version)
	add(pick("基準年度", "Base year"), v.BaseYear)
	add(pick("最終年度", "End year"), v.EndYear)
	add(pick("範囲 all", "Scope all"), pick("全品目 (耐久消費財を含む)", "all materials and products"))
	add(pick("範囲 msw", "Scope msw"), pick("一般廃棄物の9品目 (環境省 一般廃棄物処理実態調査と同じ範囲; 耐久消費財がある場合のみ)",
		"the nine MSW materials (the scope of the MOE municipal waste survey; only when the run has durable products)"))
	add(pick("差", "Change"), pick("最初のバリアント ("+v.Variants[0]+") との差; 率はポイント差",
		"difference from the first variant ("+v.Variants[0]+"); rates in percentage points"))
	add(pick("数値", "Figures"), pick(fmt.Sprintf("timeseries.csv と同じ有効数字 %d 桁", output.SignificantDigits),
		fmt.Sprintf("%d significant digits, as timeseries.csv", output.SignificantDigits)))
	return wb.sheet(t)
}
