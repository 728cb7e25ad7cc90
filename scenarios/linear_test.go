package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

const linearHead = `name: t
base_year: 2023
end_year: 2050
regions:
  source: synthetic
variants:
  - name: baseline
`

// manyKeys is a scenario with n unknown keys at the top level and n below
// the first variant.
func manyKeys(n int) []byte {
	var b strings.Builder
	b.WriteString(linearHead)
	for i := range n {
		fmt.Fprintf(&b, "    v%d: 1\n", i)
	}
	for i := range n {
		fmt.Fprintf(&b, "k%d: 1\n", i)
	}
	return []byte(b.String())
}

// TestErrorPositionsLinear: positioning n errors examines O(n) index
// entries (a count, not a time): the position lookup used to scan every
// key of the file for every error, 40,000 unknown keys taking 31 s.
func TestErrorPositionsLinear(t *testing.T) {
	for _, n := range []int{100, 10000} {
		f, list := parse("many.yaml", ".", manyKeys(n))
		if len(list) != 2*n {
			t.Fatalf("%d unknown keys: %d errors", 2*n, len(list))
		}
		if f.lookups > 4*n+100 {
			t.Errorf("%d errors: %d index entries examined; want O(n), at most %d", 2*n, f.lookups, 4*n+100)
		}
		if f.badVisits > 4*n+100 {
			t.Errorf("%d errors: %d bad-path checks; want O(n), at most %d", 2*n, f.badVisits, 4*n+100)
		}
	}
}

// BenchmarkManyUnknownKeys parses 2n unknown keys; ns/key should not grow
// with n.
func BenchmarkManyUnknownKeys(b *testing.B) {
	for _, n := range []int{1000, 20000} {
		data := manyKeys(n)
		b.Run(fmt.Sprint(2*n), func(b *testing.B) {
			for b.Loop() {
				parse("many.yaml", ".", data)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/key")
		})
	}
}
