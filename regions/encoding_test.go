package regions

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

func TestDecodeText(t *testing.T) {
	text := "code5,name\r\n11343,小川町\r\n11100,さいたま市\r\n"
	sjis, _ := japanese.ShiftJIS.NewEncoder().String(text)
	cases := []struct {
		name, data, declared, want, used string
	}{
		{"utf-8", text, "", text, EncodingUTF8},
		{"utf-8 with BOM", "\uFEFF" + text, "", text, EncodingUTF8},
		{"cp932 detected", sjis, "", text, EncodingCP932},
		{"cp932 declared", sjis, "Shift_JIS", text, EncodingCP932},
		{"ascii declared cp932", "a,b\n1,2\n", "cp932", "a,b\n1,2\n", EncodingCP932},
	}
	for _, tc := range cases {
		got, used, err := decodeText("f.csv", []byte(tc.data), tc.declared)
		if err != nil || string(got) != tc.want || used != tc.used {
			t.Errorf("%s: %q, %s, %v; want %q, %s", tc.name, got, used, err, tc.want, tc.used)
		}
	}
	// Errors: file, line, byte offset and what to declare.
	bad := []struct {
		name, data, declared, msg string
		line                      int
	}{
		{"cp932 declared utf-8", sjis, "utf-8", "is not UTF-8; declare the file's encoding in the scenario (encoding: cp932)", 2},
		{"neither", "a,b\n1,2\n3,\xFF\xFE\n", "", "byte 0xFF at byte offset 10 (column 3 of the line) is not UTF-8 nor Shift_JIS", 3},
		{"NUL byte", "a,b\n1,\x00\n", "", "byte 0x00 at byte offset 6", 2},
		{"bad trail byte", "a\n\x81\x20\n", "cp932", "byte 0x81 at byte offset 2", 2},
		{"unknown name", "a\n", "latin1", `unknown encoding "latin1"`, 0},
	}
	for _, tc := range bad {
		_, _, err := decodeText("f.csv", []byte(tc.data), tc.declared)
		var de *DataError
		if !errors.As(err, &de) || de.Line != tc.line || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v; want line %d and %q", tc.name, err, tc.line, tc.msg)
		}
	}
}

func TestNumberHint(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1,234", ": thousands separators are not read; write 1234"},
		{"１２３４", ": full-width (全角) characters; write 1234"},
		{"１，２３４", ": full-width (全角) characters; write 1234"},
		{"abc", ""},
	} {
		if got := numberHint(tc.in); got != tc.want {
			t.Errorf("numberHint(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	if _, err := nonNegative("1,234", "population"); err == nil || !strings.Contains(err.Error(), "write 1234") {
		t.Errorf("nonNegative(1,234): %v", err)
	}
}
