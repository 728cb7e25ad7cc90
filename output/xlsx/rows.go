package xlsx

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/output"
)

// fastRows are the data rows of a large sheet, written as XML by [pack]
// instead of excelize's stream writer: the same bytes as excelize writes
// (tests compare them), without building a cell value per figure.
type fastRows struct {
	n int // data rows
	// encode appends the XML of data row i as sheet row number row.
	encode func(b []byte, i, row int) []byte
}

// inlineText returns the XML excelize's stream writer writes inside a cell
// of text s (`<is><t>…</t></is>`), and false when s needs more than XML
// escaping there (leading or trailing white space, an _xHHHH_ sequence, more
// than Excel's 32,767 characters): such text is left to excelize.
func inlineText(s string) (string, bool) {
	if len(s) > 32767 || strings.Contains(s, "_x") {
		return "", false
	}
	if s != "" {
		switch s[0] {
		case 9, 10, 13, 32:
			return "", false
		}
		switch s[len(s)-1] {
		case 9, 10, 13, 32:
			return "", false
		}
	}
	var b strings.Builder
	b.WriteString("<is><t>")
	var e strings.Builder
	_ = xml.EscapeText(&e, []byte(s))
	b.WriteString(strings.ReplaceAll(e.String(), "&#xA;", "\n"))
	b.WriteString("</t></is>")
	return b.String(), true
}

// appendNum appends the value excelize writes for round(x): the shortest
// decimal, which for 1e-6 ≤ |x| < 1e15 is what timeseries.csv writes.
func appendNum(b []byte, x float64) []byte {
	if a := math.Abs(x); a >= 1e-6 && a < 1e15 {
		return output.AppendValue(b, x)
	}
	return append(b, formatCellFloat(round(x))...)
}

// formatCellFloat is excelize's formatting of a float cell (cell.go,
// formatCellFloat with precision −1, BSD-3-Clause): the shortest decimal,
// cut to Excel's 15 significant digits.
func formatCellFloat(value float64) string {
	str := strconv.FormatFloat(value, 'f', -1, 64)
	if math.Abs(value) == math.MaxFloat64 {
		return str
	}
	const maxPrec = 15
	decimal := strings.IndexByte(str, '.')
	significant := 0
	for idx := range str {
		if str[idx] < '0' || str[idx] > '9' || significant == 0 && str[idx] == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if decimal >= 0 && idx > decimal {
			return strings.TrimSuffix(str[:idx], ".")
		}
		if decimal < 0 {
			decimal = len(str)
		}
		truncated := []byte(str[:decimal])
		for ; idx < len(truncated); idx++ {
			truncated[idx] = '0'
		}
		return string(truncated)
	}
	return str
}

// rowEncoder appends the cells of one row.
type rowEncoder struct {
	b    []byte
	cols []string // column names, A, B, …
	row  [20]byte // the row number's digits
	nrow int
	col  int // next column, from 0
}

func (e *rowEncoder) begin(b []byte, row int) {
	e.b = append(b, `<row r="`...)
	start := len(e.b)
	e.b = strconv.AppendInt(e.b, int64(row), 10)
	e.nrow = copy(e.row[:], e.b[start:])
	e.b = append(e.b, `">`...)
	e.col = 0
}

func (e *rowEncoder) end() []byte { return append(e.b, `</row>`...) }

func (e *rowEncoder) ref(style int) {
	e.b = append(e.b, `<c r="`...)
	e.b = append(e.b, e.cols[e.col]...)
	e.b = append(e.b, e.row[:e.nrow]...)
	e.b = append(e.b, '"')
	if style != 0 {
		e.b = append(e.b, ` s="`...)
		e.b = strconv.AppendInt(e.b, int64(style), 10)
		e.b = append(e.b, '"')
	}
	e.col++
}

// text appends a text cell; enc is its inlineText.
func (e *rowEncoder) text(enc string) {
	e.ref(0)
	e.b = append(e.b, ` t="inlineStr">`...)
	e.b = append(e.b, enc...)
	e.b = append(e.b, `</c>`...)
}

// int appends an integer cell.
func (e *rowEncoder) int(v int) {
	e.ref(0)
	e.b = append(e.b, `><v>`...)
	e.b = strconv.AppendInt(e.b, int64(v), 10)
	e.b = append(e.b, `</v></c>`...)
}

// num appends the figure x, rounded as in timeseries.csv, in style.
func (e *rowEncoder) num(x float64, style int) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		// As excelize: the value as text.
		enc, _ := inlineText(strconv.FormatFloat(x, 'g', -1, 64))
		e.ref(style)
		e.b = append(e.b, ` t="inlineStr">`...)
		e.b = append(e.b, enc...)
		e.b = append(e.b, `</c>`...)
		return
	}
	e.ref(style)
	e.b = append(e.b, `><v>`...)
	e.b = appendNum(e.b, x)
	e.b = append(e.b, `</v></c>`...)
}

// colNames returns the names of the first n columns.
func colNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = colName(i + 1)
	}
	return out
}
