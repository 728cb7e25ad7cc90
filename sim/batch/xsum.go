package batch

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"sync"
)

// An accumulator keeps the exact Σx and Σx² of every cell as integers in
// fixed point, struct of arrays: per cell a base exponent b and seven
// words, Σx / 2^b as a 192-bit two's complement integer and Σx² /
// 2^(2b+48) as a 256-bit unsigned one. A value x = ±m·2^e (m < 2^53) is
// added by shifting m into place, and x² by shifting m² (bits.Mul64,
// exact): no branch but for the rare value outside the window, so a
// block of runs is added with the cell's words in registers. b is set by
// the cell's first non-zero value (e − 53), and the window holds values
// with e − b in [24, 82], 2^±29 around it (a batch's cell varies by far
// less); other non-zero values, and all with e outside [−500, 347] (x
// below 1e-135 or above 1e120), go to a spill of the cell, exact sums of
// partials as above. A cell's exact sum is its window plus its spill:
// its representation depends on the order of additions, its value does
// not. Counts below 2^31 values per cell cannot overflow the words (Σx <
// 2^(135+31), Σx² < 2^(222+31)).

const (
	sumWords  = 3             // words of Σx
	cellWords = sumWords + 4  // words of Σx and Σx² of a cell
	noBase    = math.MinInt16 // base of a cell without a value in its window
	minExp    = -500          // smallest e of a value in the window
	maxExp    = 347           // largest
	loShift   = 24            // smallest e − b in the window
	hiShift   = 82            // largest
	sqShift   = 48            // Σx² is in units of 2^(2b+sqShift)
	maxAdds   = 1 << 31       // values per cell the words hold
)

// sums are the exact Σx and Σx² of cells. Adds to different cells may
// run concurrently.
type sums struct {
	w     []uint64 // cellWords per cell
	base  []int16
	mu    sync.Mutex // guards spill
	spill map[int32]*spill
}

// spill holds the values of a cell outside its window, and whether a
// value was not finite (the cell's mean and sd are then NaN).
type spill struct {
	sum, sq   *big.Float
	nonFinite bool
}

func (s *sums) init(cells int) {
	s.w, s.base, s.spill = make([]uint64, cells*cellWords), make([]int16, cells), map[int32]*spill{}
	for c := range s.base {
		s.base[c] = noBase
	}
}

// add adds the values v of cell c.
func (s *sums) add(c int, v []float64) {
	w := (*[cellWords]uint64)(s.w[c*cellWords:])
	w0, w1, w2 := w[0], w[1], w[2]
	q0, q1, q2, q3 := w[3], w[4], w[5], w[6]
	base := int(s.base[c])
	for _, x := range v {
		b := math.Float64bits(x)
		e := int(b>>52&0x7ff) - 1075 // zero and subnormals: −1075, spilled
		if uint(e-minExp) > maxExp-minExp {
			s.slow(c, x)
			continue
		}
		if base == noBase {
			base = e - 53
		}
		sh := e - base
		if uint(sh-loShift) > hiShift-loShift {
			s.slow(c, x)
			continue
		}
		m := b&(1<<52-1) | 1<<52
		// Σx += ±m·2^sh: m shifted into three words, negated (two's
		// complement) by mask.
		t := uint(sh) & 63
		lo, hi := m<<t, m>>(64-t)
		sel := -uint64(sh >> 6) // all ones for sh ≥ 64
		neg := -(b >> 63)       // all ones for x < 0
		var cy uint64
		w0, cy = bits.Add64(w0, (lo&^sel)^neg, neg&1)
		w1, cy = bits.Add64(w1, (hi&^sel|lo&sel)^neg, cy)
		w2, _ = bits.Add64(w2, (hi&sel)^neg, cy)
		// Σx² += m²·2^(2sh − sqShift), 2sh − sqShift in [0, 116].
		ph, pl := bits.Mul64(m, m)
		s2 := 2*sh - sqShift
		t = uint(s2) & 63
		x0, x1, x2 := pl<<t, ph<<t|pl>>(64-t), ph>>(64-t)
		sel = -uint64(s2 >> 6)
		q0, cy = bits.Add64(q0, x0&^sel, 0)
		q1, cy = bits.Add64(q1, x1&^sel|x0&sel, cy)
		q2, cy = bits.Add64(q2, x2&^sel|x1&sel, cy)
		q3, _ = bits.Add64(q3, x2&sel, cy)
	}
	w[0], w[1], w[2] = w0, w1, w2
	w[3], w[4], w[5], w[6] = q0, q1, q2, q3
	s.base[c] = int16(base)
}

// slow adds a value outside cell c's window: nothing for a zero, else to
// the cell's spill.
func (s *sums) slow(c int, x float64) {
	if x == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.spillOf(c)
	if math.IsInf(x, 0) || math.IsNaN(x) {
		p.nonFinite = true
		return
	}
	b := new(big.Float).SetFloat64(x) // 53 bits: its square is exact in 106
	p.sum = exactAdd(p.sum, b)
	p.sq = exactAdd(p.sq, new(big.Float).SetPrec(106).Mul(b, b))
}

func (s *sums) spillOf(c int) *spill {
	p := s.spill[int32(c)]
	if p == nil {
		p = &spill{sum: new(big.Float), sq: new(big.Float)}
		s.spill[int32(c)] = p
	}
	return p
}

// addTerm adds the value v (finite) to Σx of cell c, or to Σx² if sq,
// where the window holds it, else to the spill; the cell has a base.
func (s *sums) addTerm(c int, v float64, sq bool) {
	if v == 0 {
		return
	}
	b := math.Float64bits(v)
	e := int(b>>52&0x7ff) - 1075
	base := int(s.base[c])
	sh := e - base
	if sq {
		sh = e - 2*base - sqShift
	}
	if uint(e-minExp) <= maxExp-minExp && uint(sh) <= 116 {
		m := b&(1<<52-1) | 1<<52
		w := s.w[c*cellWords : (c+1)*cellWords]
		if sq {
			addShifted(w[sumWords:], m, uint(sh), false)
		} else {
			addShifted(w[:sumWords], m, uint(sh), b>>63 != 0)
		}
		return
	}
	p := s.spillOf(c)
	if sq {
		p.sq = exactAdd(p.sq, new(big.Float).SetFloat64(v))
	} else {
		p.sum = exactAdd(p.sum, new(big.Float).SetFloat64(v))
	}
}

// addShifted adds ±m·2^sh to the two's complement integer w.
func addShifted(w []uint64, m uint64, sh uint, neg bool) {
	var v [5]uint64
	k, t := sh/64, sh%64
	v[k] = m << t
	if t > 0 {
		v[k+1] = m >> (64 - t)
	}
	if neg {
		cy := uint64(1)
		for i := range w {
			w[i], cy = bits.Add64(w[i], ^v[i], cy)
		}
		return
	}
	var cy uint64
	for i := range w {
		w[i], cy = bits.Add64(w[i], v[i], cy)
	}
}

// merge adds cell c of t to cell c of s.
func (s *sums) merge(c int, t *sums) {
	tw := t.w[c*cellWords : (c+1)*cellWords]
	w := s.w[c*cellWords : (c+1)*cellWords]
	switch tb := t.base[c]; {
	case tb == noBase:
	case s.base[c] == noBase:
		copy(w, tw)
		s.base[c] = tb
	case s.base[c] == tb:
		var cy uint64
		for i := range w[:sumWords] {
			w[i], cy = bits.Add64(w[i], tw[i], cy)
		}
		cy = 0
		for i := sumWords; i < cellWords; i++ {
			w[i], cy = bits.Add64(w[i], tw[i], cy)
		}
	default:
		// Other bases: t's words in 32-bit pieces, each a float64 exactly
		// (|x| in the window keeps every piece a normal number).
		mag, neg := magnitude(tw[:sumWords])
		for k := range 2 * sumWords {
			if d := mag[k/2] >> (32 * (k % 2)) & 0xffffffff; d != 0 {
				v := math.Ldexp(float64(d), int(tb)+32*k)
				if neg {
					v = -v
				}
				s.addTerm(c, v, false)
			}
		}
		for k := range 2 * (cellWords - sumWords) {
			if d := tw[sumWords+k/2] >> (32 * (k % 2)) & 0xffffffff; d != 0 {
				s.addTerm(c, math.Ldexp(float64(d), 2*int(tb)+sqShift+32*k), true)
			}
		}
	}
	if tp := t.spill[int32(c)]; tp != nil {
		p := s.spillOf(c)
		p.sum = exactAdd(p.sum, tp.sum)
		p.sq = exactAdd(p.sq, tp.sq)
		p.nonFinite = p.nonFinite || tp.nonFinite
	}
}

// magnitude returns |w| of the two's complement integer w and its sign.
func magnitude(w []uint64) ([sumWords]uint64, bool) {
	var m [sumWords]uint64
	copy(m[:], w)
	neg := w[len(w)-1]>>63 != 0
	if neg {
		cy := uint64(1)
		for i := range m {
			m[i], cy = bits.Add64(^m[i], 0, cy)
		}
	}
	return m, neg
}

// big returns the exact Σx and Σx² of cell c, and whether a value was not
// finite.
func (s *sums) big(c int) (sum, sq *big.Float, nonFinite bool) {
	w := s.w[c*cellWords : (c+1)*cellWords]
	base := int(s.base[c])
	if base == noBase {
		sum, sq = new(big.Float), new(big.Float)
	} else {
		mag, neg := magnitude(w[:sumWords])
		sum = wordsFloat(mag[:], base)
		if neg {
			sum.Neg(sum)
		}
		sq = wordsFloat(w[sumWords:], 2*base+sqShift)
	}
	if p := s.spill[int32(c)]; p != nil {
		sum = exactAdd(sum, p.sum)
		sq = exactAdd(sq, p.sq)
		nonFinite = p.nonFinite
	}
	return sum, sq, nonFinite
}

// wordsFloat returns the unsigned integer w (least significant word
// first) times 2^e, exactly, with 128 bits to spare.
func wordsFloat(w []uint64, e int) *big.Float {
	be := make([]byte, 8*len(w))
	for i, x := range w {
		binary.BigEndian.PutUint64(be[8*(len(w)-1-i):], x)
	}
	z := new(big.Int).SetBytes(be)
	f := new(big.Float).SetPrec(uint(z.BitLen()) + 128).SetInt(z)
	return f.SetMantExp(f, e)
}

// exactAdd returns x + y exactly, with 128 bits to spare (a new value,
// or x or y if the other is zero).
func exactAdd(x, y *big.Float) *big.Float {
	if y.Sign() == 0 {
		return x
	}
	if x.Sign() == 0 {
		return new(big.Float).SetPrec(y.MinPrec() + 128).Set(y)
	}
	hi := max(x.MantExp(nil), y.MantExp(nil))
	lo := min(x.MantExp(nil)-int(x.MinPrec()), y.MantExp(nil)-int(y.MinPrec()))
	return new(big.Float).SetPrec(uint(hi-lo)+129).Add(x, y)
}

// meanVar returns the mean and the sample variance (n − 1 in the
// denominator; 0 for n < 2) of n values from their exact sum and sum of
// squares, each correctly rounded from the exact value
// (a = Σx and b = Σx², each with at least 64 bits more precision than its
// value needs).
func meanVar(n int64, a, b *big.Float) (mean, variance float64) {
	if n == 0 {
		return 0, 0
	}
	mean = bigDiv(a, n)
	if n < 2 {
		return mean, 0
	}
	prec := 2*a.Prec() + b.Prec() + 128
	a = new(big.Float).SetPrec(prec).Set(a)
	b = new(big.Float).SetPrec(prec).Set(b)
	nn := new(big.Float).SetPrec(prec).SetInt64(n)
	num := new(big.Float).SetPrec(prec).Mul(nn, b) // n·Σx²
	a2 := new(big.Float).SetPrec(prec).Mul(a, a)   // (Σx)²
	num.Sub(num, a2)
	if num.Sign() < 0 {
		num.SetInt64(0)
	}
	den := new(big.Float).SetPrec(prec).SetInt64(n * (n - 1))
	v, _ := num.Quo(num, den).Float64()
	return mean, v
}

// bigDiv returns z/n correctly rounded (z has 64 bits of precision to
// spare, so rounding the quotient twice cannot differ from once).
func bigDiv(z *big.Float, n int64) float64 {
	q := new(big.Float).SetPrec(z.Prec())
	q.Quo(z, new(big.Float).SetPrec(z.Prec()).SetInt64(n))
	v, _ := q.Float64()
	return v
}
