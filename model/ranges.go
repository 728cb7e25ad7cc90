package model

import (
	"regexp"
	"strconv"
)

var rangeRE = regexp.MustCompile(`(?i)\brange (-?[0-9]+(?:\.[0-9]+)?) to (-?[0-9]+(?:\.[0-9]+)?)\b`)

// Range returns the plausible range [lo, hi] of the fact's value, in its
// Unit, as its note states it ("Range 0 to 0.86 (reason)", the first such
// phrase), for uncertainty analyses; ok is false when the note gives none.
func (f Fact) Range() (lo, hi float64, ok bool) {
	m := rangeRE.FindStringSubmatch(f.Note)
	if m == nil {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseFloat(m[1], 64)
	hi, err2 := strconv.ParseFloat(m[2], 64)
	if err1 != nil || err2 != nil || lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}
