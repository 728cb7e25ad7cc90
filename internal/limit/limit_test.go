package limit

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := Kind{Name: "test", MaxBytes: 10, MaxLineBytes: 4}
	for name, tc := range map[string]struct {
		content string
		line    int64 // want an *Error on this line; -1 for the size, 0 for none
	}{
		"fits":                {"ab\ncd\nef\n", 0},
		"exactly the limits":  {"abcd\nefgh\n", 0},
		"line of 4":           {"abcd\n", 0},
		"line of 5":           {"ab\nabcde\n", 2},
		"no newline":          {"abcdefg", 1},
		"size":                {"ab\nab\nab\nab\n", -1},
		"last line unclosed":  {"ab\nabcd", 0},
		"empty":               {"", 0},
		"newlines only":       {"\n\n\n\n\n\n\n\n\n\n", 0},
		"CRLF counts as text": {"abc\r\n", 0},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(p, small)
		// The size of a regular file is checked before reading; Read
		// enforces it too (for devices and pipes).
		f, _ := os.Open(p)
		_, rerr := io.ReadAll(&Reader{f: f, path: p, kind: small, line: 1})
		f.Close()
		if (rerr == nil) != (err == nil) {
			t.Errorf("%s: ReadFile %v, Read %v", name, err, rerr)
		}
		var le *Error
		switch {
		case tc.line == 0 && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.line != 0 && !errors.As(err, &le):
			t.Errorf("%s: err = %v; want an *Error", name, err)
		case tc.line > 0 && le.Line != tc.line:
			t.Errorf("%s: line %d; want %d", name, le.Line, tc.line)
		case tc.line < 0 && le.Line != 0:
			t.Errorf("%s: line %d; want the size limit", name, le.Line)
		}
		if err != nil && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v does not wrap ErrTooLarge", name, err)
		}
	}
}

// TestStreamLimits reads a stream with no size known in advance.
func TestStreamLimits(t *testing.T) {
	// /dev/zero has no newline and no end.
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err := ReadFile("/dev/zero", CSV)
		var le *Error
		if !errors.As(err, &le) || le.Line != 1 || !strings.Contains(err.Error(), "longer than 1 MiB") {
			t.Errorf("CSV /dev/zero: %v", err)
		}
		_, err = ReadFile("/dev/zero", Scenario)
		if !errors.As(err, &le) || le.Line != 0 || err.Error() != "more than 8 MiB read, the limit for a scenario file (is it a scenario file?)" {
			t.Errorf("scenario /dev/zero: %v", err)
		}
	}
	// A reader never reads more than one byte past the size limit.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		pw.Write([]byte(strings.Repeat("a\n", 100)))
		pw.Close()
	}()
	r := &Reader{f: pr, path: "pipe", kind: Kind{Name: "t", MaxBytes: 11, MaxLineBytes: 3}, line: 1}
	b, err := io.ReadAll(r)
	if !errors.Is(err, ErrTooLarge) || len(b) > 12 {
		t.Errorf("pipe: read %d bytes, err %v", len(b), err)
	}
}

func TestSparseHugeFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.geojson")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Skip("no sparse files:", err)
	}
	f.Close()
	for _, k := range []Kind{Scenario, CSV, GeoJSON} {
		_, err := ReadFile(p, k)
		var le *Error
		if !errors.As(err, &le) || le.Size != 2<<30 || !strings.HasPrefix(err.Error(), "the file is 2.0 GiB, more than ") {
			t.Errorf("%s: %v", k.Name, err)
		}
	}
	if _, err := OpenRegular("/dev/null"); err == nil {
		t.Error("OpenRegular(/dev/null) succeeded")
	}
	if _, err := Open(t.TempDir(), CSV); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Open(dir) = %v", err)
	}
}
