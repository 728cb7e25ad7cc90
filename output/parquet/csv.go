package parquet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"
)

// Kind is the Parquet type of a column converted from CSV.
type Kind int

// Column kinds of [FromCSV].
const (
	Text   Kind = iota // BYTE_ARRAY (UTF-8), dictionary-encoded
	Int32              // INT32
	Double             // DOUBLE
)

// RowGroupRows is the number of rows per row group of [FromCSV] (and of
// the timeseries writer of package output): memory stays bounded whatever
// the length of the table.
const RowGroupRows = 1 << 17

// FromCSV converts a CSV table with a header line (UTF-8, optionally with
// a byte-order mark) into a Parquet file, streaming, in row groups of
// [RowGroupRows] rows. kinds gives the type of columns by name (default
// Text). An empty cell of an Int32 or Double column is an error.
func FromCSV(dst io.Writer, src io.Reader, name string, kinds map[string]Kind) error {
	br := bufio.NewReaderSize(src, 1<<20)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("parquet: reading the CSV header: %w", err)
	}
	header = append([]string(nil), header...)
	schema, err := TableSchema(name, header, kinds)
	if err != nil {
		return err
	}
	fields := schema.Fields()
	order := make([]int, len(fields)) // schema column → CSV column
	for i, f := range fields {
		for j, h := range header {
			if h == f.Name() {
				order[i] = j
			}
		}
	}
	pw := pq.NewWriter(dst, append(WriterOptions(), schema)...)
	rows := make([]pq.Row, 0, 4096)
	inGroup := 0
	line := 1
	flush := func() error {
		if _, err := pw.WriteRows(rows); err != nil {
			return fmt.Errorf("parquet: %w", err)
		}
		rows = rows[:0]
		return nil
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return fmt.Errorf("parquet: CSV line %d: %w", line, err)
		}
		row := make(pq.Row, len(fields))
		for i, j := range order {
			s := rec[j]
			switch kinds[header[j]] {
			case Int32:
				x, err := strconv.ParseInt(s, 10, 32)
				if err != nil {
					return fmt.Errorf("parquet: CSV line %d, column %s: %q is not an integer", line, header[j], s)
				}
				row[i] = pq.Int32Value(int32(x)).Level(0, 0, i)
			case Double:
				x, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return fmt.Errorf("parquet: CSV line %d, column %s: %q is not a number", line, header[j], s)
				}
				row[i] = pq.DoubleValue(x).Level(0, 0, i)
			default:
				row[i] = pq.ByteArrayValue([]byte(s)).Level(0, 0, i)
			}
		}
		rows = append(rows, row)
		inGroup++
		if len(rows) == cap(rows) {
			if err := flush(); err != nil {
				return err
			}
		}
		if inGroup == RowGroupRows {
			if err := flush(); err != nil {
				return err
			}
			if err := pw.Flush(); err != nil {
				return fmt.Errorf("parquet: %w", err)
			}
			inGroup = 0
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

// TableSchema returns the schema of a table named name with the given
// columns (a name must not repeat), typed by kinds (default Text, which is
// dictionary-encoded): the schema [FromCSV] writes. Its columns are in
// the order of their names.
func TableSchema(name string, columns []string, kinds map[string]Kind) (*pq.Schema, error) {
	g := pq.Group{}
	for _, h := range columns {
		if _, dup := g[h]; dup {
			return nil, fmt.Errorf("parquet: column %s twice", h)
		}
		switch kinds[h] {
		case Int32:
			g[h] = pq.Int(32)
		case Double:
			g[h] = pq.Leaf(pq.DoubleType)
		default:
			g[h] = pq.Encoded(pq.String(), &pq.RLEDictionary)
		}
	}
	return pq.NewSchema(name, g), nil
}

// WriterOptions are the options of the files written by [FromCSV]:
// Snappy compression, created by junkan, and no statistics in the page
// headers: the page index (min and max of every page, in the footer) and
// the row groups' statistics are written, and computing the same bounds
// a second time for the page headers cost a fifth of the time of writing
// all Japan's timeseries. A writer given the same schema, options and
// rows, in the same batches, writes the same bytes.
func WriterOptions() []pq.WriterOption {
	return []pq.WriterOption{pq.Compression(&snappy.Codec{}), pq.CreatedBy("junkan", "", ""), pq.DataPageStatistics(false)}
}
