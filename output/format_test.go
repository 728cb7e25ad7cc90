package output

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// appendValueOld (the formatter before the fast path) appends v rounded to [SignificantDigits] significant digits,
// without trailing zeros: plain decimals for 1e-6 ≤ |v| < 1e21, else
// exponent form ("1e-7", "1.5e+21"). A negative zero is written as 0.
func appendValueOld(b []byte, v float64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	a := math.Abs(v)
	if a < 1e-6 || a >= 1e21 {
		b = strconv.AppendFloat(b, v, 'g', SignificantDigits, 64)
		// e-07 → e-7, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	// Round in exponent form, then write the digits out plainly.
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], a, 'e', SignificantDigits-1, 64) // d.ddddddddddde±XX
	k := 0
	for k < len(e) && e[k] != 'e' {
		k++
	}
	exp, _ := strconv.Atoi(string(e[k+1:]))
	var digits [SignificantDigits]byte
	n := 0
	for _, c := range e[:k] {
		if c != '.' {
			digits[n] = c
			n++
		}
	}
	for n > 1 && digits[n-1] == '0' {
		n--
	}
	if v < 0 {
		b = append(b, '-')
	}
	if exp >= 0 {
		for d := 0; d <= exp; d++ {
			if d < n {
				b = append(b, digits[d])
			} else {
				b = append(b, '0')
			}
		}
		if n > exp+1 {
			b = append(b, '.')
			b = append(b, digits[exp+1:n]...)
		}
		return b
	}
	b = append(b, '0', '.')
	for d := 0; d < -exp-1; d++ {
		b = append(b, '0')
	}
	return append(b, digits[:n]...)
}

// TestAppendValueFast compares the fast formatter with the one it
// replaced, byte for byte, on values drawn across the whole plain range,
// near powers of ten, near rounding halves, and on round numbers.
func TestAppendValueFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	check := func(v float64) {
		t.Helper()
		got, want := string(appendValue(nil, v)), string(appendValueOld(nil, v))
		if got != want {
			t.Fatalf("appendValue(%v) = %q; before %q", v, got, want)
		}
	}
	for n := 0; n < 300_000; n++ {
		v := math.Pow(10, rng.Float64()*34-9) // 1e-9 … 1e25
		if n%2 == 1 {
			v = -v
		}
		check(v)
		check(math.Nextafter(v, 0))
	}
	for k := -8; k <= 23; k++ {
		p := math.Pow(10, float64(k))
		for _, v := range []float64{p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)), p * (1 - 5e-13), p * (1 - 4e-13), p * (1 - 6e-13)} {
			check(v)
			check(-v)
		}
	}
	// Values whose 13th significant digit is a 5: the rounding is decided
	// by what the double holds beyond it.
	for n := 0; n < 30_000; n++ {
		d := 1e12 + float64(rng.IntN(9e12)) // 13 digits
		if d >= 1e13 {
			continue
		}
		d = math.Floor(d/10)*10 + 5
		for _, sh := range []int{-19, -13, -12, -9, -4, 0, 3, 7} {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(d, 'f', 0, 64)+"e"+strconv.Itoa(sh), 64)
			check(v)
			check(math.Nextafter(v, 0))
			check(math.Nextafter(v, math.Inf(1)))
		}
	}
	for n := 0; n < 30_000; n++ { // integers and short decimals
		check(float64(rng.IntN(1e9)))
		check(float64(rng.IntN(1e6)) / 1000)
	}
}

func BenchmarkAppendValue(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	vs := make([]float64, 4096)
	for i := range vs {
		vs[i] = math.Pow(10, rng.Float64()*12-2)
	}
	buf := make([]byte, 0, 64)
	b.Run("fast", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			buf = appendValue(buf[:0], vs[i%len(vs)])
		}
	})
	b.Run("before", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			buf = appendValueOld(buf[:0], vs[i%len(vs)])
		}
	})
}

// TestParallelFormatting checks that the rows formatted in chunks on
// several goroutines are the bytes of the sequential writer, and that on a
// non-finite value both stop at the same row with the same error.
func TestParallelFormatting(t *testing.T) {
	results := runConfig(t, bigConfig(150, 3, 2023, 2026), testVariants)
	bad := *results[1]
	bad.Flows = append([]model.Flows(nil), bad.Flows...)
	bad.Flows[(2*150+100)*3+1][model.Ash] = math.NaN() // FY2025, region 100, material 1
	for _, rm := range []bool{false, true} {
		for _, res := range []*sim.Result{results[0], &bad} {
			gs := sumGroupsBlocks(res, nil, rm)
			var want bytes.Buffer
			tw, _ := newTSWriter(&want, nil)
			tw.writeResult(res, gs, rm)
			wantErr, wantRows := tw.err, tw.rows
			tw.flush()
			for _, w := range []int{2, 3, 8} {
				var got bytes.Buffer
				tp, _ := newTSWriter(&got, nil)
				tp.writeResultParallel(res, gs, rm, w)
				gotErr, gotRows := tp.err, tp.rows
				tp.flush()
				if !bytes.Equal(got.Bytes(), want.Bytes()) || gotRows != wantRows || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					t.Errorf("%s, region materials %v, %d workers: %d bytes, %d rows, err %v; sequential %d bytes, %d rows, err %v",
						res.Variant, rm, w, got.Len(), gotRows, gotErr, want.Len(), wantRows, wantErr)
				}
			}
			if res == &bad && wantErr == nil {
				t.Error("NaN not reported")
			}
		}
	}
}

// BenchmarkSumGroups forms the group sums of one all-Japan-sized result
// (1,741 regions × 12 materials × 28 years).
func BenchmarkSumGroups(b *testing.B) {
	res := runConfig(b, bigConfig(1741, 12, 2023, 2050), testVariants[:1])[0]
	b.ReportAllocs()
	for b.Loop() {
		sumGroupsBlocks(res, nil, false)
	}
	b.ReportMetric(float64(len(res.Flows))*float64(len(model.Flows{}))*8/1e6, "result-MB")
}
