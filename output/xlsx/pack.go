package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// deflateLevel is the compression level of the workbook's entries
// (klauspost/compress/flate): level 5 gives files the size of
// compress/flate's default level (6) in about a quarter of its time.
const deflateLevel = 5

// chunkRows is the number of data rows of a sheet written and compressed
// as one piece by [pack] (about 1 MB of XML for the municipalities sheet).
const chunkRows = 1024

// capture is an excelize ZipWriter that keeps the workbook's parts
// uncompressed, by name, so that [pack] compresses them once.
type capture struct {
	parts map[string]*bytes.Buffer
}

func (c *capture) Create(name string) (io.Writer, error) {
	b := &bytes.Buffer{}
	c.parts[name] = b
	return b, nil
}

func (c *capture) AddFS(fs.FS) error { return errors.New("xlsx: AddFS not supported") }

func (c *capture) Close() error { return nil }

// injected is a sheet whose data rows [start, end) of rows are written by
// [pack] after its header row, which excelize wrote.
type injected struct {
	rows       *fastRows
	start, end int
	cols       int // header columns
}

// pack writes the parts excelize produced, with the injected rows, as a
// zip archive to w: entries in a fixed order ([Content_Types].xml first,
// then by name) with fixed times, each worksheet declaring its real size
// (see withDimension), every entry compressed once. Large sheets are
// written and compressed in chunks of chunkRows rows on up to GOMAXPROCS
// goroutines; each chunk is a run of deflate blocks ended by a sync flush
// (as pigz does), so the bytes do not depend on the number of goroutines.
func (wb *workbook) pack(w io.Writer, c *capture) error {
	sheetPath, err := sheetPaths(c.parts)
	if err != nil {
		return err
	}
	byPath := map[string]*injected{}
	for name, in := range wb.inject {
		p, ok := sheetPath[name]
		if !ok {
			return fmt.Errorf("xlsx: sheet %s not in the workbook", name)
		}
		byPath[p] = in
	}
	names := make([]string, 0, len(c.parts))
	for name := range c.parts {
		names = append(names, name)
	}
	rank := func(n string) int {
		if n == "[Content_Types].xml" {
			return 0
		}
		return 1
	}
	slices.SortFunc(names, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	zw := zip.NewWriter(w)
	var d deflater
	for _, name := range names {
		data := c.parts[name].Bytes()
		var pieces []func([]byte) []byte
		if in := byPath[name]; in != nil {
			end := bytes.LastIndex(data, []byte("</sheetData>"))
			if end < 0 {
				return fmt.Errorf("xlsx: %s has no sheetData", name)
			}
			head := setDimension(data[:end], fmt.Sprintf("A1:%s%d", colName(in.cols), in.end-in.start+1))
			pieces = append(pieces, func(b []byte) []byte { return append(b, head...) })
			for a := in.start; a < in.end; a += chunkRows {
				b := min(in.end, a+chunkRows)
				pieces = append(pieces, func(buf []byte) []byte {
					for i := a; i < b; i++ {
						buf = in.rows.encode(buf, i, i-in.start+2)
					}
					return buf
				})
			}
			tail := data[end:]
			pieces = append(pieces, func(b []byte) []byte { return append(b, tail...) })
		} else {
			if strings.HasPrefix(name, "xl/worksheets/sheet") && strings.HasSuffix(name, ".xml") {
				data = withDimension(data)
			}
			pieces = append(pieces, func(b []byte) []byte { return append(b, data...) })
		}
		comp, crc, n, err := d.deflate(pieces)
		if err != nil {
			return fmt.Errorf("xlsx: %s: %w", name, err)
		}
		fh := &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(comp)), UncompressedSize64: uint64(n),
			ModifiedDate:   1<<5 | 1, // 1980-01-01 00:00, MS-DOS format
			CreatorVersion: 20, ReaderVersion: 20}
		out, err := zw.CreateRaw(fh)
		if err == nil {
			_, err = out.Write(comp)
		}
		if err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// deflater compresses entries made of pieces, reusing its buffers.
type deflater struct {
	free chan []byte // piece buffers
}

// deflate writes each piece (a function appending its bytes to a buffer)
// and compresses it on up to GOMAXPROCS goroutines, each piece with a
// fresh compressor, ending with a sync flush (the last one with the final
// block), and returns the pieces' compressed bytes in order (one deflate
// stream), the CRC-32 and the size of the uncompressed bytes.
func (d *deflater) deflate(pieces []func([]byte) []byte) ([]byte, uint32, int64, error) {
	workers := min(runtime.GOMAXPROCS(0), len(pieces))
	type result struct {
		raw, comp []byte
		err       error
	}
	if d.free == nil {
		d.free = make(chan []byte, 4*runtime.GOMAXPROCS(0))
	}
	done := make([]chan result, len(pieces))
	for i := range done {
		done[i] = make(chan result, 1)
	}
	jobs := make(chan int)
	tokens := make(chan struct{}, 2*workers) // pieces in flight
	go func() {
		defer close(jobs)
		for i := range pieces {
			tokens <- struct{}{}
			jobs <- i
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var zw *flate.Writer
			for i := range jobs {
				var raw []byte
				select {
				case raw = <-d.free:
				default:
				}
				raw = pieces[i](raw[:0])
				var comp bytes.Buffer
				comp.Grow(len(raw)/4 + 64)
				var err error
				if zw == nil {
					zw, err = flate.NewWriter(&comp, deflateLevel)
				} else {
					zw.Reset(&comp)
				}
				if err == nil {
					_, err = zw.Write(raw)
				}
				if err == nil {
					if i == len(pieces)-1 {
						err = zw.Close()
					} else {
						err = zw.Flush()
					}
				}
				done[i] <- result{raw, comp.Bytes(), err}
			}
		}()
	}
	var out []byte
	var crc uint32
	var n int64
	var first error
	for i := range pieces {
		r := <-done[i]
		if r.err != nil && first == nil {
			first = r.err
		}
		crc = crc32.Update(crc, crc32.IEEETable, r.raw)
		n += int64(len(r.raw))
		out = append(out, r.comp...)
		select {
		case d.free <- r.raw:
		default:
		}
		<-tokens
	}
	wg.Wait()
	return out, crc, n, first
}

// sheetPaths maps the sheet names of the workbook parts to the paths of
// their worksheet parts, from xl/workbook.xml and its relationships.
func sheetPaths(parts map[string]*bytes.Buffer) (map[string]string, error) {
	wbx, rels := parts["xl/workbook.xml"], parts["xl/_rels/workbook.xml.rels"]
	if wbx == nil || rels == nil {
		return nil, errors.New("xlsx: workbook without xl/workbook.xml or its relationships")
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wbx.Bytes(), &book); err != nil {
		return nil, fmt.Errorf("xlsx: xl/workbook.xml: %w", err)
	}
	var rs struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(rels.Bytes(), &rs); err != nil {
		return nil, fmt.Errorf("xlsx: xl/_rels/workbook.xml.rels: %w", err)
	}
	target := map[string]string{}
	for _, r := range rs.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range book.Sheets {
		if t, ok := target[s.ID]; ok {
			out[s.Name] = t
		}
	}
	return out, nil
}

// setDimension returns the worksheet XML b with its declared size
// (ref="A1", as excelize's stream writer leaves it) set to ref.
func setDimension(b []byte, ref string) []byte {
	a1 := []byte(`<dimension ref="A1"></dimension>`)
	at := bytes.Index(b, a1)
	if at < 0 {
		a1 = []byte(`<dimension ref="A1"/>`)
		if at = bytes.Index(b, a1); at < 0 {
			return b
		}
	}
	return slices.Concat(b[:at], []byte(`<dimension ref="`+ref+`"/>`), b[at+len(a1):])
}

// colName is the name of column c (1: A).
func colName(c int) string {
	s, _ := excelize.ColumnNumberToName(c)
	return s
}
