package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/circular-partners/junkan/output"
)

// parts returns the uncompressed parts of the workbook in data.
func parts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = b
	}
	return out
}

// trickyView is view(n) with texts that need escaping and figures of every
// size and sign.
func trickyView(n int) *output.View {
	v := view(n)
	v.Regions[0].Name = `A&B <"市">`
	v.Regions[1].Prefecture = ""
	v.Variants[1] = "ai & 'more'"
	xs := []float64{0, math.Copysign(0, -1), 1e-7, -3.3e-9, 1e-6, 0.1 + 0.2, -1234.5678901234, 1e14 + 0.5,
		9.99999999999e14, 1e15, 1.234567890123456e17, 5e21, math.MaxFloat64, math.NaN(), math.Inf(-1)}
	k := 0
	for i := range v.RegionYears {
		for j := range v.RegionYears[i] {
			h := &v.RegionYears[i][j]
			h.WastePerCapita = xs[k%len(xs)]
			h.WasteGenerated = xs[(k+1)%len(xs)]
			h.RecyclingRate = xs[(k+2)%len(xs)]
			h.CostTotal = xs[(k+3)%len(xs)]
			h.Population = float64(1000 + k)
			k++
		}
	}
	return v
}

// TestFastRowsAsExcelize: the municipalities sheet written by fastRows
// holds the same XML as excelize's stream writer writes, for texts that
// need escaping, figures of every magnitude, zero, −0, NaN and ±Inf, and
// sheets split at the row limit.
func TestFastRowsAsExcelize(t *testing.T) {
	for _, per := range []int{rowsPerSheet, 7} {
		old := rowsPerSheet
		rowsPerSheet = per
		write := func(fast bool) map[string][]byte {
			fastSheets = fast
			defer func() { fastSheets = true }()
			var b bytes.Buffer
			if err := Write(&b, trickyView(5), Options{PerRegionSheets: 2}); err != nil {
				t.Fatal(err)
			}
			return parts(t, b.Bytes())
		}
		fast, slow := write(true), write(false)
		rowsPerSheet = old
		if len(fast) != len(slow) {
			t.Fatalf("rows per sheet %d: %d parts, excelize %d", per, len(fast), len(slow))
		}
		for name, want := range slow {
			if got := fast[name]; !bytes.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Errorf("rows per sheet %d: %s differs at byte %d:\n got %.200s\nwant %.200s", per, name, i, got[i:], want[i:])
			}
		}
	}
}

// TestFastRowsFallback: a text excelize writes otherwise (leading space,
// an _xHHHH_ sequence) sends the sheet through excelize.
func TestFastRowsFallback(t *testing.T) {
	for _, s := range []string{" lead", "trail\n", "a_x0041_b"} {
		if _, ok := inlineText(s); ok {
			t.Errorf("inlineText(%q) accepted", s)
		}
	}
	v := trickyView(3)
	v.Regions[2].Name = " 空白"
	wb := &workbook{styles: map[string]int{}}
	if wb.regionsFast(v, [][][]output.Headline{v.RegionYears}, []string{"all"}) != nil {
		t.Error("a name with a leading space took the fast path")
	}
}

// TestAppendNum: appendNum writes what excelize writes for the rounded
// figure, over random magnitudes from 1e-12 to 1e20.
func TestAppendNum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		x := math.Pow(10, rng.Float64()*32-12) * (rng.Float64() + 0.5)
		if rng.IntN(2) == 0 {
			x = -x
		}
		if rng.IntN(10) == 0 {
			x = math.Round(x) // integers too
		}
		if got, want := string(appendNum(nil, x)), formatCellFloat(round(x)); got != want {
			t.Fatalf("appendNum(%v) = %s, want %s", x, got, want)
		}
	}
}

// TestPackWorkers: the bytes do not depend on the number of goroutines
// compressing the chunks.
func TestPackWorkers(t *testing.T) {
	old := runtime.GOMAXPROCS(1)
	var a bytes.Buffer
	err := Write(&a, trickyView(300), Options{})
	runtime.GOMAXPROCS(max(old, 3))
	var b bytes.Buffer
	if err == nil {
		err = Write(&b, trickyView(300), Options{})
	}
	runtime.GOMAXPROCS(old)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("1 and 3 goroutines give different bytes")
	}
	if p := parts(t, a.Bytes()); len(p) == 0 {
		t.Error("no parts")
	}
}
