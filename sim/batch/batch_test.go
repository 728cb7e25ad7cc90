package batch

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func inf() (float64, float64) { return math.Inf(-1), math.Inf(1) }

func TestDistValidate(t *testing.T) {
	lo, hi := inf()
	cases := []struct {
		name string
		d    Dist
		ok   bool
	}{
		{"uniform", Dist{Kind: Uniform, Min: 0, Max: 1, Lo: lo, Hi: hi}, true},
		{"uniform min>max", Dist{Kind: Uniform, Min: 2, Max: 1, Lo: lo, Hi: hi}, false},
		{"normal sd 0", Dist{Kind: Normal, Mean: 1, SD: 0, Lo: lo, Hi: hi}, false},
		{"normal sd<0", Dist{Kind: Normal, Mean: 1, SD: -1, Lo: lo, Hi: hi}, false},
		{"lognormal sigma 0", Dist{Kind: Lognormal, Mu: 0, Sigma: 0, Lo: 0, Hi: hi}, false},
		{"triangular mode out", Dist{Kind: Triangular, Min: 0, Mode: 2, Max: 1, Lo: lo, Hi: hi}, false},
		{"pert", Dist{Kind: PERT, Min: 0, Mode: 0.2, Max: 1, Lo: 0, Hi: 1}, true},
		{"beta alpha 0", Dist{Kind: Beta, Alpha: 0, Beta: 1, Min: 0, Max: 1, Lo: 0, Hi: 1}, false},
		{"share beyond 1", Dist{Kind: Uniform, Min: 0.5, Max: 1.2, Lo: 0, Hi: 1}, false},
		{"normal far outside domain", Dist{Kind: Normal, Mean: 10, SD: 0.1, Lo: 0, Hi: 1}, false},
	}
	for _, c := range cases {
		err := c.d.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v; want ok %v", c.name, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrDist) {
			t.Errorf("%s: error %v does not wrap ErrDist", c.name, err)
		}
	}
}

func TestDistQuantileAndCentral(t *testing.T) {
	lo, hi := inf()
	cases := []struct {
		name    string
		d       Dist
		central float64 // mean, by hand
		tol     float64
	}{
		{"uniform", Dist{Kind: Uniform, Min: 2, Max: 4, Lo: lo, Hi: hi}, 3, 1e-15},
		{"triangular", Dist{Kind: Triangular, Min: 0, Mode: 1, Max: 5, Lo: lo, Hi: hi}, 2, 1e-15},
		{"pert", Dist{Kind: PERT, Min: 0, Mode: 1, Max: 4, Lo: lo, Hi: hi}, 8.0 / 6, 1e-15},
		{"normal", Dist{Kind: Normal, Mean: 1, SD: 2, Lo: lo, Hi: hi}, 1, 0},
		{"lognormal", Dist{Kind: Lognormal, Mu: 0, Sigma: 0.5, Lo: lo, Hi: hi}, math.Exp(0.125), 1e-15},
		{"beta", Dist{Kind: Beta, Alpha: 2, Beta: 6, Min: 0, Max: 1, Lo: 0, Hi: 1}, 0.25, 1e-15},
		// Standard normal truncated to [0, ∞): mean = φ(0)/(1 − Φ(0)) = √(2/π).
		{"half normal", Dist{Kind: Normal, Mean: 0, SD: 1, Lo: 0, Hi: hi}, math.Sqrt(2 / math.Pi), 1e-9},
	}
	for _, c := range cases {
		if err := c.d.Validate(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := c.d.Central(); math.Abs(got-c.central) > c.tol*math.Max(1, math.Abs(c.central)) {
			t.Errorf("%s: Central() = %.15g; want %.15g", c.name, got, c.central)
		}
		// The median of 20,000 draws is near the distribution's quantile 0.5.
		for _, u := range []float64{0, 1e-300, 0.5, 1} {
			x := c.d.Quantile(u)
			if math.IsInf(x, 0) || math.IsNaN(x) || x < c.d.Lo || x > c.d.Hi {
				t.Errorf("%s: Quantile(%g) = %g", c.name, u, x)
			}
		}
	}
	// Truncation: a normal share never leaves [0, 1].
	d := Dist{Kind: Normal, Mean: 0.9, SD: 0.3, Lo: 0, Hi: 1}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	for r := range 10000 {
		if x := d.Quantile(Draw(1, r, 9)); x < 0 || x > 1 {
			t.Fatalf("draw %d = %g outside [0, 1]", r, x)
		}
	}
}

func TestDrawCounterBased(t *testing.T) {
	// Draws depend on (seed, run, id) only; different ids, runs or seeds
	// give different numbers.
	if Draw(1, 5, 7) != Draw(1, 5, 7) {
		t.Fatal("not reproducible")
	}
	seen := map[float64]bool{}
	for _, k := range [][3]uint64{{1, 5, 7}, {1, 6, 7}, {1, 5, 8}, {2, 5, 7}} {
		x := Draw(k[0], int(k[1]), k[2])
		if seen[x] || x <= 0 || x >= 1 {
			t.Errorf("Draw%v = %v", k, x)
		}
		seen[x] = true
	}
	// Mean and variance of 100,000 draws: 1/2 and 1/12 within 4 standard
	// errors (σ/√n = 0.00091 and 0.00024).
	var s, s2 float64
	const n = 100000
	for r := range n {
		x := Draw(42, r, 1)
		s += x
		s2 += x * x
	}
	m := s / n
	if v := s2/n - m*m; math.Abs(m-0.5) > 0.0037 || math.Abs(v-1.0/12) > 0.001 {
		t.Errorf("mean %g var %g", m, v)
	}
}

// sumOf returns the exact Σx and Σx² of xs added to one cell in blocks of
// up to BlockRuns.
func sumOf(xs []float64) (*big.Float, *big.Float) {
	var s sums
	s.init(1)
	for len(xs) > 0 {
		n := min(len(xs), BlockRuns)
		s.add(0, xs[:n])
		xs = xs[n:]
	}
	a, b, _ := s.big(0)
	return a, b
}

func TestSumsOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 2000)
	for i := range xs {
		xs[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(30)-10))
	}
	a1, a2 := sumOf(xs)
	for trial := range 5 {
		rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		var b, c sums
		b.init(1)
		c.init(1)
		for i, x := range xs {
			if i%3 == trial%3 {
				b.add(0, []float64{x})
			} else {
				c.add(0, []float64{x})
			}
		}
		b.merge(0, &c)
		b1, b2, _ := b.big(0)
		if a1.Cmp(b1) != 0 || a2.Cmp(b2) != 0 {
			t.Fatalf("order changed the sums: %v, %v vs %v, %v", a1, a2, b1, b2)
		}
	}
	// Exactness: 1e16 + 1 − 1e16 is 1, which naive summation loses.
	if e, _ := sumOf([]float64{1e16, 1, -1e16}); e.Cmp(big.NewFloat(1)) != 0 {
		t.Errorf("exact sum = %v; want 1", e)
	}
	// Mean and sample variance of 1, 2, 3, 4: 2.5 and 5/3.
	s1, s2 := sumOf([]float64{1, 2, 3, 4})
	if m, v := meanVar(4, s1, s2); m != 2.5 || v != 5.0/3 {
		t.Errorf("meanVar = %v, %v; want 2.5, 5/3", m, v)
	}
	// Large offset: values 1e9 + {1, 2, 3, 4} have the same variance.
	o1, o2 := sumOf([]float64{1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4})
	if _, v := meanVar(4, o1, o2); v != 5.0/3 {
		t.Errorf("variance with offset = %v; want 5/3", v)
	}
}

func TestSketchError(t *testing.T) {
	// The stated bound: |p̂ − p| ≤ SketchAlpha · max(|x₍⌊h⌋₎|, |x₍⌈h⌉₎|).
	rng := rand.New(rand.NewPCG(3, 4))
	for _, gen := range []func() float64{
		func() float64 { return math.Exp(rng.NormFloat64()) * 1e6 },
		func() float64 { return rng.NormFloat64() * 100 },     // both signs
		func() float64 { return float64(rng.IntN(3)) * 0.25 }, // ties and zeros
	} {
		var s Sketch
		xs := make([]float64, 5001)
		for i := range xs {
			xs[i] = gen()
			s.Add(xs[i])
		}
		slices.Sort(xs)
		for _, q := range []float64{0, 0.01, 0.05, 0.25, 0.5, 0.95, 0.99, 1} {
			h := q * float64(len(xs)-1)
			lo, hi := xs[int(math.Floor(h))], xs[int(math.Ceil(h))]
			exact := quantileExact(xs, q)
			bound := SketchAlpha * math.Max(math.Abs(lo), math.Abs(hi))
			if got := s.Quantile(q); math.Abs(got-exact) > bound*(1+1e-12) {
				t.Errorf("q %g: sketch %g, exact %g, bound %g", q, got, exact, bound)
			}
		}
	}
}

func TestAccumulatorMergeEncode(t *testing.T) {
	for _, exact := range []bool{true, false} {
		const cells, runs = 7, 40
		value := func(r, c int) float64 { return math.Sin(float64(r*cells+c)) * float64(c+1) * 1e3 }
		row := func(r int) []float64 { return []float64{float64(r), -float64(r)} }
		y := make([]float64, cells)
		one := NewAccumulator(cells, runs, 2, exact)
		for r := range runs {
			for c := range y {
				y[c] = value(r, c)
			}
			one.Add(r, y, row(r))
		}
		// Three partials of interleaved runs, merged after a round trip.
		var parts []*Accumulator
		for p := range 3 {
			a := NewAccumulator(cells, runs, 2, exact)
			for r := runs - 1; r >= 0; r-- {
				if r%3 != p {
					continue
				}
				for c := range y {
					y[c] = value(r, c)
				}
				a.Add(r, y, row(r))
			}
			var buf bytes.Buffer
			if err := a.Encode(&buf, "fp"); err != nil {
				t.Fatal(err)
			}
			b, err := DecodeAccumulator(&buf, "fp")
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, b)
		}
		m := NewAccumulator(cells, runs, 2, exact)
		for _, p := range []int{2, 0, 1} {
			if err := m.Merge(parts[p]); err != nil {
				t.Fatal(err)
			}
		}
		if err := m.Merge(parts[0]); !errors.Is(err, ErrOverlap) {
			t.Errorf("repeated partial: err = %v; want ErrOverlap", err)
		}
		stats := []Statistic{{"mean", 0}, {"sd", 0}, {"min", 0}, {"max", 0}, {"p5", 5}, {"p50", 50}, {"p95", 95}}
		g, w := make([]float64, len(stats)), make([]float64, len(stats))
		for c := 0; c < cells; c++ {
			one.Stats(c, stats, w, make([]float64, runs))
			m.Stats(c, stats, g, make([]float64, runs))
			if !slices.Equal(g, w) {
				t.Errorf("exact %v cell %d: merged %v; one pass %v", exact, c, g, w)
			}
			if !(w[4] <= w[5] && w[5] <= w[6] && w[2] <= w[4] && w[6] <= w[3]) {
				t.Errorf("cell %d: percentiles out of order %v", c, w)
			}
		}
		if !slices.Equal(m.Row(17), row(17)) {
			t.Errorf("row 17 = %v", m.Row(17))
		}
		var buf bytes.Buffer
		m.Encode(&buf, "fp")
		if _, err := DecodeAccumulator(&buf, "other"); !errors.Is(err, ErrForeign) {
			t.Errorf("foreign partial: err = %v", err)
		}
	}
}

// TestEncodeAllocs: encoding a checkpoint allocates a few times, not once
// per value (a checkpoint of a 1,000-run batch holds millions).
func TestEncodeAllocs(t *testing.T) {
	a := NewAccumulator(500, 100, 3, true)
	y, row := make([]float64, 500), make([]float64, 3)
	for i := 0; i < 100; i++ {
		for c := range y {
			y[c] = float64(i*c) * 0.5
		}
		a.Add(i, y, row)
	}
	n := testing.AllocsPerRun(3, func() { a.Encode(io.Discard, "fp") })
	if n > 10 {
		t.Errorf("Encode allocates %v times for %d values; want a few", n, 500*100)
	}
}

// TestDecodeRefusesDamage: a partial result (a checkpoint for --resume, a
// shard for merge) with any one byte changed, cut short or extended is
// refused; without a checksum a changed value byte was decoded silently
// and resumed into wrong statistics.
func TestDecodeRefusesDamage(t *testing.T) {
	for _, exact := range []bool{true, false} {
		a := NewAccumulator(3, 5, 2, exact)
		for r := range 4 {
			a.Add(r, []float64{float64(r), 2.5 * float64(r), -1}, []float64{float64(r), 7})
		}
		var buf bytes.Buffer
		if err := a.Encode(&buf, "fp"); err != nil {
			t.Fatal(err)
		}
		good := buf.Bytes()
		if _, err := DecodeAccumulator(bytes.NewReader(good), "fp"); err != nil {
			t.Fatalf("exact %v: intact partial refused: %v", exact, err)
		}
		for i := range good {
			bad := bytes.Clone(good)
			bad[i] ^= 0x10
			if _, err := DecodeAccumulator(bytes.NewReader(bad), "fp"); err == nil {
				t.Errorf("exact %v: byte %d of %d changed: decoded without error", exact, i, len(good))
			}
		}
		for _, bad := range [][]byte{good[:len(good)-1], good[:len(good)-5], append(bytes.Clone(good), 0)} {
			if _, err := DecodeAccumulator(bytes.NewReader(bad), "fp"); err == nil {
				t.Errorf("exact %v: partial of %d bytes (intact %d): decoded without error", exact, len(bad), len(good))
			}
		}
		old := append([]byte(accMagicV1), good[len(accMagic):]...)
		if _, err := DecodeAccumulator(bytes.NewReader(old), "fp"); err == nil || !strings.Contains(err.Error(), "older junkan") {
			t.Errorf("exact %v: v1 partial: err = %v; want one naming an older junkan", exact, err)
		}
		old2 := append([]byte(accMagicV2), good[len(accMagic):]...)
		if _, err := DecodeAccumulator(bytes.NewReader(old2), "fp"); err == nil || !strings.Contains(err.Error(), "older junkan (format v2") {
			t.Errorf("exact %v: v2 partial: err = %v; want one naming an older junkan and format v2", exact, err)
		}
	}
}
