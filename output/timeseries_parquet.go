package output

import (
	"fmt"
	"io"
	"unsafe"

	"github.com/circular-partners/junkan/output/parquet"
	pq "github.com/parquet-go/parquet-go"
)

// TimeseriesParquetFile is the Parquet form of timeseries.csv: the same
// columns, year as INT32 and value as DOUBLE (the 12 significant digits of
// the CSV), text columns dictionary-encoded, in row groups of
// parquet.RowGroupRows rows. It is the file parquet.FromCSV makes of
// timeseries.csv, byte for byte, but written from the rows directly.
const TimeseriesParquetFile = "timeseries.parquet"

// timeseriesKinds are the Parquet types of the columns of
// timeseries.parquet that are not text.
var timeseriesKinds = map[string]parquet.Kind{"year": parquet.Int32, "value": parquet.Double}

// timeseriesFormats reports what format (Options.TimeseriesFormat) writes:
// timeseries.csv, timeseries.parquet.
func timeseriesFormats(format string) (csv, pqt bool, err error) {
	switch format {
	case "", "csv":
		return true, false, nil
	case "parquet":
		return false, true, nil
	case "both":
		return true, true, nil
	}
	return false, false, fmt.Errorf("output: format %q: want csv, parquet or both", format)
}

// pqRows are rows of the timeseries kept for Parquet: runs of rows that
// share scenario, level, region, archetype, year and material (what the
// CSV writer sets with setEntity and setBlock), and per row its kind (see
// rowName) and its value, rounded as timeseries.csv writes it.
type pqRows struct {
	runs []pqRun
	kind []uint8
	val  []float64
}

// pqRun is a run of rows of [pqRows]; text fields are as in the CSV,
// unquoted.
type pqRun struct {
	scenario, level, region, archetype, material string
	year                                         int32
	start                                        int // index of the run's first row
}

func init() {
	if numKinds > 256 {
		panic("output: more kinds of rows than pqRows.kind holds")
	}
}

func (p *pqRows) reset() { p.runs, p.kind, p.val = p.runs[:0], p.kind[:0], p.val[:0] }

func (p *pqRows) len() int { return len(p.val) }

// startRun starts run r at the next row (replacing a last run without
// rows).
func (p *pqRows) startRun(r pqRun) {
	r.start = len(p.val)
	if n := len(p.runs); n > 0 && p.runs[n-1].start == r.start {
		p.runs[n-1] = r
		return
	}
	p.runs = append(p.runs, r)
}

// runEnd returns the end (exclusive) of the rows of run j.
func (p *pqRows) runEnd(j int) int {
	if j+1 < len(p.runs) {
		return p.runs[j+1].start
	}
	return len(p.val)
}

// pqSink writes timeseries.parquet from the rows of the chunks, in order:
// it cuts them into row groups of parquet.RowGroupRows rows, encodes (and
// compresses) up to workers row groups at once, each on its own
// goroutine, and writes them to the file in order. The bytes depend only on
// the rows. Memory: at most workers + 1 row groups, about 5 MB each: 9
// bytes a row and a run of 96 bytes per 17-50 rows, 24 bytes a row more
// while the group is encoded, and its encoded pages. A pqSink is not safe
// for concurrent use.
type pqSink struct {
	pw      *pq.Writer
	cols    []tsColumn // the column of each schema field, in schema order
	acc     *pqGroup   // being filled
	pending []*pqGroup // being encoded, oldest first
	free    []*pqGroup
	workers int
	made    int // row groups allocated (at most workers + 1)
	err     error
	// The Values of the rows' kinds, per column (indicator, unit) and kind.
	names, units []pq.Value
}

// tsColumn names a column of timeseries.parquet.
type tsColumn int

const (
	colScenario tsColumn = iota
	colLevel
	colRegion
	colArchetype
	colYear
	colMaterial
	colIndicator
	colValue
	colUnit
)

// pqGroup is one row group: its rows, the row group writer encoding them
// and the error of the encoding, sent on done.
type pqGroup struct {
	rows pqRows
	rg   *pq.ConcurrentRowGroupWriter
	vals []pq.Value // one column of the row group
	done chan error
}

// newPQSink returns a sink writing timeseries.parquet to w with up to
// workers row groups encoded at once (at least 1).
func newPQSink(w io.Writer, workers int) (*pqSink, error) {
	header := []string{"scenario", "level", "region", "archetype", "year", "material", "indicator", "value", "unit"}
	schema, err := parquet.TableSchema("timeseries", header, timeseriesKinds)
	if err != nil {
		return nil, err
	}
	k := &pqSink{workers: max(1, workers)}
	for _, f := range schema.Fields() {
		for c, h := range header {
			if f.Name() == h {
				k.cols = append(k.cols, tsColumn(c))
			}
		}
	}
	if len(k.cols) != len(header) || Header != "scenario,level,region,archetype,year,material,indicator,value,unit" {
		panic("output: the Parquet columns are not those of timeseries.csv")
	}
	for ci, c := range k.cols {
		switch c {
		case colIndicator:
			k.names = textValues(rowName[:], ci)
		case colUnit:
			k.units = textValues(rowUnit[:], ci)
		}
	}
	// Large writes to the file: the hashed file hands each write to its
	// hashing goroutine.
	k.pw = pq.NewWriter(w, append(parquet.WriterOptions(), schema, pq.WriteBufferSize(1<<20))...)
	k.acc = k.newGroup()
	return k, nil
}

// textValues returns the Values of column ci holding texts.
func textValues(texts []string, ci int) []pq.Value {
	v := make([]pq.Value, len(texts))
	for i, s := range texts {
		v[i] = pq.ByteArrayValue(textBytes(s)).Level(0, 0, ci)
	}
	return v
}

// textBytes returns the bytes of s without a copy; they must not be
// changed (the Parquet writer copies what it keeps).
func textBytes(s string) []byte {
	if s == "" {
		return []byte{}
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

func (k *pqSink) newGroup() *pqGroup {
	if n := len(k.free); n > 0 {
		g := k.free[n-1]
		k.free = k.free[:n-1]
		return g
	}
	k.made++
	return &pqGroup{rg: k.pw.BeginRowGroup(), done: make(chan error, 1)}
}

// add appends the rows of src (not kept) and returns the first error of
// writing the file so far.
func (k *pqSink) add(src *pqRows) error {
	for j := range src.runs {
		s, e := src.runs[j].start, src.runEnd(j)
		for s < e && k.err == nil {
			acc := &k.acc.rows
			n := min(e-s, parquet.RowGroupRows-acc.len())
			acc.startRun(src.runs[j])
			acc.kind = append(acc.kind, src.kind[s:s+n]...)
			acc.val = append(acc.val, src.val[s:s+n]...)
			s += n
			if acc.len() == parquet.RowGroupRows {
				k.submit()
			}
		}
	}
	return k.err
}

// submit starts encoding the row group being filled, once fewer than
// workers are being encoded, and starts a new one.
func (k *pqSink) submit() {
	if len(k.pending) == k.workers {
		k.commitOldest()
	}
	if k.err != nil {
		return
	}
	g := k.acc
	go func() { g.done <- g.encode(k) }()
	k.pending = append(k.pending, g)
	k.acc = k.newGroup()
}

// commitOldest waits for the oldest row group being encoded and writes it
// to the file.
func (k *pqSink) commitOldest() {
	g := k.pending[0]
	k.pending = k.pending[1:]
	err := <-g.done
	if err == nil && k.err == nil {
		_, err = g.rg.Commit()
	}
	if err != nil && k.err == nil {
		k.err = fmt.Errorf("output: %s: %w", TimeseriesParquetFile, err)
	}
	g.rows.reset()
	k.free = append(k.free, g)
}

// close writes the last row group and the footer.
func (k *pqSink) close() error {
	if k.acc.rows.len() > 0 {
		k.submit()
	}
	for len(k.pending) > 0 {
		k.commitOldest()
	}
	if k.err != nil {
		return k.err
	}
	if err := k.pw.Close(); err != nil {
		k.err = fmt.Errorf("output: %s: %w", TimeseriesParquetFile, err)
	}
	return k.err
}

// abort waits for the row groups being encoded; nothing more is written.
func (k *pqSink) abort() {
	for _, g := range k.pending {
		<-g.done
	}
	k.pending = nil
	if k.err == nil {
		k.err = fmt.Errorf("output: %s: aborted", TimeseriesParquetFile)
	}
}

// pqBatch is the number of rows given at a time to a column writer: the
// batches of parquet-go's own row writer, so that pages end after the same
// rows as in a file parquet.FromCSV writes.
const pqBatch = 64

// encode writes the rows of g to its row group writer, column by column,
// and flushes the pages.
func (g *pqGroup) encode(k *pqSink) error {
	p := &g.rows
	n := p.len()
	if cap(g.vals) < n {
		g.vals = make([]pq.Value, n)
	}
	vals := g.vals[:n]
	cws := g.rg.ColumnWriters()
	for ci, c := range k.cols {
		switch c {
		case colIndicator:
			for i, kind := range p.kind {
				vals[i] = k.names[kind]
			}
		case colUnit:
			for i, kind := range p.kind {
				vals[i] = k.units[kind]
			}
		case colValue:
			for i, x := range p.val {
				vals[i] = pq.DoubleValue(x) // the column is the writer's: no Level needed
			}
		default:
			for j := range p.runs {
				r := &p.runs[j]
				var v pq.Value
				switch c {
				case colYear:
					v = pq.Int32Value(r.year)
				case colScenario:
					v = pq.ByteArrayValue(textBytes(r.scenario))
				case colLevel:
					v = pq.ByteArrayValue(textBytes(r.level))
				case colRegion:
					v = pq.ByteArrayValue(textBytes(r.region))
				case colArchetype:
					v = pq.ByteArrayValue(textBytes(r.archetype))
				case colMaterial:
					v = pq.ByteArrayValue(textBytes(r.material))
				}
				for i, e := r.start, p.runEnd(j); i < e; i++ {
					vals[i] = v
				}
			}
		}
		for i := 0; i < n; i += pqBatch {
			if _, err := cws[ci].WriteRowValues(vals[i:min(n, i+pqBatch)]); err != nil {
				return err
			}
		}
	}
	clear(vals) // no references to the rows' texts are kept
	return g.rg.Flush()
}
