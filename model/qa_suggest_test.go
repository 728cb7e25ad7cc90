package model

import (
	"fmt"
	"strings"
	"testing"
)

// TestSuggestLongListCut: with no near name, a hint lists at most
// maxKnown names and says how many more there are; a short list is given
// whole.
func TestSuggestLongListCut(t *testing.T) {
	var codes []string
	for i := range 1741 {
		codes = append(codes, fmt.Sprintf("%05d", 10000+i*7))
	}
	h := Suggest("zzzzz", codes)
	if n := strings.Count(h, ", "); n != maxKnown {
		t.Errorf("hint lists %d names, want %d: %.200s", n, maxKnown, h)
	}
	if !strings.HasSuffix(h, ", … and 1641 more)") {
		t.Errorf("hint %q does not end with the count of the rest", h[len(h)-40:])
	}
	if h := Suggest("zzzzz", []string{"b", "a"}); h != " (known: a, b)" {
		t.Errorf("short list: %q", h)
	}
}
