package batch

import (
	"math"
)

// SketchAlpha is the relative accuracy of [Sketch]: every value is kept as
// the representative of a logarithmic bucket within SketchAlpha of it
// (DDSketch, Masson, Rim and Lee 2019).
const SketchAlpha = 0.005

var (
	sketchGamma   = (1 + SketchAlpha) / (1 - SketchAlpha)
	sketchLnGamma = math.Log(sketchGamma)
)

// minIndexable is the smallest magnitude kept in a bucket; smaller values
// count as zero.
const minIndexable = 1e-300

// Sketch is a mergeable quantile sketch: counts per logarithmic bucket of
// the positive and negative values, and a count of zeros. Adding values or
// merging sketches in any order gives the same sketch (integer counts).
// [Sketch.Quantile] is within SketchAlpha relative of the exact
// percentile's neighbouring order statistics (see there). The zero value
// is an empty sketch. Not safe for concurrent use.
type Sketch struct {
	pos, neg store
	zero     uint64
}

// store holds counts of consecutive bucket keys off, off+1, ….
type store struct {
	off int32
	c   []uint32
}

func (s *store) add(k int32, n uint32) {
	if len(s.c) == 0 {
		s.off = k
		s.c = append(s.c[:0], n)
		return
	}
	if k < s.off {
		grow := int(s.off - k)
		c := make([]uint32, len(s.c)+grow, len(s.c)+grow+8)
		copy(c[grow:], s.c)
		s.c, s.off = c, k
	} else if int(k-s.off) >= len(s.c) {
		need := int(k-s.off) + 1
		if need > cap(s.c) {
			c := make([]uint32, need, need+8)
			copy(c, s.c)
			s.c = c
		}
		s.c = s.c[:need]
	}
	s.c[k-s.off] += n
}

func key(x float64) int32 { return int32(math.Ceil(math.Log(x) / sketchLnGamma)) }

// keyValue is the representative of bucket k: within SketchAlpha
// relative of every value in (γ^(k−1), γ^k].
func keyValue(k int32) float64 { return 2 * math.Pow(sketchGamma, float64(k)) / (sketchGamma + 1) }

// Add adds one value (finite).
func (s *Sketch) Add(x float64) {
	switch {
	case x >= minIndexable:
		s.pos.add(key(x), 1)
	case x <= -minIndexable:
		s.neg.add(key(-x), 1)
	default:
		s.zero++
	}
}

// addMany adds the values xs (finite; at most [BlockRuns]), growing each
// store once for all of them.
func (s *Sketch) addMany(xs []float64) {
	var pk, nk [BlockRuns]int32
	np, nn := 0, 0
	for _, x := range xs {
		switch {
		case x >= minIndexable:
			pk[np] = key(x)
			np++
		case x <= -minIndexable:
			nk[nn] = key(-x)
			nn++
		default:
			s.zero++
		}
	}
	if np > 0 {
		s.pos.addKeys(pk[:np])
	}
	if nn > 0 {
		s.neg.addKeys(nk[:nn])
	}
}

// addKeys counts one value in each bucket ks (at least one), growing s
// once if a key is outside its range.
func (s *store) addKeys(ks []int32) {
	lo, hi := ks[0], ks[0]
	for _, k := range ks[1:] {
		lo, hi = min(lo, k), max(hi, k)
	}
	if len(s.c) == 0 || lo < s.off || int(hi-s.off) >= len(s.c) {
		s.add(lo, 0)
		s.add(hi, 0)
	}
	c, off := s.c, s.off
	for _, k := range ks {
		c[k-off]++
	}
}

// Merge adds the counts of t into s.
func (s *Sketch) Merge(t *Sketch) {
	for i, n := range t.pos.c {
		if n > 0 {
			s.pos.add(t.pos.off+int32(i), n)
		}
	}
	for i, n := range t.neg.c {
		if n > 0 {
			s.neg.add(t.neg.off+int32(i), n)
		}
	}
	s.zero += t.zero
}

// Count returns the number of values added.
func (s *Sketch) Count() uint64 {
	n := s.zero
	for _, c := range s.pos.c {
		n += uint64(c)
	}
	for _, c := range s.neg.c {
		n += uint64(c)
	}
	return n
}

// orderStat returns the representative of the k-th smallest value
// (0-based).
func (s *Sketch) orderStat(k uint64) float64 {
	for i := len(s.neg.c) - 1; i >= 0; i-- {
		if n := uint64(s.neg.c[i]); k < n {
			return -keyValue(s.neg.off + int32(i))
		} else {
			k -= n
		}
	}
	if k < s.zero {
		return 0
	}
	k -= s.zero
	for i, c := range s.pos.c {
		if n := uint64(c); k < n {
			return keyValue(s.pos.off + int32(i))
		} else {
			k -= n
		}
	}
	return math.NaN()
}

// Quantile returns the q-quantile (q in [0, 1]) as the exact mode
// computes it — linear interpolation at rank h = q·(n−1) between the
// order statistics x₍⌊h⌋₎ and x₍⌈h⌉₎ (Hyndman and Fan type 7, the default
// of R and numpy) — from the buckets' representatives. Its error is at
// most SketchAlpha · max(|x₍⌊h⌋₎|, |x₍⌈h⌉₎|). NaN for an empty sketch.
func (s *Sketch) Quantile(q float64) float64 {
	n := s.Count()
	if n == 0 {
		return math.NaN()
	}
	h := q * float64(n-1)
	lo := math.Floor(h)
	a := s.orderStat(uint64(lo))
	if h == lo {
		return a
	}
	b := s.orderStat(uint64(lo) + 1)
	return a + (h-lo)*(b-a)
}

// quantileExact returns the type-7 q-quantile of sorted values xs.
func quantileExact(xs []float64, q float64) float64 {
	n := len(xs)
	if n == 0 {
		return math.NaN()
	}
	h := q * float64(n-1)
	lo := math.Floor(h)
	i := int(lo)
	if i >= n-1 {
		return xs[n-1]
	}
	return xs[i] + (h-lo)*(xs[i+1]-xs[i])
}
