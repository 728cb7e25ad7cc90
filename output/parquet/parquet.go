package parquet

import (
	"errors"
	"fmt"
	"io"
	"math"

	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"
)

// Column is one column of a [Table]: exactly one of Strings, Ints and
// Floats is set, with one value per row. NaN in Floats is written as a
// null (the column is then optional).
type Column struct {
	Name    string
	Strings []string
	Ints    []int32
	Floats  []float64
}

// Table is a set of columns of equal length.
type Table struct {
	Name    string // schema name
	Columns []Column
}

// Write writes t to w as a Parquet file. It returns an error if columns
// differ in length, a name repeats, or writing fails.
func Write(w io.Writer, t *Table) error {
	n := -1
	g := pq.Group{}
	for _, c := range t.Columns {
		l, node := 0, pq.Node(nil)
		switch {
		case c.Strings != nil:
			l, node = len(c.Strings), pq.String()
		case c.Ints != nil:
			l, node = len(c.Ints), pq.Int(32)
		default:
			l, node = len(c.Floats), pq.Leaf(pq.DoubleType)
			for _, x := range c.Floats {
				if math.IsNaN(x) {
					node = pq.Optional(node)
					break
				}
			}
		}
		if n >= 0 && l != n {
			return fmt.Errorf("parquet: column %s has %d values, want %d", c.Name, l, n)
		}
		n = l
		if _, dup := g[c.Name]; dup {
			return fmt.Errorf("parquet: column %s twice", c.Name)
		}
		g[c.Name] = node
	}
	if n < 0 {
		return errors.New("parquet: no columns")
	}
	schema := pq.NewSchema(t.Name, g)
	// Schema columns are in name order; map each to its table column.
	fields := schema.Fields()
	order := make([]int, len(fields))
	for i, f := range fields {
		for j, c := range t.Columns {
			if c.Name == f.Name() {
				order[i] = j
			}
		}
	}
	pw := pq.NewWriter(w, schema, pq.Compression(&snappy.Codec{}), pq.CreatedBy("junkan", "", ""))
	const batch = 4096
	rows := make([]pq.Row, 0, batch)
	for r := 0; r < n; r++ {
		row := make(pq.Row, len(fields))
		for i, j := range order {
			c := &t.Columns[j]
			var v pq.Value
			switch {
			case c.Strings != nil:
				v = pq.ByteArrayValue([]byte(c.Strings[r])).Level(0, 0, i)
			case c.Ints != nil:
				v = pq.Int32Value(c.Ints[r]).Level(0, 0, i)
			default:
				x := c.Floats[r]
				if fields[i].Optional() {
					if math.IsNaN(x) {
						v = pq.NullValue().Level(0, 0, i)
					} else {
						v = pq.DoubleValue(x).Level(0, 1, i)
					}
				} else {
					v = pq.DoubleValue(x).Level(0, 0, i)
				}
			}
			row[i] = v
		}
		rows = append(rows, row)
		if len(rows) == batch {
			if _, err := pw.WriteRows(rows); err != nil {
				return fmt.Errorf("parquet: %w", err)
			}
			rows = rows[:0]
		}
	}
	if _, err := pw.WriteRows(rows); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}
