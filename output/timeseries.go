package output

import (
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Header is the header line of timeseries.csv (DESIGN §9), without the
// line break.
const Header = "scenario,level,region,archetype,year,material,indicator,value,unit"

// Level names of the level column of timeseries.csv.
const (
	LevelRegion    = "region"    // one municipality or synthetic region
	LevelArchetype = "archetype" // all regions of one archetype a … e
	LevelTotal     = "total"     // all regions
	LevelBlock     = "block"     // the regions sharing one facility under wide-area consolidation
)

// MaterialAll is the material id of rows summed over all materials.
const MaterialAll = "all"

// MaterialMSW is the material id of rows summed over the non-durable
// materials: municipal solid waste in the scope of the MOE statistics
// (ごみ総排出量), without the durable products. Written only when a run
// has durable products.
const MaterialMSW = "msw"

// ErrNonFinite is wrapped by the errors of [WriteTimeseries] and [Write]
// when a value to be written is NaN or ±Inf.
var ErrNonFinite = errors.New("output: non-finite value")

// ErrMismatch is wrapped by the errors of [WriteTimeseries] and [Write]
// when the results do not share their regions, materials and years.
var ErrMismatch = errors.New("output: results do not match")

const numArchetypes = len(model.Archetypes)

// groups holds the flows of one result summed per archetype, in total and
// per block. Group g is archetype index 0 … 4, numArchetypes for the
// total, and numArchetypes+1+b for block b.
type groups struct {
	Y, M     int
	durables bool     // the run has durable products
	regions  []int    // number of regions per group
	blockIDs []string // ids of the block groups
	// flows per group, year and material (index M = all materials, M+1 =
	// the non-durable materials, "msw"), index (g×Y+y)×(M+2)+m.
	flows []model.Flows
	pop   []float64 // persons per group and year, index g×Y+y
	// Per region and year (index r×Y+y): the sums over all materials and
	// over the non-durable ones, and the population; so that the rows of
	// level region can be written without the result.
	regAll, regMSW []model.Flows
	regPop         []float64
	blockMaterials bool          // per-material sums of the block groups were formed
	blk            []model.Flows // block groups' all and msw sums without blockMaterials, index (b×Y+y)×2+k
}

func (gs *groups) cell(g, y, m int) *model.Flows {
	if g > numArchetypes && !gs.blockMaterials {
		// Block groups without per-material sums keep only all and msw.
		return &gs.blk[((g-numArchetypes-1)*gs.Y+y)*2+(m-gs.M)]
	}
	return &gs.flows[(g*gs.Y+y)*(gs.M+2)+m]
}

// sumGroups sums res over the regions of each archetype and over all
// regions, region by region in order, then over materials for "all".
func sumGroups(res *sim.Result) *groups { return sumGroupsBlocks(res, nil, true) }

// sumGroupsBlocks is sumGroups with block groups: blocks, if not nil,
// gives the block of each region. Per-material block sums are formed only
// with blockMaterials.
func sumGroupsBlocks(res *sim.Result, blocks *Blocks, blockMaterials bool) *groups {
	return sumGroupsWorkers(res, blocks, blockMaterials, 0)
}

// sumGroupsWorkers is sumGroupsBlocks on up to workers goroutines (0: one
// per CPU); the sums do not depend on it.
func sumGroupsWorkers(res *sim.Result, blocks *Blocks, blockMaterials bool, workers int) *groups {
	gs := newGroups(res, blocks, blockMaterials)
	Y := res.Years
	// Years are independent: sum them on several goroutines. Each year is
	// summed by one goroutine in region order, so the sums do not depend
	// on the scheduling.
	var wg sync.WaitGroup
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, Y)
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			for y := wk; y < Y; y += workers {
				yr := res.YearOf(y)
				gs.sumYear(&yr, blocks, blockMaterials)
			}
		}(wk)
	}
	wg.Wait()
	return gs
}

// newGroups returns the empty sums of a result of the shape of res (its
// flows are not read).
func newGroups(res *sim.Result, blocks *Blocks, blockMaterials bool) *groups {
	Y, R, M := res.Years, len(res.Regions), len(res.Materials)
	G := numArchetypes + 1
	if blocks != nil {
		G += len(blocks.IDs)
	}
	gs := &groups{Y: Y, M: M, pop: make([]float64, G*Y), regions: make([]int, G)}
	if blockMaterials {
		gs.flows = make([]model.Flows, G*Y*(M+2))
	} else {
		gs.flows = make([]model.Flows, (numArchetypes+1)*Y*(M+2))
		gs.blk = make([]model.Flows, (G-numArchetypes-1)*Y*2)
	}
	if blocks != nil {
		gs.blockIDs = blocks.IDs
	}
	gs.blockMaterials = blockMaterials
	for m := range res.Materials {
		gs.durables = gs.durables || res.Materials[m].Durable
	}
	for r := range res.Regions {
		k := res.Regions[r].Archetype.Index()
		gs.regions[k]++
		gs.regions[numArchetypes]++
		if blocks != nil {
			gs.regions[numArchetypes+1+blocks.RegionBlock[r]]++
		}
	}
	gs.regAll = make([]model.Flows, R*Y)
	gs.regMSW = make([]model.Flows, R*Y)
	gs.regPop = make([]float64, R*Y)
	return gs
}

// sumYear forms the sums of year yr (index yr.Index).
func (gs *groups) sumYear(yr *sim.Year, blocks *Blocks, blockMaterials bool) {
	Y, R, M := gs.Y, len(yr.Regions), gs.M
	y := yr.Index
	{
		for r := 0; r < R; r++ {
			k := yr.Regions[r].Archetype.Index()
			b := -1
			if blocks != nil {
				b = numArchetypes + 1 + blocks.RegionBlock[r]
			}
			p := yr.Population[r]
			gs.regPop[r*Y+y] = p
			gs.pop[k*Y+y] += p
			gs.pop[numArchetypes*Y+y] += p
			if b >= 0 {
				gs.pop[b*Y+y] += p
			}
			// The region's sums are formed on the stack and stored once
			// (regAll and regMSW are strided by year).
			var msw, dur model.Flows
			for m := 0; m < M; m++ {
				c := yr.Cell(r, m)
				// One pass over the cell for its two sums.
				if yr.Materials[m].Durable {
					add2(gs.cell(k, y, m), &dur, c)
				} else {
					add2(gs.cell(k, y, m), &msw, c)
				}
				if b >= 0 && blockMaterials {
					gs.cell(b, y, m).Add(c)
				}
			}
			all := msw
			all.Add(&dur)
			gs.regAll[r*Y+y], gs.regMSW[r*Y+y] = all, msw
			if b >= 0 {
				gs.cell(b, y, M).Add(&all)
				gs.cell(b, y, M+1).Add(&msw)
			}
		}
		// Totals per material are the sums of the archetypes (a … e, in
		// order); all and msw of each group from its materials.
		for m := 0; m < M; m++ {
			t := gs.cell(numArchetypes, y, m)
			for g := 0; g < numArchetypes; g++ {
				t.Add(gs.cell(g, y, m))
			}
		}
		for g := 0; g <= numArchetypes; g++ {
			all, msw := gs.cell(g, y, M), gs.cell(g, y, M+1)
			for m := 0; m < M; m++ {
				all.Add(gs.cell(g, y, m))
				if !yr.Materials[m].Durable {
					msw.Add(gs.cell(g, y, m))
				}
			}
		}
	}
}

// add2 adds c into a and into b (a and b distinct), reading c once.
func add2(a, b, c *model.Flows) {
	for i := range c {
		a[i] += c[i]
		b[i] += c[i]
	}
}

// checkResults reports whether results share regions (codes and
// archetypes), materials and years, and have valid shapes.
func checkResults(results []*sim.Result) error {
	if len(results) == 0 {
		return nil
	}
	a := results[0]
	for i, res := range results {
		R, M := len(res.Regions), len(res.Materials)
		if res.Years < 0 || len(res.Population) != res.Years*R || len(res.Flows) != res.Years*R*M {
			return fmt.Errorf("%w: result %d (%s): population has %d values and flows %d cells, want %d and %d",
				ErrMismatch, i, res.Variant, len(res.Population), len(res.Flows), res.Years*R, res.Years*R*M)
		}
		if res.BaseYear != a.BaseYear || res.Years != a.Years || R != len(a.Regions) || M != len(a.Materials) {
			return fmt.Errorf("%w: result %d (%s): FY%d + %d years, %d regions, %d materials; result 0 (%s): FY%d + %d years, %d regions, %d materials",
				ErrMismatch, i, res.Variant, res.BaseYear, res.Years, R, M, a.Variant, a.BaseYear, a.Years, len(a.Regions), len(a.Materials))
		}
		for r := range res.Regions {
			g := &res.Regions[r]
			if g.Archetype.Index() < 0 {
				return fmt.Errorf("%w: result %d (%s): region %s has invalid archetype %q", ErrMismatch, i, res.Variant, g.Code, rune(g.Archetype))
			}
			if g.Code != a.Regions[r].Code || g.Archetype != a.Regions[r].Archetype {
				return fmt.Errorf("%w: result %d (%s): region %d is %s (%s), result 0 has %s (%s)",
					ErrMismatch, i, res.Variant, r, g.Code, g.Archetype, a.Regions[r].Code, a.Regions[r].Archetype)
			}
		}
		for m := range res.Materials {
			if id := res.Materials[m].ID; id != a.Materials[m].ID || id == MaterialAll || id == MaterialMSW {
				return fmt.Errorf("%w: result %d (%s): material %d is %q (result 0: %q; %q and %q are reserved)",
					ErrMismatch, i, res.Variant, m, id, a.Materials[m].ID, MaterialAll, MaterialMSW)
			}
		}
	}
	return nil
}

// csvField returns s quoted as a CSV field if it needs quoting.
func csvField(s string) string {
	if s == "" || !strings.ContainsAny(s, ",\"\r\n") && s[0] != ' ' && s[0] != '\t' {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// SignificantDigits is the number of significant digits of the values in
// timeseries.csv: enough for any mass balance to close within 1e-9
// relative when summed back, and a third shorter than the shortest exact
// form.
const SignificantDigits = 12

// AppendValue appends v as timeseries.csv writes it (see appendValue):
// rounded to [SignificantDigits] significant digits, without trailing
// zeros, plain decimals for 1e-6 ≤ |v| < 1e21.
func AppendValue(b []byte, v float64) []byte { return appendValue(b, v) }

// appendValue appends v rounded to [SignificantDigits] significant digits,
// without trailing zeros: plain decimals for 1e-6 ≤ |v| < 1e21, else
// exponent form ("1e-7", "1.5e+21"). A negative zero is written as 0.
//
// Plain decimals take a fast path: the twelve digits are the integer
// nearest |v| × 10^(11−e) (e the decimal exponent), computed with one
// rounded multiplication or division by an exact power of ten; when the
// product lies so close to a half that the rounding could go either way,
// [appendValueExact] (strconv's correctly rounded digits) decides. Both give
// the same bytes; tests compare them.
func appendValue(b []byte, v float64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	a := math.Abs(v)
	if a < 1e-6 || a >= 1e21 {
		return appendValueExact(b, v)
	}
	digits, e, ok := digits12(a)
	if !ok {
		return appendValueExact(b, v)
	}
	// Two digits at a time, from the right (SignificantDigits is even).
	var d [SignificantDigits]byte
	for i := SignificantDigits - 2; i >= 0; i -= 2 {
		q := digits % 100
		digits /= 100
		d[i], d[i+1] = digitPairs[2*q], digitPairs[2*q+1]
	}
	return appendPlain(b, v < 0, d[:], e)
}

// digits12 returns the [SignificantDigits] significant digits of a
// (1e-6 ≤ a < 1e21) as an integer and the decimal exponent e of the first
// (a ≈ digits × 10^(e−11)), or false when a lies so close to a rounding
// half that the fast computation cannot tell (see appendValue).
func digits12(a float64) (digits uint64, e int, ok bool) {
	// e: 10^e ≤ a < 10^(e+1). The doubles nearest the powers of ten
	// classify doubles exactly (no double lies between 10^k and its
	// nearest double).
	// From the binary exponent: ⌊log10 2^b⌋ ≤ e ≤ that + 1.
	e = ((int(math.Float64bits(a)>>52) - 1023) * 78913) >> 18
	e = max(-6, min(e, 20))
	if e < 20 && a >= pow10[e+1+6] {
		e++
	}
	if e > -6 && a < pow10[e+6] {
		e--
	}
	var x float64
	if k := 11 - e; k >= 0 {
		x = a * pow10[k+6] // k ≤ 17: exact power, one rounding
	} else {
		x = a / pow10[-k+6] // −k ≤ 9: exact power, one rounding
	}
	// x < 10^12 < 2^40: its rounding error is below 2^−14; a fraction
	// within 1e-3 of one half is left to the exact path.
	n := math.Floor(x)
	if fr := x - n; fr > 0.499 && fr < 0.501 {
		return 0, 0, false
	} else if fr >= 0.501 {
		n++
	}
	digits = uint64(n)
	if digits >= 1e12 { // rounded up to the next power of ten
		digits /= 10
		e++
	}
	return digits, e, true
}

// roundValue returns v as timeseries.csv writes it, read back: the double
// nearest the decimal of [AppendValue] (what strconv.ParseFloat returns
// for it), without formatting it in the common case. A negative zero
// gives 0.
func roundValue(v float64) float64 {
	if v == 0 {
		return 0
	}
	if a := math.Abs(v); a >= 1e-6 && a < 1e21 {
		if digits, e, ok := digits12(a); ok {
			// digits < 10^12 and the powers of ten up to 10^22 are exact
			// doubles: one correctly rounded division or multiplication
			// gives the double nearest the decimal, as ParseFloat does.
			var x float64
			if k := 11 - e; k >= 0 {
				x = float64(digits) / pow10[k+6]
			} else {
				x = float64(digits) * pow10[-k+6]
			}
			if v < 0 {
				x = -x
			}
			return x
		}
	}
	var buf [32]byte
	x, err := strconv.ParseFloat(string(appendValueExact(buf[:0], v)), 64)
	if err != nil {
		panic("output: " + err.Error()) // appendValueExact writes a number
	}
	return x
}

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"4041424344454647484950515253545556575859606162636465666768697071727374757677787980818283848586878889" +
	"90919293949596979899"

// pow10[k+6] is 10^k, k = −6 … 23.
var pow10 = [...]float64{1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23}

// appendPlain appends the significant digits d (d[0] ≠ 0) of decimal
// exponent e as a plain decimal without trailing zeros, with a sign.
func appendPlain(b []byte, neg bool, d []byte, exp int) []byte {
	n := len(d)
	for n > 1 && d[n-1] == '0' {
		n--
	}
	if neg {
		b = append(b, '-')
	}
	if exp >= 0 {
		for k := 0; k <= exp; k++ {
			if k < n {
				b = append(b, d[k])
			} else {
				b = append(b, '0')
			}
		}
		if n > exp+1 {
			b = append(b, '.')
			b = append(b, d[exp+1:n]...)
		}
		return b
	}
	b = append(b, '0', '.')
	for k := 0; k < -exp-1; k++ {
		b = append(b, '0')
	}
	return append(b, d[:n]...)
}

// appendValueExact is appendValue from strconv's correctly rounded digits.
func appendValueExact(b []byte, v float64) []byte {
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
	exp := 0
	for _, c := range e[k+2:] {
		exp = exp*10 + int(c-'0')
	}
	if e[k+1] == '-' {
		exp = -exp
	}
	var digits [SignificantDigits]byte
	n := 0
	for _, c := range e[:k] {
		if c != '.' {
			digits[n] = c
			n++
		}
	}
	return appendPlain(b, v < 0, digits[:n], exp)
}

// Kinds of rows: the indicator of a row, as an index of rowNames and
// rowUnits: the flows in model order, population, then the derived
// indicators.
const (
	kindPop       = int(model.NumFlows)
	kindIndicator = kindPop + 1 // + the model.Indicator
	numKinds      = kindIndicator + int(model.NumIndicators)
)

// The indicator and unit of each kind of row: as text (rowName, rowUnit)
// and as the CSV's row parts, "name," before the value and ",unit\n" after
// it (rowNameCSV, rowUnitCSV).
var (
	rowName, rowUnit       [numKinds]string
	rowNameCSV, rowUnitCSV [numKinds][]byte
)

// archetypeNames are the letters of model.Archetypes.
var archetypeNames [numArchetypes]string

func init() {
	for i, a := range model.Archetypes {
		archetypeNames[i] = a.String()
	}
	for f := model.Flow(0); f < model.NumFlows; f++ {
		rowName[f], rowUnit[f] = f.String(), f.Unit()
	}
	rowName[kindPop], rowUnit[kindPop] = "population", "persons"
	for i := model.Indicator(0); i < model.NumIndicators; i++ {
		rowName[kindIndicator+int(i)], rowUnit[kindIndicator+int(i)] = i.String(), i.Unit()
	}
	for k := range numKinds {
		rowNameCSV[k] = []byte(rowName[k] + ",")
		rowUnitCSV[k] = []byte("," + csvField(rowUnit[k]) + "\n")
	}
}

// tsWriter writes rows of timeseries.csv: it appends them to out and,
// when w is not nil, writes out to w whenever it holds flushSize bytes.
// A tsWriter without w formats one chunk of rows in memory (writeResultParallel).
// With pq, it also keeps the rows for Parquet; with sink, the rows of the
// chunks go to timeseries.parquet (and with noCSV, only there).
type tsWriter struct {
	w      io.Writer
	out    []byte
	prefix []byte // "scenario,level,region,archetype,"
	block  []byte // prefix + "year,material,"
	rows   int
	err    error
	free   chan chunkBuf // chunk buffers of writeResultParallel, reused
	noCSV  bool          // no CSV bytes are formatted (Parquet only)
	pq     *pqRows       // if not nil, the rows are also kept here
	sink   *pqSink       // if not nil, chunks' rows are written to it
	ent    pqRun         // scenario, level, region and archetype of the current entity
	// what is being written, for error messages
	scenario, level, region string
	year                    int
	material                string
	// sel selects the rows written at level region; nil: all.
	sel      *RowSelection
	blockIDs []string      // ids of the block groups, if any
	cur      *RowSelection // selection in force for the current entity
}

// RowSelection selects indicators (flows, population and derived
// indicators) by name.
type RowSelection struct {
	flows [model.NumFlows]bool
	inds  [model.NumIndicators]bool
	pop   bool
}

// SelectRows returns the selection of the named indicators (flow names,
// "population" and derived indicator names); an unknown name is an error.
// No names selects everything.
func SelectRows(names []string) (*RowSelection, error) {
	s := &RowSelection{}
	if len(names) == 0 {
		for i := range s.flows {
			s.flows[i] = true
		}
		for i := range s.inds {
			s.inds[i] = true
		}
		s.pop = true
		return s, nil
	}
	for _, n := range names {
		if f, ok := model.FlowByName(n); ok {
			s.flows[f] = true
			continue
		}
		if n == "population" {
			s.pop = true
			continue
		}
		found := false
		for i := model.Indicator(0); i < model.NumIndicators; i++ {
			if i.String() == n {
				s.inds[i] = true
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("output: unknown indicator %q", n)
		}
	}
	return s, nil
}

// IndicatorNames returns every indicator name of timeseries.csv in output
// order: flows, population, derived indicators.
func IndicatorNames() []string { return model.IndicatorNames() }

var selectAll, _ = SelectRows(nil)

// setEntity sets the scenario, level, region and archetype of the next
// rows.
func (t *tsWriter) setEntity(scenario, level, region, archetype string) {
	t.level, t.region = level, region
	t.ent = pqRun{scenario: scenario, level: level, region: region, archetype: archetype}
	if t.noCSV {
		return
	}
	t.prefix = append(t.prefix[:0], csvField(scenario)...)
	t.prefix = append(t.prefix, ',')
	t.prefix = append(t.prefix, level...)
	t.prefix = append(t.prefix, ',')
	t.prefix = append(t.prefix, csvField(region)...)
	t.prefix = append(t.prefix, ',')
	t.prefix = append(t.prefix, archetype...)
	t.prefix = append(t.prefix, ',')
}

// setBlock sets the year and material of the next rows.
func (t *tsWriter) setBlock(fy int, material string) {
	t.year, t.material = fy, material
	if t.pq != nil {
		r := t.ent
		r.year, r.material = int32(fy), material
		t.pq.startRun(r)
	}
	if t.noCSV {
		return
	}
	t.block = append(t.block[:0], t.prefix...)
	t.block = strconv.AppendInt(t.block, int64(fy), 10)
	t.block = append(t.block, ',')
	t.block = append(t.block, csvField(material)...)
	t.block = append(t.block, ',')
}

// value writes one row of kind k (see rowName) with value v.
func (t *tsWriter) value(k int, v float64) {
	if t.err != nil {
		return
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		t.err = fmt.Errorf("%w: scenario %s, level %s, region %s, FY%d, material %s: %s is %v",
			ErrNonFinite, t.scenario, t.level, t.region, t.year, t.material, rowName[k], v)
		return
	}
	if !t.noCSV {
		b := append(t.out, t.block...)
		b = append(b, rowNameCSV[k]...)
		b = appendValue(b, v)
		t.out = append(b, rowUnitCSV[k]...)
	}
	if p := t.pq; p != nil {
		p.kind = append(p.kind, uint8(k))
		p.val = append(p.val, roundValue(v))
	}
	t.rows++
	if t.w != nil && len(t.out) >= flushSize {
		t.flush()
	}
}

// flushSize is the size of the writes to the file (bytes).
const flushSize = 256 << 10

// flush writes out to w (if not nil) and empties it.
func (t *tsWriter) flush() error {
	if t.w != nil && len(t.out) > 0 {
		_, err := t.w.Write(t.out)
		t.out = t.out[:0]
		if err != nil && t.err == nil {
			t.err = err
		}
	}
	return t.err
}

// cell writes the rows of one entity, year and material: every flow in
// model order, then (when withPop) population, then every indicator.
func (t *tsWriter) cell(f *model.Flows, pop float64, fy int, withPop bool) {
	sel := t.cur
	for i := range f {
		if sel.flows[i] {
			t.value(i, f[i])
		}
	}
	if withPop && sel.pop {
		t.value(kindPop, pop)
	}
	for i := model.Indicator(0); i < model.NumIndicators; i++ {
		if sel.inds[i] {
			t.value(kindIndicator+int(i), i.Value(f, pop, fy))
		}
	}
}

// WriteTimeseries writes the tidy CSV of DESIGN §9 to w: the header line
// [Header], then for each result in order (scenario = its Variant) the
// rows of level "region" (every region in order; region = its code,
// archetype = its letter), "archetype" (a … e, each present archetype;
// region and archetype = the letter) and "total" (region "total",
// archetype "all").
//
// For each entity, year ascending, and material in order followed by
// "all" (the sum over materials), it writes one row per flow in model
// order (unit t), at material "all" one population row (unit persons),
// and one row per [model.Indicator] computed from the summed flows. At
// level "region" the per-material rows are written only when
// regionMaterials is true.
//
// The results must share regions, materials and years, else the error
// wraps [ErrMismatch]; a NaN or ±Inf value stops the writing with an
// error wrapping [ErrNonFinite]. Rows written before an error stay in w.
// Apart from setup, WriteTimeseries does not allocate per row.
func WriteTimeseries(w io.Writer, results []*sim.Result, regionMaterials bool) error {
	_, err := writeTimeseries(w, results, regionMaterials)
	return err
}

// writeTimeseries is WriteTimeseries returning the number of data rows.
func writeTimeseries(w io.Writer, results []*sim.Result, regionMaterials bool) (int, error) {
	if err := checkResults(results); err != nil {
		return 0, err
	}
	t, err := newTSWriter(w, nil)
	if err != nil {
		return 0, err
	}
	for _, res := range results {
		t.writeResultParallel(res, sumGroupsBlocks(res, nil, regionMaterials), regionMaterials, runtime.GOMAXPROCS(0))
		if t.err != nil {
			t.flush()
			return t.rows, t.err
		}
	}
	return t.rows, t.flush()
}

// newTSWriter writes the header to w and returns a writer for rows; sel
// selects the rows of level region (nil: all).
//
// Without w, no CSV is formatted: give the writer a sink for the Parquet
// rows (newTSWriter's caller sets t.sink).
func newTSWriter(w io.Writer, sel *RowSelection) (*tsWriter, error) {
	if sel == nil {
		sel = selectAll
	}
	t := &tsWriter{w: w, prefix: make([]byte, 0, 128), block: make([]byte, 0, 128), sel: sel}
	if w == nil {
		t.noCSV = true
		return t, nil
	}
	t.out = make([]byte, 0, flushSize+4096)
	t.out = append(t.out, Header+"\n"...)
	return t, nil
}

// writeResult writes the rows of one result whose group sums are gs.
func (t *tsWriter) writeResult(res *sim.Result, gs *groups, regionMaterials bool) {
	t.writeRegions(res, gs, regionMaterials, 0, len(res.Regions))
	if t.err == nil {
		t.writeGroups(res, gs, regionMaterials)
	}
}

// regionChunk and groupChunk are the numbers of regions and of groups
// (blocks, archetypes, total) formatted as one chunk by
// writeResultParallel.
const (
	regionChunk = 32
	groupChunk  = 32
)

// writeResultParallel writes what writeResult writes: chunks of
// regionChunk regions, then of groupChunk groups (levels block, archetype
// and total), are formatted on up to workers goroutines, each into its own buffer, and
// written to t in order, so the bytes do not depend on workers. At most
// 2 × workers chunks are held at a time. On an error (a non-finite value)
// the rows before it are written and the count of rows stops there.
func (t *tsWriter) writeResultParallel(res *sim.Result, gs *groups, regionMaterials bool, workers int) {
	if workers <= 1 && t.sink == nil {
		t.writeResult(res, gs, regionMaterials)
		return
	}
	workers = max(workers, 1)
	R, G := len(res.Regions), len(gs.regions)
	nr := (R + regionChunk - 1) / regionChunk
	nc := nr + (G+groupChunk-1)/groupChunk
	type chunk struct {
		chunkBuf
		rows int
		err  error
	}
	done := make([]chan chunk, nc)
	for c := range done {
		done[c] = make(chan chunk, 1)
	}
	tokens := make(chan struct{}, 2*workers)
	// Chunk buffers are kept across results: at most 3 × workers exist
	// (held by workers, waiting to be written, or free).
	if cap(t.free) < 3*workers {
		t.free = make(chan chunkBuf, 3*workers)
	}
	free := t.free
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for c := 0; c < nc; c++ {
			tokens <- struct{}{}
			jobs <- c
		}
	}()
	for range workers {
		go func() {
			ct := &tsWriter{prefix: make([]byte, 0, 128), block: make([]byte, 0, 128), sel: t.sel, blockIDs: t.blockIDs, noCSV: t.noCSV}
			for c := range jobs {
				var buf chunkBuf
				select {
				case buf = <-free:
				default:
					if !t.noCSV {
						buf.out = make([]byte, 0, 2<<20)
					}
					if t.sink != nil {
						buf.pq = &pqRows{}
					}
				}
				if buf.pq != nil {
					buf.pq.reset()
				}
				ct.out, ct.pq, ct.rows, ct.err = buf.out[:0], buf.pq, 0, nil
				if c < nr {
					ct.writeRegions(res, gs, regionMaterials, c*regionChunk, min(R, (c+1)*regionChunk))
				} else {
					k := (c - nr) * groupChunk
					ct.writeGroupRange(res, gs, regionMaterials, k, min(G, k+groupChunk))
				}
				done[c] <- chunk{chunkBuf{ct.out, ct.pq}, ct.rows, ct.err}
			}
		}()
	}
	for c := 0; c < nc; c++ {
		ch := <-done[c]
		if t.err == nil {
			t.rows += ch.rows
			if !t.noCSV && t.flush() == nil {
				if _, err := t.w.Write(ch.out); err != nil {
					t.err = err
				}
			}
			if t.err == nil && t.sink != nil {
				t.err = t.sink.add(ch.pq)
			}
			if t.err == nil {
				t.err = ch.err
			}
		}
		select {
		case free <- ch.chunkBuf:
		default:
		}
		<-tokens
	}
}

// chunkBuf holds the rows of one chunk of writeResultParallel: CSV bytes
// and, when writing Parquet, the rows for it.
type chunkBuf struct {
	out []byte
	pq  *pqRows
}

// materialNames returns the ids of the materials of res, then "all"
// and "msw", and whether res has durable products.
func materialNames(res *sim.Result) ([]string, bool) {
	M := len(res.Materials)
	mats := make([]string, M+2)
	durables := false
	for m := range res.Materials {
		mats[m] = res.Materials[m].ID
		durables = durables || res.Materials[m].Durable
	}
	mats[M] = MaterialAll
	mats[M+1] = MaterialMSW
	return mats, durables
}

// writeRegions writes the rows of level region of regions [r0, r1).
// Without per-material rows, the sums kept in gs suffice (res may then
// have no flows).
func (t *tsWriter) writeRegions(res *sim.Result, gs *groups, regionMaterials bool, r0, r1 int) {
	Y, M := res.Years, len(res.Materials)
	scenario := res.Variant
	t.scenario = res.Variant
	mats, durables := materialNames(res)
	t.cur = t.sel
	for r := r0; r < r1; r++ {
		g := &res.Regions[r]
		t.setEntity(scenario, LevelRegion, g.Code, archetypeNames[g.Archetype.Index()])
		for y := 0; y < Y; y++ {
			fy := res.Year(y)
			pop := gs.regPop[r*Y+y]
			if regionMaterials {
				for m := 0; m < M; m++ {
					t.setBlock(fy, mats[m])
					t.cell(res.Cell(y, r, m), pop, fy, false)
				}
			}
			t.setBlock(fy, MaterialAll)
			t.cell(&gs.regAll[r*Y+y], pop, fy, true)
			if durables { // the Ministry's scope, next to all, whenever products are simulated
				t.setBlock(fy, MaterialMSW)
				t.cell(&gs.regMSW[r*Y+y], pop, fy, false)
			}
			if t.err != nil {
				return
			}
		}
	}
}

// writeGroups writes the rows of levels block, archetype and total.
func (t *tsWriter) writeGroups(res *sim.Result, gs *groups, regionMaterials bool) {
	t.writeGroupRange(res, gs, regionMaterials, 0, len(gs.regions))
}

// groupAt returns the group written k-th (k < number of groups): the
// blocks, then archetypes a … e, then the total.
func groupAt(gs *groups, k int) int {
	nb := len(gs.regions) - numArchetypes - 1
	if k < nb {
		return numArchetypes + 1 + k
	}
	return k - nb
}

// writeGroupRange writes the rows of the groups written k0-th … (k1−1)-th
// (see groupAt).
func (t *tsWriter) writeGroupRange(res *sim.Result, gs *groups, regionMaterials bool, k0, k1 int) {
	Y, M := res.Years, len(res.Materials)
	scenario := res.Variant
	t.scenario = res.Variant
	mats, durables := materialNames(res)
	// Levels block, archetype and total: every row.
	t.cur = selectAll
	for k := k0; k < k1; k++ {
		g := groupAt(gs, k)
		if gs.regions[g] == 0 {
			continue
		}
		switch {
		case g < numArchetypes:
			a := archetypeNames[g]
			t.setEntity(scenario, LevelArchetype, a, a)
		case g == numArchetypes:
			t.setEntity(scenario, LevelTotal, LevelTotal, MaterialAll)
		default:
			t.setEntity(scenario, LevelBlock, t.blockIDs[g-numArchetypes-1], MaterialAll)
		}
		// Blocks are written like regions: the selected rows, per material
		// only with regionMaterials.
		isBlock := g > numArchetypes
		t.cur = selectAll
		if isBlock {
			t.cur = t.sel
		}
		for y := 0; y < Y; y++ {
			fy := res.Year(y)
			pop := gs.pop[g*Y+y]
			for m := 0; m <= M+1; m++ {
				if m == M+1 && !durables {
					break
				}
				if isBlock && m < M && !regionMaterials {
					continue
				}
				t.setBlock(fy, mats[m])
				t.cell(gs.cell(g, y, m), pop, fy, m == M)
			}
			if t.err != nil {
				return
			}
		}
	}
}

// total returns a copy of gs with only the total group (for plots).
func (gs *groups) total() *groups {
	Y, M := gs.Y, gs.M
	out := &groups{Y: Y, M: M, durables: gs.durables, regions: make([]int, numArchetypes+1),
		flows: make([]model.Flows, (numArchetypes+1)*Y*(M+2)), pop: make([]float64, (numArchetypes+1)*Y)}
	out.regions[numArchetypes] = gs.regions[numArchetypes]
	for y := 0; y < Y; y++ {
		out.pop[numArchetypes*Y+y] = gs.pop[numArchetypes*Y+y]
		for m := 0; m < M+2; m++ {
			*out.cell(numArchetypes, y, m) = *gs.cell(numArchetypes, y, m)
		}
	}
	return out
}
