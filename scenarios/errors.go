package scenarios

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every error about the content of a scenario
// file, so callers can tell bad input (exit status 2) from other failures
// with errors.Is.
var ErrInvalid = errors.New("invalid scenario")

// Error is one problem in a scenario file, at a position. Line and Column
// are 1-based; 0 when unknown.
type Error struct {
	File   string
	Line   int
	Column int
	Path   string // field path, e.g. "variants[1].elements[0].start_year"
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error and ErrInvalid.
func (e *Error) Unwrap() []error { return []error{e.Err, ErrInvalid} }

// ErrorList is all errors found in one file, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	if len(l) == 1 {
		b.WriteString("1 error in the scenario:")
	} else {
		fmt.Fprintf(&b, "%d errors in the scenario:", len(l))
	}
	for _, e := range l {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors of the list.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
