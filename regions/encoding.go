package regions

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/circular-partners/junkan/internal/limit"
)

// Encodings of input CSV files. Statistics offices publish Shift_JIS
// (Microsoft's CP932 variant, which Excel writes as "CSV"); everything
// else here is UTF-8, with or without a byte-order mark.
const (
	EncodingUTF8  = "utf-8"
	EncodingCP932 = "cp932"
)

// ErrEncoding is wrapped by the error for bytes that are not text in the
// declared (or any detected) encoding.
var ErrEncoding = errors.New("not text in UTF-8 or Shift_JIS (CP932)")

// ReadOption changes how a CSV file is read.
type ReadOption func(*readOptions)

type readOptions struct{ encoding string }

// WithEncoding declares the encoding of a CSV file: "utf-8", "cp932" (also
// "shift_jis", "sjis"), or "" to detect it: UTF-8 if the bytes are valid
// UTF-8, else CP932 if they are valid CP932.
func WithEncoding(name string) ReadOption {
	return func(o *readOptions) { o.encoding = name }
}

// ParseEncoding returns the canonical name of an encoding name, or an
// error naming the accepted ones.
func ParseEncoding(name string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(name, "-", "_")) {
	case "":
		return "", nil
	case "utf_8", "utf8":
		return EncodingUTF8, nil
	case "cp932", "shift_jis", "sjis", "shiftjis", "windows_31j", "ms932":
		return EncodingCP932, nil
	}
	return "", fmt.Errorf("unknown encoding %q: want utf-8 or cp932 (Shift_JIS)", name)
}

// FileEncoding returns the encoding a CSV file is read in: the declared
// one, or the detected one (see [WithEncoding]).
func FileEncoding(path, declared string) (string, error) {
	_, used, err := readText(path, declared)
	return used, err
}

// decodeText returns data as UTF-8 without a byte-order mark, and the
// encoding it was read in. Bytes that are not text in the declared
// encoding (or in either when detecting) give a *DataError naming the
// line and byte offset of the first bad byte.
func decodeText(path string, data []byte, declared string) ([]byte, string, error) {
	enc, err := ParseEncoding(declared)
	if err != nil {
		return nil, "", &DataError{File: path, Err: err}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	u := invalidUTF8(data)
	if enc == EncodingUTF8 || (enc == "" && u < 0) {
		if u >= 0 {
			return nil, "", badBytes(path, data, u, "UTF-8", "encoding: cp932")
		}
		return data, EncodingUTF8, nil
	}
	if s := invalidCP932(data); s >= 0 {
		if enc == EncodingCP932 {
			return nil, "", badBytes(path, data, s, "Shift_JIS (CP932)", "encoding: utf-8")
		}
		return nil, "", badBytes(path, data, max(u, s), "UTF-8 nor Shift_JIS (CP932)", "encoding: utf-8 or encoding: cp932")
	}
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(data)
	if err != nil {
		return nil, "", &DataError{File: path, Err: fmt.Errorf("%w: %v", ErrEncoding, err)}
	}
	return out, EncodingCP932, nil
}

// badBytes is the error for the bad byte at offset off of data.
func badBytes(path string, data []byte, off int, what, hint string) error {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
	return &DataError{File: path, Line: line, Err: fmt.Errorf("%w: byte 0x%02X at byte offset %d (column %d of the line) is not %s; declare the file's encoding in the scenario (%s) or save it as UTF-8",
		ErrEncoding, data[off], off, off-lineStart+1, what, hint)}
}

// invalidUTF8 returns the offset of the first byte of data that is not
// UTF-8, or -1. A NUL byte counts as not text.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if (r == utf8.RuneError && n == 1) || r == 0 {
			return i
		}
		i += n
	}
	return -1
}

// invalidCP932 returns the offset of the first byte of data that is not
// CP932 text, or -1: single bytes 0x09, 0x0A, 0x0D, 0x20–0x7E and
// 0xA1–0xDF (half-width katakana); double bytes with a lead byte 0x81–0x9F
// or 0xE0–0xFC and a trail byte 0x40–0x7E or 0x80–0xFC.
func invalidCP932(data []byte) int {
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0x7E) || (c >= 0xA1 && c <= 0xDF):
		case (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC):
			if i+1 >= len(data) {
				return i
			}
			t := data[i+1]
			if !((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFC)) {
				return i
			}
			i++
		default:
			return i
		}
	}
	return -1
}

// readText reads the file at path (within the limits of CSV files) and
// returns it as UTF-8 and the encoding used.
func readText(path, declared string) ([]byte, string, error) {
	f, err := limit.Open(path, limit.CSV)
	if err != nil {
		return nil, "", &DataError{File: path, Err: err}
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		var le *limit.Error
		if errors.As(err, &le) {
			return nil, "", &DataError{File: path, Line: int(le.Line), Err: err}
		}
		return nil, "", &DataError{File: path, Err: err}
	}
	return decodeText(path, data, declared)
}
