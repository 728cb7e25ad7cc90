package regions

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"golang.org/x/text/width"

	"github.com/circular-partners/junkan/internal/limit"
)

// table reads one CSV file with a header row and collects its errors.
// It is used by one goroutine at a time.
type table struct {
	f      io.Closer
	r      *csv.Reader
	header []string
	index  map[string]int // header name → position; -1 if the name occurs twice
	errs   errList
	rows   int  // data records read, including malformed ones
	broken bool // a fatal parse error stopped reading
}

// openTable opens path and reads its header row. The returned error is a
// *DataError wrapping the os error (missing file) or ErrEmptyFile.
func openTable(path string, opts ...ReadOption) (*table, error) {
	var o readOptions
	for _, opt := range opts {
		opt(&o)
	}
	text, _, err := readText(path, o.encoding)
	if err != nil {
		return nil, err
	}
	f := io.NopCloser(bytes.NewReader(text))
	t := &table{f: f, r: csv.NewReader(bytes.NewReader(text)), errs: errList{file: path}}
	t.r.ReuseRecord = false
	header, err := t.r.Read()
	if err != nil {
		f.Close()
		if errors.Is(err, io.EOF) {
			return nil, &DataError{File: path, Err: fmt.Errorf("%w: no header row", ErrEmptyFile)}
		}
		var le *limit.Error
		if errors.As(err, &le) {
			return nil, &DataError{File: path, Line: int(le.Line), Err: err}
		}
		return nil, &DataError{File: path, Line: 1, Err: fmt.Errorf("reading header: %w", err)}
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	t.header = header
	t.index = make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := t.index[h]; dup {
			t.index[h] = -1
			continue
		}
		t.index[h] = i
	}
	return t, nil
}

func (t *table) close() { t.f.Close() }

// column returns the position of the header name, or -1 after recording an error.
// field is the Go field name, named in messages as the scenario's key
// (snake case: RecyclingRatePct → recycling_rate_pct).
func (t *table) column(field, name string, required bool) int {
	field = snakeKey(field)
	if name == "" {
		if required {
			t.errs.add(1, "", fmt.Errorf("%w: no header name given for %s, which is required; header has: %s",
				ErrMissingColumn, field, t.headerList()))
		}
		return -1
	}
	i, ok := t.index[name]
	switch {
	case !ok:
		t.errs.add(1, name, fmt.Errorf("%w: %q is not in the header (the column for %s); header has: %s",
			ErrMissingColumn, name, field, t.headerList()))
		return -1
	case i < 0:
		t.errs.add(1, name, fmt.Errorf("header name %q occurs more than once (the column for %s)", name, field))
		return -1
	}
	return i
}

// snakeKey turns a Go field name into the scenario key users write:
// PerCapitaGPerDay → per_capita_g_per_day, Code → code.
func snakeKey(field string) string {
	var b strings.Builder
	for i, r := range field {
		if 'A' <= r && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (t *table) headerList() string {
	q := make([]string, 0, len(t.header))
	n := 0
	for i, h := range t.header {
		if len(h) > 60 {
			h = h[:60] + "…"
		}
		s := strconv.Quote(h)
		if n += len(s); n > 600 {
			q = append(q, fmt.Sprintf("… and %d more", len(t.header)-i))
			break
		}
		q = append(q, s)
	}
	return strings.Join(q, ", ")
}

// next returns the next well-formed data record and its 1-based line number.
// Ragged rows are recorded as errors and skipped; other parse errors are
// recorded and end reading. ok is false at the end.
func (t *table) next() (rec []string, line int, ok bool) {
	for !t.broken {
		rec, err := t.r.Read()
		if errors.Is(err, io.EOF) {
			return nil, 0, false
		}
		t.rows++
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			t.errs.addf(pe.StartLine, "", "row has %d fields, header has %d", len(rec), len(t.header))
			continue
		}
		var le *limit.Error
		if errors.As(err, &le) {
			t.errs.add(int(le.Line), "", err)
			t.broken = true
			return nil, 0, false
		}
		if err != nil {
			l := 0
			if pe != nil {
				l = pe.StartLine
			}
			t.errs.add(l, "", fmt.Errorf("malformed CSV, stopped reading: %w", err))
			t.broken = true
			return nil, 0, false
		}
		line, _ := t.r.FieldPos(0)
		return rec, line, true
	}
	return nil, 0, false
}

// finish returns the collected errors, adding ErrEmptyFile if no data row was read.
func (t *table) finish() error {
	if t.rows == 0 && !t.broken {
		t.errs.add(0, "", fmt.Errorf("%w: header row but no data rows", ErrEmptyFile))
	}
	return t.errs.err()
}

// cell returns the trimmed value at column i, or "" if i < 0.
func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// nonNegative parses a finite number >= 0. what names the quantity in messages.
func nonNegative(s, what string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty %s", what)
	}
	v, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) && math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q is too large (beyond ±1.8e308)", what, s)
	}
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number%s", what, s, numberHint(s))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q is not finite", what, s)
	}
	if v < 0 {
		return 0, fmt.Errorf("%s %s is negative", what, s)
	}
	return v, nil
}

// optNonNegative is nonNegative with "" read as 0.
func optNonNegative(s, what string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	return nonNegative(s, what)
}

// checkCode validates a 5-digit 全国地方公共団体コード kept as a string.
func checkCode(s string) error {
	if s == "" {
		return errors.New("empty code")
	}
	if len(s) != 5 || strings.Trim(s, "0123456789") != "" {
		hint := ""
		switch {
		case len(s) == 4 && strings.Trim(s, "0123456789") == "":
			hint = " (leading zero lost, e.g. by a spreadsheet? codes must be read as text)"
		case len(s) == 6 && strings.Trim(s, "0123456789") == "":
			hint = " (6-digit code with check digit? use the 5-digit code)"
		}
		return fmt.Errorf("code %q is not 5 digits%s", s, hint)
	}
	return nil
}

// lonLat parses a longitude and latitude in decimal degrees; each error is
// returned with the column it belongs to.
func lonLat(lonS, latS, lonCol, latCol string) (p [2]float64, errs []colErr) {
	lon, err := coordinate(lonS, "longitude", 180)
	if err != nil {
		errs = append(errs, colErr{lonCol, err})
	}
	lat, err := coordinate(latS, "latitude", 90)
	if err != nil {
		if !math.IsNaN(lat) && math.Abs(lat) <= 180 {
			err = fmt.Errorf("%w; are lon and lat swapped?", err)
		}
		errs = append(errs, colErr{latCol, err})
	}
	if len(errs) == 0 {
		if err := inJapan(lon, lat); err != nil {
			errs = append(errs, colErr{lonCol, err})
		}
	}
	return [2]float64{lon, lat}, errs
}

// JapanBounds is the bounding box of Japan's territory in decimal degrees,
// with a margin of about 0.5°: the extreme points are 122.93°E
// (与那国島), 153.99°E (南鳥島), 20.43°N (沖ノ鳥島) and 45.56°N
// (国土地理院「日本の東西南北端点の経度緯度」). A location outside is an
// error: a lost sign (-139.6) or swapped columns put it there.
var JapanBounds = orb.Bound{Min: orb.Point{122.4, 20.0}, Max: orb.Point{154.5, 46.0}}

// inJapan checks that (lon, lat) lies within [JapanBounds].
func inJapan(lon, lat float64) error {
	if JapanBounds.Contains(orb.Point{lon, lat}) {
		return nil
	}
	hint := ""
	switch {
	case JapanBounds.Contains(orb.Point{lat, lon}):
		hint = "; are lon and lat swapped?"
	case JapanBounds.Contains(orb.Point{math.Abs(lon), math.Abs(lat)}):
		hint = "; has a minus sign crept in?"
	}
	return fmt.Errorf("longitude %g, latitude %g lies outside Japan (longitude %g to %g, latitude %g to %g)%s",
		lon, lat, JapanBounds.Min[0], JapanBounds.Max[0], JapanBounds.Min[1], JapanBounds.Max[1], hint)
}

type colErr struct {
	col string
	err error
}

// coordinate parses a finite value in [-limit, limit]. On a range error it also
// returns the parsed value; otherwise NaN.
func coordinate(s, what string, limit float64) (float64, error) {
	if s == "" {
		return math.NaN(), fmt.Errorf("empty %s", what)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN(), fmt.Errorf("%s %q is not a number%s", what, s, numberHint(s))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), fmt.Errorf("%s %q is not finite", what, s)
	}
	if v < -limit || v > limit {
		return v, fmt.Errorf("%s %s out of range [-%g, %g]", what, s, limit, limit)
	}
	return v, nil
}

// numberHint explains why a number as people write it is not read: the
// rule is that numbers are written with half-width digits, a point for
// decimals and no thousands separators; "1,234" and "１２３４" are refused
// (never read as 1 or 0) with what to write instead.
func numberHint(s string) string {
	narrow := width.Narrow.String(s)
	if narrow != s {
		if _, err := strconv.ParseFloat(strings.ReplaceAll(narrow, ",", ""), 64); err == nil {
			return fmt.Sprintf(": full-width (全角) characters; write %s", strings.ReplaceAll(narrow, ",", ""))
		}
	}
	if strings.Contains(s, ",") {
		if _, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64); err == nil {
			return fmt.Sprintf(": thousands separators are not read; write %s", strings.ReplaceAll(s, ",", ""))
		}
	}
	return ""
}
