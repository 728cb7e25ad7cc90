package regions

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, checkable with [errors.Is] on any error returned by the loaders.
var (
	// ErrEmptyFile: the file has no header row, or a header row but no data rows.
	ErrEmptyFile = errors.New("empty file")
	// ErrMissingColumn: a mapped column name is not in the header row (or no name was
	// given for a required field). The message lists the header names available.
	ErrMissingColumn = errors.New("missing column")
	// ErrDuplicateCode: a municipality code, facility code or prefecture name occurs
	// twice in one file. The message names the line of the first occurrence.
	ErrDuplicateCode = errors.New("duplicate code")
	// ErrUnknownPrefecture: a prefecture asked for in [LoadMunicipalities] matches no row.
	ErrUnknownPrefecture = errors.New("unknown prefecture")
)

// maxErrors is the number of row errors reported per file; the rest are counted.
const maxErrors = 20

// DataError is an error in an input file. Line is 1-based (the header is line 1);
// 0 means the error is not tied to a line. Column is the header name of the
// offending column, or "" if the error is not tied to a column.
type DataError struct {
	File   string
	Line   int
	Column string
	Err    error
}

// Error returns "FILE:LINE: column COL: ERR", leaving out the parts that
// are unknown (no package name: the message is for the person who wrote
// the file).
func (e *DataError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Column != "" {
		fmt.Fprintf(&b, "column %s: ", e.Column)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid data")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *DataError) Unwrap() error { return e.Err }

// errList collects the errors of one file, keeping the first maxErrors.
type errList struct {
	file string
	errs []error
	more int
}

func (l *errList) add(line int, col string, err error) {
	if len(l.errs) >= maxErrors {
		l.more++
		return
	}
	l.errs = append(l.errs, &DataError{File: l.file, Line: line, Column: col, Err: err})
}

func (l *errList) addf(line int, col string, format string, args ...any) {
	l.add(line, col, fmt.Errorf(format, args...))
}

func (l *errList) len() int { return len(l.errs) + l.more }

// err returns nil, the single error, or all errors joined with a final
// "… and N more errors" note if some were left off.
func (l *errList) err() error {
	switch {
	case len(l.errs) == 0:
		return nil
	case len(l.errs) == 1 && l.more == 0:
		return l.errs[0]
	}
	errs := l.errs
	if l.more > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("%s: … and %d more errors", l.file, l.more))
	}
	return errors.Join(errs...)
}
