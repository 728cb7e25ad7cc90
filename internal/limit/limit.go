// Package limit reads input files within fixed size and line-length
// limits, so that a wrong path (/dev/zero, a 2 GB dump, a CSV without a
// newline) fails at once with a clear error instead of filling memory.
//
// The limits, one per kind of file, are here and nowhere else:
//
//	kind       file size   line length   largest real file (../shared/data)
//	scenario   8 MiB       —             a few kB
//	CSV        256 MiB     1 MiB         405 kB (SSDSE-A), longest line 1,305 B
//	GeoJSON    512 MiB     —             1.6 MB (all Japan, simplified)
//
// They are generous: the CSV limit is 600 times the largest data file; the
// GeoJSON limit takes the full-resolution boundary file of any prefecture
// (N03, tens of MB) and a moderately simplified all-Japan file. A file
// beyond a limit is refused with an [*Error] naming the file, its size or
// line, and the limit; nothing is read beyond the limit.
package limit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Kind is a kind of input file with its limits.
type Kind struct {
	Name         string // in messages, e.g. "CSV"
	MaxBytes     int64  // file size
	MaxLineBytes int64  // bytes between two newlines; 0: no limit
}

// The kinds of input file, with their limits (see the package doc).
var (
	Scenario = Kind{Name: "scenario", MaxBytes: 8 << 20}
	CSV      = Kind{Name: "CSV", MaxBytes: 256 << 20, MaxLineBytes: 1 << 20}
	GeoJSON  = Kind{Name: "GeoJSON", MaxBytes: 512 << 20}
)

// ErrTooLarge is wrapped by every [*Error].
var ErrTooLarge = errors.New("beyond the limit")

// Error is a file beyond a limit of its kind. Its message leaves out the
// file name and line, which the caller adds to its located error.
type Error struct {
	File  string
	Kind  Kind
	Size  int64 // size of a regular file beyond MaxBytes; 0 if not known
	Line  int64 // 1-based line longer than MaxLineBytes; 0 for the file size
	Limit int64 // the limit exceeded (bytes)
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("a line longer than %s, the limit for a line of a %s file (is it a %s file? each line must end with a newline)",
			bytesText(e.Limit), e.Kind.Name, e.Kind.Name)
	}
	if e.Size > 0 {
		return fmt.Sprintf("the file is %s, more than %s, the limit for a %s file", bytesText(e.Size), bytesText(e.Limit), e.Kind.Name)
	}
	return fmt.Sprintf("more than %s read, the limit for a %s file (is it a %s file?)", bytesText(e.Limit), e.Kind.Name, e.Kind.Name)
}

func (e *Error) Is(target error) bool { return target == ErrTooLarge }

// bytesText writes n in B, kB, MiB or GiB.
func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.4g MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.4g KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Reader reads a file within the limits of its kind: Read returns an
// [*Error] once more than MaxBytes were read, or a line is longer than
// MaxLineBytes. It counts lines for the error.
type Reader struct {
	f       *os.File
	path    string
	kind    Kind
	n       int64 // bytes read
	lineLen int64 // bytes since the last newline
	line    int64 // 1-based line being read
	err     error
}

// Open opens path for reading within the limits of kind. A regular file
// larger than kind.MaxBytes is refused at once; other files (devices,
// pipes) are cut off by Read. A directory is refused.
func Open(path string, kind Kind) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("is a directory, not a file")}
	}
	if fi.Mode().IsRegular() && fi.Size() > kind.MaxBytes {
		f.Close()
		return nil, &Error{File: path, Kind: kind, Size: fi.Size(), Limit: kind.MaxBytes}
	}
	return &Reader{f: f, path: path, kind: kind, line: 1}, nil
}

// Read reads from the file, failing with an [*Error] beyond the limits.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	// Never read more than one byte beyond the size limit.
	if rest := r.kind.MaxBytes + 1 - r.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := r.f.Read(p)
	r.n += int64(n)
	if r.n > r.kind.MaxBytes {
		r.err = &Error{File: r.path, Kind: r.kind, Limit: r.kind.MaxBytes}
		return 0, r.err
	}
	if max := r.kind.MaxLineBytes; max > 0 {
		b := p[:n]
		for {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				r.lineLen += int64(len(b))
				break
			}
			if r.lineLen+int64(i) > max {
				r.lineLen += int64(i)
				break
			}
			r.lineLen = 0
			r.line++
			b = b[i+1:]
		}
		if r.lineLen > max {
			r.err = &Error{File: r.path, Kind: r.kind, Line: r.line, Limit: max}
			return 0, r.err
		}
	}
	return n, err
}

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// ReadFile reads the whole file at path within the limits of kind.
func ReadFile(path string, kind Kind) ([]byte, error) {
	r, err := Open(path, kind)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var buf bytes.Buffer
	if fi, err := r.f.Stat(); err == nil && fi.Mode().IsRegular() {
		buf.Grow(int(fi.Size()) + 1)
	}
	if _, err := io.Copy(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// OpenRegular opens path for hashing an input of any kind: regular files
// only (a device or pipe cannot be read twice), within the largest limit
// of any kind.
func OpenRegular(path string) (*Reader, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("not a regular file")}
	}
	return Open(path, Kind{Name: "input", MaxBytes: max(Scenario.MaxBytes, CSV.MaxBytes, GeoJSON.MaxBytes)})
}
