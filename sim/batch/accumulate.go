package batch

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"sync"
)

// ExactLimit is the memory (bytes) that the values of a batch may take
// for its percentiles to be exact: with cells × runs × 8 bytes above it,
// percentiles come from a [Sketch] instead.
const ExactLimit = 16 << 20

// Accumulator gathers the statistics of a batch of runs over a fixed set
// of output cells (each run gives one value per cell), and a table of
// per-run values (the sampled inputs and headline results). Runs are
// identified by their index in [0, runs); adding them, or merging
// accumulators of disjoint runs, in any order gives identical state.
//
// Memory: per cell about 80 bytes plus, in exact mode, 8 bytes per run,
// else the sketch's buckets (a few hundred bytes); per run a bit, and
// 8 bytes per table column; and, once [Accumulator.AddShared] is used,
// up to workers + 1 blocks of [BlockRuns] runs (8 bytes per cell and
// run). Not safe for concurrent use, except AddShared and AddCells as
// documented there.
type Accumulator struct {
	cells, runs, cols int
	exact             bool
	n                 int64
	done              []uint64 // bit per run added
	s                 sums     // exact Σx and Σx² per cell
	min, max          []float64
	vals              []float64 // exact mode: runs × cells, index run×cells + cell
	sk                []Sketch  // sketch mode: per cell
	table             []float64 // runs × cols, index run×cols + col
	sh                shared    // runs of AddShared not yet in the statistics
}

// NewAccumulator returns an empty accumulator of cells output cells for a
// batch of runs runs with a per-run table of cols columns; exact keeps
// every value (see [ExactLimit]).
func NewAccumulator(cells, runs, cols int, exact bool) *Accumulator {
	if runs >= maxAdds {
		panic("batch: NewAccumulator: too many runs")
	}
	a := &Accumulator{cells: cells, runs: runs, cols: cols, exact: exact,
		done: make([]uint64, (runs+63)/64),
		min:  make([]float64, cells), max: make([]float64, cells),
		table: make([]float64, runs*cols)}
	a.s.init(cells)
	for i := range a.min {
		a.min[i], a.max[i] = math.Inf(1), math.Inf(-1)
	}
	for i := range a.table {
		a.table[i] = math.NaN()
	}
	if exact {
		a.vals = make([]float64, runs*cells)
	} else {
		a.sk = make([]Sketch, cells)
	}
	return a
}

// Exact reports whether percentiles are exact.
func (a *Accumulator) Exact() bool { return a.exact }

// Count returns the number of runs added.
func (a *Accumulator) Count() int64 { a.settle(); return a.n }

// Has reports whether run i was added.
func (a *Accumulator) Has(i int) bool { a.settle(); return a.has(i) }

func (a *Accumulator) has(i int) bool { return a.done[i/64]&(1<<(i%64)) != 0 }

// Add adds run i with cell values y (len cells) and table row row (len
// cols). It panics if i was added before or lengths differ.
func (a *Accumulator) Add(i int, y, row []float64) {
	if len(y) != a.cells || len(row) != a.cols {
		panic("batch: Add: wrong lengths")
	}
	if a.has(i) {
		panic(fmt.Sprintf("batch: run %d added twice", i))
	}
	a.AddCells(i, y, 0, a.cells)
	a.AddRun(i, row)
}

// AddCells adds the values y[c0:c1] (len(y) = cells) of run i to cells
// [c0, c1). Calls for disjoint cell ranges may run concurrently with each
// other (not with AddRun, Merge, Encode or Stats); a run is added once
// every cell of it was, by [Accumulator.AddRun]. [Accumulator.Add] is
// AddCells over all cells and AddRun.
func (a *Accumulator) AddCells(i int, y []float64, c0, c1 int) {
	if len(y) != a.cells || c0 < 0 || c1 > a.cells {
		panic("batch: AddCells: wrong lengths")
	}
	a.addBlock(y, 0, 1, c0, c1)
	if a.exact {
		copy(a.vals[i*a.cells+c0:i*a.cells+c1], y[c0:c1])
	}
}

// addBlock adds the values of nb runs, ys[r·stride + c] for run r < nb,
// to cells [c0, c1): cell by cell, so that each cell's state is read and
// written once for all nb values (a batch's cells take far more memory
// than the caches; adding one run at a time went to main memory for
// every value). Exact mode's values are the caller's to copy.
func (a *Accumulator) addBlock(ys []float64, stride, nb, c0, c1 int) {
	var vs [BlockRuns]float64
	v := vs[:nb]
	for c := c0; c < c1; c++ {
		mn, mx := a.min[c], a.max[c]
		for r := range v {
			x := ys[r*stride+c]
			v[r] = x
			if x < mn {
				mn = x
			}
			if x > mx {
				mx = x
			}
		}
		a.min[c], a.max[c] = mn, mx
		a.s.add(c, v)
		if !a.exact {
			a.sk[c].addMany(v)
		}
	}
}

// BlockRuns is how many runs [Accumulator.AddShared] gathers before it
// adds them to the statistics, cell by cell.
const BlockRuns = 16

// nStripes is how many cell ranges, each under its own lock, the runs of
// a block are added by: blocks completed by two goroutines at once are
// added at once, each starting on another stripe.
const nStripes = 16

// shared is the state of [Accumulator.AddShared]: the block being filled,
// blocks free for reuse, and the stripes' locks.
type shared struct {
	mu      sync.Mutex // guards cur, free and the record of runs
	cur     *block
	free    []*block
	stripes [nStripes]sync.Mutex
}

// block holds the values (BlockRuns × cells) and table rows of up to
// BlockRuns runs.
type block struct {
	y               []float64
	rows            []float64
	runs            []int
	claimed, filled int
}

// AddShared adds run i with cell values y (len cells) and table row row
// (len cols), like [Accumulator.Add], but may be called by several
// goroutines at once (not concurrently with any other method). The run
// joins the statistics once [BlockRuns] runs are gathered (the goroutine
// that completes a block adds it, stripe by stripe of cells, while others
// keep adding) or when another method is called: every other method first
// adds the runs gathered so far, so a checkpoint holds whole runs.
func (a *Accumulator) AddShared(i int, y, row []float64) {
	if len(y) != a.cells || len(row) != a.cols {
		panic("batch: AddShared: wrong lengths")
	}
	s := &a.sh
	s.mu.Lock()
	if s.cur == nil {
		if n := len(s.free); n > 0 {
			s.cur, s.free = s.free[n-1], s.free[:n-1]
		} else {
			s.cur = &block{y: make([]float64, BlockRuns*a.cells), rows: make([]float64, BlockRuns*a.cols),
				runs: make([]int, BlockRuns)}
		}
	}
	b := s.cur
	k := b.claimed
	b.claimed++
	if b.claimed == BlockRuns {
		s.cur = nil // full: the next run starts another block
	}
	s.mu.Unlock()
	copy(b.y[k*a.cells:(k+1)*a.cells], y)
	copy(b.rows[k*a.cols:(k+1)*a.cols], row)
	b.runs[k] = i
	s.mu.Lock()
	b.filled++
	full := b.filled == BlockRuns
	s.mu.Unlock()
	if full {
		a.addShared(b)
	}
}

// addShared adds the runs of block b to the statistics and frees it.
func (a *Accumulator) addShared(b *block) {
	s := &a.sh
	nb := b.filled
	for k := range nStripes {
		st := (b.runs[0] + k) % nStripes
		c0, c1 := st*a.cells/nStripes, (st+1)*a.cells/nStripes
		s.stripes[st].Lock()
		a.addBlock(b.y, a.cells, nb, c0, c1)
		s.stripes[st].Unlock()
	}
	s.mu.Lock()
	for k, i := range b.runs[:nb] {
		if a.exact {
			copy(a.vals[i*a.cells:(i+1)*a.cells], b.y[k*a.cells:(k+1)*a.cells])
		}
		a.AddRun(i, b.rows[k*a.cols:(k+1)*a.cols])
	}
	b.claimed, b.filled = 0, 0
	s.free = append(s.free, b)
	s.mu.Unlock()
}

// settle adds the runs that [Accumulator.AddShared] gathered (no
// AddShared may be running).
func (a *Accumulator) settle() {
	if b := a.sh.cur; b != nil {
		a.sh.cur = nil
		if b.filled > 0 {
			a.addShared(b)
		}
	}
}

// Settle adds the runs gathered by [Accumulator.AddShared] to the
// statistics and frees its blocks. After it, [Accumulator.Stats] may run
// concurrently.
func (a *Accumulator) Settle() {
	a.settle()
	a.sh.free = nil
}

// AddRun records run i, whose cells were all added by
// [Accumulator.AddCells], with its table row (len cols). It panics if i
// was recorded before.
func (a *Accumulator) AddRun(i int, row []float64) {
	if len(row) != a.cols {
		panic("batch: AddRun: wrong length")
	}
	if a.has(i) {
		panic(fmt.Sprintf("batch: run %d added twice", i))
	}
	a.done[i/64] |= 1 << (i % 64)
	a.n++
	copy(a.table[i*a.cols:], row)
}

// ErrOverlap is returned by [Accumulator.Merge] when both accumulators
// hold a run.
var ErrOverlap = errors.New("batch: the same run is in two partial results")

// Merge adds the runs of b (same shape, disjoint runs) into a.
func (a *Accumulator) Merge(b *Accumulator) error {
	if a.cells != b.cells || a.runs != b.runs || a.cols != b.cols || a.exact != b.exact {
		return errors.New("batch: partial results of different batches")
	}
	a.settle()
	b.settle()
	for i := range a.done {
		if a.done[i]&b.done[i] != 0 {
			k := i*64 + bits.TrailingZeros64(a.done[i]&b.done[i])
			return fmt.Errorf("%w (run %d)", ErrOverlap, k)
		}
	}
	for i := range a.done {
		a.done[i] |= b.done[i]
	}
	a.n += b.n
	for c := 0; c < a.cells; c++ {
		a.s.merge(c, &b.s)
		a.min[c] = math.Min(a.min[c], b.min[c])
		a.max[c] = math.Max(a.max[c], b.max[c])
		if !a.exact {
			a.sk[c].Merge(&b.sk[c])
		}
	}
	for i := 0; i < a.runs; i++ {
		if b.has(i) {
			if a.exact {
				copy(a.vals[i*a.cells:(i+1)*a.cells], b.vals[i*a.cells:])
			}
			copy(a.table[i*a.cols:(i+1)*a.cols], b.table[i*a.cols:])
		}
	}
	return nil
}

// Missing returns the indices of the runs in [lo, hi) not added.
func (a *Accumulator) Missing(lo, hi int) []int {
	a.settle()
	var out []int
	for i := lo; i < hi; i++ {
		if !a.has(i) {
			out = append(out, i)
		}
	}
	return out
}

// Row returns the table row of run i (NaN where not added). The caller
// must not modify it.
func (a *Accumulator) Row(i int) []float64 { a.settle(); return a.table[i*a.cols : (i+1)*a.cols] }

// Statistic names a statistic of a cell: mean, sd (sample standard
// deviation), min, max, or a percentile P (0 < P < 100).
type Statistic struct {
	Name string  // "mean", "sd", "min", "max" or "p5", "p2.5", …
	P    float64 // percentile for a "p…" statistic, else 0
}

// Stats writes the statistics of cell c into dst (len(stats)), using buf
// as scratch for exact percentiles (len ≥ runs added, or nil). After
// [Accumulator.Settle], calls with their own dst and buf may run
// concurrently.
func (a *Accumulator) Stats(c int, stats []Statistic, dst []float64, buf []float64) []float64 {
	a.settle()
	s1, s2, nonFinite := a.s.big(c)
	mean, v := meanVar(a.n, s1, s2)
	if nonFinite {
		mean, v = math.NaN(), math.NaN()
	}
	var sorted []float64
	for k, s := range stats {
		switch s.Name {
		case "mean":
			dst[k] = mean
		case "sd":
			dst[k] = math.Sqrt(v)
		case "min":
			dst[k] = a.min[c]
		case "max":
			dst[k] = a.max[c]
		default:
			if a.exact {
				if sorted == nil {
					sorted = buf[:0]
					for i := 0; i < a.runs; i++ {
						if a.has(i) {
							sorted = append(sorted, a.vals[i*a.cells+c])
						}
					}
					slices.Sort(sorted)
				}
				dst[k] = quantileExact(sorted, s.P/100)
			} else {
				dst[k] = a.sk[c].Quantile(s.P / 100)
			}
			// An interpolated percentile never leaves [min, max].
			dst[k] = math.Min(math.Max(dst[k], a.min[c]), a.max[c])
		}
	}
	if a.n == 0 {
		for k := range dst[:len(stats)] {
			dst[k] = math.NaN()
		}
	}
	return dst
}

// accMagic begins a partial result. v3: the exact sums of a cell are its
// fixed-point words and a spill (xsum.go); v2 wrote expansions.
const accMagic = "junkan-batch-partial-v3\n"

// accMagicV1 and accMagicV2 began the partials of older junkans: v1
// without a checksum, v2 with the exact sums as expansions.
const (
	accMagicV1 = "junkan-batch-partial-v1\n"
	accMagicV2 = "junkan-batch-partial-v2\n"
)

// castagnoli is the CRC-32C table of the checksum that ends a partial
// result: a damaged checkpoint must be refused, not resumed into wrong
// statistics.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Encode writes the accumulator (a partial result) with a fingerprint
// of the batch that produced it, so that [DecodeAccumulator] can refuse a
// partial of another batch, and ends it with a CRC-32C of all the bytes
// before, so that a damaged partial is refused too.
func (a *Accumulator) Encode(w io.Writer, fingerprint string) error {
	a.settle()
	h := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(w, h), 1<<16)
	// One scratch for every value: a buffer declared per value would
	// escape, and a checkpoint of millions of values would leave as many
	// allocations behind (garbage that grew the heap with the runs).
	var scratch [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(scratch[:binary.PutUvarint(scratch[:], x)]) }
	sv := func(x int64) { bw.Write(scratch[:binary.PutVarint(scratch[:], x)]) }
	f := func(x float64) {
		binary.LittleEndian.PutUint64(scratch[:8], math.Float64bits(x))
		bw.Write(scratch[:8])
	}
	bw.WriteString(accMagic)
	uv(uint64(len(fingerprint)))
	bw.WriteString(fingerprint)
	uv(uint64(a.cells))
	uv(uint64(a.runs))
	uv(uint64(a.cols))
	if a.exact {
		uv(1)
	} else {
		uv(0)
	}
	uv(uint64(a.n))
	for _, d := range a.done {
		binary.LittleEndian.PutUint64(scratch[:8], d)
		bw.Write(scratch[:8])
	}
	bf := func(x *big.Float) {
		g, _ := x.GobEncode() // exact; cannot fail
		uv(uint64(len(g)))
		bw.Write(g)
	}
	st := func(s *store) {
		sv(int64(s.off))
		uv(uint64(len(s.c)))
		for _, n := range s.c {
			uv(uint64(n))
		}
	}
	for c := 0; c < a.cells; c++ {
		sv(int64(a.s.base[c]))
		if a.s.base[c] != noBase {
			for _, x := range a.s.w[c*cellWords : (c+1)*cellWords] {
				binary.LittleEndian.PutUint64(scratch[:8], x)
				bw.Write(scratch[:8])
			}
		}
		f(a.min[c])
		f(a.max[c])
		if !a.exact {
			st(&a.sk[c].neg)
			st(&a.sk[c].pos)
			uv(a.sk[c].zero)
		}
	}
	spilled := make([]int32, 0, len(a.s.spill))
	for c := range a.s.spill {
		spilled = append(spilled, c)
	}
	slices.Sort(spilled)
	uv(uint64(len(spilled)))
	for _, c := range spilled {
		p := a.s.spill[c]
		uv(uint64(c))
		if p.nonFinite {
			uv(1)
		} else {
			uv(0)
		}
		bf(p.sum)
		bf(p.sq)
	}
	for i := 0; i < a.runs; i++ {
		if !a.has(i) {
			continue
		}
		if a.exact {
			for _, x := range a.vals[i*a.cells : (i+1)*a.cells] {
				f(x)
			}
		}
		for _, x := range a.table[i*a.cols : (i+1)*a.cols] {
			f(x)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(scratch[:4], h.Sum32())
	_, err := w.Write(scratch[:4])
	return err
}

// ErrForeign is wrapped by [DecodeAccumulator] when a partial result
// comes from another batch (another scenario, seed, design or outputs).
var ErrForeign = errors.New("batch: partial result of another batch")

// DecodeAccumulator reads an accumulator written by Encode and checks its
// fingerprint and its checksum. Errors wrap [ErrForeign] for another
// batch's partial; a damaged, truncated or extended partial is refused.
func DecodeAccumulator(r io.Reader, fingerprint string) (*Accumulator, error) {
	all, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(all, []byte(accMagicV1)) {
		return nil, errors.New("batch: partial result written by an older junkan (without a checksum); run the batch again")
	}
	if bytes.HasPrefix(all, []byte(accMagicV2)) {
		return nil, errors.New("batch: partial result written by an older junkan (format v2, exact sums as expansions); run the batch, or this shard, again with this junkan")
	}
	if !bytes.HasPrefix(all, []byte(accMagic)) {
		return nil, errors.New("batch: not a junkan partial result")
	}
	if len(all) < len(accMagic)+4 || crc32.Checksum(all[:len(all)-4], castagnoli) != binary.LittleEndian.Uint32(all[len(all)-4:]) {
		return nil, errors.New("batch: damaged or truncated partial result (its checksum differs)")
	}
	br := bytes.NewReader(all[len(accMagic) : len(all)-4])
	uv := func() uint64 {
		if err != nil {
			return 0
		}
		var x uint64
		x, err = binary.ReadUvarint(br)
		return x
	}
	sv := func() int64 {
		if err != nil {
			return 0
		}
		var x int64
		x, err = binary.ReadVarint(br)
		return x
	}
	f := func() float64 {
		var b [8]byte
		if err == nil {
			_, err = io.ReadFull(br, b[:])
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
	}
	fl := int(uv())
	if err != nil || fl > 1<<20 {
		return nil, errors.New("batch: damaged partial result")
	}
	fp := make([]byte, fl)
	if _, err := io.ReadFull(br, fp); err != nil {
		return nil, errors.New("batch: damaged partial result")
	}
	if string(fp) != fingerprint {
		return nil, ErrForeign
	}
	cells, runs, cols, exact := int(uv()), int(uv()), int(uv()), uv() == 1
	if err != nil || cells > 1<<28 || runs > 1<<28 || cols > 1<<20 {
		return nil, errors.New("batch: damaged partial result")
	}
	a := NewAccumulator(cells, runs, cols, exact)
	a.n = int64(uv())
	for i := range a.done {
		var b [8]byte
		if err == nil {
			_, err = io.ReadFull(br, b[:])
		}
		a.done[i] = binary.LittleEndian.Uint64(b[:])
	}
	bf := func() *big.Float {
		n := int(uv())
		x := new(big.Float)
		if err != nil || n > 1<<16 || n > br.Len() {
			err = errors.New("damaged")
			return x
		}
		g := make([]byte, n)
		br.Read(g)
		if e := x.GobDecode(g); e != nil || x.IsInf() {
			err = errors.New("damaged")
		}
		return x
	}
	st := func(s *store) {
		s.off = int32(sv())
		n := int(uv())
		if n > 1<<24 {
			err = errors.New("damaged")
			return
		}
		s.c = make([]uint32, n)
		for i := range s.c {
			s.c[i] = uint32(uv())
		}
	}
	for c := 0; c < cells && err == nil; c++ {
		base := sv()
		if base != noBase {
			if base < minExp-53 || base > maxExp-53 {
				err = errors.New("damaged")
				break
			}
			a.s.base[c] = int16(base)
			for k := range cellWords {
				var b [8]byte
				if err == nil {
					_, err = io.ReadFull(br, b[:])
				}
				a.s.w[c*cellWords+k] = binary.LittleEndian.Uint64(b[:])
			}
		}
		a.min[c] = f()
		a.max[c] = f()
		if !exact {
			st(&a.sk[c].neg)
			st(&a.sk[c].pos)
			a.sk[c].zero = uv()
		}
	}
	for k, n := 0, int(uv()); k < n && err == nil; k++ {
		c := uv()
		if c >= uint64(cells) || a.s.spill[int32(c)] != nil {
			err = errors.New("damaged")
			break
		}
		p := a.s.spillOf(int(c))
		p.nonFinite = uv() == 1
		p.sum = bf()
		p.sq = bf()
	}
	for i := 0; i < runs && err == nil; i++ {
		if !a.has(i) {
			continue
		}
		if exact {
			for k := range a.vals[i*cells : (i+1)*cells] {
				a.vals[i*cells+k] = f()
			}
		}
		for k := range a.table[i*cols : (i+1)*cols] {
			a.table[i*cols+k] = f()
		}
	}
	if err != nil || br.Len() != 0 {
		return nil, errors.New("batch: damaged or truncated partial result")
	}
	return a, nil
}
