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

// rowGroupRows is the number of rows per row group of [FromCSV]: memory
// stays bounded whatever the length of the CSV.
const rowGroupRows = 1 << 17

// FromCSV converts a CSV table with a header line (UTF-8, optionally with
// a byte-order mark) into a Parquet file, streaming, in row groups of
// 131,072 rows. kinds gives the type of columns by name (default Text). An
// empty cell of an Int32 or Double column is an error.
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
	g := pq.Group{}
	for _, h := range header {
		if _, dup := g[h]; dup {
			return fmt.Errorf("parquet: column %s twice", h)
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
	schema := pq.NewSchema(name, g)
	fields := schema.Fields()
	order := make([]int, len(fields)) // schema column → CSV column
	for i, f := range fields {
		for j, h := range header {
			if h == f.Name() {
				order[i] = j
			}
		}
	}
	pw := pq.NewWriter(dst, schema, pq.Compression(&snappy.Codec{}), pq.CreatedBy("junkan", "", ""))
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
		if inGroup == rowGroupRows {
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
